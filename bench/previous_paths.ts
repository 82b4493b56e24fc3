/**
 * The Hessian and the contour grid as src/core/objective.ts computed them before issue 9, kept so the
 * benchmark can report before/after and check that the current ones return the same numbers:
 *
 *  - hessianByRows: row i = ∇(⟨∇f(x), e_i⟩), one nested tf.grad per row (dim double backward passes);
 *    the library now gets all rows from one double backward pass over dim + 1 copies of x.
 *  - gridByPoints: the n² grid points as arrays, each checked, then objective.values(points); the
 *    library now writes the grid straight into the [2, n²] batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Grid, Objective } from '../src/core/objective';

/** H_ij = ∂²f/∂x_i∂x_j, row i = ∇(⟨∇f(x), e_i⟩): one nested gradient per row (the pre-issue-9 path). */
export function hessianByRows(objective: Pick<Objective, 'dim' | 'fn'>, x: number[]): number[][] {
  const { dim, fn } = objective;
  const gradFn = tf.grad((z: tf.Tensor) => fn(z) as tf.Scalar);
  return tf.tidy(() => {
    const x0 = tf.tensor1d(x);
    const rows: number[][] = [];
    for (let i = 0; i < dim; i++) {
      const ei = tf.tensor1d(Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0)));
      // row i = ∇(⟨∇f(x), e_i⟩)
      const row = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(gradFn(z), ei)))(x0);
      rows.push(Array.from(row.dataSync(), (v) => v + 0));
    }
    return rows;
  });
}

/** z[j][i] = f(x_i, y_j) through objective.values on n² point arrays (the pre-issue-9 path). */
export function gridByPoints(objective: Objective, xRange: [number, number], yRange: [number, number], n: number): Grid {
  const lin = ([lo, hi]: [number, number]) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const xs = lin(xRange);
  const ys = lin(yRange);
  const pts: number[][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) pts.push([xs[i], ys[j]]);
  const flat = objective.values(pts);
  return { x: xs, y: ys, z: Array.from({ length: n }, (_, j) => flat.slice(j * n, (j + 1) * n)) };
}

/** Largest |a − b| over two equally shaped number[][] (Infinity when shapes differ). */
export function maxAbsDiff(a: number[][], b: number[][]): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return Infinity;
    for (let j = 0; j < a[i].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
  }
  return d;
}
