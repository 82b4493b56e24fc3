import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { linearRegressionData } from '../../src/problems/synthetic-data';
import { adam, sgd } from '../../src/optimizers';
import { exampleGradients, leastSquares, regressionHessian, regressionLoss } from '../../src/problems/regression';
import { fitLinearRegression } from '../../src/training/fit-regression';
import { linearDecay } from '../../src/core/schedules';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const data = linearRegressionData({ n: 60, dim: 3, noise: 0.3, seed: 11, w: [2, -3.4, 1], b: 4.2 });

/** Plain float64 full-batch GD on J: θ ← θ − η (1/n) Aᵀ(Aθ − y). */
function gdReference(eta: number, steps: number): number[] {
  const n = data.X.length;
  let theta = [0, 0, 0, 0];
  for (let k = 0; k < steps; k++) {
    const g = [0, 0, 0, 0];
    data.X.forEach((row, i) => {
      const a = [...row, 1];
      const r = a.reduce((s, v, j) => s + v * theta[j], 0) - data.y[i];
      a.forEach((v, j) => (g[j] += (r * v) / n));
    });
    theta = theta.map((t, j) => t - eta * g[j]);
  }
  return theta;
}

describe('closed forms of least squares', () => {
  it('leastSquares solves the normal equations AᵀA θ = Aᵀy and recovers the generating weights', () => {
    const fit = leastSquares(data);
    const H = regressionHessian(data);
    const theta = [...fit.w, fit.b];
    // ∇J(θ*) = (1/n) Aᵀ(Aθ* − y) = 0
    const g = exampleGradients(data, fit).reduce((s, row) => s.map((v, j) => v + row[j] / data.X.length), [0, 0, 0, 0]);
    assertClose(g, [0, 0, 0, 0], 1e-12, '∇J(θ*)');
    // H θ* = (1/n) Aᵀ y
    const Aty = [0, 1, 2, 3].map((j) => data.X.reduce((s, row, i) => s + (j < 3 ? row[j] : 1) * data.y[i], 0) / data.X.length);
    assertClose(H.map((row) => row.reduce((s, v, j) => s + v * theta[j], 0)), Aty, 1e-10, 'Hθ*');
    assertClose(theta, [2, -3.4, 1, 4.2], 0.2, 'θ* ≈ θ_true');
    // any other θ has a larger loss
    const J = regressionLoss(data, fit);
    assert.ok(regressionLoss(data, { w: [fit.w[0] + 1e-3, fit.w[1], fit.w[2]], b: fit.b }) > J);
    assert.ok(regressionLoss(data, { w: fit.w, b: fit.b - 1e-3 }) > J);
  });

  it('regressionLoss and the mean of exampleGradients match tfjs (tf.grad of the mean loss)', () => {
    const fit = { w: [0.5, -1, 2], b: 0.3 };
    const { loss, grad } = assertNoLeak(
      () =>
        tf.tidy(() => {
          const A = tf.tensor2d(data.X.map((r) => [...r, 1]));
          const y = tf.tensor1d(data.y);
          const f = (t: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.sum(tf.mul(A, t), 1), y))).mul(0.5) as tf.Scalar;
          const t0 = tf.tensor1d([...fit.w, fit.b]);
          return { loss: f(t0).dataSync()[0], grad: Array.from(tf.grad(f)(t0).dataSync()) };
        }),
      'tf reference',
    );
    const J = regressionLoss(data, fit);
    assertClose(J, loss, 1e-5 * J, 'J');
    const G = exampleGradients(data, fit);
    assert.equal(G.length, 60);
    assert.equal(G[0].length, 4);
    const mean = G.reduce((s, row) => s.map((v, j) => v + row[j] / 60), [0, 0, 0, 0]);
    assertClose(mean, grad, 1e-4, 'mean ∇lᵢ');
    // one example by hand: ∇l₀ = r₀ (x₀, 1)
    const r0 = data.X[0].reduce((s, v, j) => s + v * fit.w[j], fit.b) - data.y[0];
    assertClose(G[0], [...data.X[0].map((v) => r0 * v), r0], 1e-12, '∇l₀');
  });

  it('rejects bad input naming the parameter and the value', () => {
    assert.throws(() => leastSquares({ X: [[1], [2]], y: [1] }), /data\.y must have one target per row of X \(2\); got length 1/);
    assert.throws(() => leastSquares({ X: [[1, 2]], y: [1] }), /leastSquares needs n ≥ d \+ 1 = 3 examples; got n = 1/);
    assert.throws(() => leastSquares({ X: [[1], [1], [1]], y: [1, 2, 3] }), /linearly dependent/);
    assert.throws(() => regressionLoss({ X: [[1, NaN]], y: [0] }, { w: [0, 0], b: 0 }), /data\.X\[0\]\[1\] must be a finite number; got NaN/);
    assert.throws(() => regressionLoss(data, { w: [0, 0], b: 0 }), /fit\.w must have d = 3 weights/);
    assert.throws(() => exampleGradients(data, { w: [0, 0, 0], b: Infinity }), /fit\.b must be a finite number; got Infinity/);
  });
});

