/**
 * Live figures of chapter 05 (gradient descent): the notebook's runs recomputed with `quadratic`, `sgd`,
 * `newton` and `minimize` for the reader's step size, curvature and start point.
 */
import * as tf from '@tensorflow/tfjs';
import { quadratic } from '../../problems/catalog';
import { conditionNumber, eigSym } from '../../core/linalg';
import { defineObjective, type Objective } from '../../core/objective';
import { sgd } from '../../optimizers/sgd';
import { newton } from '../../optimizers/newton';
import type { Optimizer } from '../../optimizers/types';
import { minimize, type Trajectory } from '../../training/minimize';
import { key, pathXY } from './plot';
import type { LiveSpec, PlotlyJson } from './types';
import { unpackTrace } from './figure-json';

/** f(x) = ½(λ₁x₁² + λ₂x₂²) at the last point of a figure trace (for reading numbers off the notebook's figure). */
function lastValue(fig: PlotlyJson, trace: number, lambdas: [number, number]): number {
  const t = unpackTrace(fig.data[trace]);
  const x = t.x as number[];
  const y = t.y as number[];
  const k = x.length - 1;
  return 0.5 * (lambdas[0] * x[k] ** 2 + lambdas[1] * y[k] ** 2);
}

/** ρ(η) = max_i |1 − ηλ_i|: gradient descent's worst-case contraction per step on ½xᵀdiag(λ)x. */
export function gdRate(lr: number, lambdas: number[]): number {
  return Math.max(...lambdas.map((l) => Math.abs(1 - lr * l)));
}

