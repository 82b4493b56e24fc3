import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective } from '../../src/core/objective';
import { minimize } from '../../src/training/minimize';
import { adam, emaMomentum, newton, sgd } from '../../src/optimizers';
import { linearDecay } from '../../src/core/schedules';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';
import { trajectoryFrame } from '../../src/edge/table';

before(setupBackend);

/** f(x) = x² in 1D. */
const square = defineObjective({ name: 'x²', dim: 1, fn: (x) => tf.sum(tf.square(x), 0) });
/** f(x, y) = x² + 10y². */
const bowl = defineObjective({
  name: 'bowl',
  dim: 2,
  fn: (x) => {
    const [a, b] = tf.unstack(x);
    return tf.add(tf.square(a), tf.mul(10, tf.square(b)));
  },
});
/** f = 0: the gradient is 0, so with noise the iterates are a pure random walk. */
const flat = defineObjective({ name: 'flat', dim: 2, fn: (x) => tf.mul(0, tf.sum(x, 0)) });

describe('minimize', () => {
  it('returns steps + 1 points starting at x0, with f and ‖∇f‖ at each point and ε_k for each step', () => {
    const tr = minimize(bowl, sgd({ lr: 0.04 }), { x0: [1.5, -0.8], steps: 25 });
    assert.equal(tr.diverged, undefined);
    assert.deepEqual(tr.points[0], [1.5, -0.8]);
    assert.equal(tr.points.length, 26);
    assert.equal(tr.losses.length, 26);
    assert.equal(tr.gradNorms.length, 26);
    assert.equal(tr.lrs.length, 25);
    assert.ok(tr.lrs.every((l) => l === 0.04));
    for (const k of [0, 1, 10, 25]) {
      const [x, y] = tr.points[k];
      assertClose(tr.losses[k], x * x + 10 * y * y, 1e-5 * (1 + tr.losses[k]), `f(x_${k})`);
      assertClose(tr.gradNorms[k], Math.hypot(2 * x, 20 * y), 1e-5 * (1 + tr.gradNorms[k]), `‖∇f(x_${k})‖`);
    }
    // GD on a separable quadratic: x_k = (1 − 2ε)^k x_0, y_k = (1 − 20ε)^k y_0
    assertClose(tr.points[25], [1.5 * Math.pow(1 - 0.08, 25), -0.8 * Math.pow(1 - 0.8, 25)], 1e-6, 'x_25');
    assert.equal(tr.objective, 'bowl');
    assert.equal(tr.optimizer, 'sgd');
  });

  it('stops GD on x² with lr = 1.1 when ‖x_k‖ passes the bound, reports the step, and returns no NaN', () => {
    // x_{k+1} = x_k − 1.1 · 2x_k = −1.2 x_k, so |x_k| = 1.2^k; the default bound is 1e6 · (1 + |x_0|) = 2e6
    const tr = assertNoLeak(() => minimize(square, sgd({ lr: 1.1 }), { x0: [1], steps: 500 }), 'diverging minimize');
    const expected = Math.ceil(Math.log(2e6) / Math.log(1.2));
    assert.equal(expected, 80);
    assert.ok(tr.diverged, 'diverged is set');
    assert.equal(tr.diverged.step, expected);
    assert.match(tr.diverged.reason, /‖x_80‖ = .* exceeds maxNorm = 2\.000e\+6/);
    assert.equal(tr.points.length, expected);
    assert.ok(tr.points.flat().every(Number.isFinite) && tr.losses.every(Number.isFinite));
    // a custom bound: 1.2^13 ≈ 10.7 is the first above 10
    assert.equal(minimize(square, sgd({ lr: 1.1 }), { x0: [1], steps: 500, maxNorm: 10 }).diverged?.step, 13);
  });

  it('with no norm bound, stops at the first loss that overflows float32', () => {
    const tr = minimize(square, sgd({ lr: 1.1 }), { x0: [1], steps: 1000, maxNorm: Infinity });
    assert.ok(tr.diverged);
    assert.match(tr.diverged.reason, /^f\(x_\d+\) is Infinity$/);
    assert.equal(tr.points.length, tr.diverged.step);
    assert.ok(tr.losses.every(Number.isFinite));
    // |x| = 1.2^k overflows x² in float32 (max ≈ 3.4e38) once 1.2^k > 1.8e19, i.e. k ≈ 243
    assert.ok(Math.abs(tr.diverged.step - Math.log(Math.sqrt(3.4028235e38)) / Math.log(1.2)) < 2, `step ${tr.diverged.step}`);
  });

  it('adds seeded Gaussian gradient noise σξ: reproducible for a seed, and σ is the standard deviation', () => {
    const run = (seed: number) => minimize(bowl, sgd({ lr: 0.01 }), { x0: [1, 1], steps: 50, noise: 0.5, seed });
    assert.deepEqual(run(7).points, run(7).points);
    assert.notDeepEqual(run(7).points, run(8).points);
    // on f = 0 with GD: x_{k+1} − x_k = −ε σ ξ_k, so the increments / (εσ) are N(0, 1) samples
    const eps = 0.1;
    const sigma = 0.3;
    const tr = minimize(flat, sgd({ lr: eps }), { x0: [0, 0], steps: 2000, noise: sigma, seed: 1 });
    const z: number[] = [];
    for (let k = 1; k < tr.points.length; k++) for (let i = 0; i < 2; i++) z.push((tr.points[k][i] - tr.points[k - 1][i]) / (-eps * sigma));
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1);
    assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.07, `variance ${variance}`);
    // gradNorms report the exact gradient, not the noisy one
    assert.ok(tr.gradNorms.every((g) => g === 0));
  });

  it('follows a schedule: ε_k is recorded and used for the k-th update', () => {
    const schedule = linearDecay({ lr0: 0.04, tau: 10 });
    const tr = minimize(bowl, sgd({ lr: 1 }), { x0: [1, 0.5], steps: 20, schedule });
    assert.deepEqual(tr.lrs, Array.from({ length: 20 }, (_, k) => schedule(k)));
    // x_1 = x_0 − ε_0 ∇f(x_0) with ε_0 = 0.04
    assertClose(tr.points[1], [1 - 0.04 * 2, 0.5 - 0.04 * 10], 1e-6, 'x_1');
    // after τ: ε = 0.0004, so one step scales x by (1 − 2ε)
    assertClose(tr.points[15][0] / tr.points[14][0], 1 - 2 * 0.0004, 1e-6, 'x_15 / x_14');
  });

  it('records optimizer buffers at every point when asked, and names the missing ones', () => {
    const tr = minimize(bowl, adam({ lr: 0.1 }), { x0: [1, 0.5], steps: 10, record: ['m', 'v'] });
    assert.ok(tr.states);
    assert.equal(tr.states.m.length, 11);
    assert.deepEqual(tr.states.m[0], [0, 0]);
    // m_1 = (1 − β₁) g_0, v_1 = (1 − β₂) g_0² with g_0 = (2, 10)
    assertClose(tr.states.m[1], [0.2, 1], 1e-6, 'm_1');
    assertClose(tr.states.v[1], [0.004, 0.1], 1e-6, 'v_1');
    assert.throws(
      () => minimize(bowl, adam(), { x0: [1, 0.5], steps: 2, record: ['vmax'] }),
      /record: adam has no state buffer "vmax" \(it has: m, v\)/,
    );
    assert.equal(minimize(bowl, adam(), { x0: [1, 0.5], steps: 2 }).states, undefined);
    // a name the optimizer's type does not have does not compile (npm run typecheck fails if these lines compile);
    // at run time the same names are rejected with the buffers it has
    assert.throws(
      // @ts-expect-error adam() has buffers m, v, vmax: 'q' is not one of them
      () => minimize(bowl, adam(), { x0: [1, 0.5], steps: 2, record: ['q'] }),
      /record: adam has no state buffer "q" \(it has: m, v\)/,
    );
    assert.throws(
      // @ts-expect-error newton() has no buffer at all
      () => minimize(bowl, newton(), { x0: [1, 0.5], steps: 2, record: ['v'] }),
      /record: newton has no state buffer "v" \(it has: none\)/,
    );
  });

  it('gives Newton the Hessian at each iterate', () => {
    const tr = minimize(bowl, newton(), { x0: [3, -2], steps: 2 });
    assertClose(tr.points[1], [0, 0], 1e-6, 'x_1');
    assertClose(tr.losses[1], 0, 1e-10, 'f(x_1)');
  });

  it('trajectoryFrame (edge) makes a polars table with step, x0…, loss, grad_norm, lr (null on the last row) and recorded buffers', () => {
    const tr = minimize(bowl, emaMomentum({ lr: 0.05 }), { x0: [1, 0.5], steps: 4, record: ['v'] });
    const df = trajectoryFrame(tr);
    assert.deepEqual(df.columns, ['step', 'x0', 'x1', 'loss', 'grad_norm', 'lr', 'v0', 'v1']);
    assert.equal(df.height, 5);
    assert.deepEqual(df.getColumn('step').toArray(), [0, 1, 2, 3, 4]);
    assert.deepEqual(df.getColumn('lr').toArray(), [0.05, 0.05, 0.05, 0.05, null]);
    assert.deepEqual(df.getColumn('x1').toArray(), tr.points.map((p) => p[1]));
  });

  it('rejects a bad x0, steps, noise, schedule value or option, naming it', () => {
    const opt = sgd({ lr: 0.1 });
    assert.throws(() => minimize(bowl, opt, { x0: [1], steps: 5 }), /x0 must have length 2 .*got length 1/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, NaN], steps: 5 }), /x0\[1\] must be a finite number; got NaN/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 0 }), /steps must be a positive integer; got 0/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 2.5 }), /steps must be a positive integer; got 2\.5/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 5, noise: -1 }), /noise must be a finite number ≥ 0 .*got -1/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 5, seed: 0.5 }), /seed must be an integer; got 0\.5/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 5, maxNorm: 0 }), /maxNorm must be a number > 0; got 0/);
    assert.throws(() => minimize(bowl, opt, { x0: [1, 2], steps: 5, lr: 0.1 } as never), /minimize: unknown option "lr"/);
    assert.throws(() => assertNoLeak(() => minimize(bowl, opt, { x0: [1, 2], steps: 5, schedule: (k) => (k < 3 ? 0.1 : -1) })), /schedule\(3\) must return a finite number ≥ 0; got -1/);
  });

  it('leaks no tensors (plain, noisy, recorded, Newton, failing mid-run)', () => {
    assertNoLeak(() => minimize(bowl, adam({ lr: 0.1, amsgrad: true }), { x0: [1, 2], steps: 30, record: ['vmax'] }), 'adam');
    assertNoLeak(() => minimize(bowl, sgd({ lr: 0.01, momentum: 0.9 }), { x0: [1, 2], steps: 30, noise: 1, seed: 3 }), 'noisy sgd');
    assertNoLeak(() => minimize(bowl, newton({ saddleFree: true }), { x0: [1, 2], steps: 3 }), 'newton');
    const before = tf.memory().numTensors;
    assert.throws(() => minimize(bowl, sgd({ lr: 0.1 }), { x0: [1, 2], steps: 10, schedule: (k) => (k === 5 ? NaN : 0.1) }));
    assert.equal(tf.memory().numTensors, before, 'a run that throws mid-way frees its tensors');
    const noHessian = { ...bowl, hessian: (): number[][] => { throw new Error('no Hessian here'); } };
    assert.throws(() => minimize(noHessian, newton(), { x0: [1, 2], steps: 3 }), /no Hessian here/);
    assert.equal(tf.memory().numTensors, before, 'a Hessian that throws frees the gradient too');
  });
});
