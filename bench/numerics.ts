/**
 * The numeric benchmarks on ONE tfjs backend (the backend is process-global, so bench/run.ts starts
 * this file once per backend in its own child process):
 *
 *   node --expose-gc --import tsx bench/numerics.ts --backend wasm|cpu|node [--runs 5] --out FILE.json
 *
 *  - backend initialisation (once: this process's cold initBackend),
 *  - a 1000-step 2D trajectory through minimize (Rosenbrock from (−1.5, 2), Adam lr 0.01 and GD),
 *    and the same trajectory written three ways (bench/trajectory_variants.ts) with their agreement,
 *  - 100 Newton steps through minimize (one objective.hessian per step),
 *  - a 201×201 grid for a contour (objective.grid on Rosenbrock),
 *  - the Hessian of a 10-parameter function (objective.hessian of the chained Rosenbrock),
 *    each of the last three also the pre-issue-9 way (bench/previous_paths.ts) for before/after,
 *  - MLP training throughput (examples/s): trainEpochs with the library's Adam.
 * Writes one JSON object to --out (or says why the backend was skipped).
 */
import fs from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { HELP, parseFlags, positiveInteger } from '../scripts/args';
import { initBackend, type BackendChoice } from '../src/edge/backend';
import { defineObjective } from '../src/core/objective';
import { rosenbrock } from '../src/problems/catalog';
import { minimize, type MinimizeObjective } from '../src/training/minimize';
import { mlp } from '../src/nets/mlp';
import { trainEpochs } from '../src/training/train-epochs';
import { adam, newton, sgd } from '../src/optimizers';
import { rng } from '../src/core/random';
import { gridByPoints, hessianByRows, maxAbsDiff } from './previous_paths';
import { measure, measureInterleaved, round, type Measurement } from './stats';
import { VARIANTS, maxDifference, type TrajectoryRun } from './trajectory_variants';

/** The workloads, shared with bench/torch_reference.py (keep the two in sync). */
export const WORKLOAD = {
  trajectory: { objective: 'rosenbrock (a = 1, b = 100)', x0: [-1.5, 2], steps: 1000, adamLr: 0.01, sgdLr: 1e-4 },
  grid: { objective: 'rosenbrock', x: [-2, 2] as [number, number], y: [-1, 3] as [number, number], n: 201 },
  newton: { objective: 'rosenbrock', x0: [-1.5, 2], steps: 100, lr: 0.5 },
  hessian: { objective: 'chained rosenbrock, n = 10, at x_i = 0.1 i − 0.3', dim: 10 },
  mlp: { sizes: [2, 64, 64, 1], activation: 'tanh' as const, n: 2048, batchSize: 64, epochs: 3, lr: 1e-3 },
};

const USAGE = `node --expose-gc --import tsx bench/numerics.ts --backend node|wasm|cpu [--runs N] --out FILE.json
  --backend B    the tfjs backend to measure (this process initialises only that one)
  --runs N       timed runs per case (default 5)
  --out FILE     where the JSON result goes
  -h, --help     print this and exit`;
const BACKENDS = ['node', 'wasm', 'cpu'] as const;

/** The command line of this benchmark: --backend and --out (required), --runs, --help. */
export function parseNumericsArgs(argv: string[]): { backend: BackendChoice; runs: number; out: string; help: boolean } {
  const { values } = parseFlags(argv, { backend: { type: 'string' }, runs: { type: 'string' }, out: { type: 'string' }, help: HELP }, USAGE);
  if (values.help) return { backend: 'cpu', runs: 5, out: '', help: true };
  const backend = values.backend;
  if (backend === undefined || !(BACKENDS as readonly string[]).includes(backend)) throw new Error(`--backend must be node, wasm or cpu; got ${JSON.stringify(backend)}`);
  if (!values.out) throw new Error('--out FILE is required');
  return { backend: backend as BackendChoice, runs: values.runs !== undefined ? positiveInteger('runs', values.runs) : 5, out: values.out, help: false };
}

/** f(x) = Σ_{i<n−1} (1 − x_i)² + 100 (x_{i+1} − x_i²)², batched like every course objective. */
export const chainedRosenbrock = defineObjective({
  name: 'chained rosenbrock (n = 10)',
  dim: WORKLOAD.hessian.dim,
  fn: (x) => {
    const c = tf.unstack(x);
    let f: tf.Tensor = tf.zerosLike(c[0]);
    for (let i = 0; i + 1 < c.length; i++) {
      // (1 − x_i)² + 100 (x_{i+1} − x_i²)²
      f = f.add(tf.square(tf.sub(1, c[i]))).add(tf.square(c[i + 1].sub(c[i].square())).mul(100));
    }
    return f;
  },
});

/** MLP data: X ~ U(−1, 1)², y = sin(πx₁)·x₂ (seeded). */
function mlpData(n: number): { X: Float32Array; y: Float32Array } {
  const r = rng(7);
  const X = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = 2 * r.uniform() - 1;
    X[2 * i + 1] = 2 * r.uniform() - 1;
    y[i] = Math.sin(Math.PI * X[2 * i]) * X[2 * i + 1];
  }
  return { X, y };
}

