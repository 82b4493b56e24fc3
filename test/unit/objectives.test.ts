import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineObjective } from '../../src/core/objective';
import {
  cubic,
  findCriticalPoints1D,
  findMinima1D,
  inspectPoint,
  quadratic,
  riskPair,
  rosenbrock,
  saddle,
  xCosPiX,
} from '../../src/problems/catalog';
import { classifyCriticalPoint } from '../../src/core/linalg';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const PI = Math.PI;
// closed forms, double precision
const f = (x: number) => x * Math.cos(PI * x);
const df = (x: number) => Math.cos(PI * x) - PI * x * Math.sin(PI * x);
const d2f = (x: number) => -2 * PI * Math.sin(PI * x) - PI * PI * x * Math.cos(PI * x);
const g = (x: number) => f(x) + 0.2 * Math.cos(5 * PI * x);
const dg = (x: number) => df(x) - PI * Math.sin(5 * PI * x);
const d2g = (x: number) => d2f(x) - 5 * PI * PI * Math.cos(5 * PI * x);

/** float32 tolerance scaled to the magnitude of the expected value. */
const rel = (expected: number, r = 2e-5) => r * Math.max(1, Math.abs(expected));

/** Dense-grid argmin of an objective's batched values (the check findMinima1D must agree with). */
function gridArgmin(obj: ReturnType<typeof riskPair>['risk'], n = 20001): number {
  const { x, y } = obj.curve(obj.domain[0], n);
  let k = 0;
  for (let i = 1; i < y.length; i++) if (y[i] < y[k]) k = i;
  return x[k];
}

const MINIMA = [
  [[1, 0], [0, 1]],
  [[4, 0], [0, 1]],
  [[2, -1], [-1, 1]],
];
const SADDLES = [
  [[1, 0], [0, -1]],
  [[-1, 0], [0, 1]],
  [[-4, 0], [0, 1]],
];

describe('x·cos(πx)', () => {
  it('matches the closed forms f, f′ = cos πx − πx sin πx, f″ = −2π sin πx − π²x cos πx', () => {
    assert.deepEqual(xCosPiX.domain, [[-1, 2]]);
    assertNoLeak(() => {
      for (const x of [-1, -0.6, -0.27, 0, 0.3, 0.5, 1.1, 1.7, 2]) {
        assertClose(xCosPiX.value([x]), f(x), rel(f(x)), `f(${x})`);
        assertClose(xCosPiX.gradient([x]), [df(x)], rel(df(x)), `f′(${x})`);
        assertClose(xCosPiX.hessian([x])[0], [d2f(x)], rel(d2f(x), 1e-4), `f″(${x})`);
      }
    }, 'xCosPiX value/gradient/hessian');
    const xs = [-0.9, 0.1, 1.3];
    assertClose(xCosPiX.values(xs.map((x) => [x])), xs.map(f), 1e-5, 'batched values');
  });

  it('has a local minimum near −0.27 and the global one near 1.09, found numerically and listed', () => {
    const minima = assertNoLeak(() => findMinima1D(xCosPiX), 'findMinima1D');
    assert.equal(minima.length, 2);
    const [local, global] = minima;
    assert.ok(local.x > -0.4 && local.x < -0.2, `local minimum at ${local.x}`);
    assert.ok(global.x > 1.0 && global.x < 1.2, `global minimum at ${global.x}`);
    assert.ok(global.value < local.value);
    for (const m of minima) {
      assertClose(df(m.x), 0, 1e-5, `closed-form f′ at the found minimum ${m.x}`);
      assert.ok(d2f(m.x) > 0);
      assertClose(m.value, f(m.x), 1e-5, 'value');
    }
    assertClose(global.x, gridArgmin(xCosPiX), 1e-3, 'global minimum vs dense-grid argmin');
    // the listed critical points (bisection on the closed-form f′) agree with the autodiff search
    const listed = xCosPiX.criticalPoints;
    assert.deepEqual(listed.map((p) => p.kind), ['minimum', 'maximum', 'minimum']);
    assert.deepEqual(listed.map((p) => p.label), ['local minimum', 'local maximum', 'global minimum']);
    const found = findCriticalPoints1D(xCosPiX);
    assert.deepEqual(found.map((p) => p.kind), ['minimum', 'maximum', 'minimum']);
    found.forEach((p, i) => assertClose(p.x, listed[i].x[0], 1e-5, `critical point ${i}`));
    // the maximum is the mirror image of the local minimum: f is odd
    assertClose(found[1].x, -found[0].x, 1e-5, 'odd symmetry');
  });
});

