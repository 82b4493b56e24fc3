/**
 * Objectives f: Rⁿ → R written once with tfjs ops. Value, gradient and Hessian all come from
 * autodiff (`tf.grad`, and a gradient of a gradient for the Hessian), never re-typed by hand.
 *
 * Contract for `fn`: given x of shape [n] it returns a scalar; given a batch X of shape [n, N]
 * (one point per column) it returns shape [N]. Writing `fn` with `tf.unstack(x)` and elementwise ops
 * gives both for free, and lets `grid()` evaluate a whole contour in one call (no JS loop per point).
 * For n = 1 use `x.reshape(x.shape.slice(1))` (or squeeze([0])) instead: in tfjs 4.22 the gradient
 * of a one-output unstack throws.
 */
import * as tf from '@tensorflow/tfjs';

/** What a critical point is, read off the Hessian's eigenvalues. */
export type CriticalKind = 'minimum' | 'maximum' | 'saddle' | 'degenerate';

/** A known critical point of an objective (for annotations and tests). */
export interface CriticalPoint {
  x: number[];
  kind?: CriticalKind;
  label?: string;
}

/** What the author of an objective writes. */
export interface ObjectiveSpec {
  name: string;
  dim: number;
  /** f(x): [n] → scalar, and [n, N] → [N] (points as columns). */
  fn: (x: tf.Tensor) => tf.Tensor;
  /** Plotting domain, one [lo, hi] per coordinate. */
  domain?: [number, number][];
  criticalPoints?: CriticalPoint[];
  /** The formula in LaTeX, for captions. */
  latex?: string;
}

/** A 2D grid of values in plotly's convention: z[j][i] = f(x[i], y[j]). */
export interface Grid {
  x: number[];
  y: number[];
  z: number[][];
}

/** An objective with autodiff value, gradient, Hessian and vectorised evaluators. */
export interface Objective extends Required<Pick<ObjectiveSpec, 'name' | 'dim' | 'fn' | 'domain' | 'criticalPoints'>> {
  latex?: string;
  /** f(x). */
  value(x: ArrayLike<number>): number;
  /** ∇f(x), from tf.grad. */
  gradient(x: ArrayLike<number>): number[];
  /** f(x) and ∇f(x) in one pass (tf.valueAndGrad). */
  valueAndGradient(x: ArrayLike<number>): { value: number; gradient: number[] };
  /**
   * Hessian H_ij = ∂²f/∂x_i∂x_j, row i = ∇(⟨∇f(x), e_i⟩) (nested tf.grad): all rows from one double
   * backward pass over dim + 1 copies of x when fn is batched, else one nested gradient per row.
   */
  hessian(x: ArrayLike<number>): number[][];
  /** f at many points at once: points[k] ∈ Rⁿ → f(points[k]), one batched call. */
  values(points: ArrayLike<number>[]): number[];
  /** For n = 2: f on an n×n grid over xRange × yRange (z[j][i] = f(x_i, y_j)). */
  grid(xRange?: [number, number], yRange?: [number, number], n?: number): Grid;
  /** For n = 1: f on n points of a range. */
  curve(range?: [number, number], n?: number): { x: number[]; y: number[] };
}

