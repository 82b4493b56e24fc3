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
import { disposeState, type OptState, type Optimizer } from '../optimizers/types';
import { show } from '../core/validate';

/** What minimize needs from an objective (an Objective from defineObjective has it all). */
export type MinimizeObjective = Pick<Objective, 'name' | 'dim' | 'fn' | 'hessian'>;

/** Options of minimize. */
export interface MinimizeOptions {
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
  /** Names of optimizer state buffers to snapshot at every point (e.g. ['m', 'v']). */
  record?: string[];
}

/** Why and where a run stopped early. */
export interface Divergence {
  /** The index k of the first bad iterate x_k (it is not in points). */
  step: number;
  reason: string;
}

/** The result of minimize. points, losses, gradNorms have one entry per iterate; lrs one per update. */
export interface Trajectory {
  objective: string;
  optimizer: string;
  hyper: Record<string, number | boolean | number[]>;
  /** x_0 … x_K (points[0] = x0 as given). */
  points: number[][];
  /** f(x_k). */
  losses: number[];
  /** ‖∇f(x_k)‖ (the exact gradient, without the noise). */
  gradNorms: number[];
  /** ε_k used for the update x_k → x_{k+1} (length points.length − 1). */
  lrs: number[];
  /** When record was given: states[name][k] = the buffer (flattened) after k updates. */
  states?: Record<string, number[][]>;
  /** Set when the run stopped before `steps` updates. */
  diverged?: Divergence;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

function firstNonFinite(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

/** Runs x_{k+1} = x_k + update(∇f(x_k) + σξ_k, state_k, x_k, {lr: ε_k}) for k < steps; see the module doc. */
export function minimize(objective: MinimizeObjective, optimizer: Optimizer, options: MinimizeOptions): Trajectory {
  if (!objective || typeof objective.fn !== 'function' || !Number.isInteger(objective.dim)) {
    throw new Error(`objective must come from defineObjective (with fn and dim); got ${show(objective)}`);
  }
  if (!optimizer || typeof optimizer.init !== 'function' || typeof optimizer.update !== 'function') {
    throw new Error(`optimizer must have init and update (src/optimizers); got ${show(optimizer)}`);
  }
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
  const maxNorm = options.maxNorm ?? 1e6 * (1 + norm(x0));
  if (typeof maxNorm !== 'number' || !(maxNorm > 0)) throw new Error(`maxNorm must be a number > 0; got ${show(maxNorm)}`);
  const record = options.record ?? [];
  if (!Array.isArray(record) || record.some((r) => typeof r !== 'string')) throw new Error(`record must be a list of buffer names; got ${show(record)}`);
  const configuredLr = optimizer.hyper?.lr;
  if (schedule === undefined && typeof configuredLr !== 'number') {
    throw new Error(`optimizer ${optimizer.name} has no numeric hyper.lr; pass a schedule`);
  }

  const noise = sigma > 0 ? rng(seed) : undefined;
  const scalarFn = (x: tf.Tensor): tf.Scalar => {
    const y = objective.fn(x);
    if (y.rank !== 0) throw new Error(`${objective.name}: fn must return a scalar for x of shape [${dim}]; got shape [${y.shape}]`);
    return y as tf.Scalar;
  };
  const valueAndGrad = tf.valueAndGrad(scalarFn);

  const points: number[][] = [x0];
  const losses: number[] = [];
  const gradNorms: number[] = [];
  const lrs: number[] = [];
  const states: Record<string, number[][]> = {};
  let diverged: Divergence | undefined;

  // f(x) and ∇f(x) at the iterate held in x (the gradient tensor is kept for the update)
  const evaluate = (x: tf.Tensor1D): { loss: number; grad: tf.Tensor; g: Float32Array } => {
    const { value, grad } = tf.tidy(() => valueAndGrad(x));
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss, grad, g: grad.dataSync() as Float32Array };
  };
  const snapshot = (state: OptState): void => {
    for (const name of record) states[name].push(Array.from(state.buffers[name][0].dataSync()));
  };

  let x = tf.tensor1d(x0) as tf.Tensor1D;
  let state: OptState | undefined;
  let current: { loss: number; grad: tf.Tensor; g: Float32Array } | undefined;
  try {
    state = optimizer.init([x]);
    for (const name of record) {
      if (!state.buffers[name]) {
        throw new Error(`record: ${optimizer.name} has no state buffer ${JSON.stringify(name)} (it has: ${Object.keys(state.buffers).join(', ') || 'none'})`);
      }
      states[name] = [];
    }
    current = evaluate(x);
    if (!Number.isFinite(current.loss) || firstNonFinite(current.g) >= 0) {
      throw new Error(`f(x0) or ∇f(x0) is not finite at x0 = ${show(x0)}: f = ${current.loss}, ∇f = [${Array.from(current.g)}]`);
    }
    losses.push(current.loss);
    gradNorms.push(norm(current.g));
    snapshot(state);

    for (let k = 0; k < steps; k++) {
      // ε_k
      const lr = schedule ? schedule(k) : (configuredLr as number);
      if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`schedule(${k}) must return a finite number ≥ 0; got ${show(lr)}`);
      let grad = current.grad;
      if (noise) {
        // g̃_k = ∇f(x_k) + σ ξ_k,  ξ_k ~ N(0, I)
        const noisy = new Float32Array(dim);
        for (let i = 0; i < dim; i++) noisy[i] = current.g[i] + sigma * noise.normal();
        grad = tf.tensor1d(noisy);
      }
      const hessian = optimizer.needsHessian ? objective.hessian(points[points.length - 1]) : undefined;
      let out: ReturnType<Optimizer['update']>;
      try {
        out = optimizer.update([grad], state, [x], hessian ? { lr, hessian } : { lr });
      } finally {
        if (grad !== current.grad) grad.dispose();
      }
      disposeState(state);
      state = out.state;
      // x_{k+1} = x_k + Δx_k
      const xNext = tf.tidy(() => tf.add(x, out.updates[0])) as tf.Tensor1D;
      tf.dispose(out.updates);
      const xArr = Array.from(xNext.dataSync());
      const bad = firstNonFinite(xArr);
      const n = norm(xArr);
      if (bad >= 0 || n > maxNorm) {
        diverged = {
          step: k + 1,
          reason: bad >= 0 ? `x_${k + 1}[${bad}] is ${xArr[bad]}` : `‖x_${k + 1}‖ = ${n.toPrecision(4)} exceeds maxNorm = ${maxNorm.toPrecision(4)}`,
        };
        xNext.dispose();
        break;
      }
      const next = evaluate(xNext);
      const badG = firstNonFinite(next.g);
      if (!Number.isFinite(next.loss) || badG >= 0) {
        diverged = {
          step: k + 1,
          reason: !Number.isFinite(next.loss) ? `f(x_${k + 1}) is ${next.loss}` : `∇f(x_${k + 1})[${badG}] is ${next.g[badG]}`,
        };
        next.grad.dispose();
        xNext.dispose();
        break;
      }
      current.grad.dispose();
      current = next;
      x.dispose();
      x = xNext;
      points.push(xArr);
      losses.push(next.loss);
      gradNorms.push(norm(next.g));
      lrs.push(lr);
      snapshot(state);
    }
  } finally {
    x.dispose();
    current?.grad.dispose();
    if (state) disposeState(state);
  }

  const traj: Trajectory = {
    objective: objective.name,
    optimizer: optimizer.name,
    hyper: { ...optimizer.hyper },
    points,
    losses,
    gradNorms,
    lrs,
  };
  if (record.length > 0) traj.states = states;
  if (diverged) traj.diverged = diverged;
  return traj;
}
