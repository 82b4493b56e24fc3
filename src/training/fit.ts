/**
 * Training a classifier epoch by epoch with the project's loop (trainEpochs of src/training/train-epochs.ts,
 * one epoch per call, the optimizer state and the epoch count carried over, so the run is the same as one
 * trainEpochs call over all epochs), recording per epoch the training loss, the
 * validation loss and accuracy, and the wall time; optional early stopping with patience that
 * restores the best parameters (Goodfellow et al. §7.8). `fitClassifier` is async: it hands control back to
 * the event loop after every epoch, so a progress bar drawn from onEpoch updates while training runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nets/mlp';
import { getLoss, type LossFn, type LossName } from '../nets/losses';
import { trainEpochs, type TrainDivergence } from './train-epochs';
import { earlyStopping, type EarlyStoppingOptions } from './early-stopping';
import { disposeState, type OptState, type Optimizer } from '../optimizers/types';

/** Inputs X [N, in] and one-hot targets Y [N, K] (the caller owns and disposes them). */
export interface LabelledData {
  X: tf.Tensor;
  Y: tf.Tensor;
}

function checkData(model: Mlp, d: LabelledData, what: string): void {
  if (!d || !(d.X instanceof tf.Tensor) || !(d.Y instanceof tf.Tensor)) throw new Error(`${what} must be {X, Y} tensors; got ${String(d)}`);
  const inDim = model.sizes[0];
  const K = model.sizes[model.layers];
  if (d.X.rank !== 2 || d.X.shape[1] !== inDim) throw new Error(`${what}.X must have shape [N, ${inDim}]; got [${d.X.shape}]`);
  if (d.Y.rank !== 2 || d.Y.shape[0] !== d.X.shape[0] || d.Y.shape[1] !== K) throw new Error(`${what}.Y must have shape [${d.X.shape[0]}, ${K}]; got [${d.Y.shape}]`);
}

/** Loss L = loss(f(X; θ), Y) and accuracy (1/N) Σ_i [argmax_k f(x_i)_k = argmax_k y_ik] from one forward pass. */
export function evaluateClassifier(model: Mlp, data: LabelledData, loss: LossName | LossFn = 'softmaxCrossEntropy'): { loss: number; accuracy: number } {
  if (!model || typeof model.forward !== 'function') throw new Error(`model must be an Mlp; got ${String(model)}`);
  checkData(model, data, 'data');
  const f = getLoss(loss);
  const [l, acc] = tf.tidy(() => {
    const yHat = model.forward(data.X);
    // accuracy = mean[argmax ŷ_i = argmax y_i]
    const a = tf.mean(tf.cast(tf.equal(tf.argMax(yHat, 1), tf.argMax(data.Y, 1)), 'float32'));
    return Array.from(tf.stack([f(yHat, data.Y), a]).dataSync());
  });
  if (!Number.isFinite(l)) throw new Error(`the loss on data is not finite (${l})`);
  return { loss: l, accuracy: acc };
}

/** One epoch of fitClassifier. */
export interface FitEpoch {
  epoch: number;
  /** Batch-size-weighted mean of the minibatch losses during the epoch. */
  trainLoss: number;
  /** Validation loss and accuracy after the epoch (absent without val data). */
  valLoss?: number;
  valAccuracy?: number;
  /** Wall time of the epoch's training steps in ms (trainEpochs call: its initial full loss + the steps). */
  ms: number;
  /** Optimizer steps so far. */
  steps: number;
}

/** Options of fitClassifier. */
export interface FitClassifierOptions {
  train: LabelledData;
  val?: LabelledData;
  epochs: number;
  batchSize: number;
  /** Seed of the minibatch shuffles (epoch e visits the examples in the order epochOrder(N, seed, e − 1) of batches.ts). */
  seed: number;
  loss?: LossName | LossFn;
  /** Stop after `patience` epochs without a validation improvement (needs val); restoreBest (default true) puts back θ of the best epoch. */
  earlyStopping?: EarlyStoppingOptions & { restoreBest?: boolean };
  /** Called after each epoch; return false to stop. */
  onEpoch?: (e: FitEpoch) => void | boolean;
  /** Stop when a minibatch loss exceeds this (passed to trainEpochs). */
  maxLoss?: number;
}

