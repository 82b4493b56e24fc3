import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkEqual, checkTable, checkThat } from '../../src/edge/check';

/** Runs fn and returns what it printed with console.log. */
function printed(fn: () => void): string {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    fn();
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

describe('check, checkThat, checkEqual', () => {
  it('print a ✓ line with value and expected ± tol, or throw a ✗ message naming both', () => {
    assert.equal(printed(() => check("tanh'(4)", 0.0013408661, 0.0013, 5e-5)), "✓ tanh'(4) = 0.0013408661 (expected 0.0013 ± 0.00005)");
    assert.throws(() => check('rate', 0.8, 0.75, 1e-3), /^Error: ✗ rate = 0.8, expected 0.75 ± 0.001$/);
    assert.throws(() => check('rate', NaN, 0.75, 1), /✗ rate = NaN/);
    assert.throws(() => check('rate', 1, 1, -1), /tol must be ≥ 0; got -1/);
    assert.equal(printed(() => checkThat('saddle', true, 'λ = −2, 2')), '✓ saddle (λ = −2, 2)');
    assert.throws(() => checkThat('saddle', false, 'λ = 1, 2'), /✗ saddle: λ = 1, 2/);
    assert.equal(printed(() => checkEqual('steps', [1, 2], [1, 2])), '✓ steps = [1,2]');
    assert.throws(() => checkEqual('steps', 691, 690), /✗ steps = 691, expected 690/);
  });
});

describe('checkTable', () => {
  it('asserts each check at once and shows one table whose text/plain holds the same ✓ lines', () => {
    const t = checkTable('Gradient descent on quadratics');
    t.check('rate', 0.9600001, 0.96, 1e-5);
    t.checkThat('diverges', true, 'at step 153');
    t.checkEqual('steps', 691, 691);
    assert.throws(() => t.check('bad', 2, 1, 0.1), /✗ bad = 2, expected 1 ± 0.1/, 'a wrong number fails at once');
    const b = t.bundle();
    assert.equal(
      b.data['text/plain'],
      ['Checks: Gradient descent on quadratics', '✓ rate = 0.9600001 (expected 0.96 ± 0.00001)', '✓ diverges (at step 153)', '✓ steps = 691'].join('\n'),
    );
    const html = String(b.data['text/html']);
    assert.equal((html.match(/<tr><td>✓<\/td>/g) ?? []).length, 3, 'three rows, the failed check is not one');
    assert.deepEqual(b.metadata, { 'dl-optimization': { checks: 'Gradient descent on quadratics', count: 3 } });
    // outside a kernel show() prints the lines
    assert.equal(printed(() => t.show()), String(b.data['text/plain']));
  });

  it('escapes labels in HTML and refuses an empty title or an empty table', () => {
    const t = checkTable('x');
    t.checkThat('<b>bold</b> & co', true);
    assert.ok(String(t.bundle().data['text/html']).includes('&lt;b&gt;bold&lt;/b&gt; &amp; co'));
    assert.throws(() => checkTable(''), /title must be a non-empty string/);
    assert.throws(() => checkTable('empty').show(), /no check to show/);
  });
});
