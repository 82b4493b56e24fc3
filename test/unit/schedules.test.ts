import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constant, cosine, exponential, inverseTime, linearDecay, linearWarmup, scheduleValues, stepDecay } from '../../src/core/schedules';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

describe('schedules', () => {
  it('linearDecay: ε_k = (1 − k/τ)ε₀ + (k/τ)ε_τ up to τ, then ε_τ (default ε_τ = ε₀/100)', () => {
    const s = linearDecay({ lr0: 0.1, tau: 200 });
    assertClose(s(0), 0.1, 1e-15, 'ε_0');
    assertClose(s(100), 0.5 * 0.1 + 0.5 * 0.001, 1e-15, 'ε_{τ/2}');
    assertClose(s(200), 0.001, 1e-15, 'ε_τ');
    assertClose(s(400), 0.001, 1e-15, 'ε_{2τ}');
    assertClose(linearDecay({ lr0: 1, tau: 10, lrTau: 0.5 })(5), 0.75, 1e-15, 'custom ε_τ');
    assert.match(s.label, /linear decay/);
  });

  it('constant, inverseTime, exponential, stepDecay and cosine give their formulas', () => {
    assert.deepEqual(scheduleValues(constant(0.3), 3), [0.3, 0.3, 0.3]);
    // ε_k = ε₀/(1 + k)
    assertClose(scheduleValues(inverseTime({ lr0: 1 }), 4), [1, 1 / 2, 1 / 3, 1 / 4], 1e-15, 'inverse time');
    // ε_k = ε₀ (1 + βk)^(−p)
    assertClose(inverseTime({ lr0: 2, decay: 0.5, power: 0.5 })(6), 2 / 2, 1e-15, 'inverse time β = p = ½');
    assertClose(exponential({ lr0: 0.1, gamma: 0.9 })(3), 0.1 * 0.729, 1e-15, 'exponential');
    const st = stepDecay({ lr0: 1, stepSize: 10 });
    assertClose([st(0), st(9), st(10), st(25)], [1, 1, 0.1, 0.01], 1e-15, 'step decay');
    const c = cosine({ lr0: 1, tMax: 100, lrMin: 0.1 });
    assertClose([c(0), c(50), c(100), c(250)], [1, 0.55, 0.1, 0.1], 1e-12, 'cosine');
  });

  it('linearWarmup ramps up to the next schedule’s ε(0) and then runs it from its own step 0', () => {
    const after = linearDecay({ lr0: 0.1, tau: 100 });
    const s = linearWarmup({ warmup: 10, after });
    assertClose([s(0), s(5), s(10), s(60)], [0, 0.05, 0.1, after(50)], 1e-15, 'warm-up then decay');
    const t = linearWarmup({ warmup: 4, after: 0.2, startFactor: 0.5 });
    assertClose(scheduleValues(t, 6), [0.1, 0.125, 0.15, 0.175, 0.2, 0.2], 1e-15, 'warm-up to a constant');
    assert.match(s.label, /10 warm-up steps, then linear decay/);
  });

  it('rejects bad parameters and steps with the name and the value', () => {
    assert.throws(() => constant(0), /lr must be a finite number > 0; got 0/);
    assert.throws(() => linearDecay({ lr0: -1, tau: 10 }), /lr0 must be a finite number > 0; got -1/);
    assert.throws(() => linearDecay({ lr0: 1, tau: 0 }), /tau must be a finite number > 0; got 0/);
    assert.throws(() => linearDecay({ lr0: 1, tau: 10, lrTau: -0.1 }), /lrTau must be a finite number ≥ 0; got -0\.1/);
    assert.throws(() => exponential({ lr0: 1, gamma: 1.5 }), /gamma must be in \(0, 1\]; got 1\.5/);
    assert.throws(() => stepDecay({ lr0: 1, stepSize: 2.5 }), /stepSize must be a positive integer; got 2\.5/);
    assert.throws(() => cosine({ lr0: 1, tMax: 10, lrMin: 2 }), /lrMin must be ≤ lr0 \(1\); got 2/);
    assert.throws(() => linearWarmup({ warmup: 0, after: 1 }), /warmup must be a positive integer; got 0/);
    assert.throws(() => linearWarmup({ warmup: 3, after: 1, startFactor: 2 }), /startFactor must be in \[0, 1\]; got 2/);
    assert.throws(() => linearWarmup({ warmup: 3, after: () => NaN })(0), /after\(0\) must return a finite number ≥ 0; got NaN/);
    assert.throws(() => constant(1)(-1), /k must be a non-negative integer \(the step\); got -1/);
    assert.throws(() => constant(1)(0.5), /k must be a non-negative integer \(the step\); got 0\.5/);
    assert.throws(() => scheduleValues(constant(1), 0), /n must be a positive integer; got 0/);
  });

  it('uses no tensors', () => {
    assertNoLeak(() => scheduleValues(linearWarmup({ warmup: 5, after: cosine({ lr0: 1, tMax: 20 }) }), 30), 'schedules');
  });
});
