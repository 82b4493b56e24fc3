/**
 * Polynomial-feature regression, the smallest over-parameterised model: the features of x are the
 * Legendre polynomials P_0(x), …, P_d(x) (well conditioned on [−1, 1], unlike 1, x, x², …), the model
 * is ŷ = Φ(x) w, and its empirical risk (the mean squared error) has a closed-form minimiser
 * (least squares), so a notebook can compare an iterative optimiser with the exact answer.
 */
import { Matrix, solve } from 'ml-matrix';

/**
 * The Legendre features Φ[i][k] = P_k(x_i), k = 0..degree, row-major in a Float32Array of length
 * N·(degree+1), by the recurrence P_0 = 1, P_1 = x, k P_k = (2k − 1) x P_{k−1} − (k − 1) P_{k−2}.
 */
export function legendreFeatures(x: ArrayLike<number>, degree: number): Float32Array {
  if (x === null || x === undefined || typeof x.length !== 'number') throw new Error(`x must be an array of numbers; got ${String(x)}`);
  if (!Number.isInteger(degree) || degree < 0) throw new Error(`degree must be an integer ≥ 0; got ${degree}`);
  const p = degree + 1;
  const out = new Float32Array(x.length * p);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (typeof xi !== 'number' || !Number.isFinite(xi)) throw new Error(`x[${i}] must be a finite number; got ${String(xi)}`);
    let prev = 1; // P_0(x) = 1
    let cur = xi; // P_1(x) = x
    out[i * p] = prev;
    if (degree >= 1) out[i * p + 1] = cur;
    for (let k = 2; k <= degree; k++) {
      // P_k(x) = ((2k − 1) x P_{k−1}(x) − (k − 1) P_{k−2}(x)) / k
      const next = ((2 * k - 1) * xi * cur - (k - 1) * prev) / k;
      out[i * p + k] = next;
      prev = cur;
      cur = next;
    }
  }
  return out;
}

/**
 * The least-squares solution w* = argmin_w ‖Φw − y‖² (QR in double precision, ml-matrix) for a
 * row-major N×p design Φ with N ≥ p and full column rank.
 */
export function solveLeastSquares(Phi: ArrayLike<number>, y: ArrayLike<number>, p: number): number[] {
  if (!Number.isInteger(p) || p < 1) throw new Error(`p must be a positive integer (columns of Phi); got ${p}`);
  if (Phi === null || Phi === undefined || typeof Phi.length !== 'number' || Phi.length % p !== 0 || Phi.length === 0) {
    throw new Error(`Phi must be a row-major N×${p} array (length a positive multiple of ${p}); got length ${Phi?.length}`);
  }
  const N = Phi.length / p;
  if (y === null || y === undefined || y.length !== N) throw new Error(`y must have N = ${N} entries (rows of Phi); got ${y?.length}`);
  if (N < p) throw new Error(`Phi must have at least as many rows as columns for least squares; got ${N}×${p}`);
  const rows = Array.from({ length: N }, (_, i) => Array.from({ length: p }, (_, k) => Phi[i * p + k]));
  for (let i = 0; i < N; i++) {
    if (!Number.isFinite(y[i])) throw new Error(`y[${i}] must be a finite number; got ${y[i]}`);
    rows[i].forEach((v, k) => {
      if (!Number.isFinite(v)) throw new Error(`Phi[${i}][${k}] must be a finite number; got ${v}`);
    });
  }
  // w* solves min ‖Φw − y‖² (QR: Φ = QR, R w* = Qᵀy)
  const w = solve(new Matrix(rows), Matrix.columnVector(Array.from(y)));
  const out = w.getColumn(0);
  out.forEach((v, k) => {
    if (!Number.isFinite(v)) throw new Error(`Phi must have full column rank; least squares gave w[${k}] = ${v}`);
  });
  return out;
}
