/**
 * The course's built-in objectives (chapters 01–02 and later), each written once with tfjs ops through
 * `defineObjective`, so value, gradient and Hessian come from autodiff; and a numerical search for the
 * local minima of a 1D objective, so notebooks never type a minimum in.
 *
 * Critical points listed on an objective are either in closed form (x² − y², x³, quadratics,
 * Rosenbrock) or computed here in double precision by bisection on the closed-form derivative
 * (x cos πx and the risk pair); the tests check both against autodiff and `findMinima1D`.
 */
import * as tf from '@tensorflow/tfjs';
import { CriticalKind, CriticalPoint, defineObjective, Objective, checkPoint } from '../core/objective';
import { checkSymmetric, classifyCriticalPoint, classifyEigenvalues, eigSym } from '../core/linalg';

// ---------------------------------------------------------------------------------------------
// 1D objectives of D2L §11.1

/**
 * Critical points of a 1D function from its closed-form derivatives, in double precision: sign changes
 * of f′ on an n-point grid over [lo, hi], bisected to ~1e-15; kind from the sign of f″ (points with
 * f″ = 0 or on the boundary are left out). Used to list the known critical points of built-ins.
 */
export function closedFormCriticalPoints(
  f: (x: number) => number,
  df: (x: number) => number,
  d2f: (x: number) => number,
  [lo, hi]: [number, number],
  n = 4001,
): { x: number; value: number; kind: 'minimum' | 'maximum' }[] {
  const out: { x: number; value: number; kind: 'minimum' | 'maximum' }[] = [];
  let x0 = lo;
  let d0 = df(x0);
  for (let i = 1; i < n; i++) {
    const x1 = lo + ((hi - lo) * i) / (n - 1);
    const d1 = df(x1);
    if (d0 === 0 || d0 * d1 < 0) {
      let a = x0;
      let b = x1;
      // bisection on f′: keep f′(a) and f′(b) of opposite signs
      for (let k = 0; k < 200 && b - a > 1e-15; k++) {
        const m = (a + b) / 2;
        if (Math.sign(df(m)) === Math.sign(df(a))) a = m;
        else b = m;
      }
      const x = (a + b) / 2;
      const c = d2f(x);
      if (c !== 0 && x > lo && x < hi && !out.some((p) => Math.abs(p.x - x) < 1e-9)) {
        out.push({ x, value: f(x), kind: c > 0 ? 'minimum' : 'maximum' });
      }
    }
    x0 = x1;
    d0 = d1;
  }
  return out;
}

/** Labels minima "local minimum" / "global minimum" (the lowest on the domain) and maxima "local maximum". */
function labelled(points: { x: number; value: number; kind: 'minimum' | 'maximum' }[], globalLabel = 'global minimum'): CriticalPoint[] {
  const minima = points.filter((p) => p.kind === 'minimum');
  const best = minima.reduce<number | undefined>((m, p) => (m === undefined || p.value < m ? p.value : m), undefined);
  return points.map((p) => ({
    x: [p.x],
    kind: p.kind,
    label: p.kind === 'maximum' ? 'local maximum' : p.value === best ? globalLabel : 'local minimum',
  }));
}

const PI = Math.PI;
// f(x) = x cos(πx),  f′(x) = cos(πx) − πx sin(πx),  f″(x) = −2π sin(πx) − π²x cos(πx)
const fXcos = (x: number): number => x * Math.cos(PI * x);
const dfXcos = (x: number): number => Math.cos(PI * x) - PI * x * Math.sin(PI * x);
const d2fXcos = (x: number): number => -2 * PI * Math.sin(PI * x) - PI * PI * x * Math.cos(PI * x);
// g(x) = f(x) + 0.2 cos(5πx),  g′ = f′ − π sin(5πx),  g″ = f″ − 5π² cos(5πx)
const gRisk = (x: number): number => fXcos(x) + 0.2 * Math.cos(5 * PI * x);
const dgRisk = (x: number): number => dfXcos(x) - PI * Math.sin(5 * PI * x);
const d2gRisk = (x: number): number => d2fXcos(x) - 5 * PI * PI * Math.cos(5 * PI * x);

