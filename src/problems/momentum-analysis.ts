/**
 * The eigen view of momentum on a quadratic f(x) = ½ xᵀHx (chapter 07, after Goh, "Why Momentum Really
 * Works", Distill 2017). In the eigenbasis of H every coordinate is independent; along an eigenvector
 * with eigenvalue λ, heavy-ball momentum in the lecture's velocity form
 *
 *   v_{k+1} = μ v_k − η λ x_k,   x_{k+1} = x_k + v_{k+1}
 *
 * is the 2×2 linear system (x, v)_{k+1} = R (x, v)_k with R = [[1 − ηλ, μ], [−ηλ, μ]]. Its spectral
 * radius ρ(R) is the convergence rate of that coordinate, and the worst coordinate sets the rate of
 * the whole run. Nesterov's variant (gradient at x + μv) has R = [[1 − ηλ, μ(1 − ηλ)], [−ηλ, μ(1 − ηλ)]].
 *
 * Plain double-precision numbers: no tfjs, no Node built-ins.
 */
import { finite, positive, show, unitInterval } from '../core/validate';

/** A complex number re + i·im (the eigenvalues of a real 2×2 matrix may be a conjugate pair). */
export interface Complex {
  re: number;
  im: number;
}

/** Options of the rate functions. */
export interface MomentumRateOptions {
  /** Nesterov's momentum (gradient at the look-ahead point x + μv) instead of heavy ball. */
  nesterov?: boolean;
}

/** The eigenvalues of a 2×2 matrix, its discriminant and its spectral radius. */
export interface Eigen2x2 {
  /** The two eigenvalues z (roots of z² − tr·z + det = 0), larger modulus first. */
  values: [Complex, Complex];
  /** tr² − 4·det: > 0 two real roots, < 0 a complex pair of modulus √det, = 0 a double root. */
  discriminant: number;
  /** ρ = max |z|. */
  radius: number;
}

/** An optimal (η, μ) pair and the rate it achieves. */
export interface OptimalMomentum {
  lr: number;
  momentum: number;
  rate: number;
}

function momentumValue(x: unknown, what = 'momentum'): number {
  return unitInterval(x, what);
}

function eigenvalueList(x: unknown, what = 'eigenvalues'): number[] {
  if (!Array.isArray(x) || x.length === 0) throw new Error(`${what} must be a non-empty array of numbers > 0; got ${show(x)}`);
  return x.map((v, i) => positive(v, `${what}[${i}]`));
}

/** The iteration matrix R of one eigen-direction: (x, v)_{k+1} = R (x, v)_k; heavy ball R = [[1 − ηλ, μ], [−ηλ, μ]]. */
export function momentumMatrix(lambda: number, lr: number, momentum: number, options: MomentumRateOptions = {}): number[][] {
  finite(lambda, 'lambda');
  positive(lr, 'lr');
  momentumValue(momentum);
  const h = lr * lambda;
  if (options.nesterov) {
    // v' = μ(1 − ηλ) v − ηλ x,  x' = x + v' = (1 − ηλ) x + μ(1 − ηλ) v
    return [
      [1 - h, momentum * (1 - h)],
      [-h, momentum * (1 - h)],
    ];
  }
  // v' = μ v − ηλ x,  x' = x + v' = (1 − ηλ) x + μ v
  return [
    [1 - h, momentum],
    [-h, momentum],
  ];
}

