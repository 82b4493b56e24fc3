import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mlp } from '../../src/nets/mlp';
import { softmaxCrossEntropy } from '../../src/nets/losses';
import { trainEpochs } from '../../src/training/train-epochs';
import { adam, sgd } from '../../src/optimizers';
import { disposeState, type OptState } from '../../src/optimizers/types';
import { minibatches } from '../../src/training/batches';
import { evaluateClassifier, fitClassifier } from '../../src/training/fit';
import { assertClose, assertNoLeak, assertNoLeakAsync, blobs, setupBackend } from '../helpers';

before(setupBackend);


describe('evaluateClassifier', () => {
  it('returns the softmax cross-entropy and the argmax accuracy of one forward pass', () => {
    const d = blobs(30, 1);
    const model = mlp({ sizes: [2, 5, 3], seed: 2 });
    const e = assertNoLeak(() => evaluateClassifier(model, d), 'evaluateClassifier');
    const expected = tf.tidy(() => softmaxCrossEntropy(model.forward(d.X), d.Y).dataSync()[0]);
    assertClose(e.loss, expected, 1e-6, 'loss');
    const pred = tf.tidy(() => Array.from(model.forward(d.X).argMax(1).dataSync()));
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    assertClose(e.accuracy, pred.filter((p, i) => p === labels[i]).length / 30, 1e-7, 'accuracy (float32 mean)');
    assert.throws(() => evaluateClassifier(model, { X: d.X, Y: d.Y.slice([0, 0], [30, 2]) }), /data\.Y must have shape \[30, 3\]; got \[30,2\]/);
    tf.dispose(d);
    model.dispose();
  });
});

