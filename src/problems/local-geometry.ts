/**
 * The local geometry of an objective around a point: its second-order Taylor model
 * f(a + h) ≈ f(a) + ∇f(a)ᵀh + ½ hᵀH(a)h (gradient and Hessian from autodiff), and a numerical search
 * for the critical points ∇f(x) = 0 of an n-D objective by Newton's method from many starting
 * points at once (one batched autodiff call per derivative order and iteration), each point found
 * then classified by the eigenvalues of its autodiff Hessian.
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, solve } from 'ml-matrix';
import { checkPoint, type CriticalKind, type Objective } from '../core/objective';
import { inspectPoint } from './catalog';

/** The second-order Taylor model of f at a. */
export interface TaylorModel {
  /** The expansion point a. */
  at: number[];
  /** f(a), ∇f(a) and H(a) (autodiff). */
  value: number;
  gradient: number[];
  hessian: number[][];
  /** The first-order model f(a) + ∇f(a)ᵀh. */
  linear(h: ArrayLike<number>): number;
  /** The second-order model f(a) + ∇f(a)ᵀh + ½ hᵀH(a)h. */
  quadratic(h: ArrayLike<number>): number;
  /** The quadratic form q(h) = ½ hᵀH(a)h alone. */
  quadraticForm(h: ArrayLike<number>): number;
}

/** The Taylor model f(a + h) ≈ f(a) + ∇f(a)ᵀh + ½ hᵀH(a)h of an objective at a (autodiff ∇f and H). */
export function taylorModel(objective: Objective, a: ArrayLike<number>): TaylorModel {
  if (!objective || typeof objective.valueAndGradient !== 'function') throw new Error(`objective must be an Objective (from defineObjective); got ${String(objective)}`);
  const at = checkPoint(a, objective.dim, 'a');
  const { value, gradient } = objective.valueAndGradient(at);
  const hessian = objective.hessian(at);
  const n = at.length;
  const step = (h: ArrayLike<number>): number[] => checkPoint(h, n, 'h');
  // q(h) = ½ hᵀHh = ½ Σ_ij h_i H_ij h_j
  const q = (h: number[]): number => 0.5 * h.reduce((s, hi, i) => s + hi * hessian[i].reduce((t, Hij, j) => t + Hij * h[j], 0), 0);
  // ∇f(a)ᵀh
  const lin = (h: number[]): number => h.reduce((s, hi, i) => s + gradient[i] * hi, 0);
  return {
    at,
    value,
    gradient,
    hessian,
    linear: (h) => value + lin(step(h)), // f(a) + ∇f(a)ᵀh
    quadratic: (h) => {
      const v = step(h);
      // f(a) + ∇f(a)ᵀh + ½ hᵀHh
      return value + lin(v) + q(v);
    },
    quadraticForm: (h) => q(step(h)),
  };
}

/** A critical point found by `findCriticalPoints`. */
export interface FoundCriticalPoint {
  x: number[];
  value: number;
  /** ‖∇f(x)‖ at the returned point (float32 autodiff). */
  gradNorm: number;
  /** Eigenvalues of the autodiff Hessian at x, ascending. */
  eigenvalues: number[];
  kind: CriticalKind;
  /** How many starting points converged to this point. */
  hits: number;
}

/** Options of `findCriticalPoints`. */
export interface FindCriticalPointsOptions {
  /** A start has converged when ‖∇f(x)‖ ≤ gradTol (default 1e-4; tfjs computes in float32). */
  gradTol?: number;
  /** Newton iterations at most (default 50). */
  maxIter?: number;
  /** Points closer than mergeTol are the same critical point (default 1e-3). */
  mergeTol?: number;
  /** Keep only points inside this box (default the objective's domain). */
  domain?: [number, number][];
  /** Eigenvalue tolerance of the classification (default 1e-4). */
  classifyTol?: number;
}

