/**
 * Executes every notebook in notebooks/ headlessly on the course kernel (scripts/run-notebooks.ts)
 * and checks: no error output anywhere; the ✓ lines of check()/checkEqual()/checkThat() against the
 * numbers this test owns (test/notebook-checks/NN-slug.json, see test/notebook-checks.ts: expected value
 * and tolerance per check, so a notebook cannot loosen its own check); figure ids unique.
 * Chapter 09 runs in its test mode (DLOPT_FAST=1), the mode the owned numbers are for.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { listNotebooks, runNotebooks, NotebookResult } from '../../scripts/run-notebooks';
import { notebookChecks, printedChecks, verifyChecks } from '../notebook-checks';

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');
const filters = (process.env.DLOPT_NOTEBOOKS ?? '').split(',').filter(Boolean);
process.env.DLOPT_FAST = '1';
const CHECKS = notebookChecks();
const notebooks = listNotebooks(filters).map((p) => path.basename(p, '.ipynb'));
let results: NotebookResult[] = [];

before(async () => {
  results = await runNotebooks({ filters, log: (l) => console.log(`# ${l}`) });
}, { timeout: 40 * 60_000 });

describe('notebooks execute headlessly', () => {
  it('every notebook with owned checks exists, and every notebook has owned checks', () => {
    for (const name of Object.keys(CHECKS)) {
      if (filters.length && !filters.some((f) => name.includes(f))) continue;
      assert.ok(notebooks.includes(name), `notebooks/${name}.ipynb is missing`);
    }
    for (const name of notebooks) assert.ok(CHECKS[name], `test/notebook-checks/${name}.json is missing: the test owns each notebook's checks`);
  });

  for (const name of notebooks) {
    it(`${name}: runs without error, prints its checks, figures have unique stable ids`, () => {
      const r = results.find((x) => x.notebook === `${name}.ipynb`);
      assert.ok(r, `${name} was not executed`);
      assert.ok(r.ok, `${name}.ipynb failed at cell ${r.cell} (${r.source}): ${r.error}`);
      const nb = JSON.parse(fs.readFileSync(r.executed, 'utf8')) as { cells: Cell[] };
      const ids: string[] = [];
      let stdout = '';
      nb.cells.forEach((cell, i) => {
        for (const o of cell.outputs ?? []) {
          assert.notEqual(o.output_type, 'error', `${name} cell ${i} has an error output`);
          if (o.output_type === 'stream' && o.name === 'stderr') {
            assert.fail(`${name} cell ${i} wrote to stderr: ${text(o.text).slice(0, 500)}`);
          }
          stdout += printedChecks(o);
          const meta = o.metadata?.['dl-optimization'] as { figure_id?: string } | undefined;
          if (meta?.figure_id) ids.push(meta.figure_id);
        }
      });
      assert.doesNotMatch(stdout, /✗/, `${name} printed a failed check`);
      assert.match(stdout, /^dl-optimization \S+ · backend \w+/m, `${name} does not print the environment report first`);
      const failures = verifyChecks(stdout, CHECKS[name] ?? []);
      assert.deepEqual(failures, [], `${name}: its checks do not match test/notebook-checks/${name}.json:\n  ${failures.join('\n  ')}`);
      assert.ok(stdout.includes('✓ '), `${name} asserts no number at all`);
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      assert.equal(dup, undefined, `${name} shows figure id ${dup} twice`);
      for (const id of ids) assert.ok(id.startsWith(`ch${name.slice(0, 2)}-`), `${name}: figure id ${id} should start with ch${name.slice(0, 2)}-`);
    });
  }
});