/** Eigenvalues of a real 2×2 matrix M: roots of z² − tr(M) z + det(M) = 0, and ρ(M) = max |z|. */
export function eigen2x2(M: number[][]): Eigen2x2 {
  if (!Array.isArray(M) || M.length !== 2 || M.some((r) => !Array.isArray(r) || r.length !== 2)) {
    throw new Error(`M must be a 2×2 matrix [[a, b], [c, d]]; got ${show(M)}`);
  }
  M.forEach((r, i) => r.forEach((v, j) => finite(v, `M[${i}][${j}]`)));
  const tr = M[0][0] + M[1][1];
  const det = M[0][0] * M[1][1] - M[0][1] * M[1][0];
  // Δ = tr² − 4 det
  const disc = tr * tr - 4 * det;
  let values: [Complex, Complex];
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    // z = (tr ± √Δ)/2, computed without cancellation: z₁ = (tr + sign(tr)√Δ)/2, z₂ = det/z₁
    const z1 = (tr + (tr >= 0 ? s : -s)) / 2;
    const z2 = z1 !== 0 ? det / z1 : 0;
    values = Math.abs(z1) >= Math.abs(z2) ? [{ re: z1, im: 0 }, { re: z2, im: 0 }] : [{ re: z2, im: 0 }, { re: z1, im: 0 }];
  } else {
    // z = tr/2 ± i √(−Δ)/2, |z| = √det
    const im = Math.sqrt(-disc) / 2;
    values = [{ re: tr / 2, im }, { re: tr / 2, im: -im }];
  }
  const radius = Math.max(...values.map((z) => Math.hypot(z.re, z.im)));
  return { values, discriminant: disc, radius };
}

/** The rate of one eigen-direction: ρ(R(λ, η, μ)); μ = 0 gives gradient descent's |1 − ηλ|. */
export function momentumRate1D(lambda: number, lr: number, momentum: number, options: MomentumRateOptions = {}): number {
  return eigen2x2(momentumMatrix(lambda, lr, momentum, options)).radius;
}

/** The rate of a whole quadratic: max_i ρ(R(λ_i, η, μ)) over the eigenvalues λ_i of H. */
export function momentumRate(eigenvalues: number[], lr: number, momentum: number, options: MomentumRateOptions = {}): number {
  const ls = eigenvalueList(eigenvalues);
  // ρ = max_i ρ(R(λ_i))
  return Math.max(...ls.map((l) => momentumRate1D(l, lr, momentum, options)));
}

/**
 * The rate over a grid of (η, μ): z[j][i] = momentumRate(eigenvalues, lrs[i], momenta[j]) (plotly's
 * heat-map convention: rows are y = μ, columns are x = η).
 */
export function rateGrid(eigenvalues: number[], lrs: number[], momenta: number[], options: MomentumRateOptions = {}): number[][] {
  const ls = eigenvalueList(eigenvalues);
  if (!Array.isArray(lrs) || lrs.length === 0) throw new Error(`lrs must be a non-empty array; got ${show(lrs)}`);
  if (!Array.isArray(momenta) || momenta.length === 0) throw new Error(`momenta must be a non-empty array; got ${show(momenta)}`);
  lrs.forEach((v, i) => positive(v, `lrs[${i}]`));
  momenta.forEach((v, j) => momentumValue(v, `momenta[${j}]`));
  return momenta.map((mu) => lrs.map((lr) => momentumRate(ls, lr, mu, options)));
}

function extremes(lmin: number, lmax: number): [number, number] {
  positive(lmin, 'lmin');
  positive(lmax, 'lmax');
  if (lmin > lmax) throw new Error(`lmin must be ≤ lmax; got lmin = ${lmin}, lmax = ${lmax}`);
  return [lmin, lmax];
}

/** Gradient descent's best fixed step on λ ∈ [λmin, λmax]: η* = 2/(λmin + λmax), rate (κ − 1)/(κ + 1). */
export function optimalGradientDescent(lmin: number, lmax: number): { lr: number; rate: number } {
  const [m, L] = extremes(lmin, lmax);
  const kappa = L / m;
  // η* = 2/(λ₁ + λₙ),  ρ* = (κ − 1)/(κ + 1)
  return { lr: 2 / (m + L), rate: (kappa - 1) / (kappa + 1) };
}

/**
 * Heavy ball's best pair on λ ∈ [λmin, λmax] (Polyak 1964): η* = (2/(√λmin + √λmax))²,
 * μ* = ((√κ − 1)/(√κ + 1))², rate √μ* = (√κ − 1)/(√κ + 1).
 */
