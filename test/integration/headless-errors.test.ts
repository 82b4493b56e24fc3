/**
 * Headless runs (npm start, CI) see every type error: the course kernel runs a cell while a worker type-checks it,
 * and a type error found after the cell's reply would reach no one under nbclient, which stops listening at the
 * reply. run-notebooks runs the kernel in strict mode, so the error fails the cell that has it, even the last one.
 * It runs its notebooks from one Python process (execute_notebook.py --batch): each still gets a fresh kernel, a
 * failing notebook does not stop the next, and no kernel outlives the run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNotebooks } from '../../scripts/run-notebooks';

const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
const notebook = (...sources: string[]) =>
  JSON.stringify({
    cells: sources.map(cell),
    metadata: { kernelspec: { name: 'dl-optimization', display_name: 'TypeScript — Optimization in DL', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });

/** The text a cell of an executed notebook printed on stdout. */
function printed(file: string, index: number): string {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] };
  return (nb.cells[index].outputs ?? [])
    .filter((o) => o.name === 'stdout')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? ''))
    .join('');
}

/** Pids of the processes whose working directory is `dir` or below it (Linux: /proc/PID/cwd). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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

  it('one Python process runs the notebooks in turn, each in a fresh kernel (the next started ahead), past a failing one', { timeout: 5 * 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-batch-'));
    const other = path.join(dir, 'elsewhere');
    fs.mkdirSync(other);
    try {
      // each notebook prints its kernel's pid and whether an earlier notebook's global is visible
      const report = 'console.log(JSON.stringify({ pid: process.pid, marker: typeof (globalThis as any).dlOptimizationMarker }));';
      const files: [string, string][] = [
        [dir, notebook('(globalThis as any).dlOptimizationMarker = 1;', report)],
        [dir, notebook(report)],
        [dir, notebook('throw new Error("notebook c fails on purpose");', report)],
        // another folder: the kernel started ahead (in the first folder) is not used, and is shut down
        [other, notebook(report)],
      ];
      const paths = files.map(([folder, text], i) => {
        const p = path.join(folder, `97-batch-${'abcd'[i]}.ipynb`);
        fs.writeFileSync(p, text);
        return p;
      });
      const results = await runNotebooks({ paths, outDir: path.join(dir, 'out'), log: () => {} });
      assert.deepEqual(results.map((r) => r.ok), [true, true, false, true]);
      assert.equal(results[2].cell, 0);
      assert.match(results[2].error ?? '', /notebook c fails on purpose/);
      const seen = [0, 1, 3].map((i) => JSON.parse(printed(results[i].executed, i === 0 ? 1 : 0)) as { pid: number; marker: string });
      assert.deepEqual(seen.map((s) => s.marker), ['number', 'undefined', 'undefined'], 'a later notebook saw an earlier notebook\'s kernel');
      assert.equal(new Set(seen.map((s) => s.pid)).size, 3, 'two notebooks ran in the same kernel');
      // b and c ran in kernels started while the notebook before them ran; d, in another folder, in its own
      assert.deepEqual(results.map((r) => r.phases?.spare_kernel), [false, true, true, false]);
      // each page is exported (by a second process, while the next notebook runs) and is the notebook's own;
      // the failing notebook has none
      [0, 1, 3].forEach((i, k) => {
        const r = results[i];
        const page = fs.readFileSync(r.html, 'utf8');
        assert.equal(r.htmlBytes, Buffer.byteLength(page), `${r.notebook}: page size`);
        assert.ok((r.phases?.html ?? 0) > 0, `${r.notebook}: export seconds ${r.phases?.html}`);
        assert.ok(page.includes(`"pid":${seen[k].pid}`) || page.includes(`&quot;pid&quot;:${seen[k].pid}`), `${r.notebook}: its page shows its own output`);
      });
      assert.equal(results[2].htmlBytes, 0);
      assert.equal(fs.existsSync(results[2].html), false, 'a failed notebook has no page');
      // no kernel outlives the run: neither those that ran nor the one started ahead for d's folder's predecessor
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(seen.filter((s) => alive(s.pid)).map((s) => s.pid), []);
      if (fs.existsSync('/proc/self/cwd')) assert.deepEqual(processesIn(dir), [], 'a kernel started by the batch is still running');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
