import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective } from '../../src/core/objective';
import { findCriticalPoints, gridStarts, taylorModel } from '../../src/problems/local-geometry';
import { quadratic, rosenbrock, saddle, xCosPiX } from '../../src/problems/catalog';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

// f(x, y) = x³ − 3x + y³ − 3y: a minimum (1, 1), a maximum (−1, −1), saddles (1, −1) and (−1, 1)
const fourPoints = () =>
  defineObjective({
    name: 'x³ − 3x + y³ − 3y',
    dim: 2,
    fn: (x) => {
      const [a, b] = tf.unstack(x);
      return a.pow(3).sub(a.mul(3)).add(b.pow(3)).sub(b.mul(3));
    },
    domain: [
      [-2, 2],
      [-2, 2],
    ],
  });

describe('taylorModel', () => {
  it('is exact for a quadratic: f(a + h) = f(a) + ∇fᵀh + ½hᵀHh', () => {
    const f = quadratic([[2, -1], [-1, 1]], [0.5, -1]);
    const T = assertNoLeak(() => taylorModel(f, [0.3, -0.2]), 'taylorModel');
    for (const h of [[1, 0], [0.4, -0.7], [-2, 1.5]]) {
      assertClose(T.quadratic(h), f.value([0.3 + h[0], -0.2 + h[1]]), 1e-5, `Taylor at h = ${h}`);
    }
    // q(h) = ½ hᵀHh
    assertClose(T.quadraticForm([1, 1]), 0.5 * (2 - 2 + 1), 1e-6, 'q(1,1)');
  });

  it('error of the second-order model shrinks like ‖h‖³, of the first-order one like ‖h‖² (x cos πx at 0.5)', () => {
    const T = taylorModel(xCosPiX, [0.5]);
    const err2 = [0.2, 0.1, 0.05].map((h) => Math.abs(xCosPiX.value([0.5 + h]) - T.quadratic([h])));
    const err1 = [0.2, 0.1, 0.05].map((h) => Math.abs(xCosPiX.value([0.5 + h]) - T.linear([h])));
    // halving h divides the error by ≈ 8 (order 3) and ≈ 4 (order 2)
    assert.ok(err2[0] / err2[1] > 7 && err2[1] / err2[2] > 7, `ratios ${err2}`);
    assert.ok(err1[0] / err1[1] > 3 && err1[0] / err1[1] < 4.5, `ratios ${err1}`);
    // closed form: f′(½) = −π/2, f″(½) = −2π
    assertClose(T.gradient, [-Math.PI / 2], 1e-5, "f'(1/2)");
    assertClose(T.hessian[0], [-2 * Math.PI], 1e-4, "f''(1/2)");
  });

  it('rejects a point of the wrong dimension', () => {
    assert.throws(() => taylorModel(saddle, [0]), /a must have length 2/);
    assert.throws(() => taylorModel(saddle, [0, 0]).quadratic([1]), /h must have length 2/);
  });
});

describe('findCriticalPoints', () => {
  it('finds and classifies the four critical points of x³ − 3x + y³ − 3y, without leaking', () => {
    const f = fourPoints();
    const pts = assertNoLeak(() => findCriticalPoints(f, gridStarts(f.domain, 6)), 'findCriticalPoints');
    assert.deepEqual(pts.map((p) => p.kind), ['minimum', 'saddle', 'saddle', 'maximum']);
    const expected = [[1, 1], [-1, 1], [1, -1], [-1, -1]];
    pts.forEach((p, k) => {
      assertClose(p.x, expected[k], 1e-6, `x_${k}`);
      assert.ok(p.gradNorm <= 1e-4);
    });
    assertClose(pts[0].eigenvalues, [6, 6], 1e-4, 'λ at the minimum');
    assertClose(pts[1].eigenvalues, [-6, 6], 1e-4, 'λ at a saddle');
    assert.equal(pts.reduce((s, p) => s + p.hits, 0), 36);
  });

  it('orders points of equal f (up to float32 noise) by their coordinates, on every backend', () => {
    // x³ − 3x + y³ − 3y + xy (chapter 02): its two saddles ((1 ± √33)/6, (1 ∓ √33)/6) have the same f, which
    // float32 evaluates with a few ulps of difference that depend on the backend's kernels
    const f = defineObjective({
      name: 'x³ − 3x + y³ − 3y + xy',
      dim: 2,
      fn: (x) => {
        const [a, b] = tf.unstack(x);
        return a.pow(3).sub(a.mul(3)).add(b.pow(3)).sub(b.mul(3)).add(a.mul(b));
      },
      domain: [[-2, 2], [-2, 2]],
    });
    const pts = findCriticalPoints(f, gridStarts(f.domain, 8));
    assert.deepEqual(pts.map((p) => p.kind), ['minimum', 'saddle', 'saddle', 'maximum']);
    const [sA, sB] = [(1 - Math.sqrt(33)) / 6, (1 + Math.sqrt(33)) / 6];
    assertClose(pts[1].x, [sA, sB], 1e-5, 'first saddle: the smaller x');
    assertClose(pts[2].x, [sB, sA], 1e-5, 'second saddle');
  });

  it('finds the saddle of x² − y² and the minimum (1, 1) of Rosenbrock', () => {
    const s = findCriticalPoints(saddle, gridStarts(saddle.domain, 3));
    assert.equal(s.length, 1);
    assert.equal(s[0].kind, 'saddle');
    assertClose(s[0].x, [0, 0], 1e-6, 'saddle');
    const r = rosenbrock();
    const m = findCriticalPoints(r, gridStarts(r.domain, 4));
    assert.equal(m.length, 1);
    assert.equal(m[0].kind, 'minimum');
    assertClose(m[0].x, [1, 1], 1e-4, 'rosenbrock minimum');
  });

  it('gridStarts gives k^n cell centres', () => {
    assert.deepEqual(gridStarts([[0, 2]], 2), [[0.5], [1.5]]);
    assert.equal(gridStarts([[0, 1], [0, 1], [0, 1]], 3).length, 27);
  });

  it('rejects bad input naming the parameter', () => {
    assert.throws(() => findCriticalPoints(saddle, []), /starts must be a non-empty array/);
    assert.throws(() => findCriticalPoints(saddle, [[0]]), /starts\[0\] must have length 2/);
    assert.throws(() => findCriticalPoints(saddle, [[0, 0]], { gradTol: 0 }), /gradTol must be a finite number > 0; got 0/);
    assert.throws(() => gridStarts([[1, 0]], 2), /domain\[0\] must be \[lo, hi\]/);
    assert.throws(() => gridStarts([[0, 1]], 0), /k must be a positive integer; got 0/);
  });
});
