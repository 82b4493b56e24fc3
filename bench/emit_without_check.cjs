/**
 * A/B in one process: tslab's transpile-only conversion (kernel/patch-tslab.js hunk 8) as patched, against
 * the same converter forced to check every cell before emitting it (the behaviour before the emit
 * without check). Every code cell of the ten chapters (after tslab's declarations of the cells before),
 * 4 rounds, the two alternating per cell; then trivial, declaration and course-like cells after
 * chapter 08's declarations. Prints sums, medians and their ratios (new / always-check).
 *   node bench/emit_without_check.cjs
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const CONVERTER = path.join(ROOT, 'node_modules', 'tslab', 'dist', 'converter.js');
const HEADER = '    function dlOptimizationEmitWithoutCheck(probe, prevDecl) {\n';
const text = fs.readFileSync(CONVERTER, 'utf8');
if (text.split(HEADER).length !== 2) throw new Error('the converter is not patched with the emit without check (run node kernel/patch-tslab.js)');
const VARIANT = path.join(path.dirname(CONVERTER), 'converter.always-check-bench.js');
fs.writeFileSync(VARIANT, text.replace(HEADER, `${HEADER}        return false;\n`));
try {
  process.chdir(path.join(ROOT, 'notebooks'));
  const A = require(VARIANT).createConverter;
  const B = require(CONVERTER).createConverter;
  const seqs = fs.readdirSync('.').filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => {
    const cells = JSON.parse(fs.readFileSync(f, 'utf8')).cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    const full = B();
    let prev = '';
    const seq = [];
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
  const time = (c, prev, src, t) => {
    const s = performance.now();
    const r = c.convertUnchecked(prev, src);
    t.push(performance.now() - s);
    return r && r.output;
  };
  const med = (t) => [...t].sort((x, y) => x - y)[t.length >> 1];
  const sum = (t) => t.reduce((x, y) => x + y, 0);
  const tA = [];
  const tB = [];
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
  console.log(`chapter cells (${tA.length / 4} × 4): always check sum ${sum(tA).toFixed(0)} ms, median ${med(tA).toFixed(2)} ms; ` +
    `as patched sum ${sum(tB).toFixed(0)} ms, median ${med(tB).toFixed(2)} ms; ratio of sums ${(sum(tB) / sum(tA)).toFixed(3)}, of medians ${(med(tB) / med(tA)).toFixed(3)}`);
  const prev8 = seqs[8][seqs[8].length - 1][0];
  const kinds = {
    trivial: (k) => `${k} + 1`,
    declaration: (k) => `function sq${k}(x: number): number {\n  return x * x;\n}\nconst c${k} = sq${k}(${k});`,
    'course-like': (k) => `const run${k} = minimize(quadratic([[1, 0], [0, 10]]), sgd({ lr: 0.05 }), { x0: [1, 1], steps: 50 });\n` +
      `const fig${k} = figure({ id: "ch00-bench-${k}", caption: "50 gradient steps on a quadratic",\n  data: [{ type: "scatter", mode: "lines", x: run${k}.losses.map((_, i) => i), y: run${k}.losses }], layout: {} });\n` +
      `run${k}.losses[run${k}.losses.length - 1]`,
  };
  for (const [name, mk] of Object.entries(kinds)) {
    const a = [];
    const b = [];
    for (let k = 0; k < 60; k++) {
      if (k % 2) time(la, prev8, mk(k), a), time(lb, prev8, mk(k), b);
      else time(lb, prev8, mk(k), b), time(la, prev8, mk(k), a);
    }
    console.log(`${name} cell after chapter 08 (60): always check median ${med(a).toFixed(2)} ms, as patched ${med(b).toFixed(2)} ms, ratio ${(med(b) / med(a)).toFixed(3)}`);
  }
  la.close();
  lb.close();
} finally {
  fs.rmSync(VARIANT, { force: true });
}
