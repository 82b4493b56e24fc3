/** Repository rules: source notebooks are committed without outputs and run on the course kernel. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/jupyter';
import { listNotebooks } from '../../scripts/run-notebooks';

describe('source notebooks', () => {
  const files = listNotebooks();
  it('there are notebooks, numbered NN-slug.ipynb', () => {
    assert.ok(files.length >= 1);
    for (const f of files) assert.match(path.basename(f), /^\d\d-[a-z0-9-]+\.ipynb$/);
  });
  for (const f of files) {
    it(`${path.basename(f)} has no outputs or execution counts and uses the course kernel`, () => {
      const nb = JSON.parse(fs.readFileSync(f, 'utf8'));
      assert.equal(nb.metadata?.kernelspec?.name, 'dl-optimization');
      nb.cells.forEach((c: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }, i: number) => {
        if (c.cell_type !== 'code') return;
        assert.deepEqual(c.outputs, [], `cell ${i} has outputs`);
        assert.equal(c.execution_count ?? null, null, `cell ${i} has an execution count`);
      });
      const first = nb.cells.find((c: { cell_type: string }) => c.cell_type === 'code');
      const src = Array.isArray(first.source) ? first.source.join('') : first.source;
      assert.match(src, /await setup\(\)/, 'the first code cell prints the environment report');
    });
  }
  it('lib/ is not committed (it is a build product)', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8');
    assert.match(ignore, /^lib\/$/m);
    assert.match(ignore, /^build\/$/m);
  });
});
