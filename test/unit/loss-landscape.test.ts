import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mlp, type Mlp } from '../../src/nets/mlp';
import { rng } from '../../src/core/random';
import {
  filterNormalizedDirection,
  filterNorms,
  interpolate,
  interpolationCurve,
  lossOnAffineFamily,
  paramShapes,
  slice1D,
  slice2D,
} from '../../src/nets/loss-landscape';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/** Three Gaussian blobs in R⁴ with one-hot labels (X [N, 4], Y [N, 3]). */
function blobs(N: number, seed: number): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const r = rng(seed);
  const xa = new Float32Array(N * 4);
  const ya = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    const c = i % 3;
    for (let j = 0; j < 4; j++) xa[4 * i + j] = (j === c ? 2 : 0) + 0.8 * r.normal();
    ya[3 * i + c] = 1;
  }
  return { X: tf.tensor2d(xa, [N, 4]), Y: tf.tensor2d(ya, [N, 3]) };
}

/** θ + Σ c_k d_k as a plain array. */
function combine(theta: Float32Array, dirs: Float32Array[], c: number[]): Float32Array {
  return theta.map((v, i) => v + dirs.reduce((s, d, k) => s + c[k] * d[i], 0));
}

/** Accuracy of the model at θ computed directly (argmax ŷ = argmax y). */
function accAt(model: Mlp, theta: Float32Array, X: tf.Tensor, Y: tf.Tensor): number {
  return tf.tidy(() => {
    const z = model.forwardWith(model.unflatten(tf.tensor1d(theta)), X);
    return tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), tf.argMax(Y, 1)), 'float32')).dataSync()[0];
  });
}

describe('filter-normalised directions (Li et al. 2018)', () => {
  it('every filter of d has the norm of the same filter of θ; biases are 0', () => {
    const model = mlp({ sizes: [4, 6, 5, 3], seed: 2 });
    const theta = model.getFlat();
    const shapes = paramShapes(model);
    assert.deepEqual(shapes, [[4, 6], [6], [6, 5], [5], [5, 3], [3]]);
    const d = filterNormalizedDirection(theta, shapes, 11);
    const nd = filterNorms(d, shapes);
    const nt = filterNorms(theta, shapes);
    // weights: one norm per output unit (last axis), equal to θ's
    assert.equal(nd[0].length, 6);
    assert.equal(nd[2].length, 5);
    for (const p of [0, 2, 4]) assertClose(nd[p], nt[p], 1e-5 * Math.max(...nt[p]), `filter norms of parameter ${p}`);
    // biases: d_b = 0
    for (const p of [1, 3, 5]) assert.deepEqual(nd[p], [0]);
    // filter j of W1 is column j: check one by hand
    const col = [0, 1, 2, 3].map((i) => d[i * 6 + 2]);
    const colT = [0, 1, 2, 3].map((i) => theta[i * 6 + 2]);
    assertClose(Math.hypot(...col), Math.hypot(...colT), 1e-5, 'column 2 of W1');
    // the direction is not θ itself (it is random, only the norms are shared)
    assert.ok(Math.abs(d[0] - theta[0]) > 1e-6 || Math.abs(d[1] - theta[1]) > 1e-6);
    model.dispose();
  });

  it('is seeded, and bias "copy" copies θ_b', () => {
    const model = mlp({ sizes: [3, 4, 2], seed: 5, biasInit: 0.3 });
    const theta = model.getFlat();
    const shapes = paramShapes(model);
    assert.deepEqual(Array.from(filterNormalizedDirection(theta, shapes, 1)), Array.from(filterNormalizedDirection(theta, shapes, 1)));
    assert.notDeepEqual(Array.from(filterNormalizedDirection(theta, shapes, 1)), Array.from(filterNormalizedDirection(theta, shapes, 2)));
    const dc = filterNormalizedDirection(theta, shapes, 1, { bias: 'copy' });
    // b1 sits after W1 (3·4 = 12 entries)
    assertClose(dc.slice(12, 16), theta.slice(12, 16), 0, 'b1 copied');
    model.dispose();
  });

  it('handles conv-like kernels: a filter is one index of the last axis', () => {
    // a [2, 2, 1, 3] kernel: 3 filters of 4 entries each, filter f at positions 3j + f
    const shapes = [[2, 2, 1, 3]];
    const theta = Float32Array.from({ length: 12 }, (_, i) => (i % 3) + 1); // filter f has entries f + 1
    const norms = filterNorms(theta, shapes)[0];
    assertClose(norms, [2, 4, 6], 1e-6, 'filter norms √(4 (f+1)²)');
    assertClose(filterNorms(filterNormalizedDirection(theta, shapes, 3), shapes)[0], [2, 4, 6], 1e-5, 'normalised');
  });

  it('rejects bad input naming it', () => {
    assert.throws(() => filterNormalizedDirection([1, 2, 3], [[2, 2]], 1), /theta must have length 4; got length 3/);
    assert.throws(() => filterNormalizedDirection([1, 2, NaN, 4], [[2, 2]], 1), /theta\[2\] must be a finite number; got NaN/);
    assert.throws(() => filterNormalizedDirection([1, 2, 3, 4], [[2, 0]], 1), /shapes\[0\] must be a list of positive integers/);
    assert.throws(() => filterNormalizedDirection([1, 2, 3, 4], [[2, 2]], NaN), /seed must be a finite number; got NaN/);
    assert.throws(() => filterNormalizedDirection([1, 2, 3, 4], [[2, 2]], 1, { bias: 'keep' as 'zero' }), /bias must be 'zero' or 'copy'; got "keep"/);
  });
});