/** A k × … × k grid of starting points over a box, k per coordinate (k^n points), cell centres. */
export function gridStarts(domain: [number, number][], k: number): number[][] {
  if (!Array.isArray(domain) || domain.length === 0) throw new Error(`domain must be a non-empty array of [lo, hi]; got ${String(domain)}`);
  domain.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[1] > r[0])) {
      throw new Error(`domain[${i}] must be [lo, hi] with finite lo < hi; got ${JSON.stringify(r)}`);
    }
  });
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer; got ${k}`);
  if (k ** domain.length > 1e5) throw new Error(`k^n = ${k ** domain.length} starting points is too many (at most 1e5); lower k = ${k}`);
  let pts: number[][] = [[]];
  for (const [lo, hi] of domain) {
    // cell centres lo + (i + ½)(hi − lo)/k, i = 0..k−1
    const c = Array.from({ length: k }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / k);
    pts = pts.flatMap((p) => c.map((v) => [...p, v]));
  }
  return pts;
}

/**
 * Critical points ∇f(x) = 0 of an n-D objective: Newton's method x ← x − H(x)⁻¹∇f(x) from every
 * start at once (∇f and H for the whole batch by autodiff of the batched fn), keeping the starts
 * that converge (‖∇f‖ ≤ gradTol) inside the domain, merging duplicates and classifying each point
 * by its Hessian's eigenvalues (inspectPoint). Sorted by value (equal within relative 1e-5), then by coordinates.
 */
export function findCriticalPoints(objective: Objective, starts: number[][], options: FindCriticalPointsOptions = {}): FoundCriticalPoint[] {
  if (!objective || typeof objective.fn !== 'function') throw new Error(`objective must be an Objective (from defineObjective); got ${String(objective)}`);
  const n = objective.dim;
  if (!Array.isArray(starts) || starts.length === 0) throw new Error(`starts must be a non-empty array of points; got ${Array.isArray(starts) ? 'an empty array' : String(starts)}`);
  const X0 = starts.map((s, k) => checkPoint(s, n, `starts[${k}]`));
  const gradTol = options.gradTol ?? 1e-4;
  const maxIter = options.maxIter ?? 50;
  const mergeTol = options.mergeTol ?? 1e-3;
  const classifyTol = options.classifyTol ?? 1e-4;
  const domain = options.domain ?? objective.domain;
  if (!(gradTol > 0) || !Number.isFinite(gradTol)) throw new Error(`gradTol must be a finite number > 0; got ${gradTol}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new Error(`maxIter must be a positive integer; got ${maxIter}`);
  if (!(mergeTol > 0) || !Number.isFinite(mergeTol)) throw new Error(`mergeTol must be a finite number > 0; got ${mergeTol}`);
  if (!Array.isArray(domain) || domain.length !== n) throw new Error(`domain must have ${n} ranges; got ${JSON.stringify(domain)}`);

  // Check the batched contract before differentiating (an exception under the tape would leak).
  objective.values(X0.slice(0, 2));
  const N = X0.length;
  const fn = objective.fn;
  // points are independent: ∂(Σ_k f(x_k))/∂x_k = ∇f(x_k), column k of the [n, N] result
  const grad = tf.grad((Z: tf.Tensor) => tf.sum(fn(Z)));
  const hessRow = (i: number) => {
    const ei = tf.tensor2d(Array.from({ length: n }, (_, j) => (j === i ? 1 : 0)), [n, 1]);
    // row i of H(x_k) = ∇_x (∂f/∂x_i)(x_k); a one-hot product instead of gather (wasm has no gather gradient)
    return { ei, g: tf.grad((Z: tf.Tensor) => tf.sum(tf.mul(grad(Z), ei))) };
  };
  const rows = Array.from({ length: n }, (_, i) => hessRow(i));

  const x = X0.map((p) => p.slice());
  const active = x.map(() => true);
  const converged = x.map(() => false);
  try {
    for (let it = 0; it <= maxIter && active.some((a) => a); it++) {
      const idx = active.map((a, k) => (a ? k : -1)).filter((k) => k >= 0);
      const flat = new Float32Array(n * idx.length);
      idx.forEach((k, c) => x[k].forEach((v, i) => (flat[i * idx.length + c] = v)));
      const { G, H } = tf.tidy(() => {
        const Z = tf.tensor2d(flat, [n, idx.length]);
        return {
          G: grad(Z).dataSync() as Float32Array,
          H: rows.map((r) => r.g(Z).dataSync() as Float32Array),
        };
      });
      idx.forEach((k, c) => {
        const g = Array.from({ length: n }, (_, i) => G[i * idx.length + c]);
        if (!g.every(Number.isFinite)) {
          active[k] = false;
          return;
        }
        const small = Math.hypot(...g) <= gradTol;
        if (it === maxIter) {
          converged[k] = small;
          active[k] = false;
          return;
        }
        const Hk = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => H[i][j * idx.length + c]));
        let d: number[];
        try {
          // Newton step: solve H d = ∇f, then x ← x − d
          d = solve(new Matrix(Hk), Matrix.columnVector(g)).getColumn(0);
        } catch {
          d = [NaN];
        }
        // converged: ‖∇f(x)‖ ≤ gradTol; one last Newton step polishes x (error ε → O(ε²)) unless H is
        // near-singular there (a degenerate point), where the step would not be small
        if (small) {
          converged[k] = true;
          active[k] = false;
          if (d.length === n && d.every(Number.isFinite) && Math.hypot(...d) <= mergeTol) x[k] = x[k].map((v, i) => v - d[i]);
          return;
        }
        const next = x[k].map((v, i) => v - d[i]);
        const spread = domain.map(([lo, hi]) => hi - lo);
        // left far outside the box, or a singular H: give this start up
        if (!next.every(Number.isFinite) || next.some((v, i) => v < domain[i][0] - 10 * spread[i] || v > domain[i][1] + 10 * spread[i])) {
          active[k] = false;
          return;
        }
        x[k] = next;
      });
    }
  } finally {
    rows.forEach((r) => r.ei.dispose());
  }

  // keep converged points inside the domain, merge those closer than mergeTol
  const found: { x: number[]; hits: number }[] = [];
  x.forEach((p, k) => {
    if (!converged[k]) return;
    if (p.some((v, i) => v < domain[i][0] - 1e-9 || v > domain[i][1] + 1e-9)) return;
    const same = found.find((f) => Math.hypot(...f.x.map((v, i) => v - p[i])) <= mergeTol);
    if (same) same.hits += 1;
    else found.push({ x: p.map((v) => v + 0), hits: 1 });
  });
  return found
    .map(({ x: p, hits }) => {
      const info = inspectPoint(objective, p, classifyTol);
      return { x: p, value: info.value, gradNorm: info.gradNorm, eigenvalues: info.eigenvalues, kind: info.kind, hits };
    })
    .sort(byValueThenCoordinates);
}

/**
 * Order of found points: by f, values within float32 noise (relative 1e-5) counting as equal, then by
 * coordinates. Symmetric points (the two saddles of x³ − 3x + y³ − 3y + xy) have the same f up to a few ulps,
 * and which ulp is lower differs between backends; a strict comparison of f ordered them differently.
 */
function byValueThenCoordinates(a: { value: number; x: number[] }, b: { value: number; x: number[] }): number {
  const tie = Math.abs(a.value - b.value) <= 1e-5 * Math.max(1, Math.abs(a.value), Math.abs(b.value));
  if (!tie) return a.value - b.value;
  return a.x.reduce((s, v, i) => s || v - b.x[i], 0);
}
