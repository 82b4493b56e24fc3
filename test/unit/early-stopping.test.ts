import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { earlyStopping, earlyStoppingPoint } from '../../src/training/early-stopping';

describe('early stopping with patience', () => {
  it('stops patience epochs after the best epoch', () => {
    // best at epoch 2 (0.5); epochs 3, 4, 5 do not improve → stop at epoch 5 with patience 3
    const curve = [1, 0.8, 0.5, 0.6, 0.55, 0.7, 0.4];
    assert.deepEqual(earlyStoppingPoint(curve, { patience: 3 }), { best: 0.5, bestEpoch: 2, stopEpoch: 5 });
    // patience 4: epoch 6 improves before the 4th bad epoch → never stops, best is the last
    assert.deepEqual(earlyStoppingPoint(curve, { patience: 4 }), { best: 0.4, bestEpoch: 6, stopEpoch: undefined });
  });

  it('minDelta: a too-small improvement does not reset the wait', () => {
    const curve = [1, 0.99, 0.98, 0.97];
    assert.equal(earlyStoppingPoint(curve, { patience: 2, minDelta: 0.05 }).stopEpoch, 2);
    assert.equal(earlyStoppingPoint(curve, { patience: 2 }).stopEpoch, undefined);
  });

  it('the monitor keeps saying stop after it stopped, and counts epochs', () => {
    const m = earlyStopping({ patience: 1 });
    assert.equal(m.update(1), false);
    assert.equal(m.update(2), true);
    assert.equal(m.update(0.1), true); // too late: stays stopped, best unchanged
    assert.deepEqual(m.state(), { best: 1, bestEpoch: 0, wait: 1, stopEpoch: 1, epochs: 3 });
  });

  it('rejects bad input naming the parameter', () => {
    assert.throws(() => earlyStopping({ patience: 0 }), /patience must be a positive integer; got 0/);
    assert.throws(() => earlyStopping({ patience: 2, minDelta: -1 }), /minDelta must be a finite number ≥ 0; got -1/);
    assert.throws(() => earlyStopping({ patience: 2 }).update(NaN), /loss must be a finite number; got NaN at epoch 0/);
    assert.throws(() => earlyStoppingPoint([], { patience: 2 }), /losses must be a non-empty array/);
  });
});