export function optimalMomentum(lmin: number, lmax: number): OptimalMomentum {
  const [m, L] = extremes(lmin, lmax);
  const sk = Math.sqrt(L / m);
  // η* = (2/(√λ₁ + √λₙ))²
  const lr = (2 / (Math.sqrt(m) + Math.sqrt(L))) ** 2;
  // ρ* = (√κ − 1)/(√κ + 1),  μ* = ρ*²
  const rate = (sk - 1) / (sk + 1);
  return { lr, momentum: rate * rate, rate };
}

/**
 * Nesterov's best pair on a quadratic with λ ∈ [λmin, λmax] (Lessard, Recht & Packard 2016):
 * η* = 4/(3λmax + λmin), μ* = (√(3κ + 1) − 2)/(√(3κ + 1) + 2), rate 1 − 2/√(3κ + 1).
 */
export function optimalNesterov(lmin: number, lmax: number): OptimalMomentum {
  const [m, L] = extremes(lmin, lmax);
  const s = Math.sqrt((3 * L) / m + 1);
  // η* = 4/(3L + m),  μ* = (√(3κ+1) − 2)/(√(3κ+1) + 2),  ρ* = 1 − 2/√(3κ+1)
  return { lr: 4 / (3 * L + m), momentum: (s - 2) / (s + 2), rate: 1 - 2 / s };
}

/** The largest stable step of heavy ball for curvature up to λmax: η < 2(1 + μ)/λmax (μ = 0: GD's 2/λmax). */
export function maxStableLr(lmax: number, momentum: number): number {
  positive(lmax, 'lmax');
  momentumValue(momentum);
  // |z| < 1 for both roots of z² − (1 + μ − ηλ)z + μ  ⇔  0 < ηλ < 2(1 + μ)
  return (2 * (1 + momentum)) / lmax;
}

/** Options of fitRate. */
export interface FitRateOptions {
  /** First index k of the fitted window (default 0). */
  from?: number;
  /** Last index k of the fitted window, inclusive (default errors.length − 1). */
  to?: number;
  /**
   * p in the model e_k ≈ C k^p ρ^k: the fit divides e_k by k^p first (default 0). A defective
   * (Jordan-block) iteration matrix, such as momentum's at the optimal (η*, μ*), has p = 1.
   */
  power?: number;
  /**
   * The abscissa x_k of each e_k (default x_k = k): the model becomes e_k ≈ C x_k^p ρ^{x_k}, so ρ is the
   * factor per unit of x (e.g. per layer when e_k is measured at depths x_k = 2, 4, 6, …).
   */
  x?: ArrayLike<number>;
}

/** Options of fitExponent. */
export interface FitExponentOptions {
  /** First index k of the fitted window (default 0, or 1 when x is the index k itself: log 0). */
  from?: number;
  /** Last index k of the fitted window, inclusive (default values.length − 1). */
  to?: number;
  /** The abscissa x_k > 0 of each v_k (default x_k = k). */
  x?: ArrayLike<number>;
}

function checkSeries(v: unknown, what: string): ArrayLike<number> {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new Error(`${what} must be an array of numbers > 0; got ${show(v)}`);
  }
  return v as ArrayLike<number>;
}

function windowOf(n: number, from: unknown, to: unknown): [number, number] {
  if (!Number.isInteger(from) || (from as number) < 0) throw new Error(`from must be an integer ≥ 0; got ${show(from)}`);
  if (!Number.isInteger(to) || (to as number) >= n || (to as number) < (from as number) + 1) {
    throw new Error(`to must be an integer in [from + 1, ${n - 1}]; got ${show(to)}`);
  }
  return [from as number, to as number];
}

function abscissae(x: ArrayLike<number> | undefined, n: number, what = 'x'): (k: number) => number {
  if (x === undefined) return (k) => k;
  checkSeries(x, what);
  if (x.length !== n) throw new Error(`${what} must have one entry per value (${n}); got length ${x.length}`);
  return (k) => x[k];
}

