/**
 * A seeded synthetic linear-regression dataset (d2l §3.3 style: y = Xw + b + ε), the data of the
 * stochastic chapters. Plain arrays only, no tensors: a notebook turns them into tensors where it needs them.
 */
import { rng } from '../core/random';
import { positiveInt, show } from '../core/validate';

function checkSeed(x: unknown, what = 'seed'): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new Error(`${what} must be an integer; got ${show(x)}`);
  return x;
}

/** Options of linearRegressionData. */
export interface LinearRegressionOptions {
  /** Number of examples. */
  n: number;
  /** Number of features. */
  dim: number;
  /** Standard deviation σ of the label noise (default 0.01). */
  noise?: number;
  seed: number;
  /** The true weights (default: drawn from N(0, 1) with the seed). */
  w?: number[];
  /** The true bias (default 0). */
  b?: number;
}

/** A synthetic regression dataset: X (n × dim), y (n), and the parameters that generated it. */
export interface LinearRegressionData {
  X: number[][];
  y: number[];
  wTrue: number[];
  bTrue: number;
}

/**
 * y_i = x_iᵀw + b + σ ε_i with x_ij ~ N(0, 1), ε_i ~ N(0, 1), all from one seeded stream
 * (draw order: w if not given, then X row by row, then ε).
 */
export function linearRegressionData(options: LinearRegressionOptions): LinearRegressionData {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object {n, dim, noise, seed}; got ${show(options)}`);
  const n = positiveInt(options.n, 'n');
  const dim = positiveInt(options.dim, 'dim');
  const noise = options.noise ?? 0.01;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) throw new Error(`noise must be a finite number ≥ 0; got ${show(noise)}`);
  const seed = checkSeed(options.seed);
  const b = options.b ?? 0;
  if (typeof b !== 'number' || !Number.isFinite(b)) throw new Error(`b must be a finite number; got ${show(b)}`);
  if (options.w !== undefined) {
    if (!Array.isArray(options.w) || options.w.length !== dim) throw new Error(`w must be an array of dim = ${dim} numbers; got ${show(options.w)}`);
    options.w.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`w[${i}] must be a finite number; got ${show(v)}`);
    });
  }
  const r = rng(seed);
  const wTrue = options.w ? options.w.slice() : Array.from({ length: dim }, () => r.normal());
  // x_ij ~ N(0, 1)
  const X = Array.from({ length: n }, () => Array.from({ length: dim }, () => r.normal()));
  const y = X.map((x) => {
    let s = b;
    for (let j = 0; j < dim; j++) s += x[j] * wTrue[j];
    return s;
  });
  // y_i = x_iᵀw + b + σ ε_i
  for (let i = 0; i < n; i++) y[i] += noise * r.normal();
  return { X, y, wTrue, bTrue: b };
}

/** Two-moons data: points X (n × 2) and labels y ∈ {0, 1}. */
export interface TwoMoonsData {
  X: number[][];
  y: number[];
}

/**
 * Two interleaving half circles with Gaussian noise (chapter 08's classification data), from one seeded
 * stream: example i has class c = i mod 2 and angle a ~ U(0, π);
 *   c = 0 (upper moon): (cos a, sin a),   c = 1 (lower moon): (1 − cos a, 0.5 − sin a),
 * shifted by (−0.5, −0.25) and perturbed by σ·N(0, I) (draw order per example: a, then the two normals).
 */
export function twoMoons(n: number, seed: number, noise: number): TwoMoonsData {
  positiveInt(n, 'n');
  checkSeed(seed);
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) throw new Error(`noise must be a finite number ≥ 0; got ${show(noise)}`);
  const r = rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = Math.PI * r.uniform();
    const p = c === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
    // x_i = p − (0.5, 0.25) + σ ξ
    X.push([p[0] - 0.5 + noise * r.normal(), p[1] - 0.25 + noise * r.normal()]);
    y.push(c);
  }
  return { X, y };
}
