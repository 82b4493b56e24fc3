/**
 * A minibatch training loop for a network (src/nets/mlp.ts) with the optimizer contract of
 * src/optimizers/types.ts (θ ← θ + updates) or a tfjs tf.train optimizer: per epoch the seeded order of
 * batches.ts, per minibatch L_B and g = ∇_θ L_B(θ), the divergence check, optional clipping, the update.
 * The step (ε_k from lr(k), update, apply), the divergence rule and the loop are the shared ones of
 * src/training (step.ts, loop.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nets/mlp';
import { getLoss, type LossFn, type LossName } from '../nets/losses';
import type { Buffers, OptState, Optimizer } from '../optimizers/types';
import { clipByNormTensors, clipByValue, globalNormTensor } from '../optimizers/clip';
import { show } from '../core/validate';
import { divergence, isTfOptimizer, stepper, type LearningRate } from './step';
import { runEpochs } from './loop';

/** What trainEpochs reports after each epoch. */
export interface EpochInfo {
  /** The epoch (1-based, counted from the start of the run: startEpoch + 1, …). */
  epoch: number;
  trainLoss: number;
  valLoss?: number;
  elapsedMs: number;
}

/** Options of trainEpochs. */
export interface TrainOptions<B extends Buffers = Buffers> {
  /** Inputs [N, in] and targets [N, out] (the caller owns and disposes them). */
  X: tf.Tensor;
  y: tf.Tensor;
  epochs: number;
  /** Minibatch size B (default N: full-batch gradient descent, in dataset order). The last batch may be smaller. */
  batchSize?: number;
  /** Seed of the minibatch shuffling: epoch e visits the examples in the order epochOrder(N, seed, e) (batches.ts). */
  seed: number;
  /** Loss (default 'mse'). */
  loss?: LossName | LossFn;
  valX?: tf.Tensor;
  valY?: tf.Tensor;
  /** Learning rate passed to optimizer.update as opts.lr: ε, or a schedule k ↦ ε_k of the optimizer's step count k = 0, 1, … */
  lr?: LearningRate;
  /** Clip the gradients before the update: by global norm (g ← g·min(1, c/‖g‖)) and/or by value. */
  clipNorm?: number;
  clipValue?: number;
  /** Stop when a minibatch loss exceeds this (divergence); default: only non-finite losses stop. */
  maxLoss?: number;
  /** Called after each epoch; return false to stop early. */
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** An optimizer state to continue from (it is consumed: trainEpochs disposes it). */
  state?: OptState<B>;
  /** Return the final optimizer state (the caller then disposes it with disposeState); default false. */
  keepState?: boolean;
  /** Epochs trained before this call (default 0): this call's epochs shuffle and are numbered as epochs startEpoch + 1, … of one run. */
  startEpoch?: number;
}

/** Why and where training stopped early because the loss blew up (the shared rule of step.ts). */
export interface TrainDivergence {
  /** The epoch (1-based, as in EpochInfo; 0 when the initial loss was bad). */
  epoch: number;
  /** k: the updates applied to θ when the bad loss or gradient was seen (it belongs to θ_k; stepLoss[k] when counted from 0). */
  step: number;
  reason: string;
}

/** The result of trainEpochs: per-epoch and per-step records. */
export interface TrainResult<B extends Buffers = Buffers> {
  /** Full-batch training loss before the first update. */
  initialLoss: number;
  /** Per epoch: the batch-size-weighted mean of the minibatch losses seen during the epoch. */
  trainLoss: number[];
  /** Per epoch: the validation loss at the end of the epoch (empty without valX). */
  valLoss: number[];
  /** Per step: the minibatch loss (before the update) and the global gradient norm ‖g‖ (before clipping). */
  stepLoss: number[];
  gradNorm: number[];
  /** Epochs completed. */
  epochs: number;
  steps: number;
  diverged?: TrainDivergence;
  stoppedEarly: boolean;
  elapsedMs: number;
  /** The final optimizer state, when keepState is true (the caller disposes it). */
  state?: OptState<B>;
}