/**
 * The single coordinate of a 1D input: [1] → scalar, [1, N] → [N]. (tf.unstack is not used for 1D:
 * in tfjs 4.22 the gradient of a one-output Unpack throws "Argument tensors passed to stack must be a
 * `Tensor[]`", so tf.grad through tf.unstack of a [1] or [1, N] tensor fails.)
 */
function coord1D(x: tf.Tensor): tf.Tensor {
  return x.reshape(x.shape.slice(1));
}

/** The tfjs formula f(x) = x·cos(πx), batched ([1] → scalar, [1, N] → [N]). */
function xCosPiXFn(x: tf.Tensor): tf.Tensor {
  const t = coord1D(x);
  // f(x) = x cos(πx)
  return t.mul(tf.cos(t.mul(PI)));
}

/** f(x) = x·cos(πx) on [−1, 2] (D2L §11.1): a local minimum near x ≈ −0.3 and the global one near x ≈ 1.1. */
export const xCosPiX: Objective = defineObjective({
  name: 'x cos(πx)',
  dim: 1,
  fn: xCosPiXFn,
  domain: [[-1, 2]],
  latex: 'f(x) = x\\cos(\\pi x)',
  // roots of f′(x) = cos(πx) − πx sin(πx) in (−1, 2), bisected in double precision; kind from the sign of f″
  criticalPoints: labelled(closedFormCriticalPoints(fXcos, dfXcos, d2fXcos, [-1, 2])),
});

/**
 * D2L §11.1's risk pair on [0.5, 1.5]: the risk f(x) = x·cos(πx) and the empirical risk
 * g(x) = f(x) + 0.2·cos(5πx), whose minima sit at different x (learning is not only optimising).
 */
export function riskPair(): { risk: Objective; empiricalRisk: Objective } {
  const domain: [number, number][] = [[0.5, 1.5]];
  const risk = defineObjective({
    name: 'risk',
    dim: 1,
    fn: xCosPiXFn,
    domain,
    latex: 'f(x) = x\\cos(\\pi x)',
    // roots of f′ in (0.5, 1.5), bisected in double precision
    criticalPoints: labelled(closedFormCriticalPoints(fXcos, dfXcos, d2fXcos, domain[0]), 'minimum of the risk'),
  });
  const empiricalRisk = defineObjective({
    name: 'empirical risk',
    dim: 1,
    fn: (x) => {
      const t = coord1D(x);
      // g(x) = x cos(πx) + 0.2 cos(5πx)
      return t.mul(tf.cos(t.mul(PI))).add(tf.cos(t.mul(5 * PI)).mul(0.2));
    },
    domain,
    latex: 'g(x) = x\\cos(\\pi x) + 0.2\\cos(5\\pi x)',
    // roots of g′(x) = cos(πx) − πx sin(πx) − π sin(5πx) in (0.5, 1.5), bisected in double precision
    criticalPoints: labelled(closedFormCriticalPoints(gRisk, dgRisk, d2gRisk, domain[0]), 'minimum of the empirical risk'),
  });
  return { risk, empiricalRisk };
}

/** f(x) = x³ on [−2, 2]: f′(0) = f″(0) = 0, a degenerate critical point that is not an extremum. */
export const cubic: Objective = defineObjective({
  name: 'x³',
  dim: 1,
  fn: (x) => {
    const t = coord1D(x);
    // f(x) = x³
    return t.mul(t).mul(t);
  },
  domain: [[-2, 2]],
  latex: 'f(x) = x^3',
  // closed form: f′(x) = 3x² = 0 only at x = 0, where f″(0) = 6·0 = 0
  criticalPoints: [{ x: [0], kind: 'degenerate', label: 'saddle point (f′ = f″ = 0)' }],
});

/** f(x, y) = x² − y² on [−1, 1]²: a saddle at the origin (a minimum along x, a maximum along y). */
export const saddle: Objective = defineObjective({
  name: 'x² − y²',
  dim: 2,
  fn: (x) => {
    const [a, b] = tf.unstack(x);
    // f(x, y) = x² − y²
    return a.square().sub(b.square());
  },
  domain: [
    [-1, 1],
    [-1, 1],
  ],
  latex: 'f(x, y) = x^2 - y^2',
  // closed form: ∇f = (2x, −2y) = 0 only at the origin, H = diag(2, −2)
  criticalPoints: [{ x: [0, 0], kind: 'saddle', label: 'saddle point' }],
});