/** The least-squares slope of the points (u_k, w_k): Σ(u − ū)(w − w̄) / Σ(u − ū)². */
function slope(u: number[], w: number[]): number {
  const n = u.length;
  const mu = u.reduce((a, b) => a + b, 0) / n;
  const mw = w.reduce((a, b) => a + b, 0) / n;
  // slope = Σ(u − ū)(w − w̄) / Σ(u − ū)²
  const num = u.reduce((s, ui, k) => s + (ui - mu) * (w[k] - mw), 0);
  const den = u.reduce((s, ui) => s + (ui - mu) ** 2, 0);
  if (!(den > 0)) throw new Error('the fitted window needs at least two different abscissae');
  return num / den;
}

function positiveAt(v: ArrayLike<number>, k: number, what: string): number {
  const e = v[k];
  if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) throw new Error(`${what}[${k}] must be a finite number > 0; got ${show(e)}`);
  return e;
}

/**
 * The measured rate of a sequence e_k ≈ C x_k^p ρ^{x_k} (x_k = k by default): ρ = exp(slope) of the
 * least-squares line through (x_k, log e_k − p log x_k) for k in [from, to].
 */
export function fitRate(errors: ArrayLike<number>, options: FitRateOptions = {}): number {
  const e = checkSeries(errors, 'errors');
  const [from, to] = windowOf(e.length, options.from ?? 0, options.to ?? e.length - 1);
  const p = options.power ?? 0;
  finite(p, 'power');
  if (p !== 0 && options.x === undefined && from < 1) throw new Error(`from must be ≥ 1 when power ≠ 0 (log k at k = 0); got ${from}`);
  const xAt = abscissae(options.x, e.length);
  const u: number[] = [];
  const w: number[] = [];
  for (let k = from; k <= to; k++) {
    const xk = xAt(k);
    if (p !== 0 && !(xk > 0)) throw new Error(`x[${k}] must be > 0 when power ≠ 0 (log x); got ${show(xk)}`);
    u.push(finite(xk, `x[${k}]`));
    // y_k = log e_k − p log x_k
    w.push(Math.log(positiveAt(e, k, 'errors')) - (p !== 0 ? p * Math.log(xk) : 0));
  }
  // ρ = e^slope
  return Math.exp(slope(u, w));
}

/** The measured exponent s of a power law v_k ≈ C x_k^s (x_k = k by default): the slope of log v_k against log x_k, k ∈ [from, to]. */
export function fitExponent(values: ArrayLike<number>, options: FitExponentOptions = {}): number {
  const v = checkSeries(values, 'values');
  const xAt = abscissae(options.x, v.length);
  const [from, to] = windowOf(v.length, options.from ?? (options.x === undefined ? 1 : 0), options.to ?? v.length - 1);
  const u: number[] = [];
  const w: number[] = [];
  for (let k = from; k <= to; k++) {
    const xk = xAt(k);
    if (typeof xk !== 'number' || !Number.isFinite(xk) || xk <= 0) throw new Error(`x_${k} must be a finite number > 0 (log x); got ${show(xk)}`);
    u.push(Math.log(xk));
    w.push(Math.log(positiveAt(v, k, 'values')));
  }
  // s = slope of (log x_k, log v_k)
  return slope(u, w);
}

/**
 * The weight of the gradient from k steps ago in momentum's average, k = 0 … K − 1:
 * EMA form v = (1 − β) Σ_k β^k g_{t−k} → w_k = (1 − β) β^k (they sum to 1 − β^K);
 * velocity form (torch, b = Σ_k μ^k g_{t−k}) → w_k = β^k (they sum to (1 − β^K)/(1 − β)).
 */
export function momentumWeights(beta: number, K: number, form: 'ema' | 'velocity' = 'ema'): number[] {
  momentumValue(beta, 'beta');
  if (!Number.isInteger(K) || K < 1) throw new Error(`K must be a positive integer; got ${show(K)}`);
  if (form !== 'ema' && form !== 'velocity') throw new Error(`form must be 'ema' or 'velocity'; got ${show(form)}`);
  const c = form === 'ema' ? 1 - beta : 1;
  // w_k = (1 − β) β^k  or  β^k
  return Array.from({ length: K }, (_, k) => c * beta ** k);
}
