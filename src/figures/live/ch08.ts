/**
 * Live figures of chapter 08 (adaptive methods): seven optimizers on the ill-conditioned quadratic and one
 * optimizer at a time on Rosenbrock's valley, recomputed with the library's optimizers and minimize.
 */
import { quadratic, rosenbrock } from '../../problems/catalog';
import { sgd } from '../../optimizers/sgd';
import { adagrad } from '../../optimizers/adagrad';
import { rmsprop } from '../../optimizers/rmsprop';
import { adadelta } from '../../optimizers/adadelta';
import { adam } from '../../optimizers/adam';
import { adamax } from '../../optimizers/adamax';
import type { Optimizer } from '../../optimizers/types';
import type { Objective } from '../../core/objective';
import { minimize, type Trajectory } from '../../training/minimize';
import type { Trace } from '../../core/figure';
import { key, logContourXYZ, r4 } from './plot';
import type { LiveNumber, LiveSpec } from './types';

/** Every `every`-th point of a path (and the last), to 4 significant digits: the notebook's pathTrace. */
function pathEvery(points: number[][], every: number): { x: number[]; y: number[] } {
  const pts = points.filter((_, k) => k % every === 0 || k === points.length - 1);
  return { x: pts.map((p) => r4(p[0])), y: pts.map((p) => r4(p[1])) };
}

// ---------------------------------------------------------------------------------------------------------
// ch08-quadratic-paths

interface Betas {
  b1: number;
  b2: number;
  alpha: number;
}
const CONTENDERS: { name: string; lr: number; make: (lr: number, b: Betas) => Optimizer; uses: (keyof Betas)[] }[] = [
  { name: 'gradient descent', lr: 0.015, make: (lr) => sgd({ lr }), uses: [] },
  { name: 'Adagrad', lr: 0.5, make: (lr) => adagrad({ lr }), uses: [] },
  { name: 'RMSProp', lr: 0.05, make: (lr, b) => rmsprop({ lr, alpha: b.alpha }), uses: ['alpha'] },
  { name: 'Adadelta', lr: 1, make: (lr) => adadelta({ lr }), uses: [] },
  { name: 'Adam', lr: 0.1, make: (lr, b) => adam({ lr, betas: [b.b1, b.b2] }), uses: ['b1', 'b2'] },
  { name: 'AMSGrad', lr: 0.1, make: (lr, b) => adam({ lr, betas: [b.b1, b.b2], amsgrad: true }), uses: ['b1', 'b2'] },
  { name: 'AdaMax', lr: 0.1, make: (lr, b) => adamax({ lr, betas: [b.b1, b.b2] }), uses: ['b1', 'b2'] },
];
const QX0: [number, number] = [-2.5, 1];
const fmt = (v: number) => String(+v.toPrecision(3));

