import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective } from '../../src/core/objective';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const saddle = () =>
  defineObjective({
    name: 'saddle',
    dim: 2,
    fn: (x) => {
      const [a, b] = tf.unstack(x);
      return a.square().sub(b.square());
    },
  });

describe('defineObjective', () => {
  it('gives value, gradient and Hessian of x² − y² from autodiff', () => {
    const f = saddle();
    assertNoLeak(() => {
      assertClose(f.value([1, 2]), -3, 1e-6, 'f(1,2)');
      assertClose(f.gradient([1, 2]), [2, -4], 1e-6, '∇f(1,2)');
      const H = f.hessian([0.3, -0.7]);
      assertClose(H[0], [2, 0], 1e-6, 'H row 0');
      assertClose(H[1], [0, -2], 1e-6, 'H row 1');
      const vg = f.valueAndGradient([3, 1]);
      assertClose(vg.value, 8, 1e-5, 'value');
      assertClose(vg.gradient, [6, -2], 1e-5, 'gradient');
    }, 'objective value/gradient/hessian');
  });

  it('evaluates a grid in plotly convention z[j][i] = f(x_i, y_j) without leaking', () => {
    const f = saddle();
    const g = assertNoLeak(() => f.grid([-1, 1], [-2, 2], 5), 'grid');
    assert.equal(g.x.length, 5);
    assert.equal(g.z.length, 5);
    // x = -1 (i = 0), y = 2 (j = 4): 1 − 4 = −3
    assertClose(g.z[4][0], -3, 1e-6, 'z[4][0]');
    assertClose(g.z[2][2], 0, 1e-6, 'z[2][2]');
  });

  it('Hessian of a non-quadratic matches the closed form (cos x · sin y)', () => {
    const f = defineObjective({
      name: 'cs',
      dim: 2,
      fn: (x) => {
        const [a, b] = tf.unstack(x);
        return tf.cos(a).mul(tf.sin(b));
      },
    });
    const [a, b] = [0.4, 1.1];
    const H = f.hessian([a, b]);
    assertClose(H[0], [-Math.cos(a) * Math.sin(b), -Math.sin(a) * Math.cos(b)], 1e-5, 'H row 0');
    assertClose(H[1], [-Math.sin(a) * Math.cos(b), -Math.cos(a) * Math.sin(b)], 1e-5, 'H row 1');
  });

  it('rejects a point of the wrong dimension or with NaN, naming the argument', () => {
    const f = saddle();
    assert.throws(() => f.value([1, 2, 3]), /x must have length 2.*got length 3/);
    assert.throws(() => f.gradient([1, NaN]), /x\[1\] must be a finite number; got NaN/);
    assert.throws(() => defineObjective({ name: 'bad', dim: 0, fn: (x) => x }), /dim must be a positive integer; got 0/);
  });

  it('says when fn is not batched instead of returning garbage', () => {
    const f = defineObjective({ name: 'sumsq', dim: 2, fn: (x) => tf.sum(tf.square(x)) });
    assertClose(f.value([1, 2]), 5, 1e-6, 'f');
    assert.throws(() => f.grid([-1, 1], [-1, 1], 3), /fn is not batched/);
  });
});

describe('defineObjective in 1D', () => {
  it('Hessian of a 1D objective works (tf.oneHot would need depth ≥ 2)', () => {
    const f = defineObjective({ name: 'cube', dim: 1, fn: (x) => tf.pow(x, 3).squeeze([0]) });
    assertNoLeak(() => {
      assertClose(f.hessian([2])[0], [12], 1e-4, "f''(2)");
      assertClose(f.gradient([2]), [12], 1e-4, "f'(2)");
      assertClose(f.curve([0, 1], 3).y, [0, 0.125, 1], 1e-6, 'curve');
    }, '1D objective');
  });
});
