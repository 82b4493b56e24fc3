/**
 * Live figures of chapter 02 (critical points): the landscape's critical points found again by batched Newton,
 * Newton and gradient descent from a clicked start, the reader's own quadratic form, and gradient descent
 * escaping the saddle of x² − y² for the reader's step and offset.
 */
import * as tf from '@tensorflow/tfjs';
import { defineObjective, type Objective } from '../../core/objective';
import { eigSym } from '../../core/linalg';
import { inspectPoint, quadratic, saddle } from '../../problems/catalog';
import { findCriticalPoints, gridStarts } from '../../problems/local-geometry';
import { newton } from '../../optimizers/newton';
import { sgd } from '../../optimizers/sgd';
import { minimize, type Trajectory } from '../../training/minimize';
import { unpackTrace } from './figure-json';
import { key, pathXY } from './plot';
import type { LiveSpec } from './types';

// ---------------------------------------------------------------------------------------------------------
// ch02-saddle-escape

/** ch02-saddle-escape: x ← x − η∇f(x) on x² − y² from (ε, ε), with the notebook's loop and autodiff gradient. */
export const ch02SaddleEscape: LiveSpec = {
  id: 'ch02-saddle-escape',
  chapter: '02-critical-points',
  summary: 'Set the step η and the offset ε of the start (ε, ε) from the saddle: 80 steps of gradient descent are recomputed; the distance grows by 1 + 2η per step.',
  controls: [
    { kind: 'range', name: 'lr', label: 'step η', min: 0.01, max: 0.5, step: 0.01, default: 0.1 },
    { kind: 'range', name: 'eps', label: 'offset ε (start (ε, ε))', min: -9, max: -1, step: 0.25, default: 1e-6, log: true },
  ],
  numbers: [
    { key: 'growth', label: 'growth ‖x_T‖/‖x_{T−1}‖', ref: { check: 'distance growth factor per step at the end (‖x_T‖/‖x_{T−1}‖)' } },
    { key: 'beyond1', label: 'first step at distance ≥ 1', tol: 0, ref: { check: 'first step at distance ≥ 1 from the saddle = ⌈ln(1/ε)/ln(1 + 2η)⌉' } },
    { key: 'direction', label: '|cos| with (0, 1) at the end', atol: 1e-6, ref: { check: 'direction of escape: |cos| with the negative-curvature eigenvector (0, 1)' } },
  ],
  computed: [1, 2, 3],
  compute(p, { memo }) {
    const eta = p.lr as number;
    const eps = p.eps as number;
    const steps = 80;
    const path = memo(key('escape', eta, eps), () => {
      const pts: number[][] = [[eps, eps]];
      for (let t = 0; t < steps; t++) {
        const [gx, gy] = saddle.gradient(pts[t]);
        pts.push([pts[t][0] - eta * gx, pts[t][1] - eta * gy]); // x ← x − η ∇f(x)
      }
      return pts;
    });
    const dist = path.map(([x, y]) => Math.hypot(x, y));
    const t = path.map((_, k) => k);
    const beyond = dist.findIndex((d) => d >= 1);
    return {
      traces: {
        1: pathXY(path),
        2: { x: t, y: dist },
        3: { x: t, y: t.map((k) => eps * (1 + 2 * eta) ** k * Math.SQRT2) },
      },
      numbers: { growth: dist[steps] / dist[steps - 1], beyond1: beyond < 0 ? null : beyond, direction: Math.abs(path[steps][1]) / dist[steps] },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch02-critical-points

/** f(x, y) = x³ − 3x + y³ − 3y + xy, the notebook's landscape. */
export const cubicLandscape: Objective = defineObjective({
  name: 'x³ − 3x + y³ − 3y + xy',
  dim: 2,
  fn: (p: tf.Tensor) => {
    const [x, y] = tf.unstack(p);
    return x.pow(3).sub(x.mul(3)).add(y.pow(3)).sub(y.mul(3)).add(x.mul(y)); // f = x³ − 3x + y³ − 3y + xy
  },
  domain: [[-2, 2], [-2, 2]],
  latex: 'f(x, y) = x^3 - 3x + y^3 - 3y + xy',
});

/** Runs minimize, or returns undefined when the optimizer cannot go on (Newton at a singular Hessian). */
function tryMinimize(run: () => Trajectory): Trajectory | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

/** ch02-critical-points: the four critical points again, plus Newton and gradient descent from a clicked start. */
export const ch02CriticalPoints: LiveSpec = {
  id: 'ch02-critical-points',
  chapter: '02-critical-points',
  summary: 'Click the contours to start Newton’s method (red, 12 steps) and gradient descent (white, 100 steps, step η) there: Newton goes to the nearest critical point of any kind, gradient descent only to the minimum (or off to −∞). The critical points are found again in the page by batched Newton from 64 starts.',
  controls: [
    { kind: 'point', name: 'x0', label: 'start', default: [-0.5, 1.5], bounds: [[-2, 2], [-2, 2]] },
    { kind: 'range', name: 'lr', label: 'gradient descent step η', min: 0.005, max: 0.2, step: 0.005, default: 0.05 },
  ],
  numbers: [
    { key: 'count', label: 'critical points found', tol: 0, ref: { figure: (fig) => [9, 10, 11].reduce((n, i) => n + (unpackTrace(fig.data[i]).x as number[]).length, 0), what: 'markers of the minimum, saddles and maximum' } },
    { key: 'fMin', label: 'f at the minimum', ref: { table: 'Critical points of x³ − 3x + y³ − 3y + xy', row: 0, column: 'f(x, y)' } },
    { key: 'fMax', label: 'f at the maximum', ref: { table: 'Critical points of x³ − 3x + y³ − 3y + xy', row: 3, column: 'f(x, y)' } },
    { key: 'newtonEnd', label: 'Newton ends at f =' },
    { key: 'newtonGrad', label: '‖∇f‖ there' },
    { key: 'gdEnd', label: 'gradient descent ends at f =' },
    { key: 'gdDiverged', label: 'gradient descent diverged at step' },
  ],
  computed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  compute(p, { memo }) {
    const x0 = p.x0 as [number, number];
    const lr = p.lr as number;
    const found = memo('found', () => findCriticalPoints(cubicLandscape, gridStarts(cubicLandscape.domain, 8)));
    const traces: Record<number, Record<string, unknown>> = {};
    // eigenvector segments at each point (solid for λ > 0, dotted for λ < 0), as the notebook draws them
    const segments = memo('segments', () =>
      found.flatMap((q) => {
        const { values, vectors } = eigSym(cubicLandscape.hessian(q.x));
        return vectors.map((v, k) => ({
          x: [q.x[0] - 0.35 * v[0], q.x[0] + 0.35 * v[0]],
          y: [q.x[1] - 0.35 * v[1], q.x[1] + 0.35 * v[1]],
          line: { color: 'black', width: 2, dash: values[k] > 0 ? 'solid' : 'dot' },
        }));
      }),
    );
    segments.forEach((s, i) => (traces[1 + i] = s));
    ['minimum', 'saddle', 'maximum'].forEach((kind, i) => {
      const pts = found.filter((q) => q.kind === kind);
      traces[1 + segments.length + i] = { x: pts.map((q) => q.x[0]), y: pts.map((q) => q.x[1]) };
    });
    const n = 1 + segments.length + 3;
    const nt = memo(key('newton', x0), () => tryMinimize(() => minimize(cubicLandscape, newton(), { x0, steps: 12 })));
    const gd = memo(key('gd', x0, lr), () => minimize(cubicLandscape, sgd({ lr }), { x0, steps: 100 }));
    const inBox = (pts: number[][]) => pts.filter((q) => Math.abs(q[0]) <= 2.5 && Math.abs(q[1]) <= 2.5);
    traces[n] = {
      type: 'scatter', mode: 'lines+markers', name: 'Newton from the start', ...pathXY(inBox(nt?.points ?? [x0])),
      line: { color: '#d62728', width: 2 }, marker: { size: 6, color: '#d62728' },
    };
    traces[n + 1] = {
      type: 'scatter', mode: 'lines+markers', name: `gradient descent, η = ${+lr.toPrecision(3)}`, ...pathXY(inBox(gd.points)),
      line: { color: 'white', width: 1.5 }, marker: { size: 4, color: 'white', line: { color: 'black', width: 0.5 } },
    };
    const minimum = found.find((q) => q.kind === 'minimum');
    const maximum = found.find((q) => q.kind === 'maximum');
    const nEnd = nt ? nt.points[nt.points.length - 1] : undefined;
    return {
      traces,
      numbers: {
        count: found.length,
        fMin: minimum ? minimum.value : null,
        fMax: maximum ? maximum.value : null,
        newtonEnd: nt && !nt.diverged ? nt.losses[nt.losses.length - 1] : null,
        newtonGrad: nt && !nt.diverged && nEnd ? nt.gradNorms[nt.gradNorms.length - 1] : null,
        gdEnd: gd.diverged ? null : gd.losses[gd.losses.length - 1],
        gdDiverged: gd.diverged ? gd.diverged.step : null,
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch02-quadratic-forms

const fmtEntry = (v: number) => String(+v.toFixed(2) + 0).replace('-', '−');

/** ch02-quadratic-forms: the first panel becomes the reader's symmetric H. */
export const ch02QuadraticForms: LiveSpec = {
  id: 'ch02-quadratic-forms',
  chapter: '02-critical-points',
  summary: 'Make the first panel your own symmetric H = [[a, b], [b, c]]: its contours, eigenvectors (autodiff Hessian, eigSym) and classification are recomputed.',
  controls: [
    { kind: 'range', name: 'a', label: 'H₁₁ = a', min: -4, max: 4, step: 0.25, default: 1 },
    { kind: 'range', name: 'b', label: 'H₁₂ = H₂₁ = b', min: -3, max: 3, step: 0.25, default: 0 },
    { kind: 'range', name: 'c', label: 'H₂₂ = c', min: -4, max: 4, step: 0.25, default: 1 },
  ],
  numbers: [
    { key: 'lmin', label: 'smallest eigenvalue (autodiff)', atol: 1e-5, ref: { figure: (fig) => eigenvalueLabels(fig)[0], what: 'the λ labels of the first panel' } },
    { key: 'lmax', label: 'largest eigenvalue (autodiff)', atol: 1e-5, ref: { figure: (fig) => eigenvalueLabels(fig)[1], what: 'the λ labels of the first panel' } },
  ],
  computed: [0],
  compute(p, { memo, base }) {
    const H = [[p.a as number, p.b as number], [p.b as number, p.c as number]];
    const label = `[[${fmtEntry(H[0][0])}, ${fmtEntry(H[0][1])}], [${fmtEntry(H[1][0])}, ${fmtEntry(H[1][1])}]]`;
    const { info, grid } = memo(key('form', H.flat()), () => {
      const form = quadratic(H);
      return { info: inspectPoint(form, [0, 0]), grid: form.grid([-2, 2], [-2, 2], 51) };
    });
    // the notebook's annotations of panel 1 (two per eigenvector, then the title), redone for this H
    const arrows = info.eigenvectors.flatMap((v, j) => {
      const color = info.eigenvalues[j] > 0 ? 'black' : '#d62728';
      return [
        { xref: 'x', yref: 'y', axref: 'x', ayref: 'y', x: 1.2 * v[0], y: 1.2 * v[1], ax: 0, ay: 0, showarrow: true, arrowhead: 2, arrowwidth: 2.5, arrowcolor: color, text: '' },
        {
          xref: 'x', yref: 'y', x: 1.2 * v[0], y: 1.2 * v[1], showarrow: false,
          xanchor: v[0] > 0.3 ? 'left' : v[0] < -0.3 ? 'right' : 'center', yanchor: v[1] > 0.3 ? 'bottom' : v[1] < -0.3 ? 'top' : 'middle',
          text: `λ = ${+info.eigenvalues[j].toFixed(3)}`, font: { size: 11, color }, bgcolor: 'rgba(255,255,255,0.75)',
        },
      ];
    });
    const title = { xref: 'x domain', yref: 'y domain', x: 0.5, y: 1.12, showarrow: false, text: `H = ${label}: ${info.kind}`, font: { size: 12 } };
    const rest = ((base.layout.annotations as unknown[]) ?? []).slice(5);
    return {
      traces: { 0: { x: grid.x, y: grid.y, z: grid.z, name: label } },
      layout: { annotations: [...arrows, title, ...rest] },
      numbers: { lmin: info.eigenvalues[0], lmax: info.eigenvalues[1] },
    };
  },
};

/** The two eigenvalues written on the first panel of the notebook's figure ("λ = …" labels). */
function eigenvalueLabels(fig: { layout: Record<string, unknown> }): number[] {
  const anns = (fig.layout.annotations as { text?: string }[]).slice(0, 5);
  return anns.map((a) => /^λ = (-?[\d.]+)$/.exec(a.text ?? '')?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => a - b);
}