describe('fit', () => {
  it('records every epoch and learns the blobs (val accuracy > 0.9), without leaking tensors', async () => {
    const train = blobs(90, 1);
    const val = blobs(60, 2);
    const model = mlp({ sizes: [2, 8, 3], seed: 3 });
    const seen: number[] = [];
    const r = await assertNoLeakAsync(() => fitClassifier(model, adam({ lr: 0.05 }), { train, val, epochs: 5, batchSize: 16, seed: 1, onEpoch: (e) => void seen.push(e.epoch) }), 'fit');
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    assert.equal(r.history.length, 5);
    // ⌈90/16⌉ = 6 steps per epoch
    assert.deepEqual(r.history.map((h) => h.steps), [6, 12, 18, 24, 30]);
    assert.ok(r.history[4].trainLoss < r.initialLoss / 2, `train loss ${r.history[4].trainLoss} vs initial ${r.initialLoss}`);
    assert.ok((r.history[4].valAccuracy as number) > 0.9, `val accuracy ${r.history[4].valAccuracy}`);
    assert.ok(r.history.every((h) => h.ms >= 0 && Number.isFinite(h.valLoss as number)));
    assert.equal(r.stoppedEarly, false);
    tf.dispose([train, val]);
    model.dispose();
  });

  it('equals one trainEpochs run over all epochs, and trainEpochs called epoch by epoch (state and epoch carried over)', async () => {
    // the shared scheme: epoch e's minibatches depend on (seed, e) only, so one epoch per call is one long run
    const train = blobs(40, 4);
    const [a, b, c] = [0, 1, 2].map(() => mlp({ sizes: [2, 6, 3], seed: 5 }));
    await assertNoLeakAsync(() => fitClassifier(a, adam({ lr: 0.02 }), { train, epochs: 3, batchSize: 8, seed: 10 }), 'fit');
    const opt = adam({ lr: 0.02 });
    let state: OptState | undefined;
    const perCall: number[] = [];
    for (let e = 0; e < 3; e++) {
      const r = trainEpochs(b, opt, { X: train.X, y: train.Y, epochs: 1, batchSize: 8, seed: 10, startEpoch: e, loss: 'softmaxCrossEntropy', state, keepState: true });
      state = r.state;
      perCall.push(...r.stepLoss);
    }
    if (state) disposeState(state);
    const once = trainEpochs(c, adam({ lr: 0.02 }), { X: train.X, y: train.Y, epochs: 3, batchSize: 8, seed: 10, loss: 'softmaxCrossEntropy' });
    assert.deepEqual(perCall, once.stepLoss, 'minibatch losses, epoch by epoch vs one run');
    assertClose(a.getFlat(), b.getFlat(), 0, 'θ fitClassifier vs trainEpochs epoch by epoch');
    assertClose(c.getFlat(), b.getFlat(), 0, 'θ one run vs epoch by epoch');
    // and the shuffles do differ between epochs (the test would be vacuous otherwise)
    assert.notDeepEqual(minibatches(40, 8, 10, 0), minibatches(40, 8, 10, 1));
    tf.dispose(train);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('early stopping: stops patience epochs after the best validation loss and restores θ of that epoch', async () => {
    // validation labels are the "next" class: fitting the training labels makes the validation loss rise
    const train = blobs(60, 6);
    const val = blobs(60, 6, true);
    const model = mlp({ sizes: [2, 8, 3], seed: 7 });
    const r = await fitClassifier(model, sgd({ lr: 0.5 }), { train, val, epochs: 20, batchSize: 60, seed: 2, earlyStopping: { patience: 2 } });
    const vl = r.history.map((h) => h.valLoss as number);
    const best = vl.indexOf(Math.min(...vl)) + 1;
    assert.equal(r.bestEpoch, best);
    assert.equal(r.history.length, best + 2, `stopped at ${r.history.length}, best ${best}`);
    assert.ok(r.stoppedEarly);
    assert.ok(r.restored);
    // θ now is θ after the best epoch: rerun exactly that many epochs
    const ref = mlp({ sizes: [2, 8, 3], seed: 7 });
    await fitClassifier(ref, sgd({ lr: 0.5 }), { train, val, epochs: best, batchSize: 60, seed: 2 });
    assertClose(model.getFlat(), ref.getFlat(), 0, 'restored θ');
    assertClose(evaluateClassifier(model, val).loss, vl[best - 1], 1e-6, 'restored validation loss');
    tf.dispose([train, val]);
    model.dispose();
    ref.dispose();
  });

  it('stops when onEpoch returns false, and reports divergence', async () => {
    const train = blobs(30, 8);
    const model = mlp({ sizes: [2, 4, 3], seed: 1 });
    const r = await fitClassifier(model, sgd({ lr: 0.1 }), { train, epochs: 5, batchSize: 10, seed: 1, onEpoch: (e) => e.epoch < 2 });
    assert.equal(r.history.length, 2);
    assert.ok(r.stoppedEarly);
    const d = await fitClassifier(model, sgd({ lr: 1e6 }), { train, epochs: 5, batchSize: 10, seed: 1, maxLoss: 1e3 });
    assert.ok(d.diverged, 'lr 1e6 must diverge');
    assert.match(d.diverged.reason, /^L_B\(θ_\d+\) (= \S+ exceeds maxLoss = 1000|is (NaN|Infinity))$/);
    // the step is the optimizer's step count over the whole run: the bad loss belongs to θ_step
    assert.ok(d.diverged.step >= 0 && d.diverged.step <= 5 * 3, `step ${d.diverged.step}`);
    tf.dispose(train);
    model.dispose();
  });

  it('rejects bad options naming them', async () => {
    const train = blobs(9, 1);
    const model = mlp({ sizes: [2, 4, 3], seed: 1 });
    await assert.rejects(fitClassifier(model, sgd({ lr: 0.1 }), { train, epochs: 0, batchSize: 3, seed: 1 }), /epochs must be a positive integer; got 0/);
    await assert.rejects(fitClassifier(model, sgd({ lr: 0.1 }), { train, epochs: 1, batchSize: 1.5, seed: 1 }), /batchSize must be a positive integer; got 1\.5/);
    await assert.rejects(fitClassifier(model, sgd({ lr: 0.1 }), { train, epochs: 1, batchSize: 3, seed: 1, earlyStopping: { patience: 2 } }), /earlyStopping needs validation data/);
    await assert.rejects(fitClassifier(model, sgd({ lr: 0.1 }), { train: { X: train.X, Y: train.X }, epochs: 1, batchSize: 3, seed: 1 }), /train\.Y must have shape \[9, 3\]; got \[9,2\]/);
    tf.dispose(train);
    model.dispose();
  });
});