/** What fitClassifier did. */
export interface FitClassifierResult {
  history: FitEpoch[];
  /** Full-batch training loss before the first step. */
  initialLoss: number;
  diverged?: TrainDivergence;
  /** True when onEpoch or early stopping ended the run before `epochs`. */
  stoppedEarly: boolean;
  /** With earlyStopping: the epoch (1-based) with the lowest validation loss, and whether θ was restored to it. */
  bestEpoch?: number;
  restored: boolean;
  totalMs: number;
}

/** Trains for up to `epochs` epochs (θ ← θ + updates per minibatch), evaluating on val after each. */
export async function fitClassifier(model: Mlp, optimizer: Optimizer, opts: FitClassifierOptions): Promise<FitClassifierResult> {
  if (!model || typeof model.forward !== 'function') throw new Error(`model must be an Mlp; got ${String(model)}`);
  if (!opts || typeof opts !== 'object') throw new Error(`opts must be an object; got ${String(opts)}`);
  checkData(model, opts.train, 'train');
  if (opts.val) checkData(model, opts.val, 'val');
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new Error(`epochs must be a positive integer; got ${opts.epochs}`);
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new Error(`batchSize must be a positive integer; got ${opts.batchSize}`);
  if (typeof opts.seed !== 'number' || !Number.isInteger(opts.seed)) throw new Error(`seed must be an integer; got ${opts.seed}`);
  if (opts.earlyStopping && !opts.val) throw new Error('earlyStopping needs validation data: pass val {X, Y}');
  const loss = opts.loss ?? 'softmaxCrossEntropy';
  const monitor = opts.earlyStopping ? earlyStopping(opts.earlyStopping) : undefined;
  const restoreBest = opts.earlyStopping?.restoreBest ?? true;
  let best: Float32Array | undefined;
  const res: FitClassifierResult = { history: [], initialLoss: NaN, stoppedEarly: false, restored: false, totalMs: 0 };
  const t0 = Date.now();
  let state: OptState | undefined;
  let steps = 0;
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const te = Date.now();
      const r = trainEpochs(model, optimizer, {
        X: opts.train.X,
        y: opts.train.Y,
        epochs: 1,
        batchSize: opts.batchSize,
        seed: opts.seed,
        startEpoch: epoch - 1,
        loss,
        maxLoss: opts.maxLoss,
        state,
        keepState: true,
      });
      const ms = Date.now() - te;
      state = r.state;
      if (epoch === 1) res.initialLoss = r.initialLoss;
      steps += r.steps;
      if (r.diverged) {
        res.diverged = r.diverged;
        break;
      }
      const rec: FitEpoch = { epoch, trainLoss: r.trainLoss[0], ms, steps };
      if (opts.val) {
        const v = evaluateClassifier(model, opts.val, loss);
        rec.valLoss = v.loss;
        rec.valAccuracy = v.accuracy;
      }
      res.history.push(rec);
      let stop = false;
      if (monitor && rec.valLoss !== undefined) {
        stop = monitor.update(rec.valLoss);
        const s = monitor.state();
        // remember θ at the best epoch so far
        if (s.bestEpoch === epoch - 1) {
          res.bestEpoch = epoch;
          if (restoreBest) best = model.getFlat();
        }
      }
      if (opts.onEpoch && opts.onEpoch(rec) === false) stop = true;
      // let the kernel send pending display updates (the progress bar) before the next epoch
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      if (stop) {
        res.stoppedEarly = epoch < opts.epochs;
        break;
      }
    }
  } finally {
    if (state) disposeState(state);
  }
  if (best && res.bestEpoch !== undefined && res.bestEpoch !== res.history.length) {
    model.setFlat(best);
    res.restored = true;
  }
  res.totalMs = Date.now() - t0;
  return res;
}