async function main(): Promise<void> {
  const { backend: choice, runs, out, help } = parseNumericsArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    return;
  }

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let backend: string;
  try {
    backend = (await initBackend(choice)).backend;
  } catch (err) {
    fs.writeFileSync(out, JSON.stringify({ backend: choice, skipped: err instanceof Error ? err.message.split('\n')[0] : String(err) }));
    return;
  }
  const initMs = performance.now() - t0;
  const initCpu = process.cpuUsage(c0);
  const result: Record<string, unknown> = {
    backend,
    tfjs: tf.version.tfjs,
    init: { ms: round(initMs), cpu_ms: round((initCpu.user + initCpu.system) / 1000), n: 1, loadavg: os.loadavg().map((l) => round(l, 3)) },
  };

  // 1. trajectories: minimize (the library's default loop) and the variants, interleaved
  const T = WORKLOAD.trajectory;
  const f = rosenbrock();
  const traj: Record<string, Measurement> = {};
  const finals: Record<string, number[]> = {};
  const agreement: Record<string, number> = {};
  for (const [optName, make] of [
    ['adam', () => adam({ lr: T.adamLr })],
    ['sgd', () => sgd({ lr: T.sgdLr })],
  ] as const) {
    const reference = minimize(f, make(), { x0: T.x0, steps: T.steps });
    if (reference.diverged) throw new Error(`benchmark trajectory diverged: ${reference.diverged.reason}`);
    finals[optName] = reference.points[reference.points.length - 1];
    const cases: Record<string, () => unknown> = { minimize: () => minimize(f, make(), { x0: T.x0, steps: T.steps }) };
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const run: TrajectoryRun = variant(f, make(), T.x0, T.steps);
      agreement[`${optName}.${name}`] = maxDifference(reference, run);
      cases[name] = () => variant(f, make(), T.x0, T.steps);
    }
    const m = measureInterleaved(cases, runs);
    for (const [name, v] of Object.entries(m)) traj[`${optName}.${name}`] = v;
  }
  result.trajectory = {
    workload: T,
    final_point: finals,
    // largest |Δ| between minimize() and each variant over all points (0 = bit-identical)
    max_difference_vs_minimize: agreement,
    runs: traj,
  };

  // 1b. Newton: one Hessian per step (objective.hessian), against the same run with the row-by-row Hessian
  const Nw = WORKLOAD.newton;
  const byRows: MinimizeObjective = { name: f.name, dim: f.dim, fn: f.fn, hessian: (x) => hessianByRows(f, Array.from(x)) };
  const newtonNow = minimize(f, newton({ lr: Nw.lr }), { x0: T.x0, steps: Nw.steps });
  const newtonRows = minimize(byRows, newton({ lr: Nw.lr }), { x0: T.x0, steps: Nw.steps });
  result.newton = {
    workload: Nw,
    max_difference_vs_rows: maxAbsDiff(newtonNow.points, newtonRows.points),
    runs: measureInterleaved(
      {
        minimize: () => minimize(f, newton({ lr: Nw.lr }), { x0: T.x0, steps: Nw.steps }),
        hessianByRows: () => minimize(byRows, newton({ lr: Nw.lr }), { x0: T.x0, steps: Nw.steps }),
      },
      runs,
    ),
  };

  // 2. the 201×201 grid of a contour, now and as before (point arrays through values())
  const G = WORKLOAD.grid;
  result.grid = {
    workload: G,
    identical_to_points_path: JSON.stringify(f.grid(G.x, G.y, G.n)) === JSON.stringify(gridByPoints(f, G.x, G.y, G.n)),
    runs: measureInterleaved({ grid: () => f.grid(G.x, G.y, G.n), gridByPoints: () => gridByPoints(f, G.x, G.y, G.n) }, runs),
  };

  // 3. the Hessian of a 10-parameter function, now and row by row
  const x10 = Array.from({ length: WORKLOAD.hessian.dim }, (_, i) => 0.1 * i - 0.3);
  result.hessian = {
    workload: WORKLOAD.hessian,
    max_difference_vs_rows: maxAbsDiff(chainedRosenbrock.hessian(x10), hessianByRows(chainedRosenbrock, x10)),
    runs: measureInterleaved({ hessian: () => chainedRosenbrock.hessian(x10), hessianByRows: () => hessianByRows(chainedRosenbrock, x10) }, runs),
  };

  // 4. MLP training throughput with the library's Adam
  const M = WORKLOAD.mlp;
  const data = mlpData(M.n);
  const X = tf.tensor2d(data.X, [M.n, 2]);
  const y = tf.tensor2d(data.y, [M.n, 1]);
  let finalLoss = NaN;
  const train = () => {
    const model = mlp({ sizes: M.sizes, activation: M.activation, seed: 0 });
    try {
      const r = trainEpochs(model, adam({ lr: M.lr }), { X, y, epochs: M.epochs, batchSize: M.batchSize, seed: 0 });
      finalLoss = r.trainLoss[r.trainLoss.length - 1];
    } finally {
      model.dispose();
    }
  };
  const mt = measure(train, runs);
  const examples = M.n * M.epochs;
  result.mlp = {
    workload: M,
    final_train_loss: finalLoss,
    examples_per_s_median: round((examples / mt.median_ms) * 1000),
    examples_per_s_max: round((examples / mt.min_ms) * 1000),
    ...mt,
  };
  tf.dispose([X, y]);
  result.tensors_left = tf.memory().numTensors;
  fs.writeFileSync(out, JSON.stringify(result));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
}
