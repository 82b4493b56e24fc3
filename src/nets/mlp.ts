/**
 * A small multilayer perceptron as tfjs variables (its losses: src/nets/losses.ts; its training loop:
 * src/training/train-epochs.ts).
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
import type { TensorList } from '../optimizers/types';
import { getLoss, type LossFn, type LossName } from './losses';

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
