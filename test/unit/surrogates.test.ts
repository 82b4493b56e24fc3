import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SURROGATES, SURROGATE_NAMES, surrogateDerivatives, surrogateValues, zeroOneLoss } from '../../src/problems/surrogates';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

const margins = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);

describe('surrogate losses of the 0-1 loss', () => {
  it('match their closed forms at several margins', () => {
    const m = [-2, -0.5, 0, 0.5, 1, 3];
    assertNoLeak(() => {
      assertClose(surrogateValues('hinge', m), m.map((v) => Math.max(0, 1 - v)), 1e-6, 'hinge');
      assertClose(surrogateValues('logistic', m), m.map((v) => Math.log2(1 + Math.exp(-v))), 1e-5, 'logistic');
      assertClose(surrogateValues('squared', m), m.map((v) => (1 - v) ** 2), 1e-5, 'squared');
      assertClose(surrogateValues('exponential', m), m.map((v) => Math.exp(-v)), 1e-5, 'exponential');
    }, 'surrogateValues');
  });

  it('all equal 1 at m = 0 and upper-bound the 0-1 loss on [−4, 4]', () => {
    for (const name of SURROGATE_NAMES) {
      assertClose(surrogateValues(name, [0])[0], 1, 1e-6, `${name}(0)`);
      const v = surrogateValues(name, margins);
      v.forEach((l, i) => assert.ok(l >= zeroOneLoss(margins[i]) - 1e-6, `${name}(${margins[i]}) = ${l} < 0-1 loss`));
    }
  });

  it('the natural-log logistic loss (ln 2 × base 2) does NOT bound the 0-1 loss at m = 0', () => {
    const nat = surrogateValues('logistic', [0])[0] * Math.LN2;
    assertClose(nat, Math.LN2, 1e-6, 'ln(1 + e⁰)');
    assert.ok(nat < zeroOneLoss(0));
  });

  it('derivatives by autodiff match the closed forms', () => {
    const m = [-2, -0.5, 0.5, 2];
    assertNoLeak(() => {
      assertClose(surrogateDerivatives('hinge', m), m.map((v) => (v < 1 ? -1 : 0)), 1e-6, "hinge'");
      assertClose(surrogateDerivatives('logistic', m), m.map((v) => -1 / ((1 + Math.exp(v)) * Math.LN2)), 1e-5, "logistic'");
      assertClose(surrogateDerivatives('squared', m), m.map((v) => -2 * (1 - v)), 1e-5, "squared'");
      assertClose(surrogateDerivatives('exponential', m), m.map((v) => -Math.exp(-v)), 1e-5, "exponential'");
    }, 'surrogateDerivatives');
  });

  it('the 0-1 loss counts m ≤ 0 as a mistake', () => {
    assert.deepEqual([-1, 0, 1e-9, 2].map(zeroOneLoss), [1, 1, 0, 0]);
    assert.equal(Object.keys(SURROGATES).length, 4);
  });

  it('rejects bad input naming the parameter', () => {
    assert.throws(() => surrogateValues('cubic' as never, [0]), /name must be one of .*got "cubic"/);
    assert.throws(() => surrogateValues('hinge', [0, NaN]), /margins\[1\] must be a finite number; got NaN/);
    assert.throws(() => zeroOneLoss(NaN), /m must be a number; got NaN/);
    assert.deepEqual(surrogateValues('hinge', []), []);
  });
});
