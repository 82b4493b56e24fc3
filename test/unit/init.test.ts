import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INITIALIZERS,
  INIT_NAMES,
  constant,
  getInitializer,
  glorotUniform,
  heNormal,
  initWeights,
  orthogonal,
  sparse,
  uniformFanIn,
  zeros,
  type InitName,
  type InitOptions,
} from '../../src/nets/init';
import { rng } from '../../src/core/random';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

function meanVar(w: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of w) s += v;
  const mean = s / w.length;
  let q = 0;
  for (const v of w) q += (v - mean) ** 2;
  return { mean, variance: q / w.length };
}

/**
 * Sampling tolerance. For N i.i.d. draws with variance σ² and kurtosis κ, the sample variance has
 * standard error σ²·√((κ − 1)/N) (κ = 3 for a normal, 9/5 for a uniform) and the sample mean σ/√N.
 * We allow 5 standard errors: a correct sampler fails with probability < 1e-6 (and the seeds are
 * fixed, so the test is deterministic anyway), while a wrong constant (e.g. 1/m instead of 2/m, or
 * 6 ↔ 3 in Glorot's bound) is off by ≥ 25 %, far outside 5 SE (≤ 2 % here).
 */
const KURTOSIS: Partial<Record<InitName, number>> = {
  uniformFanIn: 9 / 5,
  glorotUniform: 9 / 5,
  heUniform: 9 / 5,
  glorotNormal: 3,
  heNormal: 3,
  normal: 3,
};

describe('initializers: empirical variance matches the formula', () => {
  const m = 400;
  const n = 300;
  const N = m * n;
  for (const name of Object.keys(KURTOSIS) as InitName[]) {
    it(`${name}: Var(W_ij) = ${INITIALIZERS[name].label} within 5 standard errors`, () => {
      const spec = INITIALIZERS[name];
      const opts: InitOptions = name === 'normal' ? { std: 0.05 } : {};
      const w = spec.fn(m, n, 11, opts);
      assert.equal(w.length, N);
      const target = spec.variance(m, n, opts);
      const { mean, variance } = meanVar(w);
      const seVar = target * Math.sqrt(((KURTOSIS[name] as number) - 1) / N);
      assert.ok(Math.abs(variance - target) <= 5 * seVar, `${name}: variance ${variance} vs ${target} ± ${5 * seVar}`);
      assert.ok(Math.abs(mean) <= 5 * Math.sqrt(target / N), `${name}: mean ${mean} not ≈ 0`);
    });
  }

  it('closed forms: U(−a, a) has variance a²/3, so U(±1/√m) gives 1/(3m) and Glorot gives 2/(m+n); He gives 2/m', () => {
    assertClose(INITIALIZERS.uniformFanIn.variance(100, 7), 1 / 300, 1e-15, 'uniformFanIn');
    assertClose(INITIALIZERS.glorotUniform.variance(100, 50), 6 / 150 / 3, 1e-15, 'glorot');
    assertClose(INITIALIZERS.heNormal.variance(100, 50), 0.02, 1e-15, 'he');
    assertClose(INITIALIZERS.heUniform.variance(100, 50), 0.02, 1e-15, 'heUniform');
  });

  it('uniform initializers stay inside their bounds and reach close to them', () => {
    const m = 64;
    const n = 100;
    for (const [fn, a] of [
      [uniformFanIn, 1 / Math.sqrt(m)],
      [glorotUniform, Math.sqrt(6 / (m + n))],
      [INITIALIZERS.heUniform.fn, Math.sqrt(6 / m)],
    ] as const) {
      const w = fn(m, n, 3);
      const maxAbs = w.reduce((acc, v) => Math.max(acc, Math.abs(v)), 0);
      assert.ok(maxAbs <= a * (1 + 1e-6), `max |W| = ${maxAbs} > a = ${a}`);
      // with 6400 draws, P(max |W| < 0.99a) = 0.99^6400 ≈ 1e-28
      assert.ok(maxAbs > 0.99 * a, `max |W| = ${maxAbs} should approach a = ${a}`);
    }
  });

  it('is seeded: the same seed gives identical weights, another seed different ones', () => {
    for (const name of INIT_NAMES) {
      if (name === 'zeros' || name === 'constant') continue;
      const fn = INITIALIZERS[name].fn;
      assert.deepEqual(fn(20, 10, 5), fn(20, 10, 5), `${name} same seed`);
      assert.notDeepEqual(fn(20, 10, 5), fn(20, 10, 6), `${name} other seed`);
    }
  });
});

