import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cliff } from '../../src/problems/cliff';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const sig = (z: number) => 1 / (1 + Math.exp(-z));
// closed forms with the defaults a = 2, H = 5, k = 40, β = 1
const f = (x: number, y: number) => 0.5 * (x - 2) ** 2 + 0.5 * y * y + 5 * sig(40 * x);
const dfdx = (x: number) => x - 2 + 5 * 40 * sig(40 * x) * (1 - sig(40 * x));

describe('cliff', () => {
  it('matches the closed form f = ½(x − a)² + ½βy² + Hσ(kx) and its gradient (autodiff)', () => {
    const c = cliff();
    assertNoLeak(() => {
      for (const [x, y] of [[-2, 1], [0, 0], [0.03, -0.5], [2, 0.4]]) {
        assertClose(c.value([x, y]), f(x, y), 1e-5 * (1 + Math.abs(f(x, y))), `f(${x}, ${y})`);
        assertClose(c.gradient([x, y]), [dfdx(x), y], 1e-4 * (1 + Math.abs(dfdx(x))), `∇f(${x}, ${y})`);
      }
    }, 'cliff value/gradient');
  });

  it('has the closed-form Hessian diag(1 + Hk²σ(1 − σ)(1 − 2σ), β), wall curvature included (nested autodiff)', () => {
    const c = cliff();
    const d2 = (x: number) => {
      const s = sig(40 * x);
      return 1 + 5 * 1600 * s * (1 - s) * (1 - 2 * s);
    };
    assertNoLeak(() => {
      for (const x of [-0.05, -0.02, 0.01, 0.04, 1]) {
        const H = c.hessian([x, 0.3]);
        assertClose(H[0][0], d2(x), 1e-3 * (1 + Math.abs(d2(x))), `∂²f/∂x² at x = ${x}`);
        assertClose([H[0][1], H[1][0], H[1][1]], [0, 0, 1], 1e-5, `other Hessian entries at x = ${x}`);
      }
    }, 'cliff hessian');
  });

  it('has a wall: the gradient on the face is about Hk/4 = 50, off the wall it is O(1)', () => {
    const c = cliff();
    const gFace = c.gradient([0, 0])[0];
    // at x = 0: (0 − 2) + Hk/4 = −2 + 50
    assertClose(gFace, 48, 1e-3, '∂f/∂x on the face');
    assert.ok(Math.abs(c.gradient([-1, 0])[0]) < 4, 'gentle slope before the wall');
  });

  it('evaluates batches (grid) consistently with single points', () => {
    const c = cliff();
    const g = assertNoLeak(() => c.grid([-1, 1], [-1, 1], 3), 'grid');
    // z[j][i] = f(x_i, y_j): x = 1 (i = 2), y = −1 (j = 0)
    assertClose(g.z[0][2], f(1, -1), 1e-5, 'z[0][2]');
    assertClose(c.values([[0.01, 0.2], [-3, 0]]), [f(0.01, 0.2), f(-3, 0)], 1e-4, 'values');
  });

  it('lists its critical points: global minimum at the foot, saddle on top, plateau minimum, each with zero gradient', () => {
    const c = cliff();
    const kinds = c.criticalPoints.map((p) => p.kind);
    assert.deepEqual(kinds, ['minimum', 'saddle', 'minimum']);
    const [foot, top, plateau] = c.criticalPoints;
    assert.ok(foot.x[0] < 0 && foot.x[0] > -0.3, `foot at x = ${foot.x[0]}`);
    assert.ok(top.x[0] > 0 && top.x[0] < 0.3, `top at x = ${top.x[0]}`);
    assertClose(plateau.x[0], 2, 1e-3, 'plateau minimum near x = a');
    assert.match(foot.label ?? '', /global minimum/);
    assert.match(plateau.label ?? '', /local minimum/);
    for (const p of c.criticalPoints) {
      // double-precision closed form vanishes at the bisected points
      assert.ok(Math.abs(dfdx(p.x[0])) < 1e-6, `∂f/∂x at ${p.x[0]} = ${dfdx(p.x[0])}`);
      // float32 autodiff agrees with the classification from the Hessian's sign
      const H = c.hessian(p.x);
      assert.equal(Math.sign(H[0][0]), p.kind === 'minimum' ? 1 : -1, `sign of ∂²f/∂x² at ${p.x[0]}`);
    }
    assert.ok(c.value(foot.x) < c.value(plateau.x), 'the foot is lower than the plateau');
  });

  it('without a wall (H = 0) it is a bowl with one minimum at (a, 0)', () => {
    const c = cliff({ height: 0, center: 1 });
    assert.equal(c.criticalPoints.length, 1);
    assertClose(c.criticalPoints[0].x, [1, 0], 1e-9, 'minimum');
    assert.equal(c.criticalPoints[0].kind, 'minimum');
  });

  it('rejects bad options, naming the parameter and the value', () => {
    assert.throws(() => cliff({ steepness: 0 }), /steepness must be > 0; got 0/);
    assert.throws(() => cliff({ height: -1 }), /height must be ≥ 0; got -1/);
    assert.throws(() => cliff({ beta: NaN }), /beta must be a finite number; got NaN/);
    assert.throws(() => cliff({ center: Infinity }), /center must be a finite number; got Infinity/);
    assert.throws(() => cliff({ hieght: 3 } as never), /unknown option "hieght"/);
  });
});
