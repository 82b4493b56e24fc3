/**
 * objective.hessian takes all rows from one double backward pass over dim + 1 copies of x when fn is
 * batched, and falls back to one nested gradient per row otherwise; objective.grid writes its points
 * straight into the batch. These tests pin both to the straightforward computations.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective, type ObjectiveSpec } from '../../src/core/objective';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/** Row i = ∇(⟨∇f(x), e_i⟩), one nested tf.grad per row: the definition, for comparison. */
function hessianByRows(fn: (x: tf.Tensor) => tf.Tensor, x: number[]): number[][] {
  const g = tf.grad((z: tf.Tensor) => fn(z) as tf.Scalar);
  return tf.tidy(() =>
    x.map((_, i) => {
      const ei = tf.tensor1d(x.map((__, j) => (j === i ? 1 : 0)));
      return Array.from(tf.grad((z: tf.Tensor) => tf.sum(tf.mul(g(z), ei)))(tf.tensor1d(x)).dataSync());
    }),
  );
}

const batchedSpecs: ObjectiveSpec[] = [
  {
    name: 'rosenbrock',
    dim: 2,
    fn: (x) => {
      const [u, v] = tf.unstack(x);
      return tf.square(tf.sub(1, u)).add(tf.square(v.sub(u.square())).mul(100));
    },
  },
  {
    name: 'log-sum-exp + sigmoid + tanh (4D)',
    dim: 4,
    fn: (x) => {
      const [a, b, c, d] = tf.unstack(x);
      return tf.log(tf.exp(a).add(tf.exp(b))).add(tf.sigmoid(c.mul(d))).add(tf.tanh(a.mul(d)));
    },
  },
  {
    name: 'quadratic through matMul (branches on rank)',
    dim: 3,
    fn: (x) => {
      const X = x.rank === 1 ? x.reshape([3, 1]) : x;
      const H = tf.tensor2d([2, 1, 0, 1, 3, 0.5, 0, 0.5, 1], [3, 3]);
      const f = tf.sum(tf.mul(X, tf.matMul(H, X)), 0).mul(0.5);
      return x.rank === 1 ? f.reshape([]) : f;
    },
  },
];

describe('objective.hessian', () => {
  for (const spec of batchedSpecs) {
    it(`equals the row-by-row nested gradients for a batched fn: ${spec.name}`, () => {
      const f = defineObjective(spec);
      const x = Array.from({ length: spec.dim }, (_, i) => 0.37 * (i + 1) - 0.5);
      const expected = hessianByRows(spec.fn, x);
      // first call probes the batch contract, later calls reuse the answer: neither leaks
      const H1 = assertNoLeak(() => f.hessian(x), 'first hessian');
      const H2 = assertNoLeak(() => f.hessian(x), 'second hessian');
      const scale = Math.max(1, ...expected.flat().map(Math.abs));
      for (let i = 0; i < spec.dim; i++) {
        assertClose(H1[i], expected[i], 1e-6 * scale, `H row ${i}`);
        assertClose(H2[i], H1[i], 0, `H row ${i} (second call)`);
      }
    });
  }

  it('matches the closed form of the quadratic ½xᵀAx: H = A', () => {
    const f = defineObjective(batchedSpecs[2]);
    const H = f.hessian([0.3, -1.2, 2]);
    assertClose(H.flat(), [2, 1, 0, 1, 3, 0.5, 0, 0.5, 1], 1e-5, 'H');
  });

  it('falls back to one nested gradient per row when fn is not batched: f = (Σx²)(Σx)', () => {
    // ∂²f/∂x_i∂x_j = 2δ_ij Σx + 2x_i + 2x_j; fn returns a scalar even for a batch
    const f = defineObjective({ name: 'not batched', dim: 3, fn: (x) => tf.sum(tf.square(x)).mul(tf.sum(x)) });
    const x = [0.5, -1, 2];
    const s = x.reduce((a, b) => a + b, 0);
    const H = assertNoLeak(() => f.hessian(x), 'fallback hessian');
    for (let i = 0; i < 3; i++) {
      assertClose(H[i], x.map((xj, j) => (i === j ? 2 * s : 0) + 2 * x[i] + 2 * xj), 1e-5, `H row ${i}`);
    }
  });

  it('is not fooled by an fn that reduces over the points axis (shape [dim] for dim points)', () => {
    // f = (Σx²)² summed over the last axis: for x [3] a scalar, but for X [3, N] one value per
    // coordinate, shape [3]: a probe with N = dim copies would take it for batched and return garbage.
    // H = 4(Σx²) I + 8 x xᵀ.
    const f = defineObjective({ name: 'wrong axis', dim: 3, fn: (x) => tf.square(tf.sum(tf.square(x), -1)) });
    const x = [1, 2, 3];
    const H = f.hessian(x);
    assertClose(H.flat(), x.flatMap((xi, i) => x.map((xj, j) => (i === j ? 4 * 14 : 0) + 8 * xi * xj)), 1e-4, 'H');
  });

  it('works in 1D (a [1, N] batch)', () => {
    const f = defineObjective({ name: 'x⁴', dim: 1, fn: (x) => tf.pow(x, 4).squeeze([0]) });
    assertClose(f.hessian([1.5])[0], [12 * 1.5 * 1.5], 1e-4, "f''(1.5)");
  });
});

describe('objective.grid', () => {
  it('returns exactly objective.values at the grid points, in plotly order z[j][i] = f(x_i, y_j)', () => {
    const f = defineObjective(batchedSpecs[0]);
    const n = 7;
    const g = assertNoLeak(() => f.grid([-2, 2], [-1, 3], n), 'grid');
    const pts: number[][] = [];
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) pts.push([g.x[i], g.y[j]]);
    assert.deepEqual(g.z.flat(), f.values(pts));
    assert.deepEqual(g.x, [-2, -2 + 4 / 6, -2 + 8 / 6, 0, -2 + 16 / 6, -2 + 20 / 6, 2]);
    assertClose(g.z[6][0], f.value([-2, 3]), 0, 'z at (x_0, y_6)');
  });
});
