/**
 * Gradient clipping (Goodfellow et al. §10.11.1; the "cliff" slide of "Training Optimization I"):
 * when a gradient is huge, the step θ ← θ − η g jumps off a cliff. Clipping bounds the step.
 * - by global norm: g ← g · min(1, c/‖g‖), ‖g‖ = √(Σ_l ‖g_l‖²) over all parameter tensors
 *   (the direction is kept, only the length is capped at c);
 * - by value: g_i ← clip(g_i, −c, c) elementwise (the direction may change).
 * Both take a list of tensors (one per parameter) and return new tensors; the inputs are untouched.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer, TensorList } from './types';

function checkList(grads: TensorList): void {
  if (!Array.isArray(grads) || grads.length === 0) throw new Error(`grads must be a non-empty list of tensors; got ${Array.isArray(grads) ? 'an empty list' : typeof grads}`);
  grads.forEach((g, i) => {
    if (!(g instanceof tf.Tensor)) throw new Error(`grads[${i}] must be a tensor; got ${typeof g}`);
  });
}

function checkC(c: number, what: string): void {
  if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) throw new Error(`${what} must be a finite number > 0; got ${c}`);
}

/** ‖g‖ = √(Σ_l Σ_i g_{l,i}²) as a scalar tensor (the caller disposes it). */
export function globalNormTensor(grads: TensorList): tf.Scalar {
  checkList(grads);
  // ‖g‖ = √(Σ_l ‖g_l‖²)
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** The global norm ‖g‖ = √(Σ_l ‖g_l‖²) of a list of tensors, as a number. */
export function globalNorm(grads: TensorList): number {
  return tf.tidy(() => globalNormTensor(grads).dataSync()[0]);
}

/** g ← g · min(1, c/‖g‖) given ‖g‖ as a tensor (no checks, no read-back; for loops that already have ‖g‖). */
export function clipByNormTensors(grads: TensorList, maxNorm: number, norm: tf.Scalar): TensorList {
  return tf.tidy(() => {
    // s = min(1, c/‖g‖)  (‖g‖ = 0 gives c/0 = ∞ and s = 1)
    const s = tf.minimum(1, tf.div(maxNorm, norm));
    // g_l ← s · g_l
    return grads.map((g) => tf.mul(g, s));
  });
}

/**
 * Clipping by global norm: g ← g · min(1, c/‖g‖). Returns new tensors with ‖g‖ ≤ c (= c when it was
 * above). Throws if ‖g‖ is not finite (clipping an infinite gradient would give NaN).
 */
export function clipByNorm(grads: TensorList, maxNorm: number): TensorList {
  checkList(grads);
  checkC(maxNorm, 'maxNorm');
  return tf.tidy(() => {
    const norm = globalNormTensor(grads);
    const n = norm.dataSync()[0];
    if (!Number.isFinite(n)) throw new Error(`grads have a non-finite global norm (${n}); clipping would give NaN`);
    return clipByNormTensors(grads, maxNorm, norm);
  });
}

/** Clipping by value: g_i ← min(c, max(−c, g_i)) elementwise. Returns new tensors. */
export function clipByValue(grads: TensorList, c: number): TensorList {
  checkList(grads);
  checkC(c, 'c');
  // g_i ← clip(g_i, −c, c)
  return tf.tidy(() => grads.map((g) => tf.clipByValue(g, -c, c)));
}

/**
 * `inner` with its gradient clipped by global norm first: update(g) = inner.update(g · min(1, c/‖g‖)).
 * For sgd({ lr: η }) this is θ ← θ − η g·min(1, c/‖g‖): no step is longer than η·c.
 */
export function withClipByNorm(inner: Optimizer, maxNorm: number): Optimizer {
  if (!inner || typeof inner.init !== 'function' || typeof inner.update !== 'function') throw new Error(`inner must be an optimizer (init, update); got ${typeof inner}`);
  checkC(maxNorm, 'maxNorm');
  return {
    name: `${inner.name}+clip`,
    hyper: { ...inner.hyper, clipNorm: maxNorm },
    needsHessian: inner.needsHessian,
    init: (params) => inner.init(params),
    update(grads, state, params, opts) {
      // g ← g · min(1, c/‖g‖)
      const clipped = clipByNorm(grads, maxNorm);
      try {
        return inner.update(clipped, state, params, opts);
      } finally {
        tf.dispose(clipped);
      }
    },
  };
}
