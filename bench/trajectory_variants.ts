/**
 * Ways to write minimize's inner loop, timed against each other by bench/numerics.ts. Every variant
 * takes ∇f from tfjs autodiff (tf.valueAndGrad of objective.fn) and the step from optimizer.update;
 * none re-types a gradient or an update rule. They differ only in tfjs bookkeeping:
 *
 *  (a) perStep   — the loop of minimize before issue 9: per step tidy(valueAndGrad(x_k)), two reads
 *                  (f, ∇f), optimizer.update, tidy(x_k + Δx_k), a third read (x_{k+1}).
 *  (b) fused     — one tidy per step doing x_{k+1} = x_k + Δx_k, valueAndGrad(x_{k+1}) and
 *                  concat([x_{k+1}, f, ∇f]), then a single read.
 *  (c) jsIterate — the iterate lives in JS: x_{k+1} = fl32(x_k + Δx_k) by Math.fround (the float32
 *                  sum, bit-identical to tf.add), one read of [f, ∇f] and one of Δx_k per step.
 *
 * Only what the benchmark needs: no schedule, noise, record or Hessian; divergence stops the loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { MinimizeObjective } from '../src/training/minimize';
import { disposeState, type OptState, type Optimizer } from '../src/optimizers/types';

/** What a variant returns: x_0 … x_K, f(x_k), ‖∇f(x_k)‖. */
export interface TrajectoryRun {
  points: number[][];
  losses: number[];
  gradNorms: number[];
}

type Variant = (objective: MinimizeObjective, optimizer: Optimizer, x0: number[], steps: number) => TrajectoryRun;

function norm(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

function scalarFnOf(objective: MinimizeObjective): (x: tf.Tensor) => tf.Scalar {
  return (x) => objective.fn(x) as tf.Scalar;
}

/** (a) minimize's loop before issue 9. */
export const perStep: Variant = (objective, optimizer, x0, steps) => {
  const valueAndGrad = tf.valueAndGrad(scalarFnOf(objective));
  const evaluate = (x: tf.Tensor1D) => {
    const { value, grad } = tf.tidy(() => valueAndGrad(x));
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss, grad, g: grad.dataSync() as Float32Array };
  };
  const out: TrajectoryRun = { points: [x0.slice()], losses: [], gradNorms: [] };
  let x = tf.tensor1d(x0) as tf.Tensor1D;
  let state: OptState = optimizer.init([x]);
  let current = evaluate(x);
  out.losses.push(current.loss);
  out.gradNorms.push(norm(current.g));
  for (let k = 0; k < steps; k++) {
    const step = optimizer.update([current.grad], state, [x]);
    disposeState(state);
    state = step.state;
    // x_{k+1} = x_k + Δx_k
    const xNext = tf.tidy(() => tf.add(x, step.updates[0])) as tf.Tensor1D;
    tf.dispose(step.updates);
    const xArr = Array.from(xNext.dataSync());
    if (!allFinite(xArr)) {
      xNext.dispose();
      break;
    }
    const next = evaluate(xNext);
    current.grad.dispose();
    x.dispose();
    current = next;
    x = xNext;
    out.points.push(xArr);
    out.losses.push(next.loss);
    out.gradNorms.push(norm(next.g));
    if (!Number.isFinite(next.loss) || !allFinite(next.g)) break;
  }
  x.dispose();
  current.grad.dispose();
  disposeState(state);
  return out;
};

