import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { clipByNorm, clipByNormTensors, clipByValue, globalNorm, globalNormTensor } from '../../src/optimizers/clip';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/** g = ([3, 4], [[12]]): ‖g‖ = √(9 + 16 + 144) = 13. */
const make = (): tf.Tensor[] => [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
const flat = (ts: tf.Tensor[]): number[] => ts.flatMap((t) => Array.from(t.dataSync()));

describe('globalNorm', () => {
  it('is √(Σ_l ‖g_l‖²) over all tensors', () => {
    const g = make();
    assertNoLeak(() => {
      assertClose(globalNorm(g), 13, 1e-5, '‖g‖');
      const t = globalNormTensor(g);
      assertClose(t.dataSync()[0], 13, 1e-5, '‖g‖ tensor');
      t.dispose();
    }, 'globalNorm');
    tf.dispose(g);
  });
});

describe('clipByNorm', () => {
  it('scales to norm exactly c when ‖g‖ > c, keeping the direction', () => {
    const g = make();
    assertNoLeak(() => {
      const c = clipByNorm(g, 6.5);
      assertClose(globalNorm(c), 6.5, 6.5 * 1e-6, '‖clipped‖');
      // g · c/‖g‖ = g/2
      assertClose(flat(c), [1.5, 2, 6], 1e-6, 'clipped values');
      assert.deepEqual(c[1].shape, [1, 1]);
      tf.dispose(c);
    }, 'clipByNorm');
    // the inputs are untouched
    assert.deepEqual(flat(g), [3, 4, 12]);
    tf.dispose(g);
  });

  it('leaves g unchanged when ‖g‖ ≤ c (min(1, c/‖g‖) = 1, and g·1 is exact) and returns new tensors', () => {
    const g = make();
    assertNoLeak(() => {
      const c = clipByNorm(g, 100);
      assert.deepEqual(flat(c), [3, 4, 12]);
      assert.ok(c.every((t, i) => t !== g[i]), 'returns new tensors');
      tf.dispose(c);
      const z = [tf.zeros([3])];
      const cz = clipByNorm(z, 1); // ‖g‖ = 0: c/0 = ∞, s = 1, no NaN
      assert.deepEqual(flat(cz), [0, 0, 0]);
      tf.dispose([...z, ...cz]);
    }, 'clipByNorm below');
    tf.dispose(g);
  });

  it('clipByNormTensors agrees with clipByNorm given the norm tensor', () => {
    const g = make();
    assertNoLeak(() => {
      const n = globalNormTensor(g);
      const a = clipByNormTensors(g, 2, n);
      const b = clipByNorm(g, 2);
      assertClose(flat(a), flat(b), 1e-7, 'same');
      tf.dispose([n, ...a, ...b]);
    }, 'clipByNormTensors');
    tf.dispose(g);
  });

  it('rejects bad input and a non-finite norm instead of returning NaN', () => {
    const g = make();
    assertNoLeak(() => {
      assert.throws(() => clipByNorm(g, 0), /maxNorm must be a finite number > 0; got 0/);
      assert.throws(() => clipByNorm(g, NaN), /maxNorm must be a finite number > 0; got NaN/);
      assert.throws(() => clipByNorm([], 1), /grads must be a non-empty list of tensors; got an empty list/);
      assert.throws(() => clipByNorm([3 as unknown as tf.Tensor], 1), /grads\[0\] must be a tensor; got number/);
    }, 'clipByNorm errors');
    const inf = [tf.tensor1d([Infinity, 1])];
    assertNoLeak(() => assert.throws(() => clipByNorm(inf, 1), /non-finite global norm \(Infinity\)/), 'clipByNorm inf');
    tf.dispose([...g, ...inf]);
  });
});

describe('clipByValue', () => {
  it('clips each entry to [−c, c] and leaves the others', () => {
    const g = [tf.tensor1d([-5, -0.5, 0, 0.25, 7]), tf.tensor2d([[2, -2]])];
    assertNoLeak(() => {
      const c = clipByValue(g, 1);
      assert.deepEqual(flat(c), [-1, -0.5, 0, 0.25, 1, 1, -1]);
      assert.deepEqual(c[1].shape, [1, 2]);
      tf.dispose(c);
      assert.throws(() => clipByValue(g, -1), /c must be a finite number > 0; got -1/);
    }, 'clipByValue');
    tf.dispose(g);
  });
});