// ---------------------------------------------------------------------------------------------
// Quadratic forms and Rosenbrock

/** Options of `quadratic`. */
export interface QuadraticOptions {
  name?: string;
  /** Plotting domain; default ±2 around the critical point (or the origin). */
  domain?: [number, number][];
}

function latexMatrix(M: number[][]): string {
  return '\\begin{bmatrix}' + M.map((r) => r.map((v) => String(+v.toPrecision(6))).join(' & ')).join(' \\\\ ') + '\\end{bmatrix}';
}

/**
 * The quadratic f(x) = ½ xᵀHx + bᵀx for a symmetric n×n H (b = 0 by default); its Hessian is H
 * everywhere and its critical point is x* = −H⁻¹b when H is invertible.
 */
export function quadratic(H: number[][], b?: ArrayLike<number>, options: QuadraticOptions = {}): Objective {
  const Hs = checkSymmetric(H, 'H'); // (H + Hᵀ)/2 after the symmetry check
  const n = Hs.length;
  const bv = b === undefined ? undefined : checkB(b, n);
  const { values, vectors } = eigSym(Hs);
  const scale = Math.max(1, ...values.map(Math.abs));
  const invertible = values.every((l) => Math.abs(l) > 1e-12 * scale);
  const criticalPoints: CriticalPoint[] = [];
  let center = new Array<number>(n).fill(0);
  if (invertible) {
    // x* = −H⁻¹b = −Σ_k v_k (v_kᵀ b) / λ_k
    const xs = new Array<number>(n).fill(0);
    if (bv) {
      vectors.forEach((v, k) => {
        const c = v.reduce((s, vi, i) => s + vi * bv[i], 0) / values[k];
        for (let i = 0; i < n; i++) xs[i] -= c * v[i];
      });
    }
    center = xs.map((v) => v + 0);
    criticalPoints.push({ x: center, kind: classifyEigenvalues(values), label: 'x* = −H⁻¹b' });
  } else if (!bv || bv.every((v) => v === 0)) {
    criticalPoints.push({ x: center, kind: 'degenerate', label: 'x = 0 (H is singular)' });
  }
  const domain = options.domain ?? center.map((c) => [c - 2, c + 2] as [number, number]);
  const Hflat = Hs.flat();
  const bflat = bv;
  return defineObjective({
    name: options.name ?? (bv ? 'quadratic ½xᵀHx + bᵀx' : 'quadratic ½xᵀHx'),
    dim: n,
    fn: (x) => {
      if (x.rank !== 1 && x.rank !== 2) throw new Error(`x must have shape [${n}] or [${n}, N]; got shape [${x.shape}]`);
      const X = x.rank === 1 ? x.reshape([n, 1]) : x; // points as columns
      const HX = tf.matMul(tf.tensor2d(Hflat, [n, n]), X);
      // f(x) = ½ xᵀHx (+ bᵀx), one value per column
      let f = tf.sum(tf.mul(X, HX), 0).mul(0.5);
      if (bflat) f = f.add(tf.sum(tf.mul(X, tf.tensor2d(bflat, [n, 1])), 0));
      return x.rank === 1 ? f.reshape([]) : f;
    },
    domain,
    latex: `f(x) = \\tfrac{1}{2} x^\\top H x${bv ? ' + b^\\top x' : ''},\\quad H = ${latexMatrix(Hs)}${bv ? `,\\ b = ${latexMatrix(bv.map((v) => [v]))}` : ''}`,
    criticalPoints,
  });
}

function checkB(b: ArrayLike<number>, n: number): number[] {
  if (b === null || typeof b !== 'object' || typeof b.length !== 'number') throw new Error(`b must be an array of ${n} numbers; got ${String(b)}`);
  if (b.length !== n) throw new Error(`b must have length ${n} (H is ${n}×${n}); got length ${b.length}`);
  return checkPoint(b, n, 'b');
}

/**
 * Rosenbrock's banana f(x, y) = (a − x)² + b(y − x²)²; its only critical point is the global
 * minimum (a, a²), at the bottom of a curved valley.
 */
