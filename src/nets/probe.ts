/**
 * A probe of a network at its current parameters, for the vanishing/exploding-gradient chapters:
 * per layer l, statistics of the activations h_l = φ(a_l) over a batch (mean, std, the fraction of
 * saturated or dead units) and the gradient norms ‖∂L/∂W_l‖_F and ‖∂L/∂b_l‖ for that batch.
 *
 * Saturation: tanh |h| > 0.99; sigmoid h < 0.01 or h > 0.99 (φ' ≈ 0 there); relu: the fraction
 * of exact zeros (units that pass no gradient); linear units never saturate (0). The output row
 * (l = L) describes ŷ = a_L, which has no activation.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation, Mlp } from './mlp';
import { getLoss, type LossFn, type LossName } from './losses';

/** One layer's statistics. */
export interface ProbeRow {
  /** 1-based layer index l (L = output layer). */
  layer: number;
  /** The activation of this layer ('linear' for the output layer). */
  activation: Activation;
  units: number;
  /** Mean and standard deviation of h_l over the batch and the units. */
  act_mean: number;
  act_std: number;
  /** Fraction of saturated (sigmoid/tanh) or zero (relu) entries of h_l; 0 for linear. */
  saturated: number;
  /** ‖∂L/∂W_l‖_F and ‖∂L/∂b_l‖₂. */
  grad_norm_w: number;
  grad_norm_b: number;
}

/** The probe's rows and the batch loss (as a polars table: probeFrame in src/edge/table.ts). */
export interface ProbeResult {
  rows: ProbeRow[];
  /** The loss whose gradients were measured. */
  loss: number;
}

/** Options of probe. */
export interface ProbeOptions {
  /** Loss used with y (default 'mse'). */
  loss?: LossName | LossFn;
}

/** The saturated-or-dead indicator of h for each activation, as a 0/1 float tensor. */
function saturatedMask(h: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'tanh':
      // |h| > 0.99
      return tf.greater(tf.abs(h), 0.99).toFloat();
    case 'sigmoid':
      // h < 0.01 or h > 0.99
      return tf.logicalOr(tf.less(h, 0.01), tf.greater(h, 0.99)).toFloat();
    case 'relu':
      // h = 0 (dead for this input)
      return tf.lessEqual(h, 0).toFloat();
    case 'linear':
      return tf.zerosLike(h);
  }
}

/**
 * Per-layer activation statistics and gradient norms for one batch X (and targets y).
 * With y, L is the given loss (default mse); without y, L = (1/N) Σ_i Σ_k ŷ_ik, so ∂L/∂ŷ = 1/N
 * and the gradients measure how a unit signal propagates back through the layers.
 */
export function probe(model: Mlp, X: tf.Tensor, y?: tf.Tensor, options: ProbeOptions = {}): ProbeResult {
  if (!model || !Array.isArray(model.params) || typeof model.layerOutputs !== 'function') throw new Error(`model must be an Mlp; got ${String(model)}`);
  const L = model.layers;
  if (y !== undefined) {
    const outDim = model.sizes[L];
    const N = X instanceof tf.Tensor ? X.shape[0] : NaN;
    if (!(y instanceof tf.Tensor) || y.rank !== 2 || y.shape[0] !== N || y.shape[1] !== outDim) {
      throw new Error(`y must be a tensor of shape [${N}, ${outDim}]; got ${y instanceof tf.Tensor ? `shape [${y.shape}]` : typeof y}`);
    }
  }
  const lossFn = y !== undefined ? getLoss(options.loss ?? 'mse') : undefined;
  const numbers = tf.tidy(() => {
    const f = (...ps: tf.Tensor[]): tf.Scalar => {
      const yHat = model.forwardWith(ps, X);
      // L = loss(ŷ, y), or L = (1/N) Σ ŷ without targets
      return lossFn ? lossFn(yHat, y as tf.Tensor) : (tf.sum(yHat).div(yHat.shape[0]) as tf.Scalar);
    };
    const { value, grads } = tf.valueAndGrads(f)(model.params);
    const { post } = model.layerOutputs(X);
    const stats: tf.Tensor[] = [value];
    for (let l = 1; l <= L; l++) {
      const h = post[l - 1];
      const act: Activation = l < L ? model.activation : 'linear';
      const { mean, variance } = tf.moments(h);
      stats.push(
        mean,
        // std = √Var(h)
        tf.sqrt(variance),
        tf.mean(saturatedMask(h, act)),
        // ‖∂L/∂W_l‖_F = √(Σ_ij (∂L/∂W_l,ij)²)
        tf.norm(grads[2 * l - 2]),
        tf.norm(grads[2 * l - 1]),
      );
    }
    return Array.from(tf.stack(stats.map((s) => s.reshape([]))).dataSync());
  });
  const bad = numbers.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) {
    const what = bad === 0 ? 'the loss' : `layer ${1 + Math.floor((bad - 1) / 5)}'s ${['act_mean', 'act_std', 'saturated', 'grad_norm_w', 'grad_norm_b'][(bad - 1) % 5]}`;
    throw new Error(`probe: ${what} is NaN (the forward or backward pass overflowed; check the initial scale)`);
  }
  const rows: ProbeRow[] = [];
  for (let l = 1; l <= L; l++) {
    const o = 1 + 5 * (l - 1);
    rows.push({
      layer: l,
      activation: l < L ? model.activation : 'linear',
      units: model.sizes[l],
      act_mean: numbers[o],
      act_std: numbers[o + 1],
      saturated: numbers[o + 2],
      grad_norm_w: numbers[o + 3],
      grad_norm_b: numbers[o + 4],
    });
  }
  return { rows, loss: numbers[0] };
}
