/**
 * A small multilayer perceptron as tfjs variables, its losses, and a minibatch training loop that
 * uses the optimizer contract of src/optimizers/types.ts (θ ← θ + updates).
 *
 * Layer l (l = 1..L) computes  a_l = h_{l−1} W_l + b_l,  h_l = φ(a_l)  with h_0 = X; the output
 * layer has no activation (ŷ = a_L: logits or a regression output). W_l ∈ R^{m×n} for a layer
 * with m inputs and n outputs, as in src/nets/init.ts. The same variables work with tfjs's own optimizers
 * (tf.train.adam().minimize(f, false, model.params)) and can be read and written as one flat vector
 * θ (getFlat/setFlat), so later chapters can interpolate between parameter vectors.
 */
import * as tf from '@tensorflow/tfjs';
import { getInitializer, type InitName, type InitOptions, type Initializer } from './init';
import { rng } from '../core/random';
import { disposeState, type OptState, type Optimizer, type TensorList } from '../optimizers/types';
import { clipByNormTensors, clipByValue, globalNormTensor } from '../optimizers/clip';

/** The hidden-layer nonlinearity φ. */
export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'linear';

/** φ by name: σ(a) = 1/(1+e^{−a}), tanh(a), max(0, a), a. */
export const ACTIVATIONS: Record<Activation, (a: tf.Tensor) => tf.Tensor> = {
  sigmoid: (a) => tf.sigmoid(a), // σ(a) = 1/(1+e^{−a})
  tanh: (a) => tf.tanh(a), // tanh(a)
  relu: (a) => tf.relu(a), // max(0, a)
  linear: (a) => a, // a
};

/** How to build an MLP. */
export interface MlpConfig {
  /** Layer widths [in, h1, …, out]; at least [in, out]. */
  sizes: number[];
  /** Hidden-layer nonlinearity (the output layer has none). Default 'relu'. */
  activation?: Activation;
  /** Weight initializer (name or function), used for every layer. Default 'glorotUniform'. */
  init?: InitName | Initializer;
  /** Options passed to the initializer (gain, std, k, value). */
  initOptions?: InitOptions;
  /** Value of every hidden bias b_l (l < L). Default 0. */
  biasInit?: number;
  /** Output bias b_L: one value, or one per output (e.g. log-odds of the class frequencies). Default 0. */
  outputBias?: number | number[];
  /** Seed for the weights; layer l uses a seed drawn from rng(seed). */
  seed: number;
}

/** An MLP: variables [W1, b1, …, WL, bL] and functions of them. */
export interface Mlp {
  sizes: number[];
  activation: Activation;
  /** Number of layers L (= sizes.length − 1). */
  layers: number;
  /** The trainable variables [W1, b1, W2, b2, …] (W_l: [m, n], b_l: [n]). */
  params: tf.Variable[];
  /** Total number of scalar parameters (length of the flat vector θ). */
  nParams: number;
  /** ŷ = f(X; θ) with the model's variables: X [N, in] → [N, out] (no output activation). */
  forward(X: tf.Tensor): tf.Tensor2D;
  /** ŷ = f(X; θ) with the given parameter list (same shapes as params); differentiable in them. */
  forwardWith(params: TensorList, X: tf.Tensor): tf.Tensor2D;
  /** The per-layer pre-activations a_l and activations h_l (h_L = a_L = ŷ), for probes. */
  layerOutputs(X: tf.Tensor, params?: TensorList): { pre: tf.Tensor2D[]; post: tf.Tensor2D[] };
  /** Splits a flat vector θ (tensor, differentiable) into [W1, b1, …] with the right shapes. */
  unflatten(theta: tf.Tensor1D): tf.Tensor[];
  /** θ = concat(vec(W1), b1, vec(W2), b2, …) as a Float32Array (W row-major). */
  getFlat(): Float32Array;
  /** Writes θ into the variables (length nParams, finite). */
  setFlat(theta: ArrayLike<number>): void;
  /** The loss L(θ) at a flat parameter vector θ, leaving the model's variables untouched. */
  lossAt(theta: ArrayLike<number>, X: tf.Tensor, y: tf.Tensor, loss?: LossName | LossFn): number;
  /** Disposes the variables. */
  dispose(): void;
}

function checkSizes(sizes: number[]): void {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new Error(`sizes must be [in, …, out] with at least 2 entries; got ${JSON.stringify(sizes)}`);
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1) throw new Error(`sizes[${i}] must be a positive integer; got ${s}`);
  });
}

