/**
 * Fitting the linear least-squares problem of src/problems/regression.ts with any optimizer of src/optimizers:
 * minibatch SGD on J(θ) = 1/(2n) Σᵢ (xᵢᵀw + b − yᵢ)², one tf.grad per minibatch (Goodfellow Alg. 8.1: pick a
 * minibatch, ĝ = (1/m) ∇ Σᵢ lᵢ, θ ← θ − ε_k ĝ), reshuffling every epoch (or not), and logging J on the whole
 * training set and the training wall-clock time.
 *
 * J is always evaluated in float64 from the float32 iterates, so excess losses J(θ) − J(θ*) are not
 * limited by float32 rounding of the sum. As a polars table: fitHistoryFrame (src/edge/table.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { minibatches } from './batches';
import { disposeState, type OptState, type Optimizer } from '../optimizers/types';
import { checkLinearFit, checkRegressionData, regressionLossUnchecked, type LinearFit, type RegressionData } from '../problems/regression';
import { show } from '../core/validate';

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
  checkLinearFit(init, d, 'init');
  const recordParams = options.recordParams ?? false;
  const p = d + 1;
  const totalSteps = epochs * perEpoch;

  const history: FitHistory = {
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
    const loss = regressionLossUnchecked(data.X, data.y, t, t[d]);
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
  return history;
}
