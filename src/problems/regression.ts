/**
 * Linear least squares, the real problem of the gradient-descent chapters (05, 06):
 *
 *   J(θ) = 1/(2n) Σᵢ (xᵢᵀw + b − yᵢ)²,   θ = (w, b)
 *
 * closed forms in double precision: the least-squares solution (ml-matrix QR), J, the per-example
 * gradients ∇lᵢ = rᵢ (xᵢ, 1) with rᵢ = xᵢᵀw + b − yᵢ, and the Hessian (1/n) AᵀA with A = [X 1].
 * Fitting it with an optimizer is src/training/fit-regression.ts.
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import { show } from '../core/validate';

/** A regression dataset: X (n × d) and targets y (n). */
export interface RegressionData {
  X: number[][];
  y: number[];
}

/** The parameters of the linear model ŷ = xᵀw + b. */
export interface LinearFit {
  w: number[];
  b: number;
}

/** Throws unless data is {X: n×d finite, y: n finite} with n, d ≥ 1; returns [n, d]. */
export function checkRegressionData(data: RegressionData): [number, number] {
  if (data === null || typeof data !== 'object') throw new Error(`data must be an object {X, y}; got ${show(data)}`);
  const { X, y } = data;
  if (!Array.isArray(X) || X.length === 0) throw new Error(`data.X must be a non-empty array of rows; got ${show(X)}`);
  if (!Array.isArray(y) || y.length !== X.length) {
    throw new Error(`data.y must have one target per row of X (${X.length}); got ${Array.isArray(y) ? `length ${y.length}` : show(y)}`);
  }
  const d = Array.isArray(X[0]) ? X[0].length : 0;
  if (d === 0) throw new Error(`data.X[0] must be a non-empty array of features; got ${show(X[0])}`);
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) throw new Error(`data.X[${i}] must have ${d} features; got ${Array.isArray(row) ? row.length : show(row)}`);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`data.X[${i}][${j}] must be a finite number; got ${show(v)}`);
    });
  });
  y.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`data.y[${i}] must be a finite number; got ${show(v)}`);
  });
  return [X.length, d];
}

/** Throws unless fit is {w: d finite numbers, b: finite}. */
export function checkLinearFit(fit: LinearFit, d: number, what = 'fit'): void {
  if (fit === null || typeof fit !== 'object') throw new Error(`${what} must be {w, b}; got ${show(fit)}`);
  if (!Array.isArray(fit.w) || fit.w.length !== d) throw new Error(`${what}.w must have d = ${d} weights; got ${show(fit.w)}`);
  fit.w.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}.w[${j}] must be a finite number; got ${show(v)}`);
  });
  if (typeof fit.b !== 'number' || !Number.isFinite(fit.b)) throw new Error(`${what}.b must be a finite number; got ${show(fit.b)}`);
}

/** θ* = argmin ‖Aθ − y‖² with A = [X 1], by QR (ml-matrix); throws when A has dependent columns. */
export function leastSquares(data: RegressionData): LinearFit {
  const [n, d] = checkRegressionData(data);
  if (n < d + 1) throw new Error(`leastSquares needs n ≥ d + 1 = ${d + 1} examples; got n = ${n}`);
  // A = [X 1]
  const A = new Matrix(data.X.map((row) => [...row, 1]));
  const qr = new QrDecomposition(A);
  if (!qr.isFullRank()) throw new Error('leastSquares: the columns of [X 1] are linearly dependent (no unique solution)');
  // θ* = R⁻¹ Qᵀ y  (the minimiser of ‖Aθ − y‖²)
  const theta = qr.solve(Matrix.columnVector(data.y)).getColumn(0);
  return { w: theta.slice(0, d), b: theta[d] };
}

/** J(θ) = 1/(2n) Σᵢ (xᵢᵀw + b − yᵢ)², in double precision. */
export function regressionLoss(data: RegressionData, fit: LinearFit): number {
  const [n, d] = checkRegressionData(data);
  checkLinearFit(fit, d);
  return regressionLossUnchecked(data.X, data.y, fit.w, fit.b);
}

/** J = 1/(2n) Σ (xᵢᵀw + b − yᵢ)² in double precision, without checking the arguments (for loops that already did). */
export function regressionLossUnchecked(X: number[][], y: number[], w: ArrayLike<number>, b: number): number {
  const n = X.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const row = X[i];
    // rᵢ = xᵢᵀw + b − yᵢ
    let r = b - y[i];
    for (let j = 0; j < row.length; j++) r += row[j] * w[j];
    s += r * r;
  }
  // J = 1/(2n) Σ rᵢ²
  return s / (2 * n);
}

/** Per-example gradients ∇lᵢ = rᵢ (xᵢ, 1) of lᵢ = ½ rᵢ², rᵢ = xᵢᵀw + b − yᵢ (row i = (∂w₁ … ∂w_d, ∂b)). */
export function exampleGradients(data: RegressionData, fit: LinearFit): number[][] {
  const [, d] = checkRegressionData(data);
  checkLinearFit(fit, d);
  return data.X.map((row, i) => {
    // rᵢ = xᵢᵀw + b − yᵢ
    let r = fit.b - data.y[i];
    for (let j = 0; j < d; j++) r += row[j] * fit.w[j];
    // ∇lᵢ = rᵢ (xᵢ, 1)
    return [...row.map((v) => r * v), r];
  });
}

/** The Hessian of J: ∇²J = (1/n) AᵀA with A = [X 1] (constant: J is quadratic). */
export function regressionHessian(data: RegressionData): number[][] {
  const [n, d] = checkRegressionData(data);
  const p = d + 1;
  const H = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const row of data.X) {
    const a = [...row, 1];
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) H[i][j] += a[i] * a[j];
  }
  // (1/n) AᵀA
  return H.map((r) => r.map((v) => v / n));
}
