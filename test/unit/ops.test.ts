import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective } from '../../src/core/objective';
import { exp, sigmoid, tanh } from '../../src/core/ops';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const second = (f: (x: tf.Tensor) => tf.Tensor, x: number): number =>
  tf.tidy(() => {
    const g = tf.grad((z: tf.Tensor) => tf.sum(f(z)) as tf.Scalar);
    return tf.grad((z: tf.Tensor) => tf.sum(g(z)) as tf.Scalar)(tf.tensor1d([x])).dataSync()[0];
  });

describe('ops with derivatives of every order', () => {
  it('values equal tfjs ops', () => {
    const xs = tf.tensor1d([-3, -0.5, 0, 0.7, 4]);
    assertClose(tanh(xs).dataSync(), tf.tanh(xs).dataSync(), 1e-7, 'tanh');
    assertClose(sigmoid(xs).dataSync(), tf.sigmoid(xs).dataSync(), 1e-7, 'sigmoid');
    assertClose(exp(xs).dataSync(), tf.exp(xs).dataSync(), 1e-6, 'exp');
    xs.dispose();
  });

  it('second derivatives match the closed forms (tfjs 4.22 gets them wrong)', () => {
    const x = 0.5;
    const t = Math.tanh(x);
    const s = 1 / (1 + Math.exp(-x));
    assertNoLeak(() => {
      assertClose(second(tanh, x), -2 * t * (1 - t * t), 1e-6, "tanh''");
      assertClose(second(sigmoid, x), s * (1 - s) * (1 - 2 * s), 1e-6, "σ''");
      assertClose(second(exp, x), Math.exp(x), 1e-6, "exp''");
      // x·tanh(x): f'' = 2(1 − t²) − 2x·t(1 − t²)
      assertClose(second((z) => tf.mul(z, tanh(z)), x), 2 * (1 - t * t) - 2 * x * t * (1 - t * t), 1e-6, "(x tanh x)''");
    }, 'second derivatives');
  });

  it('documents the tfjs behaviour these ops work around (fails when tfjs fixes it: then drop src/core/ops.ts)', () => {
    const x = 0.5;
    const t = Math.tanh(x);
    const truth = 2 * (1 - t * t) - 2 * x * t * (1 - t * t);
    const tfjs = second((z) => tf.mul(z, tf.tanh(z)), x);
    assert.ok(Math.abs(tfjs - truth) > 0.1, `tf.tanh's second derivative is now right (${tfjs} vs ${truth})`);
    assert.throws(() => second(tf.tanh, x), /Cannot compute gradient/);
  });

  it('an objective written with ops.tanh has the right autodiff Hessian', () => {
    const f = defineObjective({
      name: 'tanh-bowl',
      dim: 2,
      fn: (v) => {
        const [a, b] = tf.unstack(v);
        return tf.add(tanh(tf.mul(a, b)), tf.mul(0.5, tf.square(a)));
      },
    });
    const [a, b] = [0.3, -0.8];
    const t = Math.tanh(a * b);
    const d1 = 1 - t * t; // tanh'
    const d2 = -2 * t * d1; // tanh''
    const H = assertNoLeak(() => f.hessian([a, b]), 'hessian');
    assertClose(H[0], [b * b * d2 + 1, d1 + a * b * d2], 1e-5, 'H row 0');
    assertClose(H[1], [d1 + a * b * d2, a * a * d2], 1e-5, 'H row 1');
  });
});
