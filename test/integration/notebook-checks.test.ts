/**
 * The notebook test's check verifier (test/notebook-checks.ts) on printed text, without running a notebook:
 * the owned files are well formed, a notebook printing its checks as owned passes, and loosening a tolerance,
 * moving a value, dropping a check or adding an unowned one fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listNotebooks } from '../../scripts/run-notebooks';
import { notebookChecks, printSlack, validateSpecs, verifyChecks, labelPatterns, type CheckSpec } from '../notebook-checks';
import path from 'node:path';

/** What check(), checkEqual() and checkThat() print for these entries when the numbers are exactly the owned ones. */
function printed(specs: CheckSpec[]): string {
  return specs
    .map((s) => {
      if ('tol' in s) {
        const e = 'expected' in s && s.expected !== undefined ? s.expected : 0.5;
        return `✓ ${s.label} = ${e} (expected ${e} ± ${s.tol})`;
      }
      if ('equals' in s) return `✓ ${s.label} = ${JSON.stringify(s.equals)}`;
      return `✓ ${s.label} (some detail)`;
    })
    .join('\n');
}

const SPECS: CheckSpec[] = [
  { label: "tanh'(4) vs the lecture's 0.0013", expected: 0.0013, tol: 5e-5 },
  { label: 'σ = 1/4', expected: 0.25, tol: 1e-12 },
  { label: 'line at α = 1 equals L(θ*)', reference: true, tol: 1e-4 },
  { label: 'adam() default betas', equals: [0.9, 0.999] },
  { label: 'Adagrad never decreases (s_{t+1} − s_t ≥ 0)', claim: true },
  { label: 'Adagrad never decreases (s_{t+1} − s_t ≥ 0) on the rotated problem', claim: true },
];
const GOOD = [
  'dl-optimization 0.1.0 · backend wasm',
  "✓ tanh'(4) vs the lecture's 0.0013 = 0.00134087 (expected 0.0013 ± 0.00005)",
  '✓ σ = 1/4 = 0.25 (expected 0.25 ± 1e-12)',
  '✓ line at α = 1 equals L(θ*) = 0.20775031 (expected 0.20775029 ± 0.0001)',
  '✓ adam() default betas = [0.9,0.999]',
  '✓ Adagrad never decreases (s_{t+1} − s_t ≥ 0)',
  '✓ Adagrad never decreases (s_{t+1} − s_t ≥ 0) on the rotated problem (max 3e-2)',
].join('\n');
const edit = (from: string, to: string) => {
  assert.ok(GOOD.includes(from), from);
  return GOOD.replace(from, to);
};

describe('owned notebook checks', () => {
  it('every notebook has a well-formed file of owned checks', () => {
    const checks = notebookChecks();
    for (const nb of listNotebooks()) assert.ok(checks[path.basename(nb, '.ipynb')], `no owned checks for ${nb}`);
    for (const [name, specs] of Object.entries(checks)) assert.deepEqual(verifyChecks(printed(specs), specs), [], name);
  });

  it('a notebook printing exactly its owned checks passes, to print precision', () => {
    assert.deepEqual(verifyChecks(GOOD, SPECS), []);
    assert.equal(printSlack(0.25), 5e-9);
    assert.equal(printSlack(1.4901161e-8), 5e-15);
  });

  it('loosening a tolerance in the notebook fails, naming both tolerances (and so does for a same-run reference)', () => {
    assert.deepEqual(verifyChecks(edit('(expected 0.0013 ± 0.00005)', '(expected 0.0013 ± 0.0001)'), SPECS), [
      `"tanh'(4) vs the lecture's 0.0013": the notebook's tolerance 0.0001 is looser than the test's 0.00005`,
    ]);
    assert.match(verifyChecks(edit('(expected 0.20775029 ± 0.0001)', '(expected 0.20775029 ± 0.01)'), SPECS).join(), /tolerance 0.01 is looser than the test's 0.0001/);
    // tightening is allowed: the notebook's own check is then the stricter one
    assert.deepEqual(verifyChecks(edit('(expected 0.0013 ± 0.00005)', '(expected 0.0013 ± 0.00001)'), SPECS), []);
  });

  it("a value or expectation moved in the notebook fails even when the notebook's own check passes", () => {
    const moved = edit("0.0013 = 0.00134087 (expected 0.0013 ± 0.00005)", '0.0013 = 0.0014 (expected 0.00139 ± 0.00005)');
    assert.deepEqual(verifyChecks(moved, SPECS), [
      `"tanh'(4) vs the lecture's 0.0013" = 0.0014, expected 0.0013 ± 0.00005 (off by 0.000100)`,
      `"tanh'(4) vs the lecture's 0.0013": the notebook expects 0.00139, the test 0.0013 (± 0.00005)`,
    ]);
    assert.match(verifyChecks(edit('= 0.20775031 (expected', '= 0.3 (expected'), SPECS).join(), /expected the printed reference 0.20775029 ± 0.0001/);
    assert.match(verifyChecks(edit('= [0.9,0.999]', '= [0.9,0.99]'), SPECS).join(), /"adam\(\) default betas" = \[0.9,0.99\], expected \[0.9,0.999\]/);
  });

  it('a dropped check, a check printed twice, a check in another form and an unowned check fail', () => {
    assert.deepEqual(verifyChecks(edit('✓ σ = 1/4 = 0.25 (expected 0.25 ± 1e-12)\n', ''), SPECS), ['missing: "✓ σ = 1/4" was not printed']);
    assert.deepEqual(verifyChecks(`${GOOD}\n✓ adam() default betas = [0.9,0.999]`, SPECS), ['"adam() default betas" printed 2 times']);
    assert.deepEqual(verifyChecks(edit('✓ σ = 1/4 = 0.25 (expected 0.25 ± 1e-12)', '✓ σ = 1/4'), SPECS), [
      'missing: "✓ σ = 1/4" was not printed in the expected form',
      'not owned by the test: "✓ σ = 1/4" (add an entry: npx tsx test/notebook-checks.ts --draft NN)',
    ]);
    assert.match(verifyChecks(`${GOOD}\n✓ a new check = 1 (expected 1 ± 0)`, SPECS).join(), /not owned by the test: "✓ a new check = 1 \(expected 1 ± 0\)"/);
  });

  it('rejects malformed entries, naming them', () => {
    assert.throws(() => validateSpecs('x', [{ label: 'a', expected: 1 }]), /x\[0\] \(a\): keys must be label \+ one of/);
    assert.throws(() => validateSpecs('x', [{ label: 'a', claim: true }, { label: 'a', claim: true }]), /label "a" appears twice/);
    assert.throws(() => validateSpecs('x', [{ label: 'a', tol: -1, expected: 0 }]), /tol must be a number ≥ 0; got -1/);
  });

  it('drafting finds the labels of check calls, including template labels', () => {
    const p = labelPatterns('check(`κ = ${m.kappa}: rate`, a, m.hbPred, 1e-3);\ncheckThat("plain \\"q\\"", ok);\ncheckEqual(\'e\', 1, 1);');
    assert.deepEqual(p.map((x) => [x.kind, x.pattern, x.expectedExpr]), [
      ['check', 'κ = .+?: rate', 'm.hbPred'],
      ['checkThat', 'plain "q"', undefined],
      ['checkEqual', 'e', undefined],
    ]);
  });
});
