/**
 * Where the three backends (tensorflow = tfjs-node, wasm, cpu) differ, pinned so that a change shows:
 * gather's gradient, and rerun determinism of reductions that TensorFlow splits across threads.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertNoLeak, setupBackend } from '../helpers';

let backend = '';
before(async () => {
  backend = await setupBackend();
});

describe('gather gradients', () => {
  // f(x) = Σ_j x[idx_j]², idx = [0, 2, 2]: ∂f/∂x_i = Σ_{j: idx_j = i} 2 x_i, so x = (1, 2, 3) → (2, 0, 12)
  const f = (x: tf.Tensor) => tf.sum(tf.square(tf.gather(x, tf.tensor1d([0, 2, 2], 'int32')))) as tf.Scalar;

  it('tensorflow and cpu add the gradient of repeated indices (UnsortedSegmentSum); wasm has no such kernel', () => {
    const run = () => tf.tidy(() => Array.from(tf.grad(f)(tf.tensor1d([1, 2, 3])).dataSync()));
    if (backend === 'wasm') {
      // fails when tfjs-backend-wasm gains the kernel: then src/core/objective.ts and src/problems/local-geometry.ts could
      // use gather instead of their one-hot products
      assert.throws(run, /Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'/);
      return;
    }
    assert.deepEqual(assertNoLeak(run, 'gather gradient'), [2, 0, 12]);
    // rows of a matrix: row 1 taken twice, row 0 once → gradient of the sum counts the takes
    const rows = tf.tidy(() => Array.from(tf.grad((m: tf.Tensor) => tf.sum(tf.gather(m, tf.tensor1d([1, 1, 0], 'int32'))) as tf.Scalar)(tf.ones([2, 2])).dataSync()));
    assert.deepEqual(rows, [1, 1, 2, 2]);
  });
});

describe('rerun determinism', () => {
  it('a 2^20-term sum, a 256×512·512×256 product and a gradient through both give bit-identical reruns', () => {
    // TensorFlow's CPU kernels split these across its intra-op threads (one per core by default);
    // the split depends on the thread count only, so reruns on one machine agree to the bit
    const x = tf.randomNormal([1 << 20], 0, 1, 'float32', 3);
    const a = tf.randomNormal([256, 512], 0, 1, 'float32', 4);
    const b = tf.randomNormal([512, 256], 0, 1, 'float32', 5);
    const once = (): number[] =>
      tf.tidy(() => {
        const s = tf.sum(x);
        const m = tf.mean(x);
        const p = tf.matMul(a, b);
        // ∂/∂b Σ tanh(a·b) = aᵀ (1 − tanh²(a·b))
        const g = tf.grad((w: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(a, w))) as tf.Scalar)(b);
        return [s.dataSync()[0], m.dataSync()[0], tf.sum(p).dataSync()[0], ...Array.from(p.dataSync().subarray(0, 64)), ...Array.from(g.dataSync().subarray(0, 64))];
      });
    const first = assertNoLeak(once, 'reductions');
    for (let r = 0; r < 2; r++) assert.deepEqual(once(), first, `rerun ${r + 1} differs`);
    // and they are the numbers they should be (not all zeros): Σ of 2^20 N(0, 1) is O(10^3)
    assert.ok(Math.abs(first[0]) < 5 * Math.sqrt(1 << 20) && first[0] !== 0, `sum = ${first[0]}`);
    assert.ok(Math.abs(first[1] - first[0] / (1 << 20)) < 1e-6, `mean ${first[1]} vs sum / n`);
    tf.dispose([x, a, b]);
  });
});
