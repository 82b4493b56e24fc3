/**
 * Live figures of chapter 07 (momentum): classical vs Nesterov, the three Mila run figures, the rate map over
 * (η, μ) and the two-slider explorer, recomputed with the library's sgd({ lr, momentum, nesterov }) and
 * minimize, and the rates with momentumRate / fitRate / optimalMomentum.
 */
import { quadratic } from '../../problems/catalog';
import { fitRate, maxStableLr, momentumRate, optimalGradientDescent, optimalMomentum, rateGrid } from '../../problems/momentum-analysis';
import { sgd } from '../../optimizers/sgd';
import { minimize, type Trajectory } from '../../training/minimize';
import type { Trace } from '../../core/figure';
import { unpackTrace } from './figure-json';
import { distances, key, logContourXYZ, pathXY, r4 } from './plot';
import type { Control, LiveNumber, LiveSpec, PlotlyJson } from './types';

const valley = (kappa: number) => quadratic([[1, 0], [0, kappa]], undefined, { name: `valley ½(x₁² + ${kappa}x₂²)` });
const path4 = (points: number[][]) => ({ x: points.map((p) => r4(p[0])), y: points.map((p) => r4(p[1])) });
const dist4 = (points: number[][]) => ({ x: points.map((_, k) => k), y: distances(points).map(r4) });
const fmt = (v: number) => String(+v.toPrecision(4));
/** sgd with momentum μ (plain gradient descent when μ = 0), as the notebook builds it. */
const heavyBallOpt = (lr: number, mu: number, nesterov = false) => sgd(mu > 0 ? { lr, momentum: mu, nesterov } : { lr });
/** fitRate, or null when the window has a zero/non-finite error or is too short (a run that diverged). */
function rateOrNull(errors: number[], from: number, to?: number, power?: number): number | null {
  try {
    return fitRate(errors, { from, to, power });
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ch07-nesterov

/** ch07-nesterov: classical and Nesterov momentum on the valley for the reader's ε, α, κ and start. */
export const ch07Nesterov: LiveSpec = {
  id: 'ch07-nesterov',
  chapter: '07-momentum',
  summary: 'Set the step ε, the momentum α, the valley’s condition number κ, or click to start elsewhere: 120 steps of sgd({ momentum }) and sgd({ momentum, nesterov: true }) are recomputed (Nesterov drawn at Goodfellow’s θ = φ − αv).',
  controls: [
    { kind: 'range', name: 'lr', label: 'step ε', min: 0.001, max: 0.05, step: 0.001, default: 0.02 },
    { kind: 'range', name: 'mu', label: 'momentum α', min: 0.05, max: 0.99, step: 0.01, default: 0.9 },
    { kind: 'range', name: 'kappa', label: 'κ (valley ½(x₁² + κx₂²))', min: 2, max: 100, step: 1, default: 49 },
    { kind: 'point', name: 'x0', label: 'start', default: [-2, 0.8], bounds: [[-2.2, 2.2], [-1, 1]] },
  ],
  numbers: [
    { key: 'rateClassical', label: 'rate ρ, classical', tol: 1e-3, ref: { stdout: /rate per step: classical ([\d.]+),/ } },
    { key: 'rateNesterov', label: 'rate ρ, Nesterov', tol: 1e-3, ref: { stdout: /rate per step: classical [\d.]+, Nesterov ([\d.]+)/ } },
    { key: 'measuredNesterov', label: 'measured, Nesterov (k = 30…120)', tol: 1e-4, ref: { check: 'measured rate of library Nesterov (fit of log‖x_k‖, k = 30…120) vs ρ(R_nesterov)' } },
  ],
  computed: [0, 1, 2, 3, 4],
  traceTol: 2e-3,
  compute(p, { memo }) {
    const [lr, mu, kappa] = [p.lr as number, p.mu as number, p.kappa as number];
    const x0 = p.x0 as [number, number];
    const obj = memo(key('valley', kappa), () => valley(kappa));
    const contour = memo(key('contour', kappa), () => logContourXYZ(obj, [-2.2, 2.2], [-1, 1]));
    const classical = memo(key('classical', lr, mu, kappa, x0), () => minimize(obj, heavyBallOpt(lr, mu), { x0, steps: 120 }));
    const lib = memo(key('nesterov', lr, mu, kappa, x0), () => minimize(obj, sgd({ lr, momentum: mu, nesterov: true }), { x0, steps: 120, record: ['v'] }));
    // torch's Nesterov iterate is the look-ahead φ = θ + αv with Goodfellow's v = −ε b: θ = φ + α ε b
    const theta = lib.points.map((phi, k) => phi.map((v, i) => v + mu * lr * lib.states!.v[k][i]));
    const ls = [1, kappa];
    return {
      traces: { 0: contour, 1: path4(classical.points.slice(0, 60)), 2: path4(theta.slice(0, 60)), 3: dist4(classical.points), 4: dist4(theta) },
      numbers: {
        rateClassical: momentumRate(ls, lr, mu),
        rateNesterov: momentumRate(ls, lr, mu, { nesterov: true }),
        measuredNesterov: lib.diverged ? null : rateOrNull(distances(lib.points), 30),
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// The Mila runs

interface MilaRun {
  label: string;
  l1: number;
  lr: number;
  mu: number;
  steps: number;
  from: number;
}
const MILA: MilaRun[] = [
  { label: 'diag(2,1): μ = 0.95, η = 0.01', l1: 2, lr: 0.01, mu: 0.95, steps: 300, from: 60 },
  { label: 'diag(2,1): μ = 0.5, η = 0.1', l1: 2, lr: 0.1, mu: 0.5, steps: 150, from: 20 },
  { label: 'diag(9.9,1): η = 0.1, no momentum', l1: 9.9, lr: 0.1, mu: 0, steps: 150, from: 20 },
  { label: 'diag(9.9,1): η = 0.1, μ = 0.5', l1: 9.9, lr: 0.1, mu: 0.5, steps: 150, from: 20 },
  { label: 'diag(2,1): μ = 0.5, η = 0.01', l1: 2, lr: 0.01, mu: 0.5, steps: 300, from: 60 },
  { label: 'diag(2,1): μ = 0.9, η = 0.01', l1: 2, lr: 0.01, mu: 0.9, steps: 300, from: 60 },
  { label: 'diag(2,1): μ = 0.99, η = 0.01', l1: 2, lr: 0.01, mu: 0.99, steps: 300, from: 60 },
];
const MILA_X0: [number, number] = [-1.5, 1.5];
const milaLabel = (l1: number, lr: number, mu: number) => `diag(${fmt(l1)},1): ${mu > 0 ? `μ = ${fmt(mu)}, η = ${fmt(lr)}` : `η = ${fmt(lr)}, no momentum`}`;
const MILA_TABLE = 'The Mila momentum runs';

/**
 * A Mila figure: runs `idx` (of MILA) drawn with `shown` steps; `settings(p)` gives each run's (λ₁, η, μ) from the
 * parameters. Traces: 0 contour, 1…n paths, n+1…2n distances.
 */
function milaSpec(id: string, summary: string, idx: number[], shown: number, controls: Control[], settings: (p: Record<string, unknown>) => { l1: number; lr: number; mu: number }[]): LiveSpec {
  const numbers: LiveNumber[] = idx.flatMap((i, c) => [
    { key: `pred${c}`, label: `ρ run ${c + 1} (predicted)`, ref: { table: MILA_TABLE, row: { column: 'run', equals: MILA[i].label }, column: 'predicted rate ρ' } },
    { key: `meas${c}`, label: `measured`, tol: 1e-4, ref: { table: MILA_TABLE, row: { column: 'run', equals: MILA[i].label }, column: 'measured rate' } },
    { key: `x150_${c}`, label: `‖x₁₅₀‖`, tol: 1e-3, ref: { table: MILA_TABLE, row: { column: 'run', equals: MILA[i].label }, column: '‖x₁₅₀‖' } },
  ]);
  const n = idx.length;
  return {
    id,
    chapter: '07-momentum',
    summary,
    controls: [...controls, { kind: 'point', name: 'x0', label: 'start (all runs)', default: MILA_X0, bounds: [[-2, 2], [-2, 2]] }],
    numbers,
    computed: Array.from({ length: 2 * n + 1 }, (_, i) => i),
    traceTol: 2e-3,
    compute(p, { memo }) {
      const x0 = p.x0 as [number, number];
      const traces: Record<number, Trace> = {};
      const out: Record<string, number | null> = {};
      const sets = settings(p);
      traces[0] = memo(key('contour', sets[0].l1), () => logContourXYZ(quadratic([[sets[0].l1, 0], [0, 1]]), [-3, 3], [-2, 2]));
      idx.forEach((i, c) => {
        const { l1, lr, mu } = sets[c];
        const tr: Trajectory = memo(key('mila', l1, lr, mu, MILA[i].steps, x0), () => minimize(quadratic([[l1, 0], [0, 1]]), heavyBallOpt(lr, mu), { x0, steps: MILA[i].steps }));
        const name = milaLabel(l1, lr, mu);
        traces[1 + c] = { ...path4(tr.points.slice(0, shown + 1)), name };
        traces[1 + n + c] = { ...dist4(tr.points), name };
        const d = distances(tr.points);
        out[`pred${c}`] = momentumRate([l1, 1], lr, mu);
        out[`meas${c}`] = tr.diverged ? null : rateOrNull(d, MILA[i].from);
        out[`x150_${c}`] = d.length > 150 ? d[150] : null;
      });
      return { traces, numbers: out };
    },
  };
}

const range = (name: string, label: string, min: number, max: number, step: number, def: number): Control => ({ kind: 'range', name, label, min, max, step, default: def });

export const ch07MilaMomentum = milaSpec(
  'ch07-mila-momentum',
  'Set μ and η of the two runs on H = diag(2, 1), or click to start them elsewhere: the runs (sgd with momentum, 300 and 150 steps) and their predicted and measured rates are recomputed.',
  [0, 1],
  200,
  [range('mu0', 'μ, run 1', 0, 0.99, 0.01, 0.95), range('lr0', 'η, run 1', 0.005, 0.3, 0.005, 0.01), range('mu1', 'μ, run 2', 0, 0.99, 0.01, 0.5), range('lr1', 'η, run 2', 0.005, 0.3, 0.005, 0.1)],
  (p) => [
    { l1: 2, lr: p.lr0 as number, mu: p.mu0 as number },
    { l1: 2, lr: p.lr1 as number, mu: p.mu1 as number },
  ],
);

export const ch07MilaDynamics = milaSpec(
  'ch07-mila-dynamics',
  'Set the curvature λ₁ of H = diag(λ₁, 1), the common step η and the second run’s momentum μ, or click to start elsewhere: with and without momentum, 150 steps each.',
  [2, 3],
  100,
  [range('l1', 'λ₁ (H = diag(λ₁, 1))', 1, 20, 0.1, 9.9), range('lr', 'η (both runs)', 0.005, 0.3, 0.005, 0.1), range('mu', 'μ, run 2', 0, 0.99, 0.01, 0.5)],
  (p) => [
    { l1: p.l1 as number, lr: p.lr as number, mu: 0 },
    { l1: p.l1 as number, lr: p.lr as number, mu: p.mu as number },
  ],
);

export const ch07MilaMuSweep = milaSpec(
  'ch07-mila-mu-sweep',
  'Set the common step η and each run’s momentum μ on H = diag(2, 1), or click to start elsewhere: four runs of 300 steps.',
  [4, 5, 0, 6],
  300,
  [
    range('lr', 'η (all runs)', 0.001, 0.1, 0.001, 0.01),
    range('mu0', 'μ, run 1', 0, 0.99, 0.01, 0.5),
    range('mu1', 'μ, run 2', 0, 0.99, 0.01, 0.9),
    range('mu2', 'μ, run 3', 0, 0.99, 0.01, 0.95),
    range('mu3', 'μ, run 4', 0, 0.99, 0.01, 0.99),
  ],
  (p) => [0, 1, 2, 3].map((c) => ({ l1: 2, lr: p.lr as number, mu: p[`mu${c}`] as number })),
);

// ---------------------------------------------------------------------------------------------------------
// ch07-rate-heatmap

const ETA_PLOT = Array.from({ length: 68 }, (_, i) => 0.00125 * (i + 1));
const MU_PLOT = Array.from({ length: 53 }, (_, j) => 0.01875 * j);
const LMAX = 49;

/** ch07-rate-heatmap: the rate map for λ ∈ [49/κ, 49] and the rate at a clicked (η, μ). */
export const ch07RateHeatmap: LiveSpec = {
  id: 'ch07-rate-heatmap',
  chapter: '07-momentum',
  summary: 'Set the condition number κ (λmax = 49 stays, λmin = 49/κ) or click the map to read the rate of a pair (η, μ): the 68 × 53 rates (momentumRate), the optimum (η*, μ*) and gradient descent’s best are recomputed.',
  controls: [
    { kind: 'range', name: 'kappa', label: 'condition number κ', min: 0.3, max: 3, step: 0.05, default: 49, log: true },
    { kind: 'point', name: 'pair', label: '(η, μ)', default: [0.0625, 0.5625], bounds: [[0.00125, 0.085], [0, 0.99]] },
  ],
  numbers: [
    { key: 'rhoStar', label: 'optimal rate ρ*', ref: { check: 'optimal rate ρ* = (√κ − 1)/(√κ + 1) at κ = 49' } },
    { key: 'etaStar', label: 'η*', ref: { figure: (fig) => (unpackTrace(fig.data[2]).x as number[])[0], what: 'the star’s η' } },
    { key: 'muStar', label: 'μ*', ref: { figure: (fig) => (unpackTrace(fig.data[2]).y as number[])[0], what: 'the star’s μ' } },
    { key: 'gdRate', label: 'gradient descent’s best rate', ref: { figure: (fig) => Number(/ρ = ([\d.]+)/.exec(String(fig.data[3].name))?.[1]), what: 'the circle’s name' } },
    { key: 'probe', label: 'ρ at (η, μ)', tol: 1e-6, ref: { check: 'ρ(R) at (η*, μ*) equals ρ*' } },
  ],
  computed: [0, 1, 2, 3],
  compute(p, { memo, base }) {
    const kappa = p.kappa as number;
    const [eta, mu] = p.pair as [number, number];
    const ls = [LMAX / kappa, LMAX];
    const rates = memo(key('rates', kappa), () => rateGrid(ls, ETA_PLOT, MU_PLOT));
    const opt = optimalMomentum(ls[0], ls[1]);
    const gd = optimalGradientDescent(ls[0], ls[1]);
    const rho = momentumRate(ls, eta, mu);
    return {
      traces: {
        // the colour scale and the labelled levels reach down to this κ's optimum (the notebook's for κ = 49)
        0: {
          x: ETA_PLOT, y: MU_PLOT, z: rates.map((row) => row.map((r) => (r < 1 ? r4(r) : null))),
          zmin: Math.min(0.7, Math.floor((opt.rate - 0.02) * 20) / 20),
          contours: { ...((base.data[0].contours as Record<string, unknown>) ?? {}), start: Math.min(0.75, Math.ceil(opt.rate * 100) / 100) },
        },
        1: { x: MU_PLOT.map((m) => maxStableLr(LMAX, m)), y: MU_PLOT },
        2: { x: [opt.lr], y: [opt.momentum], name: `momentum optimum ρ* = ${+opt.rate.toPrecision(6)}` },
        3: { x: [gd.lr], y: [0], name: `gradient descent optimum ρ = ${+gd.rate.toPrecision(6)}` },
        4: {
          type: 'scatter', mode: 'markers+text', name: 'your (η, μ)', x: [eta], y: [mu], text: [rho < 1 ? `ρ = ${rho.toFixed(3)}` : `ρ = ${rho.toFixed(3)}: diverges`],
          textposition: 'top right', textfont: { color: '#ff2a2a', size: 13 }, marker: { symbol: 'circle-open', size: 16, color: '#ff2a2a', line: { width: 3 } },
        },
      },
      numbers: { rhoStar: opt.rate, etaStar: opt.lr, muStar: opt.momentum, gdRate: gd.rate, probe: rho },
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// ch07-explorer

/** The notebook's active pair (η = 0.04, μ = 0): trace 3 + 3·(4·8 + 0) of its figure and the two after it. */
const EXPLORER_ACTIVE = 3 + 3 * (4 * 8 + 0);
const LAMBDAS = [1, 49];

function explorerLabel(fig: PlotlyJson): string {
  return String((fig.data[EXPLORER_ACTIVE + 2].text as string[])[0]);
}

/** ch07-explorer: continuous η and μ (the notebook precomputed 64 pairs), and the start. */
export const ch07Explorer: LiveSpec = {
  id: 'ch07-explorer',
  chapter: '07-momentum',
  summary: 'Set any step η and momentum μ (the notebook precomputed 8 × 8 pairs) or click the left panel to start elsewhere: 100 steps of sgd({ lr: η, momentum: μ }) and their rate are recomputed.',
  controls: [
    { kind: 'range', name: 'lr', label: 'step size η', min: 0.0025, max: 0.085, step: 0.0025, default: 0.04 },
    { kind: 'range', name: 'mu', label: 'momentum μ', min: 0, max: 0.99, step: 0.01, default: 0 },
    { kind: 'point', name: 'x0', label: 'start', default: [-2, 0.8], bounds: [[-2.5, 2.5], [-1.3, 1.3]] },
  ],
  numbers: [
    { key: 'rho', label: 'rate ρ', tol: 2e-3, ref: { figure: (fig) => Number(/ρ = ([\d.]+)/.exec(explorerLabel(fig))?.[1]), what: 'the label of the η = 0.04, μ = 0 pair' } },
    { key: 'final', label: '‖x₁₀₀‖', tol: 0.05, ref: { figure: (fig) => Number(/‖x₁₀₀‖ = ([\d.e+-]+)/.exec(explorerLabel(fig))?.[1]), what: 'the label of the η = 0.04, μ = 0 pair' } },
  ],
  computed: [3, 4],
  traceTol: 0,
  traceAtol: 2e-4,
  prepare(fig) {
    // the 64 precomputed (η, μ) pairs and their two sliders give way to one recomputed pair
    const keep = (i: number, extra: Trace = {}) => ({ ...fig.data[i], visible: true, opacity: 1, ...extra });
    const data = [fig.data[0], fig.data[1], fig.data[2], keep(EXPLORER_ACTIVE, { hoverinfo: 'x+y' }), keep(EXPLORER_ACTIVE + 1), keep(EXPLORER_ACTIVE + 2)];
    const { sliders: _sliders, ...layout } = fig.layout;
    return { ...fig, data, layout };
  },
  reference(fig, i) {
    return fig.data[EXPLORER_ACTIVE + i - 3];
  },
  compute(p, { memo }) {
    const [lr, mu] = [p.lr as number, p.mu as number];
    const x0 = p.x0 as [number, number];
    const obj = memo('valley', () => valley(49));
    const tr = memo(key('explore', lr, mu, x0), () => minimize(obj, heavyBallOpt(lr, mu), { x0, steps: 100 }));
    const pts = tr.points;
    const cut = pts.findIndex((q) => Math.hypot(...q) > 20); // stop drawing a diverging run
    const shown = cut < 0 ? pts : pts.slice(0, cut + 1);
    const rho = momentumRate(LAMBDAS, lr, mu);
    const final = pts.length > 100 ? Math.hypot(...pts[100]) : null;
    const pair = `η = ${fmt(lr)}, μ = ${fmt(mu)}`;
    const text = rho < 1 && final !== null ? `${pair}: ρ = ${rho.toFixed(3)}, ‖x₁₀₀‖ = ${final.toExponential(1)}` : `${pair}: ρ = ${rho.toFixed(3)} > 1, diverges`;
    return {
      traces: {
        3: { ...pathXY(shown), name: pair },
        4: { x: [lr], y: [mu] },
        5: { text: [text] },
      },
      numbers: { rho, final },
    };
  },
};
