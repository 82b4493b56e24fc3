import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  eigen2x2,
  fitExponent,
  fitRate,
  maxStableLr,
  momentumMatrix,
  momentumRate,
  momentumRate1D,
  momentumWeights,
  optimalGradientDescent,
  optimalMomentum,
  optimalNesterov,
  rateGrid,
} from '../../src/problems/momentum-analysis';
import { minimize } from '../../src/training/minimize';
import { quadratic } from '../../src/problems/catalog';
import { sgd } from '../../src/optimizers';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

function matMul2(A: number[][], B: number[][]): number[][] {
  return [
    [A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]],
    [A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]],
  ];
}

function matPow2(A: number[][], k: number): number[][] {
  let P = [
    [1, 0],
    [0, 1],
  ];
  for (let i = 0; i < k; i++) P = matMul2(P, A);
  return P;
}

/** Smallest rate over a (η, μ) grid: η ∈ (0, ηmax], μ ∈ [0, 1). */
function gridMin(ls: number[], etaMax: number, n: number, nesterov = false): { rate: number; lr: number; momentum: number } {
  let best = { rate: Infinity, lr: 0, momentum: 0 };
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j < n; j++) {
      const lr = (etaMax * i) / n;
      const momentum = j / n;
      const rate = momentumRate(ls, lr, momentum, { nesterov });
      if (rate < best.rate) best = { rate, lr, momentum };
    }
  }
  return best;
}

describe('momentumMatrix', () => {
  it('one multiplication by R is one step of v ← μv − ηλx, x ← x + v', () => {
    const [lambda, lr, mu] = [3, 0.1, 0.7];
    const [x, v] = [1.3, -0.4];
    const R = assertNoLeak(() => momentumMatrix(lambda, lr, mu), 'momentumMatrix');
    const v1 = mu * v - lr * lambda * x;
    const x1 = x + v1;
    assertClose([R[0][0] * x + R[0][1] * v, R[1][0] * x + R[1][1] * v], [x1, v1], 1e-14, 'R(x, v)');
  });

  it('Nesterov: one multiplication is one step with the gradient at the look-ahead x + μv', () => {
    const [lambda, lr, mu] = [3, 0.1, 0.7];
    const [x, v] = [1.3, -0.4];
    const R = momentumMatrix(lambda, lr, mu, { nesterov: true });
    const v1 = mu * v - lr * lambda * (x + mu * v);
    const x1 = x + v1;
    assertClose([R[0][0] * x + R[0][1] * v, R[1][0] * x + R[1][1] * v], [x1, v1], 1e-14, 'R_nesterov(x, v)');
  });

  it('rejects bad arguments, naming them', () => {
    assert.throws(() => momentumMatrix(1, -0.1, 0.5), /lr must be a finite number > 0; got -0.1/);
    assert.throws(() => momentumMatrix(1, 0.1, 1), /momentum must be in \[0, 1\); got 1/);
    assert.throws(() => momentumMatrix(NaN, 0.1, 0.5), /lambda must be a finite number; got NaN/);
  });
});

describe('eigen2x2', () => {
  it('real and complex eigenvalues, and ρ = lim ‖R^k‖^(1/k)', () => {
    const diag = eigen2x2([
      [0.5, 0],
      [0, -0.8],
    ]);
    assertClose([diag.values[0].re, diag.values[1].re], [-0.8, 0.5], 1e-15, 'diag eigenvalues');
    assert.equal(diag.radius, 0.8);
    // a rotation by 30° scaled by 0.9: eigenvalues 0.9 e^{±iπ/6}
    const c = 0.9 * Math.cos(Math.PI / 6);
    const s = 0.9 * Math.sin(Math.PI / 6);
    const rot = eigen2x2([
      [c, -s],
      [s, c],
    ]);
    assert.ok(rot.discriminant < 0);
    assertClose([rot.values[0].re, Math.abs(rot.values[0].im), rot.radius], [c, s, 0.9], 1e-12, 'rotation eigenvalues');
    const R = momentumMatrix(5, 0.05, 0.8);
    const P = matPow2(R, 400);
    const fro = Math.hypot(P[0][0], P[0][1], P[1][0], P[1][1]);
    assertClose(fro ** (1 / 400), eigen2x2(R).radius, 5e-3, 'Gelfand');
  });

  it('rejects a matrix that is not 2×2', () => {
    assert.throws(() => eigen2x2([[1, 2, 3]]), /M must be a 2×2 matrix/);
    assert.throws(() => eigen2x2([[1, 2], [3, Infinity]]), /M\[1\]\[1\] must be a finite number; got Infinity/);
  });
});