describe('risk pair (D2L §11.1)', () => {
  it('risk f and empirical risk g = f + 0.2 cos 5πx match their closed forms on [0.5, 1.5]', () => {
    const { risk, empiricalRisk } = riskPair();
    assert.deepEqual(risk.domain, [[0.5, 1.5]]);
    assert.deepEqual(empiricalRisk.domain, [[0.5, 1.5]]);
    assertNoLeak(() => {
      for (const x of [0.5, 0.8, 1.0, 1.2, 1.5]) {
        assertClose(risk.value([x]), f(x), rel(f(x)), `f(${x})`);
        assertClose(empiricalRisk.value([x]), g(x), rel(g(x)), `g(${x})`);
        assertClose(empiricalRisk.gradient([x]), [dg(x)], rel(dg(x)), `g′(${x})`);
        assertClose(empiricalRisk.hessian([x])[0], [d2g(x)], rel(d2g(x), 1e-4), `g″(${x})`);
      }
    }, 'risk pair');
  });

  it('their minima, found numerically, agree with a dense-grid argmin to 1e-3, lie in [0.5, 1.5] and differ', () => {
    const { risk, empiricalRisk } = riskPair();
    const lowest = (ms: { x: number; value: number }[]) => ms.reduce((a, b) => (b.value < a.value ? b : a));
    const rMin = lowest(assertNoLeak(() => findMinima1D(risk), 'findMinima1D(risk)'));
    const eMins = assertNoLeak(() => findMinima1D(empiricalRisk), 'findMinima1D(empirical)');
    const eMin = lowest(eMins);
    for (const [name, m, obj] of [
      ['risk', rMin, risk],
      ['empirical risk', eMin, empiricalRisk],
    ] as const) {
      assert.ok(m.x >= 0.5 && m.x <= 1.5, `${name} minimum ${m.x} outside [0.5, 1.5]`);
      assertClose(m.x, gridArgmin(obj), 1e-3, `${name} minimum vs dense-grid argmin`);
    }
    assertClose(dg(eMin.x), 0, 1e-4, 'closed-form g′ at the empirical minimum');
    // the point of the figure: the empirical minimum (≈ 1.02) is not the risk minimum (≈ 1.09)
    assert.ok(Math.abs(rMin.x - eMin.x) > 0.05, `minima ${rMin.x} and ${eMin.x} should differ`);
    assert.ok(eMins.length >= 2, 'the empirical risk has several local minima');
    assertClose(
      eMins.map((m) => m.x),
      empiricalRisk.criticalPoints.filter((p) => p.kind === 'minimum').map((p) => p.x[0]),
      1e-5,
      'listed minima',
    );
    assert.equal(empiricalRisk.criticalPoints.find((p) => p.label === 'minimum of the empirical risk')?.x[0].toFixed(4), eMin.x.toFixed(4));
  });
});

describe('x³ and x² − y²', () => {
  it('x³: f′ = 3x², f″ = 6x; at 0 the Hessian [[0]] is degenerate and the search reports nothing', () => {
    assertNoLeak(() => {
      for (const x of [-1.5, -0.2, 0.7]) {
        assertClose(cubic.value([x]), x ** 3, rel(x ** 3), `f(${x})`);
        assertClose(cubic.gradient([x]), [3 * x * x], rel(3 * x * x), `f′(${x})`);
        assertClose(cubic.hessian([x])[0], [6 * x], rel(6 * x, 1e-4), `f″(${x})`);
      }
    }, 'cubic');
    const at0 = assertNoLeak(() => inspectPoint(cubic, [0]), 'inspectPoint');
    assert.equal(at0.gradNorm, 0);
    assert.deepEqual(at0.hessian, [[0]]);
    assert.equal(at0.kind, 'degenerate');
    assert.equal(cubic.criticalPoints[0].kind, 'degenerate');
    // f′ ≥ 0 everywhere: no sign change, no extremum
    assert.deepEqual(findCriticalPoints1D(cubic), []);
  });

  it('x² − y²: the autodiff Hessian at 0 is diag(2, −2), a saddle', () => {
    const at0 = assertNoLeak(() => inspectPoint(saddle, [0, 0]), 'inspectPoint');
    assert.equal(at0.gradNorm, 0);
    assertClose(at0.hessian.flat(), [2, 0, 0, -2], 1e-6, 'H');
    assertClose(at0.eigenvalues, [-2, 2], 1e-6, 'λ');
    assert.equal(at0.kind, 'saddle');
    assert.equal(saddle.criticalPoints[0].kind, 'saddle');
    assertClose(saddle.gradient([0.5, 0.25]), [1, -0.5], 1e-6, '∇f = (2x, −2y)');
  });
});

