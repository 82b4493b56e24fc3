/**
 * Small dense linear algebra on plain `number[][]` (double precision), for reading Hessians:
 * the symmetric eigendecomposition H = V Λ Vᵀ (ml-matrix, not hand-rolled), the classification of a
 * critical point from the signs of Λ, random symmetric (GOE/Wigner) matrices, power iteration, and
 * the condition number κ of an SPD matrix.
 *
 * Nothing here uses tfjs: Hessians from `Objective.hessian()` are already `number[][]`.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { rng, Rng } from './random';
import type { CriticalKind } from './objective';

/** The eigendecomposition of a symmetric matrix: values ascending, vectors[k] the unit eigenvector of values[k]. */
export interface EigSym {
  values: number[];
  vectors: number[][];
}

/** Options of the symmetry check. */
export interface SymmetryOptions {
  /**
   * Relative tolerance of the symmetry check: |H_ij − H_ji| ≤ symTol · max(1, max_kl |H_kl|).
   * The default 1e-6 admits float32 Hessians from autodiff, whose mirrored entries can differ in the
   * last bits; the matrix is then symmetrised as (H + Hᵀ)/2.
   */
  symTol?: number;
}

/** Throws unless H is a non-empty square matrix of finite numbers; `what` names the argument. Returns a copy. */
export function checkSquare(H: unknown, what = 'H'): number[][] {
  if (!Array.isArray(H) || H.length === 0) {
    throw new Error(`${what} must be a non-empty square matrix (array of rows); got ${describe(H)}`);
  }
  const n = H.length;
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: unknown = H[i];
    if (!Array.isArray(row)) throw new Error(`${what}[${i}] must be an array (a row); got ${describe(row)}`);
    if (row.length !== n) {
      throw new Error(
        i === 0
          ? `${what} must be square; got ${n}×${row.length}`
          : `${what} must be square; ${what} has ${n} rows but row ${i} has ${row.length} entries`,
      );
    }
    out.push(
      row.map((v: unknown, j: number) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}[${i}][${j}] must be a finite number; got ${String(v)}`);
        return v;
      }),
    );
  }
  return out;
}

/**
 * Throws unless H is square, finite and symmetric within a relative tolerance; returns the
 * symmetrised copy (H + Hᵀ)/2.
 */
export function checkSymmetric(H: unknown, what = 'H', options: SymmetryOptions = {}): number[][] {
  const A = checkSquare(H, what);
  const symTol = options.symTol ?? 1e-6;
  if (!Number.isFinite(symTol) || symTol < 0) throw new Error(`symTol must be a finite number ≥ 0; got ${symTol}`);
  const n = A.length;
  let scale = 1;
  for (const row of A) for (const v of row) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(A[i][j] - A[j][i]) > symTol * scale) {
        throw new Error(`${what} must be symmetric; got ${what}[${i}][${j}] = ${A[i][j]} but ${what}[${j}][${i}] = ${A[j][i]}`);
      }
      // (H + Hᵀ)/2
      const m = (A[i][j] + A[j][i]) / 2;
      A[i][j] = m;
      A[j][i] = m;
    }
  }
  return A;
}

/**
 * Symmetric eigendecomposition H = V Λ Vᵀ (ml-matrix's EigenvalueDecomposition), eigenvalues
 * ascending; each eigenvector has unit length and its largest-magnitude component positive.
 */
export function eigSym(H: number[][], options: SymmetryOptions = {}): EigSym {
  const A = checkSymmetric(H, 'H', options);
  const n = A.length;
  const evd = new EigenvalueDecomposition(new Matrix(A), { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix; // column k is the eigenvector of lambda[k]
  const order = Array.from({ length: n }, (_, k) => k).sort((p, q) => lambda[p] - lambda[q]);
  const values = order.map((k) => lambda[k] + 0); // + 0 turns −0 into 0
  const vectors = order.map((k) => {
    const v = V.getColumn(k);
    // v ← v / ‖v‖ (ml-matrix already returns unit vectors; normalising again is cheap insurance)
    const len = Math.hypot(...v);
    // sign: the first component within 1e-6 of the largest |v_i| is made positive. Ties such as (1, −1)/√2 are
    // common (symmetric problems), and a tie broken by float noise would flip v between backends and runs.
    const vmax = Math.max(...v.map(Math.abs));
    const big = v.findIndex((c) => Math.abs(c) >= vmax - 1e-6);
    const s = (v[big] < 0 ? -1 : 1) / len;
    return v.map((c) => c * s + 0);
  });
  return { values, vectors };
}

/**
 * Classifies a critical point from its Hessian's eigenvalues λ: any |λ| ≤ tol → 'degenerate';
 * all λ > 0 → 'minimum'; all λ < 0 → 'maximum'; mixed signs → 'saddle'.
 */
export function classifyCriticalPoint(H: number[][], tol = 1e-6): CriticalKind {
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) throw new Error(`tol must be a finite number ≥ 0; got ${tol}`);
  const { values } = eigSym(H);
  return classifyEigenvalues(values, tol);
}

/** The classification of classifyCriticalPoint, from eigenvalues already computed. */
export function classifyEigenvalues(values: number[], tol = 1e-6): CriticalKind {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`values must be a non-empty array of eigenvalues; got ${describe(values)}`);
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) throw new Error(`tol must be a finite number ≥ 0; got ${tol}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`values[${i}] must be a finite number; got ${v}`);
  });
  // |λ_i| ≤ tol for some i: the second-order test says nothing
  if (values.some((v) => Math.abs(v) <= tol)) return 'degenerate';
  // λ_i > 0 ∀i: h ↦ ½ hᵀHh > 0 for all h ≠ 0
  if (values.every((v) => v > 0)) return 'minimum';
  if (values.every((v) => v < 0)) return 'maximum';
  return 'saddle';
}