export function rosenbrock(a = 1, b = 100): Objective {
  if (typeof a !== 'number' || !Number.isFinite(a)) throw new Error(`a must be a finite number; got ${a}`);
  if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) throw new Error(`b must be a finite number > 0; got ${b}`);
  return defineObjective({
    name: a === 1 && b === 100 ? 'rosenbrock' : `rosenbrock(a=${a}, b=${b})`,
    dim: 2,
    fn: (x) => {
      const [u, v] = tf.unstack(x);
      // f(x, y) = (a − x)² + b (y − x²)²
      return tf.square(tf.sub(a, u)).add(tf.square(v.sub(u.square())).mul(b));
    },
    domain: [
      [Math.min(-2, a - 1), Math.max(2, a + 1)],
      [Math.min(-1, a * a - 1), Math.max(3, a * a + 1)],
    ],
    latex: `f(x, y) = (${a} - x)^2 + ${b}\\,(y - x^2)^2`,
    // closed form: ∂f/∂y = 2b(y − x²) = 0 ⇒ y = x²; then ∂f/∂x = −2(a − x) = 0 ⇒ x = a
    criticalPoints: [{ x: [a, a * a], kind: 'minimum', label: 'global minimum (a, a²)' }],
  });
}

// ---------------------------------------------------------------------------------------------
// Numerical search for critical points

/** What `inspectPoint` reads off an objective at x. */
export interface PointInspection {
  value: number;
  gradient: number[];
  /** ‖∇f(x)‖ (≈ 0 at a critical point). */
  gradNorm: number;
  hessian: number[][];
  /** Eigenvalues of the Hessian, ascending, and their unit eigenvectors. */
  eigenvalues: number[];
  eigenvectors: number[][];
  /** classifyCriticalPoint(H, tol): meaningful where ∇f(x) ≈ 0. */
  kind: CriticalKind;
}

/** f(x), ∇f(x), ‖∇f(x)‖, the autodiff Hessian H, its eigenpairs and the second-order classification of x. */
export function inspectPoint(objective: Objective, x: ArrayLike<number>, tol = 1e-6): PointInspection {
  const { value, gradient } = objective.valueAndGradient(x);
  const hessian = objective.hessian(x);
  const { values, vectors } = eigSym(hessian);
  return {
    value,
    gradient,
    // ‖∇f(x)‖ = √(Σ (∂f/∂x_i)²)
    gradNorm: Math.hypot(...gradient),
    hessian,
    eigenvalues: values,
    eigenvectors: vectors,
    kind: classifyCriticalPoint(hessian, tol),
  };
}

/** A stationary point of a 1D objective found numerically. */
export interface Stationary1D {
  x: number;
  value: number;
  kind: 'minimum' | 'maximum';
}

/** Options of the 1D search. */
export interface Find1DOptions {
  /** Grid points used to bracket sign changes of f′ (default 2001). */
  n?: number;
  /** Stop refining when the Newton step is below tol·max(1, |x|) (default 1e-7). */
  tol?: number;
  /** Refinement iterations at most (default 100). */
  maxIter?: number;
}

/**
 * Interior stationary points of a 1D objective where f′ changes sign (− → + a minimum, + → − a maximum),
 * found numerically: f′ on a dense grid in one batched autodiff call brackets them, then a safeguarded
 * Newton iteration x ← x − f′(x)/f″(x) (bisection when Newton leaves the bracket) refines all of them at
 * once. Sorted by x. Points where f′ touches 0 without changing sign (x³ at 0) are not reported.
 */