describe('orthogonal', () => {
  const gram = (w: Float32Array, m: number, n: number, cols: boolean): number[][] => {
    // WᵀW (cols = true, n×n) or WWᵀ (m×m), in float64
    const d = cols ? n : m;
    const G = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        if (cols) for (let i = 0; i < m; i++) s += w[i * n + a] * w[i * n + b];
        else for (let j = 0; j < n; j++) s += w[a * n + j] * w[b * n + j];
        G[a][b] = s;
      }
    return G;
  };
  const checkGram = (G: number[][], g2: number): void => {
    G.forEach((row, a) => assertClose(row, row.map((_, b) => (a === b ? g2 : 0)), 1e-4, `Gram row ${a}`));
  };

  it('WᵀW = g²I to 1e-4 for m ≥ n (tall and square), WWᵀ = g²I for m < n', () => {
    checkGram(gram(orthogonal(64, 32, 1, { gain: 1.5 }), 64, 32, true), 2.25);
    checkGram(gram(orthogonal(50, 50, 2, { gain: Math.SQRT2 }), 50, 50, true), 2);
    checkGram(gram(orthogonal(50, 50, 2, { gain: Math.SQRT2 }), 50, 50, false), 2);
    checkGram(gram(orthogonal(20, 70, 3), 20, 70, false), 1);
  });

  it('fixes the signs (diag R > 0): the first column is A₁/‖A₁‖ of the seeded Gaussian A', () => {
    // With diag(R) > 0, A = QR gives Q₁ = A₁/R₁₁ = A₁/‖A₁‖. Without the fix Householder QR flips it.
    const m = 6;
    const n = 3;
    const r = rng(5);
    const A = Array.from({ length: m * n }, () => r.normal());
    const col = Array.from({ length: m }, (_, i) => A[i * n]);
    const nrm = Math.hypot(...col);
    const w = orthogonal(m, n, 5, { gain: 2 });
    assertClose(Array.from({ length: m }, (_, i) => w[i * n]), col.map((v) => (2 * v) / nrm), 1e-6, 'W[:, 0]');
    // 1×1: W = sign(A) — both signs occur across seeds (a sign-unfixed QR always gives −1 here)
    const signs = new Set(Array.from({ length: 20 }, (_, s) => orthogonal(1, 1, s)[0]));
    assert.deepEqual([...signs].sort(), [-1, 1]);
  });

  it('has entry variance g²/max(m, n) (‖W‖_F² = g²·min(m, n) exactly)', () => {
    const w = orthogonal(40, 30, 9, { gain: 3 });
    const sq = w.reduce((s, v) => s + v * v, 0);
    assertClose(sq, 9 * 30, 1e-3, '‖W‖²');
    assertClose(INITIALIZERS.orthogonal.variance(40, 30, { gain: 3 }), 9 / 40, 1e-15, 'variance formula');
  });
});

describe('sparse', () => {
  it('gives exactly k non-zero weights per unit (column), at distinct inputs', () => {
    for (const [m, n, k] of [
      [50, 20, 15],
      [30, 7, 1],
      [10, 5, 10],
    ]) {
      const w = sparse(m, n, 4, { k });
      for (let j = 0; j < n; j++) {
        let nz = 0;
        for (let i = 0; i < m; i++) if (w[i * n + j] !== 0) nz++;
        assert.equal(nz, k, `column ${j} of ${m}×${n} has ${nz} non-zeros, expected ${k}`);
      }
    }
    // default k = min(15, m)
    const w = sparse(8, 3, 1);
    assert.equal(w.filter((v) => v !== 0).length, 3 * 8);
  });

  it('non-zero weights are N(0, σ²): variance k·σ²/m over all entries', () => {
    const m = 200;
    const n = 300;
    const k = 15;
    const w = sparse(m, n, 21, { k, std: 0.5 });
    const nz = w.filter((v) => v !== 0);
    const { variance } = meanVar(nz);
    // kn = 4500 normal draws: SE of the variance σ²·√(2/4500) ≈ 2.1 %; allow 5 SE
    assert.ok(Math.abs(variance - 0.25) <= 5 * 0.25 * Math.sqrt(2 / (k * n)), `non-zero variance ${variance}`);
    assertClose(INITIALIZERS.sparse.variance(m, n, { k, std: 0.5 }), (15 * 0.25) / 200, 1e-15, 'formula');
  });
});

describe('zeros, constant, registry, tensors', () => {
  it('zeros and constant fill every weight with 0 and c', () => {
    assert.ok(zeros(4, 3).every((v) => v === 0));
    assert.ok(constant(4, 3, 0, { value: 0.25 }).every((v) => v === 0.25));
    assert.ok(constant(4, 3, 0).every((v) => v === Math.fround(0.1)));
  });

  it('the registry covers every name with a label, a formula and a function', () => {
    assert.ok(INIT_NAMES.length >= 9);
    for (const name of INIT_NAMES) {
      const s = INITIALIZERS[name];
      assert.equal(s.name, name);
      assert.ok(s.label.length > 0 && s.latex.length > 0);
      assert.equal(getInitializer(name), s.fn);
      assert.equal(s.fn(3, 2, 0).length, 6);
    }
    const custom = (m: number, n: number) => new Float32Array(m * n);
    assert.equal(getInitializer(custom), custom);
  });

  it('initWeights returns a [m, n] tensor with the same numbers, without leaking', () => {
    assertNoLeak(() => {
      const W = initWeights('heNormal', 5, 4, 8);
      assert.deepEqual(W.shape, [5, 4]);
      assert.deepEqual(W.dataSync(), heNormal(5, 4, 8));
      W.dispose();
    }, 'initWeights');
  });

  it('rejects bad input, naming the parameter and value', () => {
    assert.throws(() => heNormal(0, 3, 1), /fanIn must be a positive integer; got 0/);
    assert.throws(() => heNormal(3, 2.5, 1), /fanOut must be a positive integer; got 2.5/);
    assert.throws(() => heNormal(3, 3, NaN), /seed must be a finite number; got NaN/);
    assert.throws(() => sparse(10, 3, 1, { k: 11 }), /k must be an integer in \[1, fanIn = 10\]; got 11/);
    assert.throws(() => orthogonal(3, 3, 1, { gain: 0 }), /gain must be a finite number > 0; got 0/);
    assert.throws(() => INITIALIZERS.normal.fn(3, 3, 1, { std: -1 }), /std must be a finite number > 0; got -1/);
    assert.throws(() => constant(3, 3, 0, { value: Infinity }), /value must be a finite number; got Infinity/);
    assert.throws(() => getInitializer('xavier' as InitName), /init must be one of .*got "xavier"/);
    assertNoLeak(() => assert.throws(() => initWeights(() => new Float32Array(2), 3, 3, 0), /length fanIn·fanOut = 9; got length 2/), 'initWeights error');
  });
});