/** ch05-lr-slider: ½xᵀdiag(λ₁, 1)x, 30 steps of gradient descent; η, λ₁ and x₀ are the reader's. */
export const ch05LrSlider: LiveSpec = {
  id: 'ch05-lr-slider',
  chapter: '05-gradient-descent',
  summary: 'Set the step size η and the curvature λ₁ of the steep coordinate, or click the contours to start elsewhere: 30 steps of gradient descent are recomputed in the page.',
  controls: [
    { kind: 'range', name: 'lr', label: 'step size η', min: 0.005, max: 0.25, step: 0.005, default: 0.1 },
    { kind: 'range', name: 'lambda1', label: 'curvature λ₁ (λ₂ = 1, so κ = λ₁)', min: 1, max: 20, step: 0.5, default: 10 },
    { kind: 'point', name: 'x0', label: 'start x₀', default: [1.5, 1.5], bounds: [[-3, 3], [-2, 2]] },
  ],
  numbers: [
    { key: 'rate', label: 'worst-case contraction ρ = max|1 − ηλᵢ|', ref: { check: 'diag(10,1): ρ(0.1) = 0.9 (the slow coordinate decides)' } },
    { key: 'bound', label: 'stability bound 2/λmax', ref: { figure: () => 0.2, what: 'the caption: stable for η < 0.2 = 2/λmax' } },
    { key: 'final', label: 'f(x₃₀)', ref: { figure: (fig) => lastValue(fig, 1, [10, 1]), what: 'f at the last point of the η = 0.1 trajectory' } },
    { key: 'diverged', label: 'diverged at step', ref: { figure: (fig) => ((unpackTrace(fig.data[1]).x as number[]).length === 31 ? null : -1), what: 'the η = 0.1 trajectory has all 31 points' } },
  ],
  computed: [0, 1],
  prepare(fig) {
    // The notebook's 21 precomputed frames and their slider give way to the page's controls.
    delete fig.frames;
    const { sliders: _sliders, ...layout } = fig.layout;
    return { ...fig, layout };
  },
  compute(p, { memo }) {
    const lr = p.lr as number;
    const l1 = p.lambda1 as number;
    const x0 = p.x0 as [number, number];
    const bowl = memo(key('bowl', l1), () => quadratic([[l1, 0], [0, 1]]));
    const grid = memo(key('grid', l1), () => {
      const g = bowl.grid([-3, 3], [-2, 2], 51);
      return { x: g.x, y: g.y, z: g.z };
    });
    const tr: Trajectory = memo(key('run', l1, lr, x0), () => minimize(bowl, sgd({ lr }), { x0, steps: 30 }));
    return {
      traces: { 0: grid, 1: { ...pathXY(tr.points), name: `η = ${+lr.toPrecision(4)}` } },
      numbers: {
        rate: gdRate(lr, [l1, 1]),
        bound: 2 / Math.max(l1, 1),
        final: tr.diverged ? null : tr.losses[tr.losses.length - 1],
        diverged: tr.diverged ? tr.diverged.step : null,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch05-steepest-direction

const N_DIRS = 3600;
const THETAS = Array.from({ length: N_DIRS }, (_, i) => (2 * Math.PI * i) / N_DIRS);
const deg = (r: number) => (r * 180) / Math.PI;

/** ch05-steepest-direction: the slope over all unit directions at a point a of ½xᵀdiag(λ₁, 1)x. */
export const ch05SteepestDirection: LiveSpec = {
  id: 'ch05-steepest-direction',
  chapter: '05-gradient-descent',
  summary: 'Click the contours to move the point a, or change the curvature λ₁: the gradient (tf.grad), the 3600 slopes and their finite differences are recomputed.',
  controls: [
    { kind: 'point', name: 'a', label: 'point a', default: [1, 1], bounds: [[-0.5, 2], [-0.5, 2]] },
    { kind: 'range', name: 'lambda1', label: 'curvature λ₁ (H = diag(λ₁, 1))', min: 0.25, max: 10, step: 0.25, default: 4 },
  ],
  numbers: [
    { key: 'gnorm', label: '‖f′(a)‖', ref: { stdout: /‖f'\(a\)‖ = ([\d.]+)/ } },
    { key: 'minSlope', label: 'smallest sampled slope', ref: { check: "min over sampled unit h of <f'(a), h> = −‖f'(a)‖" } },
    { key: 'angle', label: 'angle of −f′(a) (°)', ref: { stdout: /angle of −f'\(a\) = ([\d.]+)°/ } },
    { key: 'toMin', label: 'angle towards the minimum (°)', ref: { stdout: /towards the minimum = ([\d.]+)°/ } },
  ],
  computed: [0, 1, 2, 3, 4, 5, 6],
  compute(p, { memo }) {
    const l1 = p.lambda1 as number;
    const a = p.a as [number, number];
    const bowl = memo(key('bowl', l1), () => quadratic([[l1, 0], [0, 1]]));
    const grid = memo(key('grid', l1), () => {
      const g = bowl.grid([-0.5, 2], [-0.5, 2], 61);
      return { x: g.x, y: g.y, z: g.z };
    });
    const g = bowl.gradient(a);
    const gNorm = Math.hypot(...g);
    // ⟨f'(a), h_θ⟩ for every direction, and (f(a + εh) − f(a))/ε in one batched evaluation
    const slopes = THETAS.map((t) => g[0] * Math.cos(t) + g[1] * Math.sin(t));
    const eps = 1e-3;
    const fa = bowl.value(a);
    const fd = bowl.values(THETAS.map((t) => [a[0] + eps * Math.cos(t), a[1] + eps * Math.sin(t)])).map((v) => (v - fa) / eps);
    const steepest = (Math.atan2(-g[1], -g[0]) + 2 * Math.PI) % (2 * Math.PI);
    const toMin = (Math.atan2(-a[1], -a[0]) + 2 * Math.PI) % (2 * Math.PI);
    const ring = THETAS.filter((_, i) => i % 40 === 0).concat([0]).map((t) => [a[0] + 0.35 * Math.cos(t), a[1] + 0.35 * Math.sin(t)]);
    const every20 = (_: unknown, i: number) => i % 20 === 0;
    return {
      traces: {
        0: grid,
        1: pathXY(ring),
        2: { x: [a[0], a[0] - (0.8 * g[0]) / gNorm], y: [a[1], a[1] - (0.8 * g[1]) / gNorm] },
        3: { x: [a[0], 0], y: [a[1], 0] },
        4: { x: THETAS.map(deg), y: slopes },
        5: { x: THETAS.filter(every20).map(deg), y: fd.filter(every20) },
        6: { x: [deg(steepest)], y: [-gNorm] },
      },
      numbers: { gnorm: gNorm, minSlope: Math.min(...slopes), angle: deg(steepest), toMin: deg(toMin) },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch05-gd-quadratics

const QUAD_CASES: { lambdas: [number, number]; eta: number; steps: number; shown: number }[] = [
  { lambdas: [1, 1], eta: 0.1, steps: 60, shown: 61 },
  { lambdas: [4, 1], eta: 0.1, steps: 60, shown: 61 },
  { lambdas: [9.9, 1], eta: 0.1, steps: 60, shown: 61 },
  { lambdas: [10, 1], eta: 0.1, steps: 60, shown: 61 },
  { lambdas: [10, 1], eta: 0.01, steps: 60, shown: 61 },
  { lambdas: [10, 1], eta: 0.21, steps: 400, shown: 22 },
];
const caseName = (c: (typeof QUAD_CASES)[number], eta: number) => `H = diag(${c.lambdas[0]}, ${c.lambdas[1]}), η = ${+eta.toPrecision(4)}`;

/** ch05-gd-quadratics: the six Mila runs with every η scaled by s and a common start point. */
export const ch05GdQuadratics: LiveSpec = {
  id: 'ch05-gd-quadratics',
  chapter: '05-gradient-descent',
  summary: 'Scale the step size of all six runs by s, or click the first panel to start all of them elsewhere: each coordinate is still multiplied by 1 − ηλᵢ per step.',
  controls: [
    { kind: 'range', name: 'scale', label: 'every η × s', min: 0.1, max: 2.5, step: 0.05, default: 1 },
    { kind: 'point', name: 'x0', label: 'start x₀ (all panels)', default: [1.5, 1.5], bounds: [[-2, 2], [-2, 2]] },
  ],
  numbers: [
    ...QUAD_CASES.map((c, k) => ({
      key: `rho${k + 1}`,
      label: `ρ panel ${k + 1}`,
      ref: { table: 'Per-coordinate factors of gradient descent', row: k, column: 'max |1 − ηλᵢ|' },
    })),
    { key: 'diverged6', label: 'panel 6 diverged at step', tol: 0, ref: { stdout: /diverged: \{"step":(\d+)/ } },
  ],
  computed: [1, 3, 5, 7, 9, 11],
  compute(p, { memo, base }) {
    const s = p.scale as number;
    const x0 = p.x0 as [number, number];
    const traces: Record<number, Record<string, unknown>> = {};
    const numbers: Record<string, number | null> = {};
    const runs = QUAD_CASES.map((c, k) => {
      const eta = c.eta * s;
      const tr = memo(key('quad', k, eta, x0), () => minimize(quadratic([[c.lambdas[0], 0], [0, c.lambdas[1]]]), sgd({ lr: eta }), { x0, steps: c.steps }));
      traces[2 * k + 1] = { ...pathXY(tr.points.slice(0, c.shown)), name: caseName(c, eta) };
      numbers[`rho${k + 1}`] = gdRate(eta, c.lambdas);
      return tr;
    });
    numbers.diverged6 = runs[5].diverged ? runs[5].diverged.step : null;
    const annotations = ((base.layout.annotations as Record<string, unknown>[]) ?? []).map((a, k) => (k < QUAD_CASES.length ? { ...a, text: caseName(QUAD_CASES[k], QUAD_CASES[k].eta * s) } : a));
    return { traces, layout: { annotations }, numbers };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch05-condition-number-rates

/** H = R diag(κ, 1) Rᵀ with R the rotation by 30°: the notebook's rotated bowl. */
function rotatedBowl(kappa: number): number[][] {
  const t = Math.PI / 6;
  const R = [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]];
  return [0, 1].map((i) => [0, 1].map((j) => R[i][0] * kappa * R[j][0] + R[i][1] * 1 * R[j][1]));
}

/** ch05-condition-number-rates: the κ = 10 run becomes the reader's κ (and η = c·η*). */
export const ch05ConditionNumberRates: LiveSpec = {
  id: 'ch05-condition-number-rates',
  chapter: '05-gradient-descent',
  summary: 'Set the condition number κ of the orange run (and its step as a multiple c of η* = 2/(λmax + λmin)): 200 steps of gradient descent on the rotated bowl are recomputed.',
  controls: [
    { kind: 'range', name: 'kappa', label: 'condition number κ (orange run)', min: 0, max: 3, step: 0.05, default: 10, log: true },
    { kind: 'range', name: 'c', label: 'step η = c·η*', min: 0.5, max: 1.2, step: 0.01, default: 1 },
  ],
  numbers: [
    { key: 'measured', label: 'measured f ratio per step', ref: { table: 'Gradient descent with the optimal step on rotated bowls', row: { column: 'κ', equals: '10' }, column: 'measured f ratio' } },
    { key: 'predicted', label: 'predicted ρ²', ref: { table: 'Gradient descent with the optimal step on rotated bowls', row: { column: 'κ', equals: '10' }, column: 'predicted f ratio ρ*²' } },
    { key: 'steps', label: 'steps for f ÷ 10⁶', tol: 0, ref: { table: 'Gradient descent with the optimal step on rotated bowls', row: { column: 'κ', equals: '10' }, column: 'steps for f ÷ 10⁶' } },
  ],
  computed: [1, 5],
  compute(p, { memo }) {
    const kappa = p.kappa as number;
    const c = p.c as number;
    const H = rotatedBowl(kappa);
    // η* = 2/(λmin + λmax) from the eigenvalues of H (eigSym, as the notebook has them)
    const [lmin, lmax] = eigSym(H).values;
    const etaStar = 2 / (lmin + lmax);
    const eta = c * etaStar;
    const tr = memo(key('rot', kappa, eta), () => minimize(quadratic(H), sgd({ lr: eta }), { x0: [1, 1], steps: 200 }));
    const rho = gdRate(eta, [lmin, lmax]);
    const usable = tr.losses.filter((l) => l > 1e-30);
    const n = Math.min(usable.length - 1, 100);
    const measured = n > 0 ? Math.pow(usable[n] / usable[0], 1 / n) : null;
    const end = rho < 1 ? Math.min(200, Math.log(1e-17) / (2 * Math.log(rho))) : 200;
    return {
      traces: {
        1: { x: tr.losses.map((_, t) => t), y: tr.losses.map((l) => Math.max(l / tr.losses[0], 1e-30)), name: `κ = ${+kappa.toPrecision(3)}, measured` },
        5: { x: [0, end], y: [1, Math.min(Math.max(rho ** 400, 1e-17), 1e30)] },
      },
      numbers: { measured, predicted: rho ** 2, steps: rho < 1 ? Math.ceil(Math.log(1e-6) / (2 * Math.log(rho))) : null },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch05-preconditioning

/** Preconditioned gradient descent Δx = −η M g for a fixed matrix M (the notebook's few lines, as an Optimizer). */
export function preconditionedGD(M: number[][], lr: number): Optimizer {
  return {
    name: 'preconditioned-gd',
    hyper: { lr },
    init: () => ({ step: 0, buffers: {} }),
    update: (grads, state, _params, opts) => ({
      // Δx = −η M g
      updates: [tf.tidy(() => tf.matMul(tf.tensor2d(M), grads[0].reshape([-1, 1])).reshape(grads[0].shape).mul(-(opts?.lr ?? lr)))],
      state: { step: state.step + 1, buffers: {} },
    }),
  };
}

const H_PHYS = [[4, 1], [1, 2]];
const B_PHYS = [-1, 1];
/** M = diag(1/Hᵢᵢ). */
const jacobi = (H: number[][]) => H.map((row, i) => row.map((_, j) => (i === j ? 1 / H[i][i] : 0)));

/** ch05-preconditioning: one quadratic in two unit systems; the reader picks the unit of x₁ and the start. */
export const ch05Preconditioning: LiveSpec = {
  id: 'ch05-preconditioning',
  chapter: '05-gradient-descent',
  summary: 'Change the unit of x₁ (x₁ = D₁·p₁; the notebook measures it in cm, D₁ = 100) or click to start elsewhere: plain GD depends on the units, Jacobi and Newton do not.',
  controls: [
    { kind: 'range', name: 'D1', label: 'unit of x₁: D₁ (x₁ = D₁ p₁)', min: 0, max: 3, step: 0.05, default: 100, log: true },
    { kind: 'point', name: 'x0', label: 'start p₀ (metres)', default: [-1.5, 1.5], bounds: [[-2, 1], [-1, 2]] },
  ],
  numbers: [
    { key: 'kappaB', label: 'κ(H_B) in the rescaled units', tol: 1e-3, ref: { stdout: /κ\(H_B\) with x₁ in cm = ([\d.e+-]+)/ } },
    { key: 'gdMetres', label: 'GD in metres: ‖p₂₅ − p*‖', tol: 1e-3, ref: { table: 'The same problem in two unit systems', row: 0, column: '‖p₂₅ − p*‖ (m)' } },
    { key: 'gdScaled', label: 'GD, rescaled x₁: ‖p₂₅ − p*‖', ref: { table: 'The same problem in two unit systems', row: 1, column: '‖p₂₅ − p*‖ (m)' } },
    { key: 'gdScaledGap', label: 'GD, rescaled x₁: f(p₂₅) − f*', ref: { table: 'The same problem in two unit systems', row: 1, column: 'f(p₂₅) − f*' } },
  ],
  computed: [1, 2, 3, 4, 5, 6],
  compute(p, { memo }) {
    const D1 = p.D1 as number;
    const x0 = p.x0 as [number, number];
    const D = [D1, 1];
    const HB = H_PHYS.map((row, i) => row.map((v, j) => v / (D[i] * D[j]))); // H_B = D⁻¹ H D⁻¹
    const bB = B_PHYS.map((v, i) => v / D[i]); // b_B = D⁻¹ b
    const fA = memo('fA', () => quadratic(H_PHYS, B_PHYS, { name: 'f in metres' }));
    const fB = memo(key('fB', D1), () => quadratic(HB, bB, { name: 'f rescaled' }));
    const xStar = fA.criticalPoints[0].x; // p* = −H⁻¹b
    const x0B = x0.map((v, i) => v * D[i]);
    const lamMaxA = eigSym(H_PHYS).values[1];
    const lamMaxB = eigSym(HB).values[1];
    const toMetres = (tr: Trajectory, d: number[]) => tr.points.map((q) => q.map((v, i) => v / d[i]));
    const unit = Math.abs(D1 - 100) < 1e-9 ? 'cm' : `units of ${+(1 / D1).toPrecision(3)} m`;
    const runs = [
      { name: 'GD, metres (η = 1/λmax)', path: memo(key('gdA', x0), () => toMetres(minimize(fA, sgd({ lr: 1 / lamMaxA }), { x0, steps: 25 }), [1, 1])) },
      { name: `GD, x₁ in ${unit} (η = 1/λmax)`, path: memo(key('gdB', D1, x0), () => toMetres(minimize(fB, sgd({ lr: 1 / lamMaxB }), { x0: x0B, steps: 25 }), D)) },
      { name: 'Jacobi M = diag(1/Hᵢᵢ), metres', path: memo(key('jA', x0), () => toMetres(minimize(fA, preconditionedGD(jacobi(H_PHYS), 0.9), { x0, steps: 25 }), [1, 1])) },
      { name: `Jacobi M = diag(1/Hᵢᵢ), x₁ in ${unit}`, path: memo(key('jB', D1, x0), () => toMetres(minimize(fB, preconditionedGD(jacobi(HB), 0.9), { x0: x0B, steps: 25 }), D)) },
      { name: 'Newton M = H⁻¹, metres', path: memo(key('nA', x0), () => toMetres(minimize(fA, newton(), { x0, steps: 25 }), [1, 1])) },
      { name: `Newton M = H⁻¹, x₁ in ${unit}`, path: memo(key('nB', D1, x0), () => toMetres(minimize(fB, newton(), { x0: x0B, steps: 25 }), D)) },
    ];
    const dist = (q: number[]) => Math.hypot(q[0] - xStar[0], q[1] - xStar[1]);
    const last = (path: number[][]) => path[Math.min(25, path.length - 1)];
    const traces: Record<number, Record<string, unknown>> = {};
    runs.forEach((r, i) => (traces[i + 1] = { ...pathXY(r.path), name: r.name }));
    return {
      traces,
      numbers: {
        kappaB: conditionNumber(HB),
        gdMetres: dist(last(runs[0].path)),
        gdScaled: dist(last(runs[1].path)),
        gdScaledGap: fA.value(last(runs[1].path)) - fA.value(xStar),
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch05-newton-saddle

/** f(x, y) = ½x² + ¼y⁴ − ½y²: the notebook's double well (saddle at the origin, minima at (0, ±1)). */
export const doubleWell: Objective = defineObjective({
  name: '½x² + ¼y⁴ − ½y²',
  dim: 2,
  fn: (x) => {
    const [u, v] = tf.unstack(x);
    // f(x, y) = ½x² + ¼y⁴ − ½y²
    return u.square().mul(0.5).add(v.square().square().mul(0.25)).sub(v.square().mul(0.5));
  },
  domain: [[-1, 1], [-1.5, 1.5]],
  criticalPoints: [
    { x: [0, 0], kind: 'saddle', label: 'saddle' },
    { x: [0, 1], kind: 'minimum', label: 'minimum' },
    { x: [0, -1], kind: 'minimum', label: 'minimum' },
  ],
});

/** ch05-newton-saddle: Newton, saddle-free Newton and gradient descent from the reader's start. */
export const ch05NewtonSaddle: LiveSpec = {
  id: 'ch05-newton-saddle',
  chapter: '05-gradient-descent',
  summary: "Click the contours to start elsewhere, or change gradient descent's step η: Newton (8 steps), saddle-free Newton (8 steps) and gradient descent (80 steps) are recomputed, with autodiff Hessians.",
  controls: [
    { kind: 'point', name: 'x0', label: 'start', default: [0.8, 0.3], bounds: [[-1, 1], [-1.5, 1.8]] },
    { kind: 'range', name: 'lr', label: 'gradient descent step η', min: 0.01, max: 0.9, step: 0.01, default: 0.1 },
  ],
  numbers: [
    { key: 'newtonSaddle', label: "Newton's end: distance to the saddle", atol: 1e-5, ref: { check: 'Newton converges to the saddle (0, 0): distance' } },
    { key: 'sfnMinimum', label: 'saddle-free end: distance to the nearer minimum', atol: 1e-5, ref: { check: 'saddle-free Newton reaches the minimum (0, 1): distance' } },
    { key: 'sfnValue', label: 'saddle-free end: f', atol: 1e-6, ref: { check: 'saddle-free Newton: f at its limit = −1/4' } },
    { key: 'gdEscape', label: 'GD: first step with |y| > 0.99', tol: 0, ref: { stdout: /first step with \|y\| > 0\.99: (\d+)/ } },
  ],
  computed: [1, 2, 3],
  compute(p, { memo }) {
    const x0 = p.x0 as [number, number];
    const lr = p.lr as number;
    const newtonRun = memo(key('newton', x0), () => minimize(doubleWell, newton(), { x0, steps: 8 }));
    const sfnRun = memo(key('sfn', x0), () => minimize(doubleWell, newton({ saddleFree: true }), { x0, steps: 8 }));
    const gdRun = memo(key('gd', x0, lr), () => minimize(doubleWell, sgd({ lr }), { x0, steps: 80 }));
    const newtonEnd = newtonRun.points[newtonRun.points.length - 1];
    const sfnEnd = sfnRun.points[sfnRun.points.length - 1];
    const escape = gdRun.points.findIndex((q) => Math.abs(q[1]) > 0.99);
    return {
      traces: {
        1: { ...pathXY(gdRun.points), name: `gradient descent, η = ${+lr.toPrecision(3)}` },
        2: pathXY(newtonRun.points),
        3: pathXY(sfnRun.points),
      },
      numbers: {
        newtonSaddle: Math.hypot(...newtonEnd),
        sfnMinimum: Math.min(Math.hypot(sfnEnd[0], sfnEnd[1] - 1), Math.hypot(sfnEnd[0], sfnEnd[1] + 1)),
        sfnValue: doubleWell.value(sfnEnd),
        gdEscape: escape < 0 ? null : escape,
      },
    };
  },
};
