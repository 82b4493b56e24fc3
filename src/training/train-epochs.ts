/**
 * A minibatch training loop for a network (src/nets/mlp.ts) with the optimizer contract of
 * src/optimizers/types.ts (θ ← θ + updates) or a tfjs tf.train optimizer: per epoch a seeded shuffle,
 * per minibatch g = ∇_θ L_B(θ), optional clipping, the update, divergence detection.
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nets/mlp';
import { getLoss, type LossFn, type LossName } from '../nets/losses';
import { rng } from '../core/random';
import { disposeState, type OptState, type Optimizer } from '../optimizers/types';
import { clipByNormTensors, clipByValue, globalNormTensor } from '../optimizers/clip';

/** What trainEpochs reports after each epoch. */
export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  valLoss?: number;
  elapsedMs: number;
}

/** Options of trainEpochs. */
export interface TrainOptions {
  /** Inputs [N, in] and targets [N, out] (the caller owns and disposes them). */
  X: tf.Tensor;
  y: tf.Tensor;
  epochs: number;
  /** Minibatch size B (default N: full-batch gradient descent). The last batch may be smaller. */
  batchSize?: number;
  /** Seed of the minibatch shuffling (one permutation of the N examples per epoch). */
  seed: number;
  /** Loss (default 'mse'). */
  loss?: LossName | LossFn;
  valX?: tf.Tensor;
  valY?: tf.Tensor;
  /** Learning rate passed to optimizer.update as opts.lr: a number, or η(t, epoch) with t = 1, 2, … the step. */
  lr?: number | ((step: number, epoch: number) => number);
  /** Clip the gradients before the update: by global norm (g ← g·min(1, c/‖g‖)) and/or by value. */
  clipNorm?: number;
  clipValue?: number;
  /** Stop when a minibatch loss exceeds this (divergence); default: only non-finite losses stop. */
  maxLoss?: number;
  /** Called after each epoch; return false to stop early. */
  onEpoch?: (info: EpochInfo) => void | boolean;
  /** An optimizer state to continue from (it is consumed: trainEpochs disposes it). */
  state?: OptState;
  /** Return the final optimizer state (the caller then disposes it with disposeState); default false. */
  keepState?: boolean;
}

/** Why and where training stopped early because the loss blew up. */
export interface TrainDivergence {
  epoch: number;
  /** The step (1-based, counted over all epochs) whose loss was bad. */
  step: number;
  reason: string;
}

/** The result of trainEpochs: per-epoch and per-step records. */
export interface TrainResult {
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
  state?: OptState;
}

function isTfOptimizer(o: unknown): o is tf.Optimizer {
  return o instanceof tf.Optimizer || (typeof o === 'object' && o !== null && typeof (o as tf.Optimizer).applyGradients === 'function');
}

