import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkSymmetric,
  classifyCriticalPoint,
  classifyEigenvalues,
  conditionNumber,
  dot,
  eigSym,
  fractionPositiveDefinite,
  matVec,
  norm,
  powerIteration,
  randomSymmetric,
} from '../../src/core/linalg';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/** The lecture's 2D quadratic forms (Mila slides "Positive definite in 2D" / "Saddle point in 2D"). */
const MINIMA = [
  [
    [1, 0],
    [0, 1],
  ],
  [
    [4, 0],
    [0, 1],
  ],
  [
    [2, -1],
    [-1, 1],
  ],
];
const SADDLES = [
  [
    [1, 0],
    [0, -1],
  ],
  [
    [-1, 0],
    [0, 1],
  ],
  [
    [-4, 0],
    [0, 1],
  ],
];

/** V Λ Vᵀ from an eigendecomposition, in double precision. */
function reconstruct(values: number[], vectors: number[][]): number[][] {
  const n = values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => values.reduce((s, l, k) => s + l * vectors[k][i] * vectors[k][j], 0)),
  );
}

describe('eigSym', () => {
  it('reconstructs H = VΛVᵀ to 1e-9 with ascending values and orthonormal vectors', () => {
    const cases = [...MINIMA, ...SADDLES, randomSymmetric(5, 7), randomSymmetric(12, 8), [[3]]];
    for (const H of cases) {
      const { values, vectors } = assertNoLeak(() => eigSym(H), 'eigSym');
      const n = H.length;
      assert.equal(values.length, n);
      for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], `values not ascending: ${values}`);
      const R = reconstruct(values, vectors);
      for (let i = 0; i < n; i++) assertClose(R[i], H[i], 1e-9, `VΛVᵀ row ${i} (n=${n})`);
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) assertClose(dot(vectors[p], vectors[q]), p === q ? 1 : 0, 1e-9, `⟨v${p}, v${q}⟩`);
        // H v_k = λ_k v_k
        assertClose(matVec(H, vectors[p]), vectors[p].map((c) => c * values[p]), 1e-9, `H v${p}`);
      }
    }
  });

  it('gives the closed-form eigenvalues (3 ∓ √5)/2 of [[2, −1], [−1, 1]] and signs vectors deterministically', () => {
    const { values, vectors } = eigSym(MINIMA[2]);
    assertClose(values, [(3 - Math.sqrt(5)) / 2, (3 + Math.sqrt(5)) / 2], 1e-12, 'λ');
    for (const v of vectors) {
      const big = v.reduce((b, c) => (Math.abs(c) > Math.abs(b) ? c : b), 0);
      assert.ok(big > 0, `largest component of ${v} should be positive`);
    }
    assertClose(eigSym([[-4, 0], [0, 1]]).values, [-4, 1], 1e-12, 'diag');
  });

  it('signs tied eigenvectors such as (1, ∓1)/√2 the same way whatever the float noise in H', () => {
    // H = [[a, b], [b, a]] has eigenvectors (1, −1)/√2 and (1, 1)/√2; a Hessian from autodiff carries noise of
    // a few ulps, which used to decide which component counted as the largest and so flipped a vector's sign.
    const expected = [[Math.SQRT1_2, -Math.SQRT1_2], [Math.SQRT1_2, Math.SQRT1_2]];
    for (const noise of [0, 1e-13, -1e-13, 3e-10, -3e-10]) {
      const { vectors } = eigSym([[2 + noise, 1], [1, 2 - noise]]);
      assertClose(vectors.flat(), expected.flat(), 1e-6, `vectors at noise ${noise}`);
    }
  });

  it('rejects non-square, non-symmetric and non-finite H, naming H', () => {
    assert.throws(() => eigSym([[1, 2, 3], [4, 5, 6]]), /H must be square; got 2×3/);
    assert.throws(() => eigSym([[1, 2], [3]]), /H must be square; H has 2 rows but row 1 has 1 entries/);
    assert.throws(() => eigSym([]), /H must be a non-empty square matrix/);
    assert.throws(() => eigSym([[1, 2], [3, 4]]), /H must be symmetric; got H\[0\]\[1\] = 2 but H\[1\]\[0\] = 3/);
    assert.throws(() => eigSym([[1, 0], [NaN, 1]]), /H\[1\]\[0\] must be a finite number; got NaN/);
    assert.throws(() => eigSym([[1, 0], [0, Infinity]]), /H\[1\]\[1\] must be a finite number; got Infinity/);
  });

  it('accepts float32-level asymmetry (autodiff Hessians) and symmetrises it', () => {
    const H = [
      [2, 1 + 1e-7],
      [1, 3],
    ];
    const S = checkSymmetric(H);
    assert.equal(S[0][1], S[1][0]);
    assertClose(S[0][1], 1 + 5e-8, 1e-15, 'symmetrised entry');
    assert.throws(() => eigSym(H, { symTol: 1e-9 }), /H must be symmetric/);
  });
});