function positiveInt(v: unknown, what: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer; got ${show(v)}`);
}

function positiveNum(v: number | undefined, what: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) throw new Error(`${what} must be a finite number > 0; got ${v}`);
}

/**
 * Minibatch training: for each epoch e, the seeded order σ_e, and for each batch B: L_B and
 * g = ∇_θ L_B(θ), the divergence check, optional clipping, θ ← θ + update(g, state, θ, { lr: ε_k }).
 * Works with an Optimizer of src/optimizers (init/update) or a tfjs tf.train optimizer.
 * Stops and reports {epoch, step, reason} when a loss or gradient is non-finite (or the loss above maxLoss).
 */
export function trainEpochs<B extends Buffers>(model: Mlp, optimizer: Optimizer<B> | tf.Optimizer, opts: TrainOptions<B>): TrainResult<B> {
  if (!model || !Array.isArray(model.params)) throw new Error(`model must be an Mlp; got ${String(model)}`);
  if (!optimizer || (!isTfOptimizer(optimizer) && (typeof optimizer.init !== 'function' || typeof optimizer.update !== 'function'))) {
    throw new Error(`optimizer must have init/update (src/optimizers) or be a tf.train optimizer; got ${String(optimizer)}`);
  }
  const { X, y, epochs, seed } = opts;
  if (!(X instanceof tf.Tensor) || X.rank !== 2 || X.shape[1] !== model.sizes[0]) {
    throw new Error(`X must be a tensor of shape [N, ${model.sizes[0]}]; got ${X instanceof tf.Tensor ? `shape [${X.shape}]` : typeof X}`);
  }
  const N = X.shape[0];
  const outDim = model.sizes[model.layers];
  if (!(y instanceof tf.Tensor) || y.rank !== 2 || y.shape[0] !== N || y.shape[1] !== outDim) {
    throw new Error(`y must be a tensor of shape [${N}, ${outDim}]; got ${y instanceof tf.Tensor ? `shape [${y.shape}]` : typeof y}`);
  }
  positiveInt(epochs, 'epochs');
  const B = opts.batchSize ?? N;
  positiveInt(B, 'batchSize');
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be an integer; got ${show(seed)}`);
  const startEpoch = opts.startEpoch ?? 0;
  if (typeof startEpoch !== 'number' || !Number.isInteger(startEpoch) || startEpoch < 0) throw new Error(`startEpoch must be a non-negative integer; got ${show(startEpoch)}`);
  const hasVal = opts.valX !== undefined || opts.valY !== undefined;
  if (hasVal) {
    const { valX, valY } = opts;
    if (!(valX instanceof tf.Tensor) || valX.rank !== 2 || valX.shape[1] !== model.sizes[0]) {
      throw new Error(`valX must be a tensor of shape [M, ${model.sizes[0]}]; got ${valX instanceof tf.Tensor ? `shape [${valX.shape}]` : String(valX)}`);
    }
    if (!(valY instanceof tf.Tensor) || valY.rank !== 2 || valY.shape[0] !== valX.shape[0] || valY.shape[1] !== outDim) {
      throw new Error(`valY must be a tensor of shape [${valX.shape[0]}, ${outDim}]; got ${valY instanceof tf.Tensor ? `shape [${valY.shape}]` : String(valY)}`);
    }
  }
  positiveNum(opts.clipNorm, 'clipNorm');
  positiveNum(opts.clipValue, 'clipValue');
  positiveNum(opts.maxLoss, 'maxLoss');
  const tfOpt = isTfOptimizer(optimizer);
  if (tfOpt && opts.keepState) throw new Error('keepState applies only to optimizers of src/optimizers, not to a tf.train optimizer (it has no state to hand back)');
  const lossFn = getLoss(opts.loss ?? 'mse');
  const params = model.params;
  const t0 = Date.now();
  // ε_k, update, θ ← θ + Δθ (validates lr and state)
  const step = stepper(optimizer, params, { lr: opts.lr, state: opts.state });

  const fullLoss = (Xe: tf.Tensor, ye: tf.Tensor): number => tf.tidy(() => lossFn(model.forward(Xe), ye).dataSync()[0]);
  const res: TrainResult<B> = { initialLoss: NaN, trainLoss: [], valLoss: [], stepLoss: [], gradNorm: [], epochs: 0, steps: 0, stoppedEarly: false, elapsedMs: 0 };
  const L = { f: 'L_B', x: 'θ' };
  let epoch = startEpoch;
  let sum = 0;
  let count = 0;
  try {
    res.initialLoss = fullLoss(X, y);
    const bad0 = divergence(step.k, { loss: res.initialLoss }, {}, { f: 'L', x: 'θ' });
    if (bad0) res.diverged = { epoch, ...bad0 };
    const run = bad0
      ? undefined
      : runEpochs({
          epochs,
          n: N,
          batchSize: B,
          seed,
          // a full batch is used in dataset order (permuting it would only reorder a sum)
          shuffle: B < N,
          firstEpoch: startEpoch,
          beginEpoch: (plan) => {
            epoch = plan.epoch + 1;
            sum = 0;
            count = 0;
          },
          step: ({ size, indices }) => {
            const k = step.k;
            // the minibatch (rows of X picked by σ_e; gather is on the data, never differentiated)
            const [Xb, yb] = indices
              ? tf.tidy(() => {
                  const idx = tf.tensor1d(indices, 'int32');
                  return [tf.gather(X, idx), tf.gather(y, idx)];
                })
              : [X, y];
            // g = ∇_θ L_B(θ), plus L_B and ‖g‖ in one read
            const { value, grads, norm } = tf.tidy(() => {
              const f = () => lossFn(model.forward(Xb), yb);
              let value: tf.Scalar;
              let grads: tf.Tensor[];
              if (tfOpt) {
                const r = optimizer.computeGradients(f, params);
                value = r.value;
                grads = params.map((p) => r.grads[p.name]);
              } else {
                const r = tf.valueAndGrads((...ps: tf.Tensor[]) => lossFn(model.forwardWith(ps, Xb), yb))(params);
                value = r.value as tf.Scalar;
                grads = r.grads;
              }
              return { value, grads, norm: globalNormTensor(grads) };
            });
            if (indices) tf.dispose([Xb, yb]);
            const [lossB, gNorm] = tf.tidy(() => Array.from(tf.stack([value, norm]).dataSync()));
            tf.dispose([value, norm]);
            res.stepLoss.push(lossB);
            res.gradNorm.push(gNorm);
            res.steps++;
            const bad = divergence(k, { loss: lossB, gradNorm: gNorm }, { maxLoss: opts.maxLoss }, L);
            if (bad) {
              tf.dispose(grads);
              return bad;
            }
            sum += lossB * size;
            count += size;
            // optional clipping: g ← g·min(1, c/‖g‖), then g ← clip(g, −c, c)
            let g = grads;
            if (opts.clipNorm !== undefined) {
              const clipped = tf.tidy(() => clipByNormTensors(g, opts.clipNorm as number, tf.scalar(gNorm)));
              tf.dispose(g);
              g = clipped;
            }
            if (opts.clipValue !== undefined) {
              const clipped = clipByValue(g, opts.clipValue);
              tf.dispose(g);
              g = clipped;
            }
            // θ ← θ + update(g, state_k, θ, { lr: ε_k })  (a tf.train optimizer applies its own rule)
            step.apply(g);
            return undefined;
          },
          endEpoch: () => {
            res.trainLoss.push(sum / count);
            if (hasVal) res.valLoss.push(fullLoss(opts.valX as tf.Tensor, opts.valY as tf.Tensor));
            res.epochs++;
            const info: EpochInfo = { epoch, trainLoss: sum / count, elapsedMs: Date.now() - t0 };
            if (hasVal) info.valLoss = res.valLoss[res.valLoss.length - 1];
            return !(opts.onEpoch && opts.onEpoch(info) === false);
          },
        });
    if (run?.diverged) res.diverged = { epoch, ...run.diverged };
    if (run?.stopped) res.stoppedEarly = true;
  } catch (err) {
    step.dispose();
    throw err;
  }
  if (opts.keepState) res.state = step.release();
  else step.dispose();
  res.elapsedMs = Date.now() - t0;
  return res;
}