/** (b) one tidy and one read per step. */
export const fused: Variant = (objective, optimizer, x0, steps) => {
  const valueAndGrad = tf.valueAndGrad(scalarFnOf(objective));
  const n = x0.length;
  const out: TrajectoryRun = { points: [x0.slice()], losses: [], gradNorms: [] };
  let x = tf.tensor1d(x0) as tf.Tensor1D;
  let state: OptState = optimizer.init([x]);
  // [f, ∇f] at x_0
  let grad = tf.tidy(() => {
    const { value, grad: g } = valueAndGrad(x);
    const packed = tf.concat([value.reshape([1]), g]).dataSync();
    out.losses.push(packed[0]);
    out.gradNorms.push(norm(packed, 1));
    return g;
  });
  for (let k = 0; k < steps; k++) {
    const step = optimizer.update([grad], state, [x]);
    disposeState(state);
    state = step.state;
    const r = tf.tidy(() => {
      // x_{k+1} = x_k + Δx_k, then f(x_{k+1}), ∇f(x_{k+1}) and one packed read [x, f, ∇f]
      const xn = tf.add(x, step.updates[0]) as tf.Tensor1D;
      const { value, grad: g } = valueAndGrad(xn);
      return { xn, g, packed: tf.concat([xn, value.reshape([1]), g]) };
    });
    tf.dispose(step.updates);
    const a = r.packed.dataSync();
    r.packed.dispose();
    grad.dispose();
    x.dispose();
    x = r.xn;
    grad = r.g;
    const xArr = Array.from(a.subarray(0, n));
    if (!allFinite(xArr)) break;
    out.points.push(xArr);
    out.losses.push(a[n]);
    out.gradNorms.push(norm(a, n + 1));
    if (!allFinite(a)) break;
  }
  x.dispose();
  grad.dispose();
  disposeState(state);
  return out;
};

/** (c) the iterate in JS (float32 sums), tensors only for f, ∇f and the optimizer. */
export const jsIterate: Variant = (objective, optimizer, x0, steps) => {
  const valueAndGrad = tf.valueAndGrad(scalarFnOf(objective));
  const n = x0.length;
  const out: TrajectoryRun = { points: [x0.slice()], losses: [], gradNorms: [] };
  let xs = Float32Array.from(x0);
  let x = tf.tensor1d(xs) as tf.Tensor1D;
  let state: OptState = optimizer.init([x]);
  const evaluate = (xt: tf.Tensor1D) =>
    tf.tidy(() => {
      const { value, grad } = valueAndGrad(xt);
      const packed = tf.concat([value.reshape([1]), grad]).dataSync();
      return { grad: tf.keep(grad), loss: packed[0], gnorm: norm(packed, 1), finite: allFinite(packed) };
    });
  let cur = evaluate(x);
  out.losses.push(cur.loss);
  out.gradNorms.push(cur.gnorm);
  for (let k = 0; k < steps; k++) {
    const step = optimizer.update([cur.grad], state, [x]);
    disposeState(state);
    state = step.state;
    const u = step.updates[0].dataSync();
    tf.dispose(step.updates);
    // x_{k+1} = fl32(x_k + Δx_k): the float32 sum, as tf.add computes it
    const next = new Float32Array(n);
    for (let i = 0; i < n; i++) next[i] = Math.fround(xs[i] + u[i]);
    const xArr = Array.from(next);
    if (!allFinite(xArr)) break;
    const xt = tf.tensor1d(next) as tf.Tensor1D;
    const e = evaluate(xt);
    cur.grad.dispose();
    x.dispose();
    x = xt;
    xs = next;
    cur = e;
    out.points.push(xArr);
    out.losses.push(e.loss);
    out.gradNorms.push(e.gnorm);
    if (!e.finite) break;
  }
  x.dispose();
  cur.grad.dispose();
  disposeState(state);
  return out;
};

/** The variants by name, in the order the benchmark reports them. */
export const VARIANTS: Record<string, Variant> = { perStep, fused, jsIterate };

/** Largest |difference| between two runs' points, losses and gradient norms (Infinity when lengths differ). */
export function maxDifference(a: TrajectoryRun, b: TrajectoryRun): number {
  if (a.points.length !== b.points.length) return Infinity;
  let d = 0;
  for (let k = 0; k < a.points.length; k++) {
    for (let i = 0; i < a.points[k].length; i++) d = Math.max(d, Math.abs(a.points[k][i] - b.points[k][i]));
    d = Math.max(d, Math.abs(a.losses[k] - b.losses[k]) / (1 + Math.abs(a.losses[k])), Math.abs(a.gradNorms[k] - b.gradNorms[k]) / (1 + a.gradNorms[k]));
  }
  return d;
}
