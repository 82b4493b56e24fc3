import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { adam, disposeState, sgd, type Optimizer } from '../../src/optimizers';
import { divergence, stepper } from '../../src/training/step';
import { runEpochs } from '../../src/training/loop';
import { epochOrder, minibatches, planEpoch } from '../../src/training/batches';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const F = { f: 'f', x: 'x' };
/** θ as a tf.Variable (the caller disposes it). */
const variableOf = (values: number[]): tf.Variable => tf.tidy(() => tf.variable(tf.tensor1d(values)));

describe('divergence (the rule of every loop)', () => {
  it('reports the first bad value at θ_k: loss, then gradient, then iterate', () => {
    assert.equal(divergence(3, { loss: 1, grad: [0, 1], iterate: [1, 2] }, { maxLoss: 10, maxNorm: 10 }, F), undefined);
    assert.deepEqual(divergence(3, { loss: NaN, grad: [NaN], iterate: [NaN] }, {}, F), { step: 3, reason: 'f(x_3) is NaN' });
    assert.deepEqual(divergence(3, { loss: 2000 }, { maxLoss: 1000 }, { f: 'L_B', x: 'θ' }), { step: 3, reason: 'L_B(θ_3) = 2000 exceeds maxLoss = 1000' });
    assert.deepEqual(divergence(0, { loss: 1, grad: [0, Infinity] }, {}, F), { step: 0, reason: '∇f(x_0)[1] is Infinity' });
    assert.deepEqual(divergence(5, { gradNorm: NaN }, {}, { f: 'L_B', x: 'θ' }), { step: 5, reason: '‖∇L_B(θ_5)‖ is NaN' });
    assert.deepEqual(divergence(7, { iterate: [1, -Infinity] }, {}, F), { step: 7, reason: 'x_7[1] is -Infinity' });
    assert.deepEqual(divergence(7, { iterate: [3, 4] }, { maxNorm: 4 }, F), { step: 7, reason: '‖x_7‖ = 5.000 exceeds maxNorm = 4.000' });
    // a bound only applies when given; equality is within bounds
    assert.equal(divergence(1, { loss: 1e30, iterate: [1e30] }, {}, F), undefined);
    assert.equal(divergence(1, { loss: 1000 }, { maxLoss: 1000 }, F), undefined);
  });
});

describe('stepper (ε_k, update, θ ← θ + Δθ, dispose)', () => {
  it('applies θ ← θ + update(g, state_k, θ, { lr: ε_k }) in place with ε_k = lr(k), k = state.step, and leaks nothing', () => {
    assertNoLeak(() => {
      const theta = variableOf([1, -2]);
      const lrs: number[] = [];
      const run = stepper(sgd({ lr: 0.5 }), [theta], { lr: (k) => 0.1 * (k + 1) });
      for (let i = 0; i < 3; i++) {
        assert.equal(run.k, i);
        lrs.push(run.apply([tf.tensor1d([1, 1])]) as number);
      }
      // θ_3 = θ_0 − (0.1 + 0.2 + 0.3)·(1, 1)
      assertClose(theta.dataSync(), [0.4, -2.6], 1e-6, 'θ_3');
      assertClose(lrs, [0.1, 0.2, 0.3], 1e-12, 'ε_k');
      assert.equal(run.k, 3);
      run.dispose();
      theta.dispose();
    }, 'stepper');
  });

  it('replaces plain tensors in the caller’s list by θ + Δθ and disposes the old ones (variables are assigned in place)', () => {
    assertNoLeak(() => {
      const v = variableOf([1]);
      const theta: tf.Tensor[] = [tf.tensor1d([1, -2]), v];
      const first = theta[0];
      const run = stepper(sgd({ lr: 0.5 }), theta);
      run.apply([tf.tensor1d([2, 2]), tf.tensor1d([4])]);
      assert.ok(first.isDisposed, 'θ_0 disposed');
      assert.notEqual(theta[0], first);
      assert.equal(theta[1], v, 'the variable stays the same object');
      assertClose(theta[0].dataSync(), [0, -3], 1e-7, 'θ_1 (tensor)');
      assertClose(v.dataSync(), [-1], 1e-7, 'θ_1 (variable)');
      run.dispose();
      tf.dispose(theta);
    }, 'tensor params');
  });

  it('uses the optimizer’s hyper.lr by default, a constant when given, and continues a passed state’s count', () => {
    assertNoLeak(() => {
      const theta = variableOf([0]);
      const opt = adam({ lr: 0.01 });
      const a = stepper(opt, [theta]);
      assert.equal(a.lr(), 0.01);
      a.apply([tf.tensor1d([2])]);
      a.apply([tf.tensor1d([2])]);
      const state = a.release();
      assert.equal(state?.step, 2);
      assert.throws(() => a.k, /released its optimizer state/);
      const ks: number[] = [];
      const b = stepper(opt, [theta], { state, lr: (k) => (ks.push(k), 0.01) });
      b.apply([tf.tensor1d([2])]);
      assert.deepEqual(ks, [2], 'the update 2 → 3 uses ε_2');
      assert.equal(b.k, 3);
      const c = stepper(sgd({ lr: 1 }), [theta], { lr: 0.25 });
      assert.equal(c.lr(), 0.25);
      b.dispose();
      c.dispose();
      theta.dispose();
    }, 'stepper state');
  });

  it('disposes g and leaves θ and the state usable when update throws', () => {
    assertNoLeak(() => {
      const theta = variableOf([1]);
      const run = stepper(sgd({ lr: 1 }), [theta], { lr: () => -1, lrName: 'schedule' });
      assert.throws(() => run.apply([tf.tensor1d([1])]), /schedule\(0\) must return a finite number ≥ 0; got -1/);
      assert.equal(run.k, 0);
      run.dispose();
      theta.dispose();
    }, 'stepper error');
  });

  it('drives a tf.train optimizer (its own rule; k counted here) and rejects lr and state for it', () => {
    const theta = variableOf([1, 2]);
    const opt = tf.train.sgd(0.1);
    assertNoLeak(() => {
      const run = stepper(opt, [theta]);
      run.apply([tf.tensor1d([1, -1])]);
      assert.equal(run.k, 1);
      assert.equal(run.lr(), undefined);
      assertClose(theta.dataSync(), [0.9, 2.1], 1e-6, 'θ_1');
      assert.throws(() => stepper(opt, [theta], { lr: 0.1 }), /lr cannot be passed with a tf\.train optimizer .*got 0\.1/);
      const plain = tf.tensor1d([1]);
      assert.throws(() => stepper(opt, [plain]), /a tf\.train optimizer updates tf\.Variables: params\[0\] is a plain tensor/);
      plain.dispose();
      const s = sgd({ lr: 1, momentum: 0.9 }).init([theta]);
      assert.throws(() => stepper(opt, [theta], { state: s as never }), /state applies only to optimizers of src\/optimizers/);
      disposeState(s);
    }, 'tf.train stepper');
    opt.dispose();
    theta.dispose();
  });

  it('rejects a bad optimizer or lr, naming it and the value', () => {
    const theta = variableOf([1]);
    assert.throws(() => stepper({} as Optimizer, [theta]), /optimizer must have init and update \(src\/optimizers\) or be a tf\.train optimizer; got \[object Object\]/);
    assert.throws(() => stepper(sgd({ lr: 1 }), [theta], { lr: 0 }), /lr must be a finite number > 0 or a schedule k => ε_k; got 0/);
    assert.throws(() => stepper(sgd({ lr: 1 }), [theta], { lr: NaN, lrName: 'schedule' }), /schedule must be a finite number > 0 or a schedule k => ε_k; got NaN/);
    theta.dispose();
  });
});