/**
 * A random symmetric n×n matrix of the Gaussian orthogonal ensemble (Wigner):
 * A = (G + Gᵀ)/√(2n) with G_ij ~ N(0, 1) i.i.d., so off-diagonal entries have variance 1/n, diagonal
 * ones 2/n, and the spectrum fills the semicircle on [−2, 2] as n grows. `seed` may be a seed or an Rng.
 */
export function randomSymmetric(n: number, seed: number | Rng): number[][] {
  checkDim(n, 'n');
  const r = toRng(seed);
  // G_ij ~ N(0, 1), row-major draws
  const G = Array.from({ length: n }, () => Array.from({ length: n }, () => r.normal()));
  const s = Math.sqrt(2 * n);
  // A = (G + Gᵀ)/√(2n)
  return G.map((row, i) => row.map((g, j) => (g + G[j][i]) / s));
}

/**
 * The fraction of `samples` GOE matrices of size n (randomSymmetric, one seeded stream) whose
 * eigenvalues are all > 0, i.e. the chance that a "random critical point" is a minimum.
 * It is 1/2 at n = 1 and falls faster than exponentially with n.
 */
export function fractionPositiveDefinite(n: number, samples: number, seed: number): number {
  checkDim(n, 'n');
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`samples must be a positive integer; got ${samples}`);
  const r = toRng(seed);
  let count = 0;
  for (let s = 0; s < samples; s++) {
    const A = randomSymmetric(n, r);
    // λ_min(A) > 0 ⇔ A ≻ 0
    if (eigSym(A).values[0] > 0) count++;
  }
  return count / samples;
}

/** The result of power iteration: |λ|max ≈ ‖W v‖, the Rayleigh quotient vᵀWv, and the iterate v. */
export interface PowerIteration {
  /** Estimate of the dominant eigenvalue's magnitude |λ|max = ‖W v_k‖ (v_k a unit vector). */
  value: number;
  /** The Rayleigh quotient vᵀWv: the signed dominant eigenvalue when W is symmetric. */
  rayleigh: number;
  /** The final unit vector v_k (sign fixed so its largest-magnitude component is positive). */
  vector: number[];
  /** ‖W v_t‖ after each iteration t = 1..iters, to plot the convergence. */
  history: number[];
}

