/**
 * The leaner tfjs-node kernels (src/edge/tensorflow-kernels.ts) give exactly what tfjs-node's own
 * kernels give: every case below runs with the leaner kernels and again with tfjs-node's own, and the
 * values (NaN included), shapes and dtypes must be identical, as must a whole training run. On wasm
 * and cpu, nothing is replaced.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { MAX_KEPT, replacedTensorflowKernel } from '../../src/edge/tensorflow-kernels';
import { mlp } from '../../src/nets/mlp';
import { trainEpochs } from '../../src/training/train-epochs';
import { adam } from '../../src/optimizers/adam';
import { twoMoons } from '../../src/problems/synthetic-data';
import { minimize } from '../../src/training/minimize';
import { quadratic } from '../../src/problems/catalog';
import { sgd } from '../../src/optimizers/sgd';
import { assertNoLeak, setupBackend } from '../helpers';

const NAMES = ['Reshape', 'Sum', 'Mean', 'Step'];

let backend = '';
before(async () => {
  backend = await setupBackend();
});

/** Runs `fn` with tfjs-node's own kernels in place of the leaner ones, then puts the leaner ones back. */
function withOwnKernels<T>(fn: () => T): T {
  const leaner = NAMES.map((n) => tf.getKernel(n, 'tensorflow')!);
  const own = NAMES.map((n) => replacedTensorflowKernel(n));
  assert.ok(own.every(Boolean), 'every leaner kernel keeps tfjs-node’s own');
  const swap = (configs: tf.KernelConfig[]) => {
    for (const k of configs) {
      tf.unregisterKernel(k.kernelName, 'tensorflow');
      tf.registerKernel(k);
    }
  };
  swap(own as tf.KernelConfig[]);
  try {
    return fn();
  } finally {
    swap(leaner);
  }
}

interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}
/** Shape, dtype and values of what `fn` returns (then disposed). */
function result(fn: () => tf.Tensor): Result {
  return tf.tidy(() => {
    const t = fn();
    return { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) };
  });
}

/** The same shape, dtype and values, bit for bit (NaN where NaN, −0 where −0). */
function assertIdentical(a: Result, b: Result, label: string): void {
  assert.deepEqual([a.shape, a.dtype], [b.shape, b.dtype], `${label}: shape and dtype`);
  assert.equal(a.values.length, b.values.length, `${label}: size`);
  a.values.forEach((v, i) => assert.ok(Object.is(v, b.values[i]), `${label}[${i}]: ${v} (leaner) vs ${b.values[i]} (own)`));
}

/** `fn` with the leaner kernels and with tfjs-node's own: identical results, and no tensor left behind. */
function same(label: string, fn: () => tf.Tensor): void {
  const leaner = assertNoLeak(() => result(fn), label);
  const own = withOwnKernels(() => result(fn));
  assertIdentical(leaner, own, label);
}

