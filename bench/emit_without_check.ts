/**
 * A/B in one process: tslab's transpile-only conversion (kernel/patch-tslab.js hunk 8) as patched, against
 * the same converter forced to check every cell before emitting it (the behaviour before the emit
 * without check). Every code cell of the ten chapters (after tslab's declarations of the cells before),
 * 4 rounds, the two alternating per cell; then trivial, declaration and course-like cells after
 * chapter 08's declarations. Prints sums, medians and their ratios (new / always-check).
 *   node --import tsx bench/emit_without_check.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { median } from './stats';

interface Converted {
  output?: string;
  diagnostics: unknown[];
  declOutput?: string;
}
interface Converter {
  convert(prevDecl: string, src: string): Converted;
  convertUnchecked(prevDecl: string, src: string): Converted | undefined;
  prepareUnchecked(prevDecl: string): unknown;
  close(): void;
}
type CreateConverter = (options?: { transpileOnly?: boolean }) => Converter;

const ROOT = path.resolve(__dirname, '..');
const CONVERTER = path.join(ROOT, 'node_modules', 'tslab', 'dist', 'converter.js');
const HEADER = '    function dlOptimizationEmitWithoutCheck(probe, prevDecl) {\n';
const text = fs.readFileSync(CONVERTER, 'utf8');
if (text.split(HEADER).length !== 2) throw new Error('the converter is not patched with the emit without check (run node kernel/patch-tslab.js)');
const VARIANT = path.join(path.dirname(CONVERTER), 'converter.always-check-bench.js');
fs.writeFileSync(VARIANT, text.replace(HEADER, `${HEADER}        return false;\n`));
try {
  process.chdir(path.join(ROOT, 'notebooks'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const A = (require(VARIANT) as { createConverter: CreateConverter }).createConverter;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const B = (require(CONVERTER) as { createConverter: CreateConverter }).createConverter;
  const seqs = fs.readdirSync('.').filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => {
    const nb = JSON.parse(fs.readFileSync(f, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
    const cells = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    const full = B();
    let prev = '';
    const seq: [string, string][] = [];
    for (const src of cells) {
      const r = full.convert(prev, src);
      if (r.diagnostics.length) continue;
      seq.push([prev, src]);
      prev = r.declOutput ?? prev;
    }
    full.close();
    return seq;
  });
  const la = A({ transpileOnly: true });
  const lb = B({ transpileOnly: true });
  const time = (c: Converter, prev: string, src: string, t: number[]): string | undefined => {
    const s = performance.now();
    const r = c.convertUnchecked(prev, src);
    t.push(performance.now() - s);
    return r?.output;
  };
  const sum = (t: number[]) => t.reduce((x, y) => x + y, 0);
  const tA: number[] = [];
  const tB: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (const seq of seqs) {
      for (const [prev, src] of seq) {
        la.prepareUnchecked(prev);
        lb.prepareUnchecked(prev);
        const outs = round % 2 ? [time(la, prev, src, tA), time(lb, prev, src, tB)] : [time(lb, prev, src, tB), time(la, prev, src, tA)];
        if (outs[0] !== outs[1]) throw new Error(`the two conversions differ on ${JSON.stringify(src.slice(0, 80))}`);
      }
    }
  }
  console.log(`chapter cells (${tA.length / 4} × 4): always check sum ${sum(tA).toFixed(0)} ms, median ${median(tA).toFixed(2)} ms; ` +
    `as patched sum ${sum(tB).toFixed(0)} ms, median ${median(tB).toFixed(2)} ms; ratio of sums ${(sum(tB) / sum(tA)).toFixed(3)}, of medians ${(median(tB) / median(tA)).toFixed(3)}`);
  const prev8 = seqs[8][seqs[8].length - 1][0];
  const kinds: Record<string, (k: number) => string> = {
    trivial: (k) => `${k} + 1`,
    declaration: (k) => `function sq${k}(x: number): number {\n  return x * x;\n}\nconst c${k} = sq${k}(${k});`,
    'course-like': (k) => `const run${k} = minimize(quadratic([[1, 0], [0, 10]]), sgd({ lr: 0.05 }), { x0: [1, 1], steps: 50 });\n` +
      `const fig${k} = figure({ id: "ch00-bench-${k}", caption: "50 gradient steps on a quadratic",\n  data: [{ type: "scatter", mode: "lines", x: run${k}.losses.map((_, i) => i), y: run${k}.losses }], layout: {} });\n` +
      `run${k}.losses[run${k}.losses.length - 1]`,
  };
  for (const [name, mk] of Object.entries(kinds)) {
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k < 60; k++) {
      const order: [Converter, number[]][] = k % 2 ? [[la, a], [lb, b]] : [[lb, b], [la, a]];
      for (const [c, t] of order) time(c, prev8, mk(k), t);
    }
    console.log(`${name} cell after chapter 08 (60): always check median ${median(a).toFixed(2)} ms, as patched ${median(b).toFixed(2)} ms, ratio ${(median(b) / median(a)).toFixed(3)}`);
  }
  la.close();
  lb.close();
} finally {
  fs.rmSync(VARIANT, { force: true });
}
