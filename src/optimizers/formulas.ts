/**
 * The formulas the optimizers share, one function per line of math, so that sgd, adam, rmsprop, …
 * (the named, annotated optimizers) and the composable transforms (transforms.ts) compute every
 * shared line with the same tensor operations:
 *
 *   g + λθ                       addWeightDecay   (L2 penalty in the gradient; also Optax's add_decayed_weights)
 *   β a + (1 − β) x              ema              (exponential moving average: momentum, RMSProp, Adam, Adadelta)
 *   x / (√s + ε)                 divideByRoot     (Adagrad, RMSProp, Adam)
 *   1 − βᵗ                       debias           (Adam's and Adamax's bias correction)
 *   b_t = μ b_{t−1} + (1 − τ) g  momentumBuffer   (torch's momentum buffer; b_1 = g)
 *
 * Each takes and returns tensors and allocates; call them inside tf.tidy (perParameter does).
 */
import * as tf from '@tensorflow/tfjs';
import type { Buffers, OptState, TensorList } from './types';

/** The scalars of the update perParameter is running: value → its float32 tensor (disposed by its tidy). */
let updateScalars: Map<number, tf.Scalar> | undefined;

/**
 * x as the float32 scalar a tfjs op makes of a number: inside perParameter, one tensor per value for the
 * whole update (tfjs would make, and tfjs-node upload, a new one in every op of every parameter); x itself
 * elsewhere. The arithmetic is the same either way: tfjs rounds x to float32 in both.
 */
export function scalar(x: number): tf.Scalar | number {
  if (!updateScalars || Object.is(x, -0)) return x;
  let s = updateScalars.get(x);
  if (s === undefined) {
    s = tf.scalar(x);
    updateScalars.set(x, s);
  }
  return s;
}

/** g + λθ: the gradient of f + ½λ‖θ‖² (weight decay as an L2 penalty); g itself when λ = 0. */
export function addWeightDecay(g: tf.Tensor, theta: tf.Tensor, lambda: number): tf.Tensor {
  // g + λθ
  return lambda !== 0 ? tf.add(g, tf.mul(theta, scalar(lambda))) : g;
}

/** β a + (1 − β) x: one step of an exponential moving average of x (memory ≈ 1/(1 − β) steps, a₀ = 0 biases it to 0). */
export function ema(a: tf.Tensor, x: tf.Tensor, beta: number): tf.Tensor {
  // β a + (1 − β) x
  return tf.add(tf.mul(a, scalar(beta)), tf.mul(x, scalar(1 - beta)));
}

/** x / (√s + ε): x divided by the root of a running (mean) square s, ε keeping it finite. */
export function divideByRoot(x: tf.Tensor, s: tf.Tensor, eps: number): tf.Tensor {
  // x / (√s + ε)
  return tf.div(x, tf.add(tf.sqrt(s), scalar(eps)));
}

/** 1 − βᵗ: the weight an EMA started at 0 has gathered after t steps (divide by it to debias); 1 when off. */
export function debias(beta: number, t: number, on = true): number {
  // 1 − βᵗ
  return on ? 1 - Math.pow(beta, t) : 1;
}

/** torch's momentum buffer: b_t = g at t = 1, b_t = μ b_{t−1} + (1 − τ) g after (μ = momentum, τ = dampening). */
export function momentumBuffer(bPrev: tf.Tensor, g: tf.Tensor, momentum: number, dampening: number, t: number): tf.Tensor {
  // b_1 = g;  b_t = μ b_{t−1} + (1 − τ) g
  return t === 1 ? tf.clone(g) : tf.add(tf.mul(bPrev, scalar(momentum)), tf.mul(g, scalar(1 - dampening)));
}

/** One tensor per buffer of B, for one parameter (optional buffers stay optional). */
export type PerParameter<B> = { [K in keyof B]: tf.Tensor };

/**
 * The per-parameter body of an update, for i = 0 … n−1: body(i) returns Δθᵢ (or the transformed uᵢ) and the new
 * buffers of parameter i; mapParameters gathers them into parallel lists. Call inside tf.tidy.
 */
export function mapParameters<B extends Buffers>(n: number, body: (i: number) => { update: tf.Tensor; buffers: PerParameter<B> }): { updates: TensorList; buffers: B } {
  const updates: tf.Tensor[] = [];
  const lists: Record<string, tf.Tensor[]> = {};
  for (let i = 0; i < n; i++) {
    const { update, buffers } = body(i);
    updates.push(update);
    for (const [name, t] of Object.entries(buffers) as [string, tf.Tensor | undefined][]) {
      if (t !== undefined) (lists[name] ??= []).push(t);
    }
  }
  return { updates, buffers: lists as unknown as B };
}

/** mapParameters inside one tf.tidy, returned as an optimizer's { updates, state: { step, buffers } }. */
export function perParameter<B extends Buffers>(
  n: number,
  step: number,
  body: (i: number) => { update: tf.Tensor; buffers: PerParameter<B> },
): { updates: TensorList; state: OptState<B> } {
  const outer = updateScalars;
  let out: { updates: TensorList; buffers: Record<string, TensorList> };
  try {
    out = tf.tidy(() => {
      updateScalars = new Map();
      return mapParameters<B>(n, body) as unknown as { updates: TensorList; buffers: Record<string, TensorList> };
    });
  } finally {
    updateScalars = outer;
  }
  return { updates: out.updates, state: { step, buffers: out.buffers as unknown as B } };
}
