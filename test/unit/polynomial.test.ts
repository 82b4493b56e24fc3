import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { solveLeastSquares, legendreFeatures } from '../../src/problems/polynomial';
import { assertClose } from '../helpers';

describe('Legendre features and least squares', () => {
  it('features are P_0..P_3 in closed form, row-major', () => {
    const xs = [-1, -0.3, 0, 0.7, 1];
    const F = legendreFeatures(xs, 3);
    assert.equal(F.length, xs.length * 4);
    xs.forEach((x, i) => {
      assertClose(Array.from(F.subarray(4 * i, 4 * i + 4)), [1, x, (3 * x * x - 1) / 2, (5 * x ** 3 - 3 * x) / 2], 1e-6, `row ${i}`);
    });
    // P_k(1) = 1 for every k
    assertClose(Array.from(legendreFeatures([1], 12)), new Array(13).fill(1), 1e-5, 'P_k(1)');
  });

  it('features are orthogonal on [−1, 1]: midpoint rule ∫ P_2 P_3 ≈ 0 and ∫ P_3² ≈ 2/7', () => {
    const n = 4000;
    const xs = Array.from({ length: n }, (_, i) => -1 + (2 * (i + 0.5)) / n);
    const F = legendreFeatures(xs, 3);
    let i23 = 0;
    let i33 = 0;
    for (let i = 0; i < n; i++) {
      i23 += (F[4 * i + 2] * F[4 * i + 3] * 2) / n;
      i33 += (F[4 * i + 3] * F[4 * i + 3] * 2) / n;
    }
    assertClose(i23, 0, 1e-5, '∫P2P3');
    assertClose(i33, 2 / 7, 1e-4, '∫P3²');
  });

  it('least squares recovers exact coefficients and is orthogonal to the residual otherwise', () => {
    const xs = Array.from({ length: 12 }, (_, i) => -1 + (2 * i) / 11);
    const F = legendreFeatures(xs, 3);
    const wTrue = [0.5, -1, 2, 0.25];
    const y = xs.map((_, i) => wTrue.reduce((s, w, k) => s + w * F[4 * i + k], 0));
    assertClose(solveLeastSquares(F, y, 4), wTrue, 1e-5, 'w*');
    // noisy targets: Φᵀ(Φw* − y) = 0 (normal equations)
    const yn = y.map((v, i) => v + Math.sin(7 * i));
    const w = solveLeastSquares(F, yn, 4);
    for (let k = 0; k < 4; k++) {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += F[4 * i + k] * (w.reduce((t, wk, j) => t + wk * F[4 * i + j], 0) - yn[i]);
      assertClose(s, 0, 1e-4, `(Φᵀr)_${k}`);
    }
  });

  it('rejects bad input naming the parameter', () => {
    assert.throws(() => legendreFeatures([0, NaN], 2), /x\[1\] must be a finite number; got NaN/);
    assert.throws(() => legendreFeatures([0], -1), /degree must be an integer ≥ 0; got -1/);
    assert.throws(() => solveLeastSquares(new Float32Array(6), [1, 2], 3), /y must have N = 2 entries|at least as many rows/);
    assert.throws(() => solveLeastSquares(new Float32Array(6), [1, 2, 3], 3), /y must have N = 2 entries \(rows of Phi\); got 3/);
    assert.throws(() => solveLeastSquares(new Float32Array(7), [1, 2], 3), /Phi must be a row-major N×3 array/);
    assert.throws(() => solveLeastSquares(new Float32Array(4), [1, 2], 2), /full column rank|singular/);
  });
});
