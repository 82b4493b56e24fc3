/**
 * Linear least squares, the real problem of the gradient-descent chapters (05, 06):
 *
 *   J(θ) = 1/(2n) Σᵢ (xᵢᵀw + b − yᵢ)²,   θ = (w, b)
 *
 * - closed forms in double precision: the least-squares solution (ml-matrix QR), J, the per-example
 *   gradients ∇lᵢ = rᵢ (xᵢ, 1) with rᵢ = xᵢᵀw + b − yᵢ, and the Hessian (1/n) AᵀA with A = [X 1];
 * - `fitLinearRegression`: minibatch SGD on J with any optimizer of src/optimizers, one tf.grad per
 *   minibatch (Goodfellow Alg. 8.1: pick a minibatch, ĝ = (1/m) ∇ Σᵢ lᵢ, θ ← θ − ε_k ĝ), reshuffling
 *   every epoch (or not), and logging J on the whole training set and the training wall-clock time.
 *
 * J is always evaluated in float64 from the float32 iterates, so excess losses J(θ) − J(θ*) are not
 * limited by float32 rounding of the sum. polars is loaded only inside toDataFrame().
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, QrDecomposition } from 'ml-matrix';
import type { DataFrame, Series } from 'nodejs-polars';
import { minibatches } from './synthetic-data';
import { disposeState, type OptState, type Optimizer } from '../optimizers/types';
import { loadPolars } from '../edge/table';
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

function checkFit(fit: LinearFit, d: number, what = 'fit'): void {
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
  checkFit(fit, d);
  return lossUnchecked(data.X, data.y, fit.w, fit.b);
}

function lossUnchecked(X: number[][], y: number[], w: ArrayLike<number>, b: number): number {
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
  checkFit(fit, d);
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

/** Options of fitLinearRegression. */
export interface FitOptions {
  optimizer: Optimizer;
  /** Minibatch size m (1 = online, n = full batch; the last batch of an epoch keeps the remainder). */
  batchSize: number;
  epochs: number;
  /** ε_k for the k-th update (default: the optimizer's lr). */
  schedule?: (k: number) => number;
  /** Seed of the per-epoch shuffles (default 0). */
  seed?: number;
  /** Reshuffle every epoch (default true); false visits the examples in dataset order. */
  shuffle?: boolean;
  /** Evaluate J every this many updates (default: once per epoch); step 0 and the last step always. */
  evalEvery?: number;
  /** θ₀ (default w = 0, b = 0). */
  init?: LinearFit;
  /** Keep θ = (w, b) at every evaluation in `params`. */
  recordParams?: boolean;
}

/** The log of fitLinearRegression: one entry per evaluation of J on the whole training set. */
export interface FitHistory {
  optimizer: string;
  batchSize: number;
  /** Number of updates done before the evaluation. */
  step: number[];
  /** step / (updates per epoch): examples seen / n. */
  epoch: number[];
  /** J(θ) on the whole training set (float64). */
  loss: number[];
  /** Training wall-clock seconds before the evaluation (evaluations themselves are not timed). */
  seconds: number[];
  /** θ = (w₁ … w_d, b) at each evaluation, when recordParams. */
  params?: number[][];
  /** ε_k of every update. */
  lrs: number[];
  /** The last θ. */
  final: LinearFit;
  /** Set when J stopped being finite (the run stops at that evaluation, which is not logged). */
  diverged?: { step: number; reason: string };
  /** A polars DataFrame: step, epoch, loss, seconds (and θ when recorded). */
  toDataFrame(): DataFrame;
}

/**
 * Minibatch SGD on J(θ) = 1/(2n) Σ (xᵢᵀw + b − yᵢ)²: for each epoch, cut a fresh permutation (or the
 * dataset order) into batches B; per batch ĝ = ∇_θ 1/(2m) Σ_{i∈B} rᵢ² by tf.grad, θ ← θ + update(ĝ).
 */
