/**
 * Live figures of chapter 05 (gradient descent): the notebook's runs recomputed with `quadratic`, `sgd`,
 * `newton` and `minimize` for the reader's step size, curvature and start point.
 */
import { quadratic } from '../../problems/catalog';
import { sgd } from '../../optimizers/sgd';
import { minimize, type Trajectory } from '../../training/minimize';
import { key, pathXY, z4 } from './plot';
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
    { key: 'rate', label: 'worst-case contraction ρ = max|1 − ηλᵢ|', ref: { check: 'diag(10,1): ρ(0.1) = 0.9' } },
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
      return { x: g.x, y: g.y, z: z4(g.z) };
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
