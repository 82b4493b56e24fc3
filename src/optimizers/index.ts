/**
 * The optimizers of the course: each is init(params) → state and update(grads, state, params, opts)
 * → { updates, state } (src/optimizers/types.ts), with torch.optim's names, defaults and algorithms.
 * The named optimizers (sgd, adam, …) are written out formula by formula; transforms.ts has the same
 * algorithms as small composable transforms and chain(...) (Optax-style); formulas.ts the lines they share.
 */
export * from './types';
export { sgd, type SgdOptions, type SgdBuffers } from './sgd';
export { emaMomentum, type EmaMomentumOptions, type EmaMomentumBuffers } from './momentum-ema';
export { adagrad, type AdagradOptions, type AdagradBuffers } from './adagrad';
export { rmsprop, type RmspropOptions, type RmspropBuffers } from './rmsprop';
export { adadelta, type AdadeltaOptions, type AdadeltaBuffers } from './adadelta';
export { adam, type AdamOptions, type AdamBuffers } from './adam';
export { adamw } from './adamw';
export { adamax, type AdamaxOptions, type AdamaxBuffers } from './adamax';
export { newton, newtonDirection, type NewtonOptions, type HasHessian } from './newton';
export {
  chain,
  addDecayedWeights,
  scaleByLr,
  scaleBySchedule,
  clipByGlobalNorm,
  clipElementwise,
  traceMomentum,
  traceEma,
  scaleByAdagrad,
  scaleByRms,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByNewton,
  type Transform,
  type StepContext,
  type ChainBuffers,
  type TraceMomentumOptions,
  type TraceEmaOptions,
  type ScaleByAdamOptions,
} from './transforms';
export { addWeightDecay, ema, divideByRoot, debias, momentumBuffer } from './formulas';
