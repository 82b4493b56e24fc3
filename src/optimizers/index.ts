/**
 * The optimizers of the course: each is init(params) → state and update(grads, state, params, opts)
 * → { updates, state } (src/optimizers/types.ts), with torch.optim's names, defaults and algorithms.
 */
export * from './types';
export { sgd, type SgdOptions } from './sgd';
export { emaMomentum, type EmaMomentumOptions } from './momentum-ema';
export { adagrad, type AdagradOptions } from './adagrad';
export { rmsprop, type RmspropOptions } from './rmsprop';
export { adadelta, type AdadeltaOptions } from './adadelta';
export { adam, adamw, type AdamOptions } from './adam';
export { adamax, type AdamaxOptions } from './adamax';
export { newton, newtonDirection, type NewtonOptions, type HasHessian } from './newton';