describe('momentumRate', () => {
  it('μ = 0 is gradient descent: max |1 − ηλ|', () => {
    assertClose(momentumRate([1, 10], 0.15, 0), Math.max(Math.abs(1 - 0.15), Math.abs(1 - 1.5)), 1e-12, 'GD rate');
  });

  it('inside the complex region the rate is √μ whatever η and λ', () => {
    // (1 + μ − ηλ)² < 4μ for μ = 0.81, ηλ ∈ {0.5, 1.5}
    assertClose(momentumRate1D(5, 0.1, 0.81), 0.9, 1e-12, 'λ = 5');
    assertClose(momentumRate1D(15, 0.1, 0.81), 0.9, 1e-12, 'λ = 15');
  });

  it('predicts the rate of a library trajectory (sgd with momentum on ½xᵀHx, float32)', () => {
    const q = quadratic([
      [1, 0],
      [0, 20],
    ]);
    const [lr, mu] = [0.02, 0.3]; // both directions in the real-root regime: plain geometric decay
    const tr = minimize(q, sgd({ lr, momentum: mu }), { x0: [1, 1], steps: 120 });
    const e = tr.points.map((p) => Math.hypot(p[0], p[1]));
    assertClose(fitRate(e, { from: 40 }), momentumRate([1, 20], lr, mu), 1e-5, 'measured rate');
  });

  it('rateGrid: z[j][i] is the rate at (lrs[i], momenta[j])', () => {
    const lrs = [0.01, 0.05, 0.1];
    const momenta = [0, 0.5];
    const z = assertNoLeak(() => rateGrid([1, 10], lrs, momenta), 'rateGrid');
    assert.equal(z.length, 2);
    assert.equal(z[0].length, 3);
    assert.equal(z[1][2], momentumRate([1, 10], 0.1, 0.5));
    assert.throws(() => rateGrid([1, -2], lrs, momenta), /eigenvalues\[1\] must be a finite number > 0; got -2/);
    assert.throws(() => rateGrid([1, 2], [], momenta), /lrs must be a non-empty array/);
    assert.throws(() => rateGrid([1, 2], lrs, [0.5, 1.2]), /momenta\[1\] must be in \[0, 1\); got 1.2/);
  });
});

describe('optimal parameters', () => {
  for (const kappa of [4, 49, 100]) {
    it(`heavy ball, κ = ${kappa}: Polyak's (η*, μ*) beats a 300×300 grid and sits on the double root (defective R)`, () => {
      const o = assertNoLeak(() => optimalMomentum(1, kappa), 'optimalMomentum');
      assertClose(o.rate, (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1), 1e-15, 'rate formula');
      assertClose(momentumRate([1, kappa], o.lr, o.momentum), o.rate, 1e-7, 'rate at (η*, μ*)');
      const g = gridMin([1, kappa], 4 / kappa, 300);
      assert.ok(g.rate >= o.rate - 1e-9, `grid found ${g.rate} < ${o.rate}`);
      assert.ok(g.rate - o.rate < 0.01, `grid minimum ${g.rate} should approach ${o.rate}`);
      for (const l of [1, kappa]) {
        const R = momentumMatrix(l, o.lr, o.momentum);
        const e = eigen2x2(R);
        assert.ok(Math.abs(e.discriminant) < 1e-12, `discriminant at λ = ${l}: ${e.discriminant}`);
        // a double eigenvalue but R ≠ ρI: R − zI ≠ 0, so R is a Jordan block and ‖R^k‖ ~ k ρ^k
        assert.ok(Math.abs(R[0][1]) > 0.1);
        const P = matPow2(R, 200);
        const growth = Math.hypot(P[0][0], P[0][1], P[1][0], P[1][1]) / o.rate ** 200;
        assert.ok(growth > 20, `‖R^200‖/ρ^200 = ${growth} should grow like k`);
      }
    });
  }

  it('gradient descent: η* = 2/(λ₁ + λₙ), rate (κ − 1)/(κ + 1) = momentumRate with μ = 0', () => {
    const o = optimalGradientDescent(2, 50);
    assertClose(o.lr, 2 / 52, 1e-15, 'lr');
    assertClose(o.rate, 24 / 26, 1e-15, 'rate');
    assertClose(momentumRate([2, 50], o.lr, 0), o.rate, 1e-12, 'rate at η*');
  });

  it('Nesterov on quadratics: the Lessard–Recht–Packard pair matches a grid search', () => {
    for (const kappa of [10, 100]) {
      const o = optimalNesterov(1, kappa);
      assertClose(momentumRate([1, kappa], o.lr, o.momentum, { nesterov: true }), o.rate, 1e-6, `κ = ${kappa}`);
      const g = gridMin([1, kappa], 2 / kappa, 300, true);
      assert.ok(g.rate >= o.rate - 1e-6 && g.rate - o.rate < 0.01, `grid ${g.rate} vs ${o.rate}`);
      assert.ok(o.rate > optimalMomentum(1, kappa).rate, 'heavy ball is faster on quadratics');
    }
  });

  it('maxStableLr: 2(1 + μ)/λmax separates convergence from divergence', () => {
    const lim = maxStableLr(10, 0.5);
    assertClose(lim, 0.3, 1e-15, 'limit');
    assert.ok(momentumRate([1, 10], lim * 0.99, 0.5) < 1);
    assert.ok(momentumRate([1, 10], lim * 1.01, 0.5) > 1);
  });

  it('rejects bad spectra', () => {
    assert.throws(() => optimalMomentum(0, 1), /lmin must be a finite number > 0; got 0/);
    assert.throws(() => optimalGradientDescent(5, 1), /lmin must be ≤ lmax; got lmin = 5, lmax = 1/);
    assert.throws(() => maxStableLr(1, -0.1), /momentum must be in \[0, 1\); got -0.1/);
  });
});