/**
 * Power iteration v_{t+1} = W v_t / ‖W v_t‖ from a seeded Gaussian v_0; returns |λ|max ≈ ‖W v_t‖.
 * Converges at rate |λ₂/λ₁| per step when the dominant eigenvalue is unique in magnitude.
 */
export function powerIteration(W: number[][], iters: number, seed = 0): PowerIteration {
  const A = checkSquare(W, 'W');
  if (!Number.isInteger(iters) || iters < 1) throw new Error(`iters must be a positive integer; got ${iters}`);
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
  const n = A.length;
  const r = rng(seed);
  let v = Array.from({ length: n }, () => r.normal());
  // v_0 ← v_0 / ‖v_0‖
  v = scale(v, 1 / norm(v));
  const history: number[] = [];
  let value = 0;
  for (let t = 0; t < iters; t++) {
    const w = matVec(A, v);
    // |λ|max ≈ ‖W v_t‖
    value = norm(w);
    history.push(value);
    if (value === 0) break; // W v = 0: W is nilpotent on v (e.g. W = 0); |λ|max estimate is 0, keep v
    // v_{t+1} = W v_t / ‖W v_t‖
    v = scale(w, 1 / value);
  }
  // vᵀWv, the Rayleigh quotient
  const rayleigh = dot(v, matVec(A, v));
  let big = 0;
  for (let i = 1; i < n; i++) if (Math.abs(v[i]) > Math.abs(v[big]) + 1e-12) big = i;
  const vector = v[big] < 0 ? v.map((c) => -c + 0) : v.map((c) => c + 0);
  return { value, rayleigh, vector, history };
}

/**
 * The condition number κ = λmax/λmin of a symmetric positive definite matrix; throws (naming the
 * smallest eigenvalue) when H is not positive definite.
 */
export function conditionNumber(H: number[][]): number {
  const { values } = eigSym(H);
  const lmin = values[0];
  const lmax = values[values.length - 1];
  if (!(lmin > 0)) throw new Error(`H must be symmetric positive definite; its smallest eigenvalue is ${lmin}`);
  // κ = λmax / λmin
  return lmax / lmin;
}

/** The matrix–vector product (A v)_i = Σ_j A_ij v_j. */
export function matVec(A: number[][], v: ArrayLike<number>): number[] {
  if (!Array.isArray(A) || A.length === 0) throw new Error(`A must be a non-empty matrix (array of rows); got ${describe(A)}`);
  const x = Array.from(v ?? []);
  return A.map((row, i) => {
    if (!Array.isArray(row) || row.length !== x.length) {
      throw new Error(`A[${i}] must have ${x.length} entries (the length of v); got ${Array.isArray(row) ? row.length : describe(row)}`);
    }
    // Σ_j A_ij v_j
    return row.reduce((s, a, j) => s + a * x[j], 0);
  });
}

/** The dot product ⟨u, v⟩ = Σ_i u_i v_i. */
export function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length !== v.length) throw new Error(`u and v must have the same length; got ${u.length} and ${v.length}`);
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

/** The Euclidean norm ‖v‖ = √(Σ v_i²). */
export function norm(v: ArrayLike<number>): number {
  return Math.hypot(...Array.from(v));
}

function scale(v: number[], s: number): number[] {
  return v.map((c) => c * s);
}

function checkDim(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer; got ${n}`);
}

function toRng(seed: number | Rng): Rng {
  if (typeof seed === 'number') return rng(seed);
  if (seed && typeof seed === 'object' && typeof seed.normal === 'function') return seed;
  throw new Error(`seed must be a number or an Rng; got ${describe(seed)}`);
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return 'null';
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}
