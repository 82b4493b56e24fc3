import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linearRegressionData, twoMoons } from '../../src/problems/synthetic-data';
import { minibatches } from '../../src/training/batches';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

describe('minibatches', () => {
  it('covers every index exactly once per epoch and keeps the last partial batch', () => {
    const batches = minibatches(10, 3, 42, 0);
    assert.deepEqual(batches.map((b) => b.length), [3, 3, 3, 1]);
    assert.deepEqual(batches.flat().sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i));
    const big = minibatches(1000, 64, 1, 3);
    assert.equal(big.length, 16);
    assert.equal(big[15].length, 1000 - 15 * 64);
    assert.equal(new Set(big.flat()).size, 1000);
    assert.deepEqual(minibatches(5, 8, 0).map((b) => b.length), [5]);
  });

  it('is reproducible for (seed, epoch), reshuffles across epochs and seeds, and is not the identity', () => {
    assert.deepEqual(minibatches(50, 7, 3, 2), minibatches(50, 7, 3, 2));
    assert.notDeepEqual(minibatches(50, 7, 3, 0), minibatches(50, 7, 3, 1));
    assert.notDeepEqual(minibatches(50, 7, 3, 0), minibatches(50, 7, 4, 0));
    assert.notDeepEqual(minibatches(50, 50, 3, 0)[0], Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad arguments with the name and the value', () => {
    assert.throws(() => minibatches(0, 3, 1), /n must be a positive integer; got 0/);
    assert.throws(() => minibatches(10, 0, 1), /batchSize must be a positive integer; got 0/);
    assert.throws(() => minibatches(10, 3, 1.5), /seed must be an integer; got 1\.5/);
    assert.throws(() => minibatches(10, 3, 1, -1), /epoch must be a non-negative integer; got -1/);
  });
});

describe('linearRegressionData', () => {
  it('gives y = Xw + b exactly without noise, and the shapes asked for', () => {
    const d = linearRegressionData({ n: 20, dim: 3, noise: 0, seed: 5, w: [2, -3.4, 1], b: 4.2 });
    assert.equal(d.X.length, 20);
    assert.equal(d.X[0].length, 3);
    assert.deepEqual(d.wTrue, [2, -3.4, 1]);
    assert.equal(d.bTrue, 4.2);
    d.X.forEach((x, i) => assertClose(d.y[i], 2 * x[0] - 3.4 * x[1] + x[2] + 4.2, 1e-12, `y[${i}]`));
  });

  it('is reproducible per seed, draws w from the seed when not given, and adds noise of std σ', () => {
    assert.deepEqual(linearRegressionData({ n: 5, dim: 2, seed: 1 }), linearRegressionData({ n: 5, dim: 2, seed: 1 }));
    assert.notDeepEqual(linearRegressionData({ n: 5, dim: 2, seed: 1 }).wTrue, linearRegressionData({ n: 5, dim: 2, seed: 2 }).wTrue);
    const sigma = 0.5;
    const d = linearRegressionData({ n: 4000, dim: 2, noise: sigma, seed: 9, w: [1, -1] });
    const r = d.X.map((x, i) => d.y[i] - (x[0] - x[1]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    assert.ok(Math.abs(mean) < 0.03, `residual mean ${mean}`);
    assert.ok(Math.abs(sd - sigma) < 0.02, `residual sd ${sd}`);
    // features are standard normal
    const x0 = d.X.map((x) => x[0]);
    const m0 = x0.reduce((a, b) => a + b, 0) / x0.length;
    const v0 = x0.reduce((a, b) => a + (b - m0) ** 2, 0) / (x0.length - 1);
    assert.ok(Math.abs(m0) < 0.05 && Math.abs(v0 - 1) < 0.06, `x mean ${m0}, variance ${v0}`);
  });

  it('rejects bad options with the name and the value, and uses no tensors', () => {
    assert.throws(() => linearRegressionData({ n: 0, dim: 2, seed: 1 }), /n must be a positive integer; got 0/);
    assert.throws(() => linearRegressionData({ n: 5, dim: 2, seed: 1, noise: -1 }), /noise must be a finite number ≥ 0; got -1/);
    assert.throws(() => linearRegressionData({ n: 5, dim: 2, seed: 1, w: [1] }), /w must be an array of dim = 2 numbers; got \[1\]/);
    assert.throws(() => linearRegressionData({ n: 5, dim: 2, seed: NaN }), /seed must be an integer; got NaN/);
    assertNoLeak(() => linearRegressionData({ n: 50, dim: 3, seed: 1 }), 'linearRegressionData');
  });
});

describe('twoMoons', () => {
  it('without noise every point lies on its half circle: radius 1 around (−0.5, −0.25) or (0.5, 0.25)', () => {
    const d = twoMoons(200, 3, 0);
    assert.equal(d.X.length, 200);
    assert.deepEqual(d.y.slice(0, 4), [0, 1, 0, 1]);
    d.X.forEach(([x1, x2], i) => {
      // class 0: (cos a, sin a) − (0.5, 0.25), a ∈ [0, π]: upper half circle around (−0.5, −0.25)
      // class 1: (1 − cos a, 0.5 − sin a) − (0.5, 0.25): lower half circle around (0.5, 0.25)
      const [cx, cy, side] = d.y[i] === 0 ? [-0.5, -0.25, 1] : [0.5, 0.25, -1];
      assertClose(Math.hypot(x1 - cx, x2 - cy), 1, 1e-12, `radius of point ${i}`);
      assert.ok(side * (x2 - cy) >= -1e-12, `point ${i} is on the wrong half`);
    });
  });

  it('is seeded, balanced, and its noise has the standard deviation asked for', () => {
    assert.deepEqual(twoMoons(64, 7, 0.15), twoMoons(64, 7, 0.15));
    assert.notDeepEqual(twoMoons(64, 7, 0.15).X, twoMoons(64, 8, 0.15).X);
    const clean = twoMoons(4000, 9, 0);
    const noisy = twoMoons(4000, 9, 0.2);
    assert.deepEqual(noisy.y, clean.y);
    assert.equal(noisy.y.filter((c) => c === 1).length, 2000);
    // same angles (one uniform per example comes first), so the difference is the noise σξ alone
    const diffs = noisy.X.flatMap((p, i) => [p[0] - clean.X[i][0], p[1] - clean.X[i][1]]);
    const sd = Math.sqrt(diffs.reduce((s, v) => s + v * v, 0) / diffs.length);
    assertClose(sd, 0.2, 0.01, 'noise standard deviation');
  });

  it('rejects bad arguments with the name and the value', () => {
    assert.throws(() => twoMoons(0, 1, 0.1), /n must be a positive integer; got 0/);
    assert.throws(() => twoMoons(10, 1.5, 0.1), /seed must be an integer; got 1\.5/);
    assert.throws(() => twoMoons(10, 1, -1), /noise must be a finite number ≥ 0; got -1/);
  });
});
