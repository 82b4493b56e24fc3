/**
 * Live figures of chapter 06 (stochastic gradient descent): the noise ball of minibatch SGD under three
 * schedules (fitLinearRegression), and gradient noise pushing gradient descent off a saddle (minimize with noise).
 */
import * as tf from '@tensorflow/tfjs';
import { defineObjective, type Objective } from '../../core/objective';
import * as schedules from '../../core/schedules';
import { leastSquares, regressionLoss } from '../../problems/regression';
import { linearRegressionData } from '../../problems/synthetic-data';
import { sgd } from '../../optimizers/sgd';
import { fitLinearRegression, type FitHistory } from '../../training/fit-regression';
import { minimize } from '../../training/minimize';
import { key } from './plot';
import type { LiveSpec } from './types';

// ---------------------------------------------------------------------------------------------------------
// ch06-noise-ball

const K = 400;
let lineData: ReturnType<typeof linearRegressionData> | undefined;
/** The notebook's one-feature regression: N = 200, noise 0.5, seed 7, w = 2, b = −1. */
function line() {
  return (lineData ??= linearRegressionData({ n: 200, dim: 1, noise: 0.5, seed: 7, w: [2], b: -1 }));
}
const SCHEDULES = [
  { name: 'constant', make: (lr0: number) => schedules.constant(lr0) },
  { name: 'linear decay (τ = K)', make: (lr0: number) => schedules.linearDecay({ lr0, tau: K }) },
  { name: '1/t: ε₀/(1 + 0.02k)', make: (lr0: number) => schedules.inverseTime({ lr0, decay: 0.02 }) },
];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** ch06-noise-ball: SGD's last 150 iterates under three schedules for the reader's ε₀ and batch size. */
export const ch06NoiseBall: LiveSpec = {
  id: 'ch06-noise-ball',
  chapter: '06-stochastic-gradient-descent',
  summary: 'Set the initial learning rate ε₀ and the batch size m: the three SGD runs (400 updates, same minibatch seed) are recomputed with fitLinearRegression; a larger ε₀ or a smaller m widens the constant-rate noise ball.',
  controls: [
    { kind: 'range', name: 'lr0', label: 'initial learning rate ε₀', min: -2, max: -0.4, step: 0.05, default: 0.1, log: true },
    { kind: 'select', name: 'm', label: 'batch size m', options: ['1', '2', '5', '10', '20', '50'].map((v) => ({ value: v, label: v })), default: '5' },
  ],
  numbers: SCHEDULES.map((s, i) => ({
    key: `tail${i}`,
    label: `${s.name}: mean excess, last 40 steps`,
    tol: 1e-3,
    ref: { table: 'SGD (m = 5) on a one-feature regression for K = 400 updates', row: i, column: 'mean excess, last 40 steps' },
  })),
  computed: [1, 2, 3],
  compute(p, { memo }) {
    const lr0 = p.lr0 as number;
    const m = Number(p.m);
    const data = line();
    const jStar = memo('jstar', () => regressionLoss(data, leastSquares(data)));
    // K updates in whole epochs of ⌈N/m⌉ batches (the notebook: m = 5, 40 per epoch, 10 epochs)
    const epochs = Math.ceil(K / Math.ceil(data.y.length / m));
    const runs: FitHistory[] = SCHEDULES.map((s, i) =>
      memo(key('fit', i, lr0, m), () =>
        fitLinearRegression(data, { optimizer: sgd({ lr: lr0 }), batchSize: m, epochs, schedule: s.make(lr0), seed: 3, evalEvery: 1, init: { w: [-1], b: 2 }, recordParams: true }),
      ),
    );
    const traces: Record<number, Record<string, unknown>> = {};
    const numbers: Record<string, number | null> = {};
    runs.forEach((h, i) => {
      const last = h.params!.slice(-151); // the iterates after the last 150 updates, θ_{K−150} … θ_K
      traces[i + 1] = { x: last.map((t) => t[0]), y: last.map((t) => t[1]) };
      numbers[`tail${i}`] = mean(h.loss.map((l) => l - jStar).slice(-40));
    });
    return { traces, numbers };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch06-saddle-escape

const REPLICAS = 20;
let wells: Objective | undefined;
/** 20 independent copies of ½x² + ¼y⁴ − ½y² as one 40-dimensional objective (the x's, then the y's). */
function doubleWells(): Objective {
  return (wells ??= defineObjective({
    name: '20 × (½x² + ¼y⁴ − ½y²)',
    dim: 2 * REPLICAS,
    fn: (z) => {
      const [x, y] = tf.split(z, 2, 0); // x_1 … x_20, y_1 … y_20 (columns when batched)
      // Σ_r ½x_r² + ¼y_r⁴ − ½y_r²
      return tf.sum(x.square().mul(0.5).add(y.square().square().mul(0.25)).sub(y.square().mul(0.5)), 0);
    },
  }));
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};
const PANELS = ['left', 'middle', 'right'];

/** ch06-saddle-escape: the three panels' noise levels, the step and the start are the reader's. */
export const ch06SaddleEscape: LiveSpec = {
  id: 'ch06-saddle-escape',
  chapter: '06-stochastic-gradient-descent',
  summary: 'Set the gradient-noise variance σ² of each panel, the step ε, or click the first panel to start the twenty runs elsewhere: 300 noisy gradient steps (minimize with noise σ, seed 11) are recomputed.',
  controls: [
    ...[0, 0.1, 1].map((d, k) => ({ kind: 'range' as const, name: `s2${k}`, label: `σ² (${PANELS[k]} panel)`, min: 0, max: 2, step: 0.05, default: d })),
    { kind: 'range', name: 'lr', label: 'step ε', min: 0.01, max: 0.2, step: 0.005, default: 0.05 },
    { kind: 'point', name: 'x0', label: 'start (all runs)', default: [1.5, 0], bounds: [[-0.6, 1.8], [-1.6, 1.6]] },
  ],
  numbers: [0, 1, 2].flatMap((k) => [
    { key: `escaped${k}`, label: `${PANELS[k]}: runs escaped`, tol: 0, ref: { table: 'Gradient descent (ε = 0.05) started on the stable manifold', row: k, column: 'runs escaped (|y| > 0.5)' } },
    { key: `median${k}`, label: `${PANELS[k]}: median escape step`, tol: 0, ref: { table: 'Gradient descent (ε = 0.05) started on the stable manifold', row: k, column: 'median escape step' } },
    { key: `meanF${k}`, label: `${PANELS[k]}: mean f at step 300`, tol: 1e-3, atol: 1e-9, ref: { table: 'Gradient descent (ε = 0.05) started on the stable manifold', row: k, column: 'mean f at step 300' } },
  ]),
  computed: [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20],
  compute(p, { memo }) {
    const lr = p.lr as number;
    const x0 = p.x0 as [number, number];
    const start = [...new Array(REPLICAS).fill(x0[0]), ...new Array(REPLICAS).fill(x0[1])];
    const traces: Record<number, Record<string, unknown>> = {};
    const numbers: Record<string, number | null> = {};
    [0, 1, 2].forEach((k) => {
      const s2 = p[`s2${k}`] as number;
      const tr = memo(key('wells', s2, lr, x0), () => minimize(doubleWells(), sgd({ lr }), { x0: start, steps: 300, noise: Math.sqrt(s2), seed: 11 }));
      for (let r = 0; r < 5; r++) {
        traces[7 * k + 1 + r] = { x: tr.points.map((q) => q[r]), y: tr.points.map((q) => q[REPLICAS + r]) };
      }
      traces[7 * k + 6] = { x: [0, 0, 0, x0[0]], y: [0, 1, -1, x0[1]] };
      const escapes = Array.from({ length: REPLICAS }, (_, r) => tr.points.findIndex((q) => Math.abs(q[REPLICAS + r]) > 0.5));
      numbers[`escaped${k}`] = escapes.filter((e) => e >= 0).length;
      numbers[`median${k}`] = escapes.every((e) => e >= 0) ? median(escapes) : null;
      numbers[`meanF${k}`] = tr.diverged ? null : tr.losses[tr.losses.length - 1] / REPLICAS;
    });
    const annotations = [0, 1, 2].map((k) => ({ text: `σ² = ${+(p[`s2${k}`] as number).toPrecision(3)}`, xref: `x${k === 0 ? '' : k + 1} domain`, yref: `y${k === 0 ? '' : k + 1} domain`, x: 0.5, y: 1.1, showarrow: false }));
    return { traces, layout: { annotations }, numbers };
  },
};