describe('classifyCriticalPoint', () => {
  it('classifies the lecture quadratic forms: three minima and three saddles', () => {
    for (const H of MINIMA) assert.equal(assertNoLeak(() => classifyCriticalPoint(H), 'classify'), 'minimum', JSON.stringify(H));
    for (const H of SADDLES) assert.equal(classifyCriticalPoint(H), 'saddle', JSON.stringify(H));
  });

  it('says maximum when all eigenvalues are negative and degenerate when any |λ| ≤ tol', () => {
    assert.equal(classifyCriticalPoint([[-2, 1], [1, -2]]), 'maximum');
    assert.equal(classifyCriticalPoint([[0]]), 'degenerate'); // x³ at 0
    assert.equal(classifyCriticalPoint([[1, 0], [0, 0]]), 'degenerate');
    assert.equal(classifyCriticalPoint([[1, 0], [0, 1e-8]]), 'degenerate');
    assert.equal(classifyCriticalPoint([[1, 0], [0, 1e-8]], 1e-9), 'minimum');
    // [[1, 1], [1, 1]] is singular (λ = 0, 2) although no entry is 0
    assert.equal(classifyCriticalPoint([[1, 1], [1, 1]]), 'degenerate');
    assert.equal(classifyEigenvalues([-3, 2]), 'saddle');
  });

  it('rejects a bad tol or H', () => {
    assert.throws(() => classifyCriticalPoint([[1]], -1), /tol must be a finite number ≥ 0; got -1/);
    assert.throws(() => classifyCriticalPoint([[1, 2]]), /H must be square; got 1×2/);
    assert.throws(() => classifyEigenvalues([1, NaN]), /values\[1\] must be a finite number; got NaN/);
  });
});

describe('random symmetric matrices', () => {
  it('are symmetric, reproducible from the seed, and have the GOE variances 1/n (off-diagonal), 2/n (diagonal)', () => {
    const n = 200;
    const A = assertNoLeak(() => randomSymmetric(n, 11), 'randomSymmetric');
    assert.deepEqual(randomSymmetric(n, 11), A);
    assert.notDeepEqual(randomSymmetric(n, 12)[0], A[0]);
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      assert.equal(A[i][i], A[i][i]);
      diag += A[i][i] ** 2;
      for (let j = i + 1; j < n; j++) {
        assert.equal(A[i][j], A[j][i]);
        off += A[i][j] ** 2;
      }
    }
    const offVar = off / ((n * (n - 1)) / 2);
    const diagVar = diag / n;
    assertClose(offVar * n, 1, 0.03, 'n·Var(A_ij)'); // 19 900 samples: relative s.e. ≈ 1 %
    assertClose(diagVar * n, 2, 0.4, 'n·Var(A_ii)'); // 200 samples: relative s.e. ≈ 10 %
    // Wigner's semicircle: the spectrum fills [−2, 2]
    const { values } = eigSym(A);
    assertClose([values[0], values[n - 1]], [-2, 2], 0.15, 'spectrum edges');
  });

  it('are positive definite half the time at n = 1, (2 − √2)/4 ≈ 0.146 at n = 2, and rarely beyond', () => {
    const samples = 4000;
    const f = [1, 2, 3, 4, 6].map((n) => assertNoLeak(() => fractionPositiveDefinite(n, samples, 5), 'fractionPositiveDefinite'));
    assertClose(f[0], 0.5, 0.03, 'P(n=1)'); // s.e. 0.008
    assertClose(f[1], (2 - Math.sqrt(2)) / 4, 0.025, 'P(n=2)'); // s.e. 0.006
    for (let k = 1; k < f.length; k++) assert.ok(f[k] < f[k - 1] || f[k] === 0, `not decreasing: ${f}`);
    assert.ok(f[2] < 0.05, `P(n=3) = ${f[2]}`);
    assert.ok(f[4] < 0.002, `P(n=6) = ${f[4]}`);
    assert.equal(fractionPositiveDefinite(2, 500, 5), fractionPositiveDefinite(2, 500, 5));
  });

  it('rejects bad sizes and seeds', () => {
    assert.throws(() => randomSymmetric(0, 1), /n must be a positive integer; got 0/);
    assert.throws(() => randomSymmetric(2.5, 1), /n must be a positive integer; got 2.5/);
    assert.throws(() => randomSymmetric(2, NaN), /seed must be a finite number; got NaN/);
    assert.throws(() => fractionPositiveDefinite(2, 0, 1), /samples must be a positive integer; got 0/);
  });
});