describe('the loop skeleton and its seeded minibatches', () => {
  it('planEpoch cuts epochOrder(n, seed, e) into the batches of minibatches(); without shuffle it keeps dataset order', () => {
    const p = planEpoch(10, 4, 7, 3, true);
    assert.deepEqual(p.order, epochOrder(10, 7, 3));
    assert.deepEqual(p.batches.map((b) => b.indices), minibatches(10, 4, 7, 3));
    assert.deepEqual(p.batches.map((b) => [b.start, b.size]), [[0, 4], [4, 4], [8, 2]]);
    const q = planEpoch(5, 2, 7, 3, false);
    assert.equal(q.order, null);
    assert.deepEqual(q.batches, [{ start: 0, size: 2, indices: null }, { start: 2, size: 2, indices: null }, { start: 4, size: 1, indices: null }]);
    assert.throws(() => planEpoch(5, 2, 1.5, 0, true), /seed must be an integer; got 1\.5/);
    assert.throws(() => planEpoch(5, 2, 1, -1, true), /epoch must be a non-negative integer; got -1/);
  });

  it('runEpochs: every batch of every epoch from firstEpoch on, endEpoch after each, stops at a divergence or on false', () => {
    const seen: string[] = [];
    const r = runEpochs({
      epochs: 2,
      firstEpoch: 4,
      n: 5,
      batchSize: 2,
      seed: 1,
      shuffle: true,
      beginEpoch: (plan) => {
        seen.push(`begin ${plan.epoch}`);
        return () => seen.push(`cleanup ${plan.epoch}`);
      },
      step: (b, plan) => (seen.push(`${plan.epoch}:${b.indices}`), undefined),
      endEpoch: (plan) => void seen.push(`end ${plan.epoch}`),
    });
    const batches = (e: number) => minibatches(5, 2, 1, e).map((b) => `${e}:${b}`);
    assert.deepEqual(seen, ['begin 4', ...batches(4), 'cleanup 4', 'end 4', 'begin 5', ...batches(5), 'cleanup 5', 'end 5']);
    assert.deepEqual(r, { epochs: 2, stopped: false });

    let steps = 0;
    const d = runEpochs({ epochs: 3, n: 4, batchSize: 1, seed: 0, shuffle: false, step: () => (++steps === 6 ? { step: 5, reason: 'test' } : undefined) });
    assert.deepEqual(d, { epochs: 1, stopped: false, diverged: { step: 5, reason: 'test' } });
    const s = runEpochs({ epochs: 3, n: 4, batchSize: 4, seed: 0, shuffle: false, step: () => undefined, endEpoch: (p) => p.epoch < 1 });
    assert.deepEqual(s, { epochs: 2, stopped: true });

    // the cleanup runs when a step throws
    let cleaned = false;
    assert.throws(
      () =>
        runEpochs({
          epochs: 1,
          n: 2,
          batchSize: 1,
          seed: 0,
          shuffle: false,
          beginEpoch: () => () => (cleaned = true),
          step: () => {
            throw new Error('boom');
          },
        }),
      /boom/,
    );
    assert.ok(cleaned);
  });
});
