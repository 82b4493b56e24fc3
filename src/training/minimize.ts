/**
 * minimize(objective, optimizer, { x0, steps }) runs the loop
 *
 *   g_k = ∇f(x_k) (+ σ ξ_k, ξ_k ~ N(0, I) when noise σ > 0)
 *   x_{k+1} = x_k + update(g_k, state_k, x_k, { lr: ε_k })
 *
 * and returns the Trajectory: the iterates x_0 … x_K, f(x_k), ‖∇f(x_k)‖, the learning rates ε_k,
 * and, when asked, snapshots of optimizer buffers (e.g. Adam's v). It stops at the first iterate
 * that is not finite, whose loss or gradient is not finite, or whose norm exceeds maxNorm, and says
 * so in `diverged`: the returned arrays never contain NaN or ±∞.
 *
 * Iterates live in a float32 tensor (θ ← θ + updates is a tfjs add, as in tf.train), so a trajectory
 * matches tf.train's to float32 rounding. As a polars table: trajectoryFrame (src/edge/table.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkPoint, type Objective } from '../core/objective';
import { rng } from '../core/random';
import type { BufferName, Buffers, Hyper, OptState, Optimizer } from '../optimizers/types';
import { show } from '../core/validate';
import { checkOptimizer, divergence, euclidean, stepper, type Divergence } from './step';
import { runEpochs } from './loop';

export type { Divergence } from './step';

/** What minimize needs from an objective (an Objective from defineObjective has it all). */
export type MinimizeObjective = Pick<Objective, 'name' | 'dim' | 'fn' | 'hessian'>;

/** Options of minimize; N: the names of the recorded buffers. */
export interface MinimizeOptions<N extends string = string> {
  /** The starting point x_0 (length = objective.dim, finite). */
  x0: ArrayLike<number>;
  /** Number of updates K (the trajectory has K + 1 points unless it diverges). */
  steps: number;
  /** ε_k for the k-th update (k = 0 … K−1); default: the optimizer's own lr. */
  schedule?: (k: number) => number;
  /** σ ≥ 0: Gaussian noise σξ, ξ ~ N(0, I), added to every gradient (the lecture's σ² is its square). */
  noise?: number;
  /** Seed of the noise (default 0): same seed → same trajectory. */
  seed?: number;
  /** Stop when ‖x_k‖ > maxNorm (default 1e6 · (1 + ‖x_0‖)). */
  maxNorm?: number;
  /** Names of optimizer state buffers to snapshot at every point (e.g. ['m', 'v'] for adam(); a name the optimizer's type does not have is a compile error). */
  record?: readonly N[];
}

/** The result of minimize. points, losses, gradNorms have one entry per iterate; lrs one per update. */
export interface Trajectory<N extends string = string> {
  objective: string;
  optimizer: string;
  hyper: Hyper;
  /** x_0 … x_K (points[0] = x0 as given). */
  points: number[][];
  /** f(x_k). */
  losses: number[];
  /** ‖∇f(x_k)‖ (the exact gradient, without the noise). */
  gradNorms: number[];
  /** ε_k used for the update x_k → x_{k+1} (length points.length − 1). */
  lrs: number[];
  /** When record was given: states[name][k] = the buffer (flattened) after k updates. */
  states?: Record<N, number[][]>;
  /** Set when the run stopped before `steps` updates: x_step is the first bad iterate (not in points). */
  diverged?: Divergence;
}