export function fitLinearRegression(data: RegressionData, options: FitOptions): FitHistory {
  const [n, d] = checkRegressionData(data);
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object {optimizer, batchSize, epochs}; got ${show(options)}`);
  const known = ['optimizer', 'batchSize', 'epochs', 'schedule', 'seed', 'shuffle', 'evalEvery', 'init', 'recordParams'];
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new Error(`fitLinearRegression: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  const { optimizer, batchSize, epochs } = options;
  if (!optimizer || typeof optimizer.init !== 'function' || typeof optimizer.update !== 'function') {
    throw new Error(`optimizer must have init and update (src/optimizers); got ${show(optimizer)}`);
  }
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new Error(`batchSize must be an integer in [1, n = ${n}]; got ${show(batchSize)}`);
  }
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer; got ${show(epochs)}`);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be an integer; got ${show(seed)}`);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`shuffle must be true or false; got ${show(shuffle)}`);
  const perEpoch = Math.ceil(n / batchSize);
  const evalEvery = options.evalEvery ?? perEpoch;
  if (typeof evalEvery !== 'number' || !Number.isInteger(evalEvery) || evalEvery < 1) throw new Error(`evalEvery must be a positive integer; got ${show(evalEvery)}`);
  const schedule = options.schedule;
  if (schedule !== undefined && typeof schedule !== 'function') throw new Error(`schedule must be a function k => ε_k; got ${show(schedule)}`);
  const configuredLr = optimizer.hyper?.lr;
  if (schedule === undefined && typeof configuredLr !== 'number') throw new Error(`optimizer ${optimizer.name} has no numeric hyper.lr; pass a schedule`);
  const init = options.init ?? { w: new Array<number>(d).fill(0), b: 0 };
  checkFit(init, d, 'init');
  const recordParams = options.recordParams ?? false;
  const p = d + 1;
  const totalSteps = epochs * perEpoch;

  const history: Omit<FitHistory, 'toDataFrame'> = {
    optimizer: optimizer.name,
    batchSize,
    step: [],
    epoch: [],
    loss: [],
    seconds: [],
    lrs: [],
    final: { w: init.w.slice(), b: init.b },
  };
  if (recordParams) history.params = [];

  // A = [X 1] and y as float32 tensors; the order of one epoch is applied once per epoch (gather on data, not on θ)
  const flatA = new Float32Array(n * p);
  data.X.forEach((row, i) => {
    for (let j = 0; j < d; j++) flatA[i * p + j] = row[j];
    flatA[i * p + d] = 1;
  });
  const A = tf.tensor2d(flatA, [n, p]);
  const Y = tf.tensor1d(data.y);
  // ĝ = ∇_θ 1/(2m) Σ_{i∈B} (aᵢᵀθ − yᵢ)²
  const batchLoss = (Ab: tf.Tensor2D, yb: tf.Tensor1D) => (theta: tf.Tensor): tf.Scalar =>
    tf.mean(tf.square(tf.sub(tf.sum(tf.mul(Ab, theta), 1), yb))).mul(0.5) as tf.Scalar;

  let theta: tf.Tensor = tf.tensor1d([...init.w, init.b]);
  let state: OptState | undefined;
  let elapsed = 0;
  let step = 0;
  const evaluate = (): boolean => {
    const t = Array.from(theta.dataSync());
    const loss = lossUnchecked(data.X, data.y, t, t[d]);
    if (!Number.isFinite(loss) || t.some((v) => !Number.isFinite(v))) {
      history.diverged = { step, reason: `J(θ_${step}) is ${loss}` };
      return false;
    }
    history.step.push(step);
    history.epoch.push(step / perEpoch);
    history.loss.push(loss);
    history.seconds.push(elapsed / 1000);
    if (history.params) history.params.push(t);
    history.final = { w: t.slice(0, d), b: t[d] };
    return true;
  };
  try {
    state = optimizer.init([theta]);
    let ok = evaluate();
    for (let epoch = 0; ok && epoch < epochs; epoch++) {
      const t0 = performance.now();
      const batches = shuffle ? minibatches(n, batchSize, seed, epoch) : undefined;
      const [Ae, Ye] = batches
        ? tf.tidy(() => {
            const idx = tf.tensor1d(batches.flat(), 'int32');
            return [tf.gather(A, idx), tf.gather(Y, idx)] as [tf.Tensor2D, tf.Tensor1D];
          })
        : [A, Y];
      elapsed += performance.now() - t0;
      try {
        for (let j = 0; ok && j < perEpoch; j++) {
          const t1 = performance.now();
          // ε_k
          const lr = schedule ? schedule(step) : (configuredLr as number);
          if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`schedule(${step}) must return a finite number ≥ 0; got ${show(lr)}`);
          const start = j * batchSize;
          const m = Math.min(batchSize, n - start);
          const grads = tf.tidy(() => {
            const Ab = tf.slice(Ae, [start, 0], [m, p]) as tf.Tensor2D;
            const yb = tf.slice(Ye, [start], [m]) as tf.Tensor1D;
            return tf.grad(batchLoss(Ab, yb))(theta);
          });
          let out: ReturnType<Optimizer['update']>;
          try {
            out = optimizer.update([grads], state, [theta], { lr });
          } finally {
            grads.dispose();
          }
          disposeState(state);
          state = out.state;
          // θ ← θ + Δθ
          const next = tf.add(theta, out.updates[0]);
          tf.dispose(out.updates);
          theta.dispose();
          theta = next;
          step++;
          history.lrs.push(lr);
          elapsed += performance.now() - t1;
          if (step % evalEvery === 0 || step === totalSteps) ok = evaluate();
        }
      } finally {
        if (batches) tf.dispose([Ae, Ye]);
      }
    }
  } finally {
    theta.dispose();
    A.dispose();
    Y.dispose();
    if (state) disposeState(state);
  }
  const out = history as FitHistory;
  out.toDataFrame = () => historyToDataFrame(out, d);
  return out;
}

function historyToDataFrame(h: FitHistory, d: number): DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pl = loadPolars();
  const series: Series[] = [
    pl.Series('step', h.step, pl.Int32),
    pl.Series('epoch', h.epoch, pl.Float64),
    pl.Series('loss', h.loss, pl.Float64),
    pl.Series('seconds', h.seconds, pl.Float64),
  ];
  if (h.params) {
    for (let j = 0; j < d; j++) series.push(pl.Series(`w${j}`, h.params.map((t) => t[j]), pl.Float64));
    series.push(pl.Series('b', h.params.map((t) => t[d]), pl.Float64));
  }
  return pl.DataFrame(series);
}