describe('quadratic(H, b)', () => {
  it('classifies the six lecture forms from the autodiff Hessian at 0', () => {
    for (const [forms, kind] of [
      [MINIMA, 'minimum'],
      [SADDLES, 'saddle'],
    ] as const) {
      for (const H of forms) {
        const q = quadratic(H);
        const Hq = assertNoLeak(() => q.hessian([0, 0]), 'quadratic hessian');
        assertClose(Hq.flat(), H.flat(), 1e-6, `autodiff Hessian of ${JSON.stringify(H)}`);
        assert.equal(classifyCriticalPoint(Hq), kind, JSON.stringify(H));
        assert.equal(q.criticalPoints[0].kind, kind);
        assert.deepEqual(q.criticalPoints[0].x, [0, 0]);
      }
    }
  });

  it('computes ½xᵀHx + bᵀx and ∇ = Hx + b, on a point [n] and a batch [n, N] alike', () => {
    const H = [
      [3, 1, 0],
      [1, 2, -1],
      [0, -1, 4],
    ];
    const b = [1, -2, 0.5];
    const q = quadratic(H, b);
    const closed = (x: number[]) => {
      const Hx = H.map((r) => r.reduce((s, h, j) => s + h * x[j], 0));
      return { v: 0.5 * x.reduce((s, xi, i) => s + xi * Hx[i], 0) + x.reduce((s, xi, i) => s + xi * b[i], 0), g: Hx.map((v, i) => v + b[i]) };
    };
    const pts = [
      [0.1, -0.3, 0.7],
      [1, 2, 3],
      [-1.5, 0, 0.25],
    ];
    assertNoLeak(() => {
      for (const x of pts) {
        const c = closed(x);
        assertClose(q.value(x), c.v, rel(c.v), `f(${x})`);
        assertClose(q.gradient(x), c.g, 1e-5, `∇f(${x})`);
      }
      assertClose(q.values(pts), pts.map((x) => closed(x).v), 1e-4, 'batched values');
      assertClose(q.hessian([0.3, 0.2, 0.1]).flat(), H.flat(), 1e-5, 'Hessian = H');
    }, 'quadratic');
    // the fn contract directly: [n] → scalar, [n, N] → [N]
    const shapes = tf.tidy(() => [q.fn(tf.tensor1d([1, 2, 3])).shape, q.fn(tf.zeros([3, 5])).shape]);
    assert.deepEqual(shapes, [[], [5]]);
    // x* = −H⁻¹b is a minimum with zero gradient
    const cp = q.criticalPoints[0];
    assert.equal(cp.kind, 'minimum');
    assertClose(q.gradient(cp.x), [0, 0, 0], 1e-5, '∇f(x*)');
  });

  it('lists a saddle at −H⁻¹b for an indefinite H, and a degenerate point for a singular H', () => {
    const q = quadratic([[1, 0], [0, -1]], [2, 2]);
    assertClose(q.criticalPoints[0].x, [-2, 2], 1e-12, 'x*');
    assert.equal(q.criticalPoints[0].kind, 'saddle');
    assert.equal(quadratic([[1, 0], [0, 0]]).criticalPoints[0].kind, 'degenerate');
    assert.equal(quadratic([[1, 0], [0, 0]], [0, 1]).criticalPoints.length, 0); // no critical point at all
  });

  it('rejects bad H and b, naming the argument', () => {
    assert.throws(() => quadratic([[1, 2, 3], [4, 5, 6]]), /H must be square; got 2×3/);
    assert.throws(() => quadratic([[1, 2], [0, 1]]), /H must be symmetric; got H\[0\]\[1\] = 2 but H\[1\]\[0\] = 0/);
    assert.throws(() => quadratic([[1, NaN], [NaN, 1]]), /H\[0\]\[1\] must be a finite number; got NaN/);
    assert.throws(() => quadratic([[1, 0], [0, 1]], [1, 2, 3]), /b must have length 2 \(H is 2×2\); got length 3/);
    assert.throws(() => quadratic([[1, 0], [0, 1]], [1, Infinity]), /b\[1\] must be a finite number; got Infinity/);
  });
});