/** Builds an MLP with seeded weights W_l ~ init(m_l, n_l), hidden biases biasInit, output bias outputBias. */
export function mlp(config: MlpConfig): Mlp {
  if (config === null || typeof config !== 'object') throw new Error(`config must be an object; got ${String(config)}`);
  const { sizes, seed } = config;
  checkSizes(sizes);
  const activation = config.activation ?? 'relu';
  if (!(activation in ACTIVATIONS)) throw new Error(`activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}; got ${JSON.stringify(activation)}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
  const initFn = getInitializer(config.init ?? 'glorotUniform');
  const biasInit = config.biasInit ?? 0;
  if (!Number.isFinite(biasInit)) throw new Error(`biasInit must be a finite number; got ${biasInit}`);
  const L = sizes.length - 1;
  const nOut = sizes[L];
  const outBias = config.outputBias ?? 0;
  const outBiasArr = typeof outBias === 'number' ? new Array<number>(nOut).fill(outBias) : outBias;
  if (!Array.isArray(outBiasArr) || outBiasArr.length !== nOut || !outBiasArr.every(Number.isFinite)) {
    throw new Error(`outputBias must be a finite number or ${nOut} finite numbers; got ${JSON.stringify(outBias)}`);
  }
  const phi = ACTIVATIONS[activation];

  // one independent seed per layer, drawn from the model seed
  const seeds = rng(seed);
  const params: tf.Variable[] = [];
  for (let l = 1; l <= L; l++) {
    const m = sizes[l - 1];
    const n = sizes[l];
    const w = initFn(m, n, Math.floor(seeds.uniform() * 2 ** 32), config.initOptions);
    if (!(w instanceof Float32Array) || w.length !== m * n) {
      tf.dispose(params);
      throw new Error(`init must return a Float32Array of length ${m * n} for layer ${l}; got length ${(w as ArrayLike<number>)?.length}`);
    }
    const b = l === L ? Float32Array.from(outBiasArr) : new Float32Array(n).fill(biasInit);
    // tf.variable keeps a reference to its initial value; tidy disposes the temporary tensor
    params.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [m, n]), true)));
    params.push(tf.tidy(() => tf.variable(tf.tensor1d(b), true)));
  }
  const shapes = params.map((p) => p.shape.slice());
  const sizesFlat = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const nParams = sizesFlat.reduce((a, b) => a + b, 0);

  const checkX = (X: tf.Tensor): void => {
    if (!(X instanceof tf.Tensor) || X.rank !== 2 || X.shape[1] !== sizes[0]) {
      throw new Error(`X must be a tensor of shape [N, ${sizes[0]}]; got ${X instanceof tf.Tensor ? `shape [${X.shape}]` : typeof X}`);
    }
  };
  const checkParams = (ps: TensorList): void => {
    if (!Array.isArray(ps) || ps.length !== 2 * L) throw new Error(`params must be a list of ${2 * L} tensors [W1, b1, …]; got ${Array.isArray(ps) ? ps.length : typeof ps}`);
    ps.forEach((p, i) => {
      if (!tf.util.arraysEqual(p.shape, shapes[i])) throw new Error(`params[${i}] must have shape [${shapes[i]}]; got [${p.shape}]`);
    });
  };

  const layerOutputs = (X: tf.Tensor, ps: TensorList = params): { pre: tf.Tensor2D[]; post: tf.Tensor2D[] } => {
    checkX(X);
    checkParams(ps);
    const pre: tf.Tensor2D[] = [];
    const post: tf.Tensor2D[] = [];
    let h = X as tf.Tensor2D;
    for (let l = 1; l <= L; l++) {
      // a_l = h_{l−1} W_l + b_l
      const a = tf.add(tf.matMul(h, ps[2 * l - 2] as tf.Tensor2D), ps[2 * l - 1]) as tf.Tensor2D;
      // h_l = φ(a_l) for hidden layers; ŷ = a_L (no output activation)
      h = (l < L ? phi(a) : a) as tf.Tensor2D;
      pre.push(a);
      post.push(h);
    }
    return { pre, post };
  };
  const forwardWith = (ps: TensorList, X: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const { post } = layerOutputs(X, ps);
      return post[L - 1];
    });
  const forward = (X: tf.Tensor): tf.Tensor2D => forwardWith(params, X);

  const unflatten = (theta: tf.Tensor1D): tf.Tensor[] => {
    if (!(theta instanceof tf.Tensor) || theta.rank !== 1 || theta.shape[0] !== nParams) {
      throw new Error(`theta must be a 1-D tensor of length nParams = ${nParams}; got ${theta instanceof tf.Tensor ? `shape [${theta.shape}]` : typeof theta}`);
    }
    return tf.tidy(() => tf.split(theta, sizesFlat).map((t, i) => t.reshape(shapes[i])));
  };
  const checkFlat = (theta: ArrayLike<number>): Float32Array => {
    if (theta === null || theta === undefined || typeof theta.length !== 'number' || theta.length !== nParams) {
      throw new Error(`theta must have length nParams = ${nParams}; got ${theta === null || theta === undefined ? String(theta) : `length ${theta.length}`}`);
    }
    const out = Float32Array.from(theta);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) throw new Error(`theta[${i}] must be a finite number; got ${theta[i]}`);
    }
    return out;
  };
  const getFlat = (): Float32Array => {
    const out = new Float32Array(nParams);
    let off = 0;
    for (const p of params) {
      const v = p.dataSync();
      out.set(v, off);
      off += v.length;
    }
    return out;
  };
  const setFlat = (theta: ArrayLike<number>): void => {
    const v = checkFlat(theta);
    tf.tidy(() => {
      let off = 0;
      params.forEach((p, i) => {
        p.assign(tf.tensor(v.subarray(off, off + sizesFlat[i]), shapes[i]));
        off += sizesFlat[i];
      });
    });
  };
  const lossAt = (theta: ArrayLike<number>, X: tf.Tensor, y: tf.Tensor, loss: LossName | LossFn = 'mse'): number => {
    const v = checkFlat(theta);
    const f = getLoss(loss);
    return tf.tidy(() => f(forwardWith(unflatten(tf.tensor1d(v)), X), y).dataSync()[0]);
  };
  const dispose = (): void => tf.dispose(params);

  return { sizes: sizes.slice(), activation, layers: L, params, nParams, forward, forwardWith, layerOutputs, unflatten, getFlat, setFlat, lossAt, dispose };
}

// ---------------------------------------------------------------------------------------------
// Losses: (ŷ, y) → scalar, averaged over the batch.

/** A loss: (prediction ŷ [N, K], target y [N, K]) → scalar. */
export type LossFn = (yHat: tf.Tensor, y: tf.Tensor) => tf.Scalar;
/** Loss names understood by getLoss. */
export type LossName = 'mse' | 'softmaxCrossEntropy' | 'logistic';

function checkPair(yHat: tf.Tensor, y: tf.Tensor, what: string): void {
  if (!(yHat instanceof tf.Tensor) || !(y instanceof tf.Tensor)) throw new Error(`${what}: yHat and y must be tensors`);
  if (!tf.util.arraysEqual(yHat.shape, y.shape)) throw new Error(`y must have the shape of the prediction [${yHat.shape}]; got [${y.shape}]`);
}

/** Mean squared error L = (1/(N·K)) Σ_i Σ_k (ŷ_ik − y_ik)² (the mean over all entries, like torch's MSELoss). */
export function mse(yHat: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(yHat, y, 'mse');
  // L = mean((ŷ − y)²)
  return tf.tidy(() => tf.mean(tf.squaredDifference(yHat, y)) as tf.Scalar);
}

/** Softmax cross-entropy L = −(1/N) Σ_i Σ_k y_ik log softmax(z_i)_k, y one-hot (or probabilities) [N, K]. */
export function softmaxCrossEntropy(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(logits, y, 'softmaxCrossEntropy');
  return tf.tidy(() => {
    const N = logits.shape[0] as number;
    // log softmax(z)_k = z_k − log Σ_j e^{z_j}
    const logp = tf.logSoftmax(logits);
    // L = −(1/N) Σ_i Σ_k y_ik log p_ik
    return tf.neg(tf.sum(tf.mul(y, logp))).div(N) as tf.Scalar;
  });
}

/** Binary logistic loss on logits z, y ∈ {0, 1}: L = mean(log(1 + e^{z}) − y z), computed stably. */
export function logistic(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(logits, y, 'logistic');
  return tf.tidy(() => {
    // log(1 + e^{z}) − y z = max(z, 0) − y z + log(1 + e^{−|z|})
    const l = tf.relu(logits).sub(tf.mul(y, logits)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(l) as tf.Scalar;
  });
}

/** The losses by name. */
export const LOSSES: Record<LossName, LossFn> = { mse, softmaxCrossEntropy, logistic };

/** A loss by name (a function is returned as is). */
export function getLoss(loss: LossName | LossFn): LossFn {
  if (typeof loss === 'function') return loss;
  const f = (LOSSES as Record<string, LossFn | undefined>)[loss as string];
  if (!f) throw new Error(`loss must be one of ${Object.keys(LOSSES).join(', ')} or a function; got ${JSON.stringify(loss)}`);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Training loop.

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
