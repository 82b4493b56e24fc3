import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withClipByNorm } from '../../src/optimizers/clip';
import { sgd, adam } from '../../src/optimizers';
import { cliff } from '../../src/problems/cliff';
import { quadratic } from '../../src/problems/catalog';
import { minimize } from '../../src/training/minimize';
import { assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const stepLengths = (points: number[][]): number[] => points.slice(1).map((p, k) => Math.hypot(...p.map((v, i) => v - points[k][i])));

describe('withClipByNorm', () => {
  it('on the cliff: plain gradient descent jumps, the clipped one never steps further than η·c', () => {
    const cl = cliff();
    const plain = minimize(cl, sgd({ lr: 0.1 }), { x0: [-2.5, 2], steps: 40 });
    const clipped = assertNoLeak(() => minimize(cl, withClipByNorm(sgd({ lr: 0.1 }), 3), { x0: [-2.5, 2], steps: 40 }), 'minimize with clipping');
    assert.ok(Math.max(...stepLengths(plain.points)) > 3, 'the plain run jumps off the wall');
    // float32 iterates: ‖x_{k+1} − x_k‖ ≤ η c up to float32 rounding of x (|x| < 8: 2⁻²⁰ ≈ 1e-6)
    assert.ok(Math.max(...stepLengths(clipped.points)) <= 0.3 + 1e-6, `longest clipped step ${Math.max(...stepLengths(clipped.points))}`);
    // every step has length η·min(‖g_k‖, c): the plain step below the threshold, η·c above it
    const steps = stepLengths(clipped.points);
    steps.forEach((s, k) => assert.ok(Math.abs(s - 0.1 * Math.min(clipped.gradNorms[k], 3)) < 1e-5, `step ${k}: ${s} vs η·min(‖g‖, c)`));
    assert.ok(clipped.gradNorms.some((g) => g < 3) && clipped.gradNorms.some((g) => g > 3), 'both regimes occur');
    assert.ok(clipped.losses[40] < plain.losses[40]);
    assert.equal(clipped.optimizer, 'sgd+clip');
    assert.deepEqual(clipped.hyper.clipNorm, 3);
  });

  it('with a threshold above every gradient norm it is the inner optimizer exactly (and keeps its state buffers)', () => {
    const f = quadratic([[1, 0], [0, 20]]);
    const a = minimize(f, adam({ lr: 0.05 }), { x0: [1, -1], steps: 30, record: ['m'] });
    const b = minimize(f, withClipByNorm(adam({ lr: 0.05 }), 1e6), { x0: [1, -1], steps: 30, record: ['m'] });
    assert.deepEqual(b.points, a.points);
    assert.deepEqual(b.states, a.states);
  });

  it('rejects a bad threshold or optimizer, naming it', () => {
    assert.throws(() => withClipByNorm(sgd({ lr: 0.1 }), 0), /maxNorm must be a finite number > 0; got 0/);
    assert.throws(() => withClipByNorm({} as never, 1), /inner must be an optimizer/);
  });
});