describe('rosenbrock(a, b)', () => {
  const closed = (a: number, b: number, x: number, y: number) => ({
    v: (a - x) ** 2 + b * (y - x * x) ** 2,
    g: [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)],
    H: [
      [2 - 4 * b * (y - 3 * x * x), -4 * b * x],
      [-4 * b * x, 2 * b],
    ],
  });

  it('matches the closed-form value, gradient and Hessian, with its minimum at (a, a²)', () => {
    for (const [a, b] of [
      [1, 100],
      [2, 10],
    ]) {
      const r = rosenbrock(a, b);
      assertNoLeak(() => {
        for (const [x, y] of [
          [-1.2, 1],
          [0.5, 0.3],
          [a, a * a],
        ]) {
          const c = closed(a, b, x, y);
          assertClose(r.value([x, y]), c.v, rel(c.v), `f(${x}, ${y})`);
          assertClose(r.gradient([x, y]), c.g, rel(Math.max(...c.g.map(Math.abs))), `∇f(${x}, ${y})`);
          assertClose(r.hessian([x, y]).flat(), c.H.flat(), rel(Math.max(...c.H.flat().map(Math.abs))), `H(${x}, ${y})`);
        }
      }, 'rosenbrock');
      const m = r.criticalPoints[0];
      assert.deepEqual(m.x, [a, a * a]);
      const at = inspectPoint(r, m.x);
      assert.equal(at.kind, 'minimum');
      assertClose(at.gradNorm, 0, 1e-6, '‖∇f(a, a²)‖');
    }
    assert.equal(rosenbrock().name, 'rosenbrock');
    const grid = assertNoLeak(() => rosenbrock().grid(undefined, undefined, 11), 'rosenbrock grid');
    assert.equal(grid.z.length, 11);
  });

  it('rejects bad a and b', () => {
    assert.throws(() => rosenbrock(NaN), /a must be a finite number; got NaN/);
    assert.throws(() => rosenbrock(1, 0), /b must be a finite number > 0; got 0/);
  });
});

describe('findCriticalPoints1D / findMinima1D', () => {
  it('finds minima and maxima of a polynomial to ~1e-6 and ignores a − 0 − inflection', () => {
    // f(x) = x⁴/4 − x²/2 − x³·0: f′ = x³ − x, minima at ±1, maximum at 0
    const w = defineObjective({
      name: 'double well',
      dim: 1,
      fn: (x) => {
        const t = x.reshape(x.shape.slice(1));
        return t.pow(4).div(4).sub(t.square().div(2));
      },
      domain: [[-2, 2.1]],
    });
    const found = assertNoLeak(() => findCriticalPoints1D(w), 'findCriticalPoints1D');
    assert.deepEqual(found.map((p) => p.kind), ['minimum', 'maximum', 'minimum']);
    assertClose(found.map((p) => p.x), [-1, 0, 1], 1e-6, 'x');
    assertClose(found.map((p) => p.value), [-0.25, 0, -0.25], 1e-6, 'values');
    // Newton converges quadratically: from brackets 0.2 wide, 8 steps reach 1e-6 (bisection would need ~18)
    const coarse = findCriticalPoints1D(w, undefined, { n: 21, maxIter: 8 });
    assertClose(coarse.map((p) => p.x), [-1, 0, 1], 1e-6, 'x from a coarse grid');
    // a narrower range drops what lies outside it
    assertClose(findMinima1D(w, [0.5, 2]).map((p) => p.x), [1], 1e-6, 'minima in [0.5, 2]');
    const negCube = defineObjective({ name: '−x³', dim: 1, fn: (x) => x.reshape(x.shape.slice(1)).pow(3).neg() });
    assert.deepEqual(findCriticalPoints1D(negCube), []);
  });

  it('rejects a 2D objective, a bad range, a bad n, and a non-batched fn (without leaking)', () => {
    assert.throws(() => findMinima1D(saddle), /objective must be 1D; x² − y² has dim 2/);
    assert.throws(() => findMinima1D(xCosPiX, [1, 0]), /range must be \[lo, hi\] with finite lo < hi; got \[1,0\]/);
    assert.throws(() => findMinima1D(xCosPiX, undefined, { n: 2 }), /n must be an integer ≥ 3; got 2/);
    assert.throws(() => findMinima1D(xCosPiX, undefined, { tol: 0 }), /tol must be a finite number > 0; got 0/);
    const notBatched = defineObjective({ name: 'sum', dim: 1, fn: (x) => tf.sum(tf.square(x)) });
    assertNoLeak(() => assert.throws(() => findMinima1D(notBatched), /sum: fn is not batched/), 'error path');
  });
});
