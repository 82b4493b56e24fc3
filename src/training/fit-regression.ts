/**
 * Fitting the linear least-squares problem of src/problems/regression.ts with any optimizer of src/optimizers:
 * minibatch SGD on J(θ) = 1/(2n) Σᵢ (xᵢᵀw + b − yᵢ)², one tf.grad per minibatch (Goodfellow Alg. 8.1: pick a
 * minibatch, ĝ = (1/m) ∇ Σᵢ lᵢ, θ ← θ − ε_k ĝ), reshuffling every epoch (or not), and logging J on the whole
 * training set and the training wall-clock time.
 *
 * The step (ε_k, update, apply), the divergence rule, the seeded minibatches and the loop are the shared ones of
 * src/training (step.ts, batches.ts, loop.ts). J is always evaluated in float64 from the float32 iterates, so excess losses J(θ) − J(θ*) are not
 * limited by float32 rounding of the sum. As a polars table: fitHistoryFrame (src/edge/table.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../optimizers/types';
import { checkLinearFit, checkRegressionData, regressionLossUnchecked, type LinearFit, type RegressionData } from '../problems/regression';
import { show } from '../core/validate';
import { checkOptimizer, divergence, stepper, type Divergence } from './step';
import { runEpochs } from './loop';

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
  /** Set when J or θ stopped being finite (the run stops at that evaluation, which is not logged). */
  diverged?: Divergence;
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
  checkOptimizer(optimizer);
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
  if (schedule === undefined && typeof optimizer.hyper?.lr !== 'number') throw new Error(`optimizer ${optimizer.name} has no numeric hyper.lr; pass a schedule`);
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

  // θ = [(w, b)]: the step replaces θ_k by θ_{k+1} in this list
  const theta: tf.Tensor[] = [tf.tensor1d([...init.w, init.b])];
  const step = stepper(optimizer, theta, { lr: schedule, lrName: 'schedule' });
  let elapsed = 0;
  let Ae: tf.Tensor2D = A;
  let Ye: tf.Tensor1D = Y;
  /** J(θ_k) in float64 joins the log, unless J or θ_k is not finite (divergence). */
  const evaluate = (k: number): Divergence | undefined => {
    const t = Array.from(theta[0].dataSync());
    const loss = regressionLossUnchecked(data.X, data.y, t, t[d]);
    const bad = divergence(k, { loss, iterate: t }, {}, { f: 'J', x: 'θ' });
    if (bad) return bad;
    history.step.push(k);
    history.epoch.push(k / perEpoch);
    history.loss.push(loss);
    history.seconds.push(elapsed / 1000);
    if (history.params) history.params.push(t);
    history.final = { w: t.slice(0, d), b: t[d] };
    return undefined;
  };
  try {
    // J(θ₀), then the epochs
    const diverged =
      evaluate(0) ??
      runEpochs({
        epochs,
        n,
        batchSize,
        seed,
        shuffle,
        beginEpoch: ({ order }) => {
          if (!order) return;
          // A and y in the epoch's order, gathered once
          const t0 = performance.now();
          [Ae, Ye] = tf.tidy(() => {
            const idx = tf.tensor1d(order, 'int32');
            return [tf.gather(A, idx), tf.gather(Y, idx)] as [tf.Tensor2D, tf.Tensor1D];
          });
          elapsed += performance.now() - t0;
          return () => {
            tf.dispose([Ae, Ye]);
            [Ae, Ye] = [A, Y];
          };
        },
        step: ({ start, size }) => {
          const t1 = performance.now();
          const grads = tf.tidy(() => tf.grad(batchLoss(tf.slice(Ae, [start, 0], [size, p]), tf.slice(Ye, [start], [size])))(theta[0]));
          // θ ← θ + update(ĝ, state, θ, { lr: ε_k })
          history.lrs.push(step.apply([grads]) as number);
          elapsed += performance.now() - t1;
          const k = step.k;
          return k % evalEvery === 0 || k === totalSteps ? evaluate(k) : undefined;
        },
      }).diverged;
    if (diverged) history.diverged = diverged;
  } finally {
    theta[0].dispose();
    step.dispose();
    A.dispose();
    Y.dispose();
  }
  return history;
}