describe('interpolation and slices', () => {
  it('interpolate: (1 − α)θ₀ + αθ₁, endpoints exact', () => {
    assert.deepEqual(Array.from(interpolate([1, 2], [3, 6], 0)), [1, 2]);
    assert.deepEqual(Array.from(interpolate([1, 2], [3, 6], 1)), [3, 6]);
    assert.deepEqual(Array.from(interpolate([1, 2], [3, 6], 0.5)), [2, 4]);
    assert.deepEqual(Array.from(interpolate([1, 2], [3, 6], -1)), [-1, -2]);
    assert.throws(() => interpolate([1, 2], [3], 0.5), /theta1 must have length 2; got length 1/);
    assert.throws(() => interpolate([1, 2], [3, 4], NaN), /alpha must be a finite number; got NaN/);
  });

  it('interpolation endpoints reproduce the losses at θ₀ and θ₁ (model.lossAt), and the accuracy', () => {
    const { X, Y } = blobs(90, 1);
    const model = mlp({ sizes: [4, 8, 8, 3], seed: 3 });
    const theta0 = model.getFlat();
    const r = rng(9);
    const theta1 = theta0.map((v) => v + 0.5 * r.normal());
    const c = assertNoLeak(() => interpolationCurve(model, theta0, theta1, [0, 0.25, 1], X, Y), 'interpolationCurve');
    const l0 = model.lossAt(theta0, X, Y, 'softmaxCrossEntropy');
    const l1 = model.lossAt(theta1, X, Y, 'softmaxCrossEntropy');
    assertClose(c.loss[0], l0, 1e-5 * Math.max(1, l0), 'L(θ(0)) = L(θ₀)');
    assertClose(c.loss[2], l1, 1e-5 * Math.max(1, l1), 'L(θ(1)) = L(θ₁)');
    const lq = model.lossAt(interpolate(theta0, theta1, 0.25), X, Y, 'softmaxCrossEntropy');
    assertClose(c.loss[1], lq, 1e-5 * Math.max(1, lq), 'L(θ(0.25))');
    assertClose(c.accuracy as number[], [accAt(model, theta0, X, Y), accAt(model, interpolate(theta0, theta1, 0.25), X, Y), accAt(model, theta1, X, Y)], 1e-6, 'accuracy');
    // the model's own variables are untouched
    assertClose(model.getFlat(), theta0, 0, 'model parameters');
    tf.dispose([X, Y]);
    model.dispose();
  });

  it('lossOnAffineFamily equals direct evaluation θ + Σ c_k d_k for random points, in any chunk size', () => {
    const { X, Y } = blobs(60, 2);
    for (const activation of ['relu', 'tanh'] as const) {
      const model = mlp({ sizes: [4, 7, 5, 3], seed: 4, activation });
      const theta = model.getFlat();
      const shapes = paramShapes(model);
      const dirs = [filterNormalizedDirection(theta, shapes, 1), filterNormalizedDirection(theta, shapes, 2, { bias: 'copy' })];
      const r = rng(3);
      const coeffs = Array.from({ length: 7 }, () => [2 * r.uniform() - 1, 2 * r.uniform() - 1]);
      const direct = coeffs.map((c) => model.lossAt(combine(theta, dirs, c), X, Y, 'softmaxCrossEntropy'));
      for (const chunk of [1, 3, 32]) {
        const v = assertNoLeak(() => lossOnAffineFamily(model, theta, dirs, coeffs, X, Y, { chunk }), 'lossOnAffineFamily');
        assertClose(v.loss, direct, 1e-4, `${activation}, chunk ${chunk}`);
      }
      model.dispose();
    }
    tf.dispose([X, Y]);
  });

  it('works for a one-layer model and for mse regression (no accuracy then)', () => {
    const r = rng(5);
    const X = tf.tensor2d(Float32Array.from({ length: 40 }, () => r.normal()), [20, 2]);
    const Y = tf.tensor2d(Float32Array.from({ length: 20 }, () => r.normal()), [20, 1]);
    const lin = mlp({ sizes: [2, 1], seed: 1 });
    const theta = lin.getFlat();
    const d = Float32Array.from([1, 0, 0]);
    const v = assertNoLeak(() => slice1D(lin, theta, d, [-1, 0, 2], X, Y, { loss: 'mse' }), 'slice1D');
    assert.equal(v.accuracy, undefined);
    assertClose(v.loss, [-1, 0, 2].map((a) => lin.lossAt(combine(theta, [d], [a]), X, Y, 'mse')), 1e-5, 'linear model slice');
    tf.dispose([X, Y]);
    lin.dispose();
  });

  it('slice2D: loss[j][i] = L(θ + α_i d₁ + β_j d₂), rows β and columns α', () => {
    const { X, Y } = blobs(30, 3);
    const model = mlp({ sizes: [4, 6, 3], seed: 6 });
    const theta = model.getFlat();
    const shapes = paramShapes(model);
    const d1 = filterNormalizedDirection(theta, shapes, 1);
    const d2 = filterNormalizedDirection(theta, shapes, 2);
    const alphas = [-1, 0, 0.5];
    const betas = [-0.5, 1];
    const s = assertNoLeak(() => slice2D(model, theta, d1, d2, alphas, betas, X, Y, { chunk: 4 }), 'slice2D');
    assert.equal(s.loss.length, 2);
    assert.equal(s.loss[0].length, 3);
    assertClose(s.loss[1][0], model.lossAt(combine(theta, [d1, d2], [-1, 1]), X, Y, 'softmaxCrossEntropy'), 1e-5, 'L(θ − d₁ + d₂)');
    assertClose(s.loss[0][1], model.lossAt(combine(theta, [d1, d2], [0, -0.5]), X, Y, 'softmaxCrossEntropy'), 1e-5, 'L(θ − ½d₂)');
    // the centre of a 1D slice is the loss at θ
    const c = slice1D(model, theta, d1, [0], X, Y);
    assertClose(c.loss[0], model.lossAt(theta, X, Y, 'softmaxCrossEntropy'), 1e-5, 'L(θ)');
    tf.dispose([X, Y]);
    model.dispose();
  });

  it('rejects bad input naming it', () => {
    const { X, Y } = blobs(6, 4);
    const model = mlp({ sizes: [4, 3, 3], seed: 1 });
    const theta = model.getFlat();
    const d = new Float32Array(theta.length);
    const narrow = X.slice([0, 0], [6, 3]);
    const baseline = tf.memory().numTensors;
    assert.throws(() => slice1D(model, theta, d.subarray(1), [0], X, Y), new RegExp(`directions\\[0\\] must have length ${theta.length}; got length ${theta.length - 1}`));
    assert.throws(() => slice1D(model, theta, d, [], X, Y), /alphas must be a non-empty array of numbers/);
    assert.throws(() => slice1D(model, theta, d, [0, Infinity], X, Y), /alphas\[1\] must be a finite number; got Infinity/);
    assert.throws(() => slice1D(model, theta, d, [0], narrow, Y), /X must be a tensor of shape \[N, 4\]; got shape \[6,3\]/);
    assert.throws(() => slice1D(model, theta, d, [0], X, Y, { chunk: 0 }), /chunk must be a positive integer; got 0/);
    assert.throws(() => lossOnAffineFamily(model, theta, [d], [[1, 2]], X, Y), /coeffs\[0\] must have length 1; got length 2/);
    // a direction so large that the loss overflows is reported, not returned as NaN/Infinity
    const huge = new Float32Array(theta.length).fill(1e30);
    assert.throws(() => slice1D(model, theta, huge, [0, 1e8], X, Y), /the loss at coeffs\[1\] = \[100000000\] is not finite/);
    assert.equal(tf.memory().numTensors, baseline, 'no tensors left behind by the failed calls');
    tf.dispose([X, Y, narrow]);
    model.dispose();
  });
});