export function findCriticalPoints1D(objective: Objective, range?: [number, number], options: Find1DOptions = {}): Stationary1D[] {
  if (!objective || typeof objective.fn !== 'function') throw new Error(`objective must be an Objective (from defineObjective); got ${String(objective)}`);
  if (objective.dim !== 1) throw new Error(`objective must be 1D; ${objective.name} has dim ${objective.dim}`);
  const r: unknown = range ?? objective.domain[0];
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[1] > r[0])) {
    throw new Error(`range must be [lo, hi] with finite lo < hi; got ${JSON.stringify(range)}`);
  }
  const [lo, hi] = r as [number, number];
  const n = options.n ?? 2001;
  const tol = options.tol ?? 1e-7;
  const maxIter = options.maxIter ?? 100;
  if (!Number.isInteger(n) || n < 3) throw new Error(`n must be an integer ≥ 3; got ${n}`);
  if (!Number.isFinite(tol) || tol <= 0) throw new Error(`tol must be a finite number > 0; got ${tol}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new Error(`maxIter must be a positive integer; got ${maxIter}`);

  // Check the batched contract outside tf.grad first: an exception thrown while the gradient tape
  // records leaks the tensors the tape saved for the backward pass.
  objective.values([[lo], [hi]]);
  const fn = objective.fn;
  const N = (xs: number[]): tf.Tensor => tf.tensor2d(xs, [1, xs.length]);
  const batched = (z: tf.Tensor): tf.Tensor => {
    const y = fn(z);
    if (y.rank !== 1 || y.shape[0] !== z.shape[1]) {
      throw new Error(`${objective.name}: fn is not batched: for X of shape [${z.shape}] it returned shape [${y.shape}]`);
    }
    return y;
  };
  // The points of a batch are independent, so ∂(Σ_k f(x_k))/∂x_k = f′(x_k): one gradient gives all f′.
  const d1 = tf.grad((z: tf.Tensor) => tf.sum(batched(z)));
  const d2 = tf.grad((z: tf.Tensor) => tf.sum(d1(z)));
  const derivs = (xs: number[], second: boolean): { g: Float32Array; h?: Float32Array } =>
    tf.tidy(() => {
      const X = N(xs);
      const g = d1(X).dataSync() as Float32Array;
      return second ? { g, h: d2(X).dataSync() as Float32Array } : { g };
    });

  // 1. bracket: sign of f′ on a dense grid; zeros are skipped so − 0 − (an inflection) is not a minimum
  const grid = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const { g } = derivs(grid, false);
  const brackets: { neg: number; pos: number; kind: 'minimum' | 'maximum' }[] = [];
  let prev = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(g[i])) throw new Error(`${objective.name}: f′(${grid[i]}) is ${g[i]}; cannot bracket critical points`);
    if (g[i] === 0) continue;
    if (prev >= 0 && Math.sign(g[prev]) !== Math.sign(g[i])) {
      // f′ < 0 → f′ > 0: minimum; f′ > 0 → f′ < 0: maximum
      if (g[prev] < 0) brackets.push({ neg: grid[prev], pos: grid[i], kind: 'minimum' });
      else brackets.push({ neg: grid[i], pos: grid[prev], kind: 'maximum' });
    }
    prev = i;
  }
  if (brackets.length === 0) return [];

  // 2. refine all brackets at once: safeguarded Newton on f′, keeping f′(neg) < 0 < f′(pos)
  const x = brackets.map((b) => (b.neg + b.pos) / 2);
  const done = brackets.map(() => false);
  for (let it = 0; it < maxIter && done.some((d) => !d); it++) {
    const { g: gx, h: hx } = derivs(x, true);
    for (let k = 0; k < x.length; k++) {
      if (done[k]) continue;
      const b = brackets[k];
      if (gx[k] < 0) b.neg = x[k];
      else if (gx[k] > 0) b.pos = x[k];
      else {
        done[k] = true;
        continue;
      }
      const a = Math.min(b.neg, b.pos);
      const c = Math.max(b.neg, b.pos);
      // x ← x − f′(x) / f″(x)
      let next = x[k] - gx[k] / (hx as Float32Array)[k];
      if (!Number.isFinite(next) || next <= a || next >= c) next = (a + c) / 2; // bisection fallback
      const step = Math.abs(next - x[k]);
      x[k] = next;
      if (step <= tol * Math.max(1, Math.abs(next)) || c - a <= tol * Math.max(1, Math.abs(next))) done[k] = true;
    }
  }
  const values = objective.values(x.map((v) => [v]));
  return x.map((v, k) => ({ x: v, value: values[k], kind: brackets[k].kind })).sort((p, q) => p.x - q.x);
}

/**
 * Interior local minima of a 1D objective on `range` (default its domain), found numerically
 * (findCriticalPoints1D: dense batched grid of f′, then safeguarded Newton); sorted by x.
 */
export function findMinima1D(objective: Objective, range?: [number, number], options: Find1DOptions = {}): { x: number; value: number }[] {
  return findCriticalPoints1D(objective, range, options)
    .filter((p) => p.kind === 'minimum')
    .map(({ x, value }) => ({ x, value }));
}