describe('fitRate', () => {
  it('recovers ρ from C ρ^k, and from C k ρ^k with power 1 (where the plain fit is biased)', () => {
    const rho = 0.8;
    const geo = Array.from({ length: 60 }, (_, k) => 3 * rho ** k);
    assertClose(assertNoLeak(() => fitRate(geo), 'fitRate'), rho, 1e-12, 'geometric');
    const jordan = Array.from({ length: 120 }, (_, k) => (2 + 5 * k) * rho ** k);
    assertClose(fitRate(jordan, { from: 60, to: 119, power: 1 }), rho, 1e-4, 'k ρ^k with power 1');
    assert.ok(fitRate(jordan, { from: 60, to: 119 }) - rho > 5e-3, 'without the k factor the fit is too slow');
  });

  it('rejects bad input, naming it', () => {
    assert.throws(() => fitRate([1, 0.5, 0]), /errors\[2\] must be a finite number > 0; got 0/);
    assert.throws(() => fitRate([1, 0.5], { to: 5 }), /to must be an integer in \[from \+ 1, 1\]; got 5/);
    assert.throws(() => fitRate([1, 0.5, 0.25], { power: 1 }), /from must be ≥ 1 when power ≠ 0/);
  });
});

describe('fitRate with abscissae, and fitExponent', () => {
  it('fitRate with x: the factor per unit of x (a gradient measured at depths 2, 4, …, 20)', () => {
    const depths = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20];
    const g = depths.map((d) => 7 * 0.25 ** d);
    assertClose(fitRate(g, { x: depths }), 0.25, 1e-12, 'per layer');
    // against the index the same data shrinks by 0.25² per entry
    assertClose(fitRate(g), 0.0625, 1e-12, 'per entry');
    const jordan = depths.map((d) => d * 0.9 ** d);
    assertClose(fitRate(jordan, { x: depths, power: 1 }), 0.9, 1e-12, 'x^p ρ^x');
    assert.throws(() => fitRate(g, { x: [1, 2] }), /x must have one entry per value \(10\); got length 2/);
    assert.throws(() => fitRate([1, 0.5], { x: [0, 1], power: 1 }), /x\[0\] must be > 0 when power ≠ 0 \(log x\); got 0/);
    assert.throws(() => fitRate([1, 0.5], { x: [3, 3] }), /at least two different abscissae/);
  });

  it('fitExponent: s of v ≈ C x^s, against given x or the index k (from 1), in a window', () => {
    const m = [1, 2, 4, 8, 16, 32, 64, 128, 256];
    assertClose(assertNoLeak(() => fitExponent(m.map((x) => 3.2 / x), { x: m }), 'fitExponent'), -1, 1e-12, 'variance ∝ 1/m');
    const e = Array.from({ length: 1001 }, (_, k) => (k === 0 ? 1 : k < 100 ? 1 / k : 0.5 / Math.sqrt(k)));
    assertClose(fitExponent(e, { from: 100, to: 1000 }), -0.5, 1e-12, 'k^(−1/2) on [100, 1000]');
    assertClose(fitExponent(e, { to: 99 }), -1, 1e-12, '1/k on [1, 99] (k = 0 skipped by default)');
    assert.throws(() => fitExponent(e, { from: 0 }), /x_0 must be a finite number > 0 \(log x\); got 0/);
    assert.throws(() => fitExponent([1, -1, 2], { x: [1, 2, 3] }), /values\[1\] must be a finite number > 0; got -1/);
    assert.throws(() => fitExponent([1, 2], { x: [1, 2], to: 3 }), /to must be an integer in \[from \+ 1, 1\]; got 3/);
  });
});

describe('momentumWeights', () => {
  it('EMA weights (1 − β)β^k sum to 1 − β^K; velocity weights β^k sum to (1 − β^K)/(1 − β)', () => {
    const w = assertNoLeak(() => momentumWeights(0.9, 10), 'momentumWeights');
    assertClose(w[0], 0.1, 1e-15, 'w_0');
    assertClose(w.reduce((a, b) => a + b, 0), 1 - 0.9 ** 10, 1e-12, 'Σ EMA');
    const u = momentumWeights(0.9, 10, 'velocity');
    assertClose(u.reduce((a, b) => a + b, 0), (1 - 0.9 ** 10) / 0.1, 1e-12, 'Σ velocity');
    assert.throws(() => momentumWeights(1, 10), /beta must be in \[0, 1\); got 1/);
    assert.throws(() => momentumWeights(0.5, 0), /K must be a positive integer; got 0/);
    assert.throws(() => momentumWeights(0.5, 3, 'x' as 'ema'), /form must be 'ema' or 'velocity'; got "x"/);
  });
});