describe('fitLinearRegression', () => {
  it('with the full batch and sgd it is gradient descent: matches a float64 GD loop and tracks J', () => {
    const h = assertNoLeak(() => fitLinearRegression(data, { optimizer: sgd({ lr: 0.3 }), batchSize: 60, epochs: 25, recordParams: true }), 'fit');
    assert.deepEqual(h.step, Array.from({ length: 26 }, (_, k) => k));
    assert.deepEqual(h.epoch, h.step);
    const ref = gdReference(0.3, 25);
    assertClose([...h.final.w, h.final.b], ref, 2e-5, 'θ_25');
    assertClose(h.params![25], ref, 2e-5, 'params[25]');
    assertClose(h.loss[25], regressionLoss(data, { w: ref.slice(0, 3), b: ref[3] }), 1e-5, 'J(θ_25)');
    assert.ok(h.loss.every((l, k) => k === 0 || l < h.loss[k - 1]), 'GD decreases J monotonically at this step size');
    assert.ok(h.seconds.every((s, k) => s >= 0 && (k === 0 || s >= h.seconds[k - 1])));
    assert.equal(h.lrs.length, 25);
    assert.equal(h.diverged, undefined);
  });

  it('is reproducible per seed, reshuffles (another seed differs), and shuffle: false visits the dataset in order', () => {
    const run = (seed: number, shuffle = true) =>
      fitLinearRegression(data, { optimizer: sgd({ lr: 0.05 }), batchSize: 7, epochs: 3, seed, shuffle }).final;
    const a = assertNoLeak(() => run(1), 'fit');
    assert.deepEqual(run(1), a);
    assert.notDeepEqual(run(2), a);
    // in order, online (m = 1), one epoch: θ_{i+1} = θ_i − η rᵢ (xᵢ, 1) for i = 0 … n−1
    const eta = 0.02;
    let theta = [0, 0, 0, 0];
    data.X.forEach((row, i) => {
      const a4 = [...row, 1];
      const r = a4.reduce((s, v, j) => s + v * theta[j], 0) - data.y[i];
      theta = theta.map((t, j) => t - eta * r * a4[j]);
    });
    const h = fitLinearRegression(data, { optimizer: sgd({ lr: eta }), batchSize: 1, epochs: 1, shuffle: false, evalEvery: 20 });
    assertClose([...h.final.w, h.final.b], theta, 1e-4, 'online θ_n');
    assert.deepEqual(h.step, [0, 20, 40, 60]);
    assertClose(h.epoch, [0, 1 / 3, 2 / 3, 1], 1e-12, 'epoch');
  });

  it('passes the schedule to the optimizer, keeps the remainder batch, and works with other optimizers', () => {
    const sched = linearDecay({ lr0: 0.1, tau: 10 });
    const h = assertNoLeak(() => fitLinearRegression(data, { optimizer: sgd({ lr: 1 }), batchSize: 25, epochs: 5, schedule: sched }), 'fit');
    // 60 examples in batches of 25: 3 updates per epoch (25, 25, 10)
    assert.equal(h.lrs.length, 15);
    assertClose(h.lrs, Array.from({ length: 15 }, (_, k) => sched(k)), 0, 'ε_k');
    assertClose(h.epoch, [0, 1, 2, 3, 4, 5], 1e-12, 'epochs');
    const a = assertNoLeak(() => fitLinearRegression(data, { optimizer: adam({ lr: 0.1 }), batchSize: 10, epochs: 40 }), 'adam fit');
    const best = regressionLoss(data, leastSquares(data));
    assert.ok(a.loss.at(-1)! < best + 0.05, `adam reaches the least-squares loss: ${a.loss.at(-1)} vs ${best}`);
  });

  it('stops and reports when J is no longer finite (too large a step), with only finite numbers logged', () => {
    const h = assertNoLeak(() => fitLinearRegression(data, { optimizer: sgd({ lr: 50 }), batchSize: 60, epochs: 400 }), 'diverging fit');
    assert.ok(h.diverged, 'diverged is set');
    assert.match(h.diverged.reason, /J\(θ_\d+\) is (Infinity|NaN)/);
    assert.ok(h.loss.every(Number.isFinite));
    assert.equal(h.step.at(-1)! + 1, h.diverged.step);
  });

  it('rejects bad options naming the parameter and the value', () => {
    const opt = sgd({ lr: 0.1 });
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 0, epochs: 1 }), /batchSize must be an integer in \[1, n = 60\]; got 0/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 61, epochs: 1 }), /got 61/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 5, epochs: 1.5 }), /epochs must be a positive integer; got 1\.5/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 5, epochs: 1, evalEvery: 0 }), /evalEvery must be a positive integer; got 0/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 5, epochs: 1, schedule: () => -1 }), /schedule\(0\) must return a finite number ≥ 0; got -1/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 5, epochs: 1, init: { w: [0], b: 0 } }), /init\.w must have d = 3 weights/);
    assert.throws(() => fitLinearRegression(data, { optimizer: opt, batchSize: 5, epochs: 1, lr: 3 } as never), /unknown option "lr"/);
  });
});