function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer; got ${v}`);
}

function positiveNum(v: number | undefined, what: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) throw new Error(`${what} must be a finite number > 0; got ${v}`);
}

/** Disposes the tensors of `old` that `next` does not carry over (robust to optimizers that reuse buffers). */
function disposeReplacedState(old: OptState, next: OptState): void {
  if (old === next) return;
  const keep = new Set<tf.Tensor>();
  for (const list of Object.values(next.buffers)) for (const t of list) keep.add(t);
  if (keep.size === 0) return disposeState(old);
  for (const list of Object.values(old.buffers)) for (const t of list) if (!keep.has(t)) t.dispose();
}

/**
 * Minibatch training: for each epoch, shuffle (seeded), and for each batch B compute
 * g = ∇_θ L_B(θ), optionally clip it, ask the optimizer for updates and apply θ ← θ + updates.
 * Works with an Optimizer of src/optimizers (init/update) or a tfjs tf.train optimizer.
 * Stops and reports {epoch, step, reason} when a loss is non-finite (or above maxLoss).
 */
export function trainEpochs(model: Mlp, optimizer: Optimizer | tf.Optimizer, opts: TrainOptions): TrainResult {
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
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
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
  const lr = opts.lr;
  if (typeof lr === 'number') positiveNum(lr, 'lr');
  const tfOpt = isTfOptimizer(optimizer);
  if (tfOpt && lr !== undefined) throw new Error(`lr cannot be passed with a tf.train optimizer (set its learning rate when creating it); got ${typeof lr === 'number' ? lr : 'a function'}`);
  if (tfOpt && (opts.state !== undefined || opts.keepState)) throw new Error('state/keepState apply only to optimizers of src/optimizers, not to a tf.train optimizer');
  const lossFn = getLoss(opts.loss ?? 'mse');
  const params = model.params;
  const t0 = Date.now();

  const fullLoss = (Xe: tf.Tensor, ye: tf.Tensor): number => tf.tidy(() => lossFn(model.forward(Xe), ye).dataSync()[0]);
  const initialLoss = fullLoss(X, y);

  const shuffle = rng(seed);
  let state: OptState | undefined = tfOpt ? undefined : opts.state ?? (optimizer as Optimizer).init(params);
  const res: TrainResult = { initialLoss, trainLoss: [], valLoss: [], stepLoss: [], gradNorm: [], epochs: 0, steps: 0, stoppedEarly: false, elapsedMs: 0 };
  const diverge = (epoch: number, step: number, reason: string): void => {
    res.diverged = { epoch, step, reason };
  };
  if (!Number.isFinite(initialLoss)) diverge(0, 0, `initial loss is not finite (${initialLoss})`);

  try {
    let step = 0;
    for (let epoch = 1; epoch <= epochs && !res.diverged; epoch++) {
      const perm = B >= N ? null : shuffle.permutation(N);
      let sum = 0;
      let count = 0;
      for (let start = 0; start < N; start += B) {
        step++;
        const nb = Math.min(B, N - start);
        // the minibatch (rows of X picked by the permutation; gather is on the data, never differentiated)
        const [Xb, yb] = perm
          ? tf.tidy(() => {
              const idx = tf.tensor1d(perm.slice(start, start + nb), 'int32');
              return [tf.gather(X, idx), tf.gather(y, idx)];
            })
          : [X, y];
        // g = ∇_θ L_B(θ), plus L_B and ‖g‖ in one read
        const { value, grads, norm } = tf.tidy(() => {
          const f = () => lossFn(model.forward(Xb), yb);
          let value: tf.Scalar;
          let grads: tf.Tensor[];
          if (tfOpt) {
            const r = (optimizer as tf.Optimizer).computeGradients(f, params);
            value = r.value;
            grads = params.map((p) => r.grads[p.name]);
          } else {
            const r = tf.valueAndGrads((...ps: tf.Tensor[]) => lossFn(model.forwardWith(ps, Xb), yb))(params);
            value = r.value as tf.Scalar;
            grads = r.grads;
          }
          return { value, grads, norm: globalNormTensor(grads) };
        });
        if (perm) tf.dispose([Xb, yb]);
        const [lossB, gNorm] = tf.tidy(() => Array.from(tf.stack([value, norm]).dataSync()));
        tf.dispose([value, norm]);
        res.stepLoss.push(lossB);
        res.gradNorm.push(gNorm);
        res.steps = step;
        const bad = !Number.isFinite(lossB)
          ? `loss is not finite (${lossB})`
          : !Number.isFinite(gNorm)
            ? `gradient norm is not finite (${gNorm})`
            : opts.maxLoss !== undefined && lossB > opts.maxLoss
              ? `loss ${lossB} exceeded maxLoss ${opts.maxLoss}`
              : undefined;
        if (bad) {
          tf.dispose(grads);
          diverge(epoch, step, bad);
          break;
        }
        sum += lossB * nb;
        count += nb;
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
        if (tfOpt) {
          // tfjs applies its own rule θ ← θ − η·(…)
          (optimizer as tf.Optimizer).applyGradients(params.map((p, i) => ({ name: p.name, tensor: g[i] })));
          tf.dispose(g);
        } else {
          const stepLr = typeof lr === 'function' ? lr(step, epoch) : lr;
          if (stepLr !== undefined && (typeof stepLr !== 'number' || !Number.isFinite(stepLr) || stepLr < 0)) {
            tf.dispose(g);
            throw new Error(`lr(${step}, ${epoch}) must return a finite number ≥ 0; got ${stepLr}`);
          }
          const out = (optimizer as Optimizer).update(g, state as OptState, params, stepLr === undefined ? undefined : { lr: stepLr });
          // θ ← θ + updates
          tf.tidy(() => params.forEach((p, i) => p.assign(tf.add(p, out.updates[i]))));
          tf.dispose(out.updates);
          tf.dispose(g.filter((t) => !out.updates.includes(t)));
          disposeReplacedState(state as OptState, out.state);
          state = out.state;
        }
      }
      if (res.diverged) break;
      res.trainLoss.push(sum / count);
      if (hasVal) res.valLoss.push(fullLoss(opts.valX as tf.Tensor, opts.valY as tf.Tensor));
      res.epochs = epoch;
      const info: EpochInfo = { epoch, trainLoss: sum / count, elapsedMs: Date.now() - t0 };
      if (hasVal) info.valLoss = res.valLoss[res.valLoss.length - 1];
      if (opts.onEpoch && opts.onEpoch(info) === false) {
        res.stoppedEarly = true;
        break;
      }
    }
  } catch (err) {
    if (state) disposeState(state);
    throw err;
  }
  if (state) {
    if (opts.keepState) res.state = state;
    else disposeState(state);
  }
  res.elapsedMs = Date.now() - t0;
  return res;
}