/** Runs x_{k+1} = x_k + update(∇f(x_k) + σξ_k, state_k, x_k, {lr: ε_k}) for k < steps; see the module doc. */
export function minimize<B extends Buffers, N extends BufferName<B> = never>(
  objective: MinimizeObjective,
  optimizer: Optimizer<B>,
  options: MinimizeOptions<N>,
): Trajectory<N> {
  if (!objective || typeof objective.fn !== 'function' || !Number.isInteger(objective.dim)) {
    throw new Error(`objective must come from defineObjective (with fn and dim); got ${show(objective)}`);
  }
  checkOptimizer(optimizer);
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object { x0, steps, … }; got ${show(options)}`);
  const known = ['x0', 'steps', 'schedule', 'noise', 'seed', 'maxNorm', 'record'];
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new Error(`minimize: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  const dim = objective.dim;
  const x0 = checkPoint(options.x0, dim, 'x0');
  const steps = options.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer; got ${show(steps)}`);
  const schedule = options.schedule;
  if (schedule !== undefined && typeof schedule !== 'function') throw new Error(`schedule must be a function k => ε_k; got ${show(schedule)}`);
  const sigma = options.noise ?? 0;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) throw new Error(`noise must be a finite number ≥ 0 (the standard deviation σ); got ${show(sigma)}`);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be an integer; got ${show(seed)}`);
  const maxNorm = options.maxNorm ?? 1e6 * (1 + euclidean(x0));
  if (typeof maxNorm !== 'number' || !(maxNorm > 0)) throw new Error(`maxNorm must be a number > 0; got ${show(maxNorm)}`);
  const record: readonly string[] = options.record ?? [];
  if (!Array.isArray(record) || record.some((r) => typeof r !== 'string')) throw new Error(`record must be a list of buffer names; got ${show(record)}`);
  if (schedule === undefined && typeof optimizer.hyper?.lr !== 'number') {
    throw new Error(`optimizer ${optimizer.name} has no numeric hyper.lr; pass a schedule`);
  }

  const noise = sigma > 0 ? rng(seed) : undefined;
  const valueAndGrad = tf.valueAndGrad((x: tf.Tensor): tf.Scalar => {
    const y = objective.fn(x);
    if (y.rank !== 0) throw new Error(`${objective.name}: fn must return a scalar for x of shape [${dim}]; got shape [${y.shape}]`);
    return y as tf.Scalar;
  });
  const F = { f: 'f', x: 'x' };
  const points: number[][] = [];
  const losses: number[] = [];
  const gradNorms: number[] = [];
  const lrs: number[] = [];
  let diverged: Divergence | undefined;
  const states: Record<string, number[][]> = Object.fromEntries(record.map((name) => [name, []]));

  // θ = [x_k]: the step replaces x_k by x_{k+1} in this list
  const theta: tf.Tensor[] = [tf.tensor1d(x0)];
  const step = stepper(optimizer, theta, { lr: schedule, lrName: 'schedule' });
  let xk: number[] = x0;
  let lastLr: number | undefined;
  /**
   * Visits x_k: f(x_k) and ∇f(x_k) (the gradient tensor is returned for the update), then x_k, f, ‖∇f‖,
   * ε_{k−1} and the recorded buffers of state_k join the trajectory — unless f or ∇f is bad (divergence).
   */
  const visit = (k: number): { grad?: tf.Tensor; g?: Float32Array; diverged?: Divergence } => {
    const { value, grad } = tf.tidy(() => valueAndGrad(theta[0]));
    const loss = value.dataSync()[0];
    value.dispose();
    const g = grad.dataSync() as Float32Array;
    const bad = divergence(k, { loss, grad: g }, {}, F);
    if (bad) {
      grad.dispose();
      if (k === 0) throw new Error(`f(x0) or ∇f(x0) is not finite at x0 = ${show(x0)}: f = ${loss}, ∇f = [${Array.from(g)}]`);
      return { diverged: bad };
    }
    points.push(xk);
    losses.push(loss);
    gradNorms.push(euclidean(g));
    if (k > 0) lrs.push(lastLr as number);
    for (const name of record) states[name].push(Array.from((step.state as OptState).buffers[name][0].dataSync()));
    return { grad, g };
  };
  try {
    const bufferNames = Object.keys((step.state as OptState).buffers);
    for (const name of record) {
      if (!bufferNames.includes(name)) {
        throw new Error(`record: ${optimizer.name} has no state buffer ${JSON.stringify(name)} (it has: ${bufferNames.join(', ') || 'none'})`);
      }
    }
    const run = runEpochs({
      epochs: steps,
      n: 1,
      batchSize: 1,
      seed,
      shuffle: false,
      step: () => {
        const k = step.k;
        const at = visit(k);
        if (at.diverged) return at.diverged;
        let grad = at.grad as tf.Tensor;
        let hessian: number[][] | undefined;
        try {
          // ∇²f(x_k) for a second-order optimizer
          hessian = optimizer.needsHessian ? objective.hessian(xk) : undefined;
        } catch (err) {
          grad.dispose();
          throw err;
        }
        if (noise) {
          // g̃_k = ∇f(x_k) + σ ξ_k,  ξ_k ~ N(0, I)
          const noisy = new Float32Array(dim);
          for (let i = 0; i < dim; i++) noisy[i] = (at.g as Float32Array)[i] + sigma * noise.normal();
          grad.dispose();
          grad = tf.tensor1d(noisy);
        }
        // x_{k+1} = x_k + update(g̃_k, state_k, x_k, { lr: ε_k, hessian })
        lastLr = step.apply([grad], hessian);
        xk = Array.from(theta[0].dataSync());
        return divergence(k + 1, { iterate: xk }, { maxNorm }, F);
      },
    });
    if (run.diverged) diverged = run.diverged;
    else {
      const last = visit(steps);
      last.grad?.dispose();
      diverged = last.diverged;
    }
  } finally {
    theta[0].dispose();
    step.dispose();
  }
  const traj: Trajectory<N> = { objective: objective.name, optimizer: optimizer.name, hyper: { ...optimizer.hyper }, points, losses, gradNorms, lrs };
  if (record.length > 0) traj.states = states as Record<N, number[][]>;
  if (diverged) traj.diverged = diverged;
  return traj;
}