/** Throws unless x is a finite vector of length dim; `what` names the argument in the message. */
export function checkPoint(x: ArrayLike<number>, dim: number, what = 'x'): number[] {
  if (x === null || x === undefined || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new Error(`${what} must be an array of ${dim} numbers; got ${String(x)}`);
  }
  if (x.length !== dim) {
    throw new Error(`${what} must have length ${dim} (the objective's dimension); got length ${x.length}`);
  }
  const out = Array.from(x);
  out.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${what}[${i}] must be a finite number; got ${v}`);
    }
  });
  return out;
}

function checkRange(r: [number, number], what: string): void {
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !(r[1] > r[0])) {
    throw new Error(`${what} must be [lo, hi] with finite lo < hi; got ${JSON.stringify(r)}`);
  }
}

function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [lo];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Defines an objective from its tfjs formula; gradient and Hessian come from autodiff. */
export function defineObjective(spec: ObjectiveSpec): Objective {
  const { name, dim, fn } = spec;
  if (typeof name !== 'string' || name === '') throw new Error(`name must be a non-empty string; got ${JSON.stringify(name)}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`dim must be a positive integer; got ${dim}`);
  if (typeof fn !== 'function') throw new Error(`fn must be a function (x: tf.Tensor) => tf.Scalar; got ${typeof fn}`);
  const domain: [number, number][] = spec.domain ?? Array.from({ length: dim }, () => [-2, 2] as [number, number]);
  if (domain.length !== dim) throw new Error(`domain must have ${dim} ranges (one per coordinate); got ${domain.length}`);
  domain.forEach((r, i) => checkRange(r, `domain[${i}]`));
  const criticalPoints = (spec.criticalPoints ?? []).map((p, i) => ({ ...p, x: checkPoint(p.x, dim, `criticalPoints[${i}].x`) }));

  const scalarFn = (x: tf.Tensor): tf.Scalar => {
    const y = fn(x);
    if (y.rank !== 0) throw new Error(`${name}: fn must return a scalar for x of shape [${dim}]; got shape [${y.shape}]`);
    return y as tf.Scalar;
  };
  const gradFn = tf.grad(scalarFn);
  const valueAndGradFn = tf.valueAndGrad(scalarFn);

  const value = (x: ArrayLike<number>): number => {
    const p = checkPoint(x, dim);
    return tf.tidy(() => scalarFn(tf.tensor1d(p)).dataSync()[0]);
  };
  const gradient = (x: ArrayLike<number>): number[] => {
    const p = checkPoint(x, dim);
    return tf.tidy(() => Array.from(gradFn(tf.tensor1d(p)).dataSync(), (v) => v + 0)); // + 0: no -0
  };
  const valueAndGradient = (x: ArrayLike<number>): { value: number; gradient: number[] } => {
    const p = checkPoint(x, dim);
    return tf.tidy(() => {
      const { value: v, grad } = valueAndGradFn(tf.tensor1d(p));
      return { value: v.dataSync()[0], gradient: Array.from(grad.dataSync(), (g) => g + 0) };
    });
  };
  // Hessian row by row: row i = ∇(⟨∇f(x), e_i⟩), one nested gradient per row (works for any fn).
  const hessianRows = (p: number[]): number[][] =>
    tf.tidy(() => {
      const x0 = tf.tensor1d(p);
      const rows: number[][] = [];
      for (let i = 0; i < dim; i++) {
        // e_i as a constant (tf.oneHot needs depth ≥ 2); a dot product, not gather, keeps wasm happy.
        const ei = tf.tensor1d(Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0)));
        const row = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(gradFn(z), ei)))(x0);
        rows.push(Array.from(row.dataSync(), (v) => v + 0)); // + 0 turns -0 into 0
      }
      return rows;
    });
  // Hessian in one nested gradient, through the batch contract: with X = [x, …, x] (N = dim + 1 copies
  // as columns), G = ∇_X Σ_j f(X_:j) holds ∇f(x) in every column, and
  //   ∂(Σ_i G_ii)/∂X_ki = ∂²f/∂x_k∂x_i   (column i of the result is row i of H)
  // so the whole Hessian costs one double backward pass instead of dim of them. N = dim + 1 (not dim)
  // so that an fn reducing over the wrong axis cannot pass the shape probe by accident.
  const batchGradFn = tf.grad((X: tf.Tensor) => tf.sum(fn(X)));
  const copies = (p: number[]): tf.Tensor2D => {
    const tiled = new Float32Array(dim * (dim + 1));
    for (let i = 0; i < dim; i++) tiled.fill(p[i], i * (dim + 1), (i + 1) * (dim + 1));
    return tf.tensor2d(tiled, [dim, dim + 1]);
  };
  const hessianBatched = (p: number[]): number[][] =>
    tf.tidy(() => {
      const N = dim + 1;
      const diag = new Float32Array(dim * N);
      for (let i = 0; i < dim; i++) diag[i * N + i] = 1;
      const X = copies(p);
      const E = tf.tensor2d(diag, [dim, N]);
      const d2 = tf.grad((Z: tf.Tensor) => tf.sum(tf.mul(batchGradFn(Z), E)))(X).dataSync();
      // H_ik = ∂(G_ii)/∂X_ki
      return Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, k) => d2[k * N + i] + 0)); // + 0: no -0
    });
  // Whether fn honours the batch contract, probed once on [dim, dim + 1] (fn is fixed, so is the answer).
  let batched: boolean | undefined;
  const isBatched = (p: number[]): boolean => {
    if (batched === undefined) {
      try {
        const shape = tf.tidy(() => fn(copies(p)).shape);
        batched = shape.length === 1 && shape[0] === dim + 1;
      } catch {
        batched = false;
      }
    }
    return batched;
  };
  const hessian = (x: ArrayLike<number>): number[][] => {
    const p = checkPoint(x, dim);
    if (isBatched(p)) {
      try {
        return hessianBatched(p);
      } catch {
        batched = false; // e.g. an op without a batched second derivative: the row loop decides (and reports)
      }
    }
    return hessianRows(p);
  };
  // f on N points given as the columns of a [dim, N] float32 batch, one call of fn.
  const evalBatch = (flat: Float32Array, N: number): number[] =>
    tf.tidy(() => {
      const y = fn(tf.tensor2d(flat, [dim, N]));
      if (y.rank !== 1 || y.shape[0] !== N) {
        throw new Error(
          `${name}: fn is not batched: for X of shape [${dim}, ${N}] it returned shape [${y.shape}], ` +
            `expected [${N}]. Write fn with tf.unstack(x) and elementwise ops.`,
        );
      }
      return Array.from(y.dataSync());
    });
  const values = (points: ArrayLike<number>[]): number[] => {
    if (!Array.isArray(points)) throw new Error(`points must be an array of points; got ${typeof points}`);
    if (points.length === 0) return [];
    const flat = new Float32Array(dim * points.length);
    points.forEach((pt, k) => {
      const p = checkPoint(pt, dim, `points[${k}]`);
      // column k of the [dim, N] batch
      for (let i = 0; i < dim; i++) flat[i * points.length + k] = p[i];
    });
    return evalBatch(flat, points.length);
  };
  const grid = (xRange: [number, number] = domain[0], yRange: [number, number] = domain[1], n = 101): Grid => {
    if (dim !== 2) throw new Error(`${name}: grid() needs a 2D objective; dim is ${dim} (use curve() for 1D)`);
    checkRange(xRange, 'xRange');
    checkRange(yRange, 'yRange');
    if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer ≥ 2; got ${n}`);
    const xs = linspace(xRange[0], xRange[1], n);
    const ys = linspace(yRange[0], yRange[1], n);
    // the n² grid points as columns k = j·n + i of a [2, n²] batch: (x_i, y_j), written straight into
    // the batch (the linspace values are finite by construction, so no per-point checks or arrays)
    const N = n * n;
    const flat = new Float32Array(2 * N);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        flat[j * n + i] = xs[i];
        flat[N + j * n + i] = ys[j];
      }
    }
    const zs = evalBatch(flat, N);
    const z = Array.from({ length: n }, (_, j) => zs.slice(j * n, (j + 1) * n));
    return { x: xs, y: ys, z };
  };
  const curve = (range: [number, number] = domain[0], n = 201): { x: number[]; y: number[] } => {
    if (dim !== 1) throw new Error(`${name}: curve() needs a 1D objective; dim is ${dim} (use grid() for 2D)`);
    checkRange(range, 'range');
    if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer ≥ 2; got ${n}`);
    const xs = linspace(range[0], range[1], n);
    return { x: xs, y: values(xs.map((v) => [v])) };
  };
  return { name, dim, fn, domain, criticalPoints, latex: spec.latex, value, gradient, valueAndGradient, hessian, values, grid, curve };
}
