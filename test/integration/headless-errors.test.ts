/**
 * Headless runs (npm start, CI) see every type error: the course kernel runs a cell while a worker type-checks it,
 * and a type error found after the cell's reply would reach no one under nbclient, which stops listening at the
 * reply. run-notebooks runs the kernel in strict mode, so the error fails the cell that has it, even the last one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNotebooks } from '../../scripts/run-notebooks';

const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });

describe('headless runs report type errors', () => {
  it('a type error in the last cell (fast to run, slower to check) fails the run, naming the cell and the error', { timeout: 5 * 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-headless-'));
    try {
      const nb = path.join(dir, '98-type-error.ipynb');
      const nbJson = {
        cells: [cell('const ok: number = 1;\nconsole.log(ok + 1);'), cell('const wrong: number = "not a number";\nconsole.log("ran");')],
        metadata: { kernelspec: { name: 'dl-optimization', display_name: 'TypeScript — Optimization in DL', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      fs.writeFileSync(nb, JSON.stringify(nbJson));
      const [r] = await runNotebooks({ paths: [nb], outDir: path.join(dir, 'out'), log: () => {} });
      assert.equal(r.ok, false, 'the run passed although its last cell has a type error');
      assert.equal(r.cell, 1);
      assert.match(r.error ?? '', /Type 'string' is not assignable to type 'number'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