/** ch08-quadratic-paths: the seven optimizers on ½(x₁² + κx₂²) with the reader's step scale, β's, κ and start. */
export const ch08QuadraticPaths: LiveSpec = {
  id: 'ch08-quadratic-paths',
  chapter: '08-adaptive-methods',
  summary: 'Scale every learning rate by s, set Adam’s β₁ and β₂ (also AMSGrad’s and AdaMax’s), RMSProp’s α, the condition number κ, or click to start elsewhere: 200 steps of each library optimizer are recomputed (only the runs a change affects).',
  controls: [
    { kind: 'range', name: 's', label: 'every γ × s', min: -1, max: 1, step: 0.05, default: 1, log: true },
    { kind: 'range', name: 'b1', label: 'β₁', min: 0, max: 0.99, step: 0.01, default: 0.9 },
    { kind: 'select', name: 'b2', label: 'β₂', options: ['0.9', '0.99', '0.999', '0.9999'].map((v) => ({ value: v, label: v })), default: '0.999' },
    { kind: 'range', name: 'alpha', label: 'RMSProp α', min: 0.5, max: 0.999, step: 0.001, default: 0.99 },
    { kind: 'range', name: 'kappa', label: 'κ (½(x₁² + κx₂²))', min: 0, max: 3, step: 0.05, default: 100, log: true },
    { kind: 'point', name: 'x0', label: 'start', default: QX0, bounds: [[-2.8, 1.2], [-1.2, 1.2]] },
  ],
  numbers: CONTENDERS.map(
    (c): LiveNumber => ({
      key: `f${c.name}`,
      label: `${c.name}: f(x₂₀₀)`,
      tol: 1e-3,
      ref: { table: 'Loss after 200 steps on ½(x₁² + 100x₂²)', row: { column: 'optimizer', equals: `${c.name} (γ = ${c.lr})` }, column: 'f(x₂₀₀) axis-aligned' },
    }),
  ),
  computed: Array.from({ length: 15 }, (_, i) => i),
  traceTol: 2e-3,
  compute(p, { memo }) {
    const s = p.s as number;
    const betas: Betas = { b1: p.b1 as number, b2: Number(p.b2), alpha: p.alpha as number };
    const kappa = p.kappa as number;
    const x0 = p.x0 as [number, number];
    const quad = memo(key('quad', kappa), () => quadratic([[1, 0], [0, kappa]], undefined, { name: `½(x₁² + ${fmt(kappa)}x₂²)` }));
    const traces: Record<number, Trace> = { 0: memo(key('contour', kappa), () => logContourXYZ(quad, [-2.8, 1.2], [-1.2, 1.2])) };
    const numbers: Record<string, number | null> = {};
    CONTENDERS.forEach((c, i) => {
      const lr = c.lr * s;
      const used = c.uses.map((b) => betas[b]);
      const tr: Trajectory = memo(key('run', i, lr, ...used, kappa, x0), () => minimize(quad, c.make(lr, betas), { x0, steps: 200 }));
      const name = `${c.name} (γ = ${fmt(lr)})`;
      traces[1 + i] = { ...pathEvery(tr.points, 1), name };
      traces[8 + i] = { x: tr.losses.map((_, k) => k), y: tr.losses.map((l) => r4(Math.max(l, 1e-30))), name };
      numbers[`f${c.name}`] = tr.diverged ? null : tr.losses[200];
    });
    return { traces, numbers };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch08-rosenbrock

const ROSEN: { name: string; lr: number; make: (lr: number) => Optimizer }[] = [
  { name: 'SGD', lr: 0.002, make: (lr) => sgd({ lr }) },
  { name: 'momentum', lr: 0.001, make: (lr) => sgd({ lr, momentum: 0.9 }) },
  { name: 'Nesterov', lr: 0.001, make: (lr) => sgd({ lr, momentum: 0.9, nesterov: true }) },
  { name: 'Adagrad', lr: 1, make: (lr) => adagrad({ lr }) },
  { name: 'RMSProp', lr: 0.01, make: (lr) => rmsprop({ lr }) },
  { name: 'Adadelta', lr: 0.3, make: (lr) => adadelta({ lr }) },
  { name: 'Adam', lr: 0.3, make: (lr) => adam({ lr }) },
  { name: 'AMSGrad', lr: 0.3, make: (lr) => adam({ lr, amsgrad: true }) },
  { name: 'AdaMax', lr: 1, make: (lr) => adamax({ lr }) },
];
const RX0: [number, number] = [-1.2, 1];
const RSTEPS = 2000;
const ROSEN_TABLE = 'Rosenbrock from (−1.2, 1), 2000 steps';
let rosen: Objective | undefined;

/** ch08-rosenbrock: one optimizer at a time, at its tuned learning rate × c, from the reader's start. */
export const ch08Rosenbrock: LiveSpec = {
  id: 'ch08-rosenbrock',
  chapter: '08-adaptive-methods',
  summary: 'Pick an optimizer and scale its tuned learning rate by c, or click to start elsewhere: its 2000 steps on Rosenbrock are recomputed with the library (the notebook swept float64 transcriptions); from another start the other optimizers’ notebook paths are hidden.',
  controls: [
    { kind: 'select', name: 'opt', label: 'optimizer', options: ROSEN.map((o) => ({ value: o.name, label: `${o.name} (tuned lr ${o.lr})` })), default: 'momentum' },
    { kind: 'range', name: 'c', label: 'lr = c × tuned lr', min: -1, max: 0.5, step: 0.05, default: 1, log: true },
    { kind: 'point', name: 'x0', label: 'start', default: RX0, bounds: [[-2, 2], [-1, 3]] },
  ],
  numbers: [
    { key: 'final', label: 'final f', tol: 0.05, ref: { table: ROSEN_TABLE, row: { column: 'optimizer', equals: 'momentum' }, column: 'final f' } },
    { key: 'score', label: 'score (mean log₁₀ f)', tol: 1e-3, ref: { table: ROSEN_TABLE, row: { column: 'optimizer', equals: 'momentum' }, column: 'score (mean log₁₀ f)' } },
    { key: 'below2', label: 'steps to f < 10⁻²', tol: 0, ref: { table: ROSEN_TABLE, row: { column: 'optimizer', equals: 'momentum' }, column: 'steps to f < 10⁻²' } },
    { key: 'below4', label: 'steps to f < 10⁻⁴', tol: 0, ref: { table: ROSEN_TABLE, row: { column: 'optimizer', equals: 'momentum' }, column: 'steps to f < 10⁻⁴' } },
  ],
  computed: [3, 12],
  traceTol: 2e-3,
  compute(p, { memo, base }) {
    const i = ROSEN.findIndex((o) => o.name === p.opt);
    const o = ROSEN[i];
    const lr = o.lr * (p.c as number);
    const x0 = p.x0 as [number, number];
    const obj = (rosen ??= rosenbrock());
    const tr: Trajectory = memo(key('rosen', o.name, lr, x0), () => minimize(obj, o.make(lr), { x0, steps: RSTEPS }));
    const moved = x0[0] !== RX0[0] || x0[1] !== RX0[1];
    const traces: Record<number, Trace> = {};
    // from another start the notebook's paths of the other optimizers no longer apply: hidden (legend only)
    ROSEN.forEach((_, j) => {
      if (j === i) return;
      traces[2 + j] = { visible: moved ? 'legendonly' : base.data[2 + j].visible ?? true };
      traces[11 + j] = { visible: moved ? 'legendonly' : base.data[11 + j].visible ?? true };
    });
    const every5 = (_: unknown, k: number) => k % 5 === 0;
    traces[2 + i] = { ...pathEvery(tr.points, 5), name: `${o.name} (lr ${+lr.toPrecision(3)})`, visible: true };
    traces[11 + i] = { x: tr.losses.map((_, k) => k).filter(every5), y: tr.losses.filter(every5).map((l) => r4(Math.max(l, 1e-30))), visible: true };
    const firstBelow = (th: number) => {
      const k = tr.losses.findIndex((l) => l < th);
      return k < 0 ? null : k;
    };
    const full = !tr.diverged;
    return {
      traces,
      numbers: {
        final: full ? tr.losses[RSTEPS] : null,
        score: full ? tr.losses.reduce((a, l) => a + Math.log10(Math.max(l, 1e-30)), 0) / tr.losses.length : null,
        below2: firstBelow(1e-2),
        below4: firstBelow(1e-4),
      },
    };
  },
};