describe('leaner tfjs-node kernels (Reshape, Sum, Mean, Step)', () => {
  it('are registered on tensorflow only', () => {
    for (const n of NAMES) {
      assert.equal(replacedTensorflowKernel(n, backend) !== undefined, backend === 'tensorflow', `${n} on ${backend}`);
    }
  });

  it('reshape: the same values and shapes as tfjs-node’s, the input itself when the shape does not change', (t) => {
    if (backend !== 'tensorflow') return t.skip('tensorflow only');
    const x = [1.5, -2, 3.25, 0, -0, 7];
    same('[2,3] → [3,2]', () => tf.reshape(tf.tensor2d(x, [2, 3]), [3, 2]));
    same('[6] → [-1, 2]', () => tf.reshape(tf.tensor1d(x), [-1, 2]));
    same('[1] → []', () => tf.reshape(tf.tensor1d([4.5]), []));
    same('int32 [4] → [2,2]', () => tf.reshape(tf.tensor1d([1, -2, 3, 4], 'int32'), [2, 2]));
    same('bool [2] → [1,2] (tfjs-node’s own)', () => tf.reshape(tf.tensor1d([1, 0], 'bool'), [1, 2]));
    same('gradient through reshape', () => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.reshape(v, [3, 2]), tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))))(tf.tensor2d(x, [2, 3])));
    const a = tf.tensor2d(x, [2, 3]);
    const b = tf.reshape(a, [2, 3]);
    assert.equal(b.dataId, a.dataId, 'same shape: the same data, no op');
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), x.map((v) => (Object.is(v, -0) ? -0 : v)), 'it outlives its input');
    b.dispose();
    assert.throws(() => tf.reshape(tf.tensor1d([1, 2, 3]), [2, 2]), /Size\(3\) must match the product of shape 2,2/);
  });

  it(`reshape: beyond ${MAX_KEPT} kept shapes each call makes and frees its own`, (t) => {
    if (backend !== 'tensorflow') return t.skip('tensorflow only');
    const before = tf.memory().numTensors;
    const x = tf.tensor1d(Array.from({ length: 12 }, (_, i) => i));
    for (let k = 0; k < MAX_KEPT + 20; k++) {
      // a different shape each time: [12] → [1, …, 1, 12] with k ones
      const shape = [...new Array<number>(k % 40).fill(1), 12];
      const y = tf.reshape(x, shape);
      assert.deepEqual(y.shape, shape);
      if (k % 37 === 0) assert.deepEqual(Array.from(y.dataSync()), Array.from({ length: 12 }, (_, i) => i));
      y.dispose();
    }
    x.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('sum and mean: every axis form gives tfjs-node’s values', (t) => {
    if (backend !== 'tensorflow') return t.skip('tensorflow only');
    const x = () => tf.tensor3d(Array.from({ length: 24 }, (_, i) => Math.sin(i) * 1e3 + 0.1 * i), [2, 3, 4]);
    for (const op of [tf.sum, tf.mean] as const) {
      const name = op === tf.sum ? 'sum' : 'mean';
      same(`${name}()`, () => op(x()));
      same(`${name}(0)`, () => op(x(), 0));
      same(`${name}(-1)`, () => op(x(), -1));
      same(`${name}([0, 2])`, () => op(x(), [0, 2]));
      same(`${name}(1, keepDims)`, () => op(x(), 1, true));
      same(`${name} of a scalar`, () => op(tf.scalar(2.5)));
      same(`${name}: gradient`, () => tf.grad((v: tf.Tensor) => op(tf.square(v)))(x()));
    }
    same('int32 sum (tfjs-node’s own)', () => tf.sum(tf.tensor1d([1, 2, 3], 'int32')));
    same('int32 mean (tfjs-node’s own)', () => tf.mean(tf.tensor1d([1, 2, 4], 'int32')));
  });

  it('step: NaN stays NaN, 1 above zero, α elsewhere (−0, 0, ±∞ included); the relu, abs and leaky relu gradients', (t) => {
    if (backend !== 'tensorflow') return t.skip('tensorflow only');
    const x = () => tf.tensor1d([-2, -0, 0, 1e-30, -1e-30, 3, NaN, Infinity, -Infinity]);
    same('step(x)', () => tf.step(x()));
    same('step(x, 0.2)', () => tf.step(x(), 0.2));
    same('step(x, -0)', () => tf.step(x(), -0));
    same('step of a matrix', () => tf.step(tf.tensor2d([[1, -1], [NaN, 0]])));
    same('relu gradient', () => tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v)))(x()));
    same('abs gradient', () => tf.grad((v: tf.Tensor) => tf.sum(tf.abs(v)))(x()));
    same('leaky relu gradient', () => tf.grad((v: tf.Tensor) => tf.sum(tf.leakyRelu(v, 0.1)))(x()));
    // int32 goes to tfjs-node's own kernel, which TensorFlow refuses (IsNan takes floats) either way
    const intStep = () => tf.tidy(() => tf.step(tf.tensor1d([-1, 0, 2], 'int32')));
    assert.throws(intStep, /IsNan/);
    assert.throws(() => withOwnKernels(intStep), /IsNan/);
  });

  it('a whole training run (MLP, logistic loss, Adam) and a minimize give the same numbers to the last bit', (t) => {
    if (backend !== 'tensorflow') return t.skip('tensorflow only');
    const moons = twoMoons(128, 7, 0.15);
    const run = () =>
      tf.tidy(() => {
        const X = tf.tensor2d(moons.X);
        const y = tf.tensor2d(moons.y, [moons.y.length, 1]);
        const model = mlp({ sizes: [2, 16, 1], activation: 'relu', seed: 3 });
        const r = trainEpochs(model, adam({ lr: 0.03 }), { X, y, epochs: 3, batchSize: 32, seed: 1, loss: 'logistic', valX: X, valY: y });
        model.dispose();
        const q = minimize(quadratic([[1, 0.5], [0.5, 10]]), sgd({ lr: 0.05 }), { x0: [1, 1], steps: 30 });
        return [...r.stepLoss, ...r.valLoss, ...q.losses, ...q.points.flat()];
      });
    const leaner = run();
    const own = withOwnKernels(run);
    assert.equal(leaner.length, own.length);
    leaner.forEach((v, i) => assert.ok(Object.is(v, own[i]), `value ${i}: ${v} vs ${own[i]}`));
  });
});