describe('powerIteration', () => {
  it("matches eigSym's largest |λ| on random symmetric matrices, with a non-decreasing history", () => {
    for (const seed of [1, 2, 3]) {
      const W = randomSymmetric(8, seed);
      const { values, vectors } = eigSym(W);
      const k = Math.abs(values[0]) > Math.abs(values[7]) ? 0 : 7;
      const p = assertNoLeak(() => powerIteration(W, 2000, seed), 'powerIteration');
      assertClose(p.value, Math.abs(values[k]), 1e-6 * Math.abs(values[k]), `|λ|max (seed ${seed})`);
      assertClose(p.rayleigh, values[k], 1e-6 * Math.abs(values[k]), `Rayleigh quotient (seed ${seed})`);
      assertClose(Math.abs(dot(p.vector, vectors[k])), 1, 1e-5, `|⟨v, v_max⟩| (seed ${seed})`);
      assert.equal(p.history.length, 2000);
      // for symmetric W, ‖W v_t‖ never decreases (Cauchy–Schwarz)
      for (let t = 1; t < p.history.length; t++) assert.ok(p.history[t] >= p.history[t - 1] - 1e-12, `history drops at ${t}`);
    }
  });

  it('finds a negative dominant eigenvalue by magnitude and survives W = 0', () => {
    const p = powerIteration([[1, 0], [0, -3]], 100, 4);
    assertClose(p.value, 3, 1e-9, '|λ|max');
    assertClose(p.rayleigh, -3, 1e-9, 'λ');
    assertClose(p.vector, [0, 1], 1e-9, 'v');
    const z = powerIteration([[0, 0], [0, 0]], 10);
    assert.equal(z.value, 0);
    assert.ok(z.vector.every(Number.isFinite));
  });

  it('rejects a non-square W and bad iters', () => {
    assert.throws(() => powerIteration([[1, 2]], 10), /W must be square; got 1×2/);
    assert.throws(() => powerIteration([[1]], 0), /iters must be a positive integer; got 0/);
  });
});

describe('helpers', () => {
  it('conditionNumber κ = λmax/λmin for SPD matrices, and refuses indefinite ones', () => {
    assertClose(conditionNumber(MINIMA[1]), 4, 1e-12, 'κ(diag(4, 1))');
    assertClose(conditionNumber(MINIMA[2]), (3 + Math.sqrt(5)) / (3 - Math.sqrt(5)), 1e-9, 'κ([[2,−1],[−1,1]])');
    assert.throws(() => conditionNumber(SADDLES[0]), /H must be symmetric positive definite; its smallest eigenvalue is -1/);
  });

  it('matVec, dot and norm', () => {
    assert.deepEqual(matVec([[1, 2], [3, 4], [5, 6]], [1, -1]), [-1, -1, -1]);
    assert.equal(dot([1, 2, 3], [4, 5, 6]), 32);
    assert.equal(norm([3, 4]), 5);
    assert.throws(() => matVec([[1, 2]], [1, 2, 3]), /A\[0\] must have 3 entries \(the length of v\); got 2/);
    assert.throws(() => dot([1], [1, 2]), /u and v must have the same length; got 1 and 2/);
  });
});
