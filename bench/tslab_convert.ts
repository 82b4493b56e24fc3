/**
 * What tslab's TypeScript step costs per cell, without running any cell: the kernel's converter
 * (type check + emit of each cell against the declarations of the cells before it) fed the code cells
 * of one notebook in order. Run from notebooks/ (imports resolve as in the kernel):
 *
 *   cd notebooks && node --import tsx ../bench/tslab_convert.ts NN-slug.ipynb [--converter FILE]
 *
 * --converter loads another converter.js (bench/run.ts passes the one from before issue 15).
 * Prints one JSON object: converter creation, total and per-cell milliseconds, and the 1-min load.
 */
import fs from 'node:fs';
import os from 'node:os';
import { HELP, parseFlags } from '../scripts/args';
import { median } from './stats';

interface Converted {
  diagnostics: { messageText: string }[];
  declOutput?: string;
}
interface Converter {
  convert(prevDecl: string, src: string): Converted;
  close(): void;
}

const USAGE = `cd notebooks && node --import tsx ../bench/tslab_convert.ts NOTEBOOK.ipynb [--converter FILE]
  --converter FILE   the converter module to load (default tslab/dist/converter)
  -h, --help         print this and exit`;

function main(): void {
  const { values, positionals } = parseFlags(process.argv.slice(2), { converter: { type: 'string' }, help: HELP }, USAGE, true);
  if (values.help) return console.log(USAGE);
  const converterFile = values.converter ?? 'tslab/dist/converter';
  const file = positionals[0];
  if (positionals.length !== 1 || !fs.existsSync(file)) throw new Error(`one existing NOTEBOOK.ipynb is required; got ${JSON.stringify(positionals)}\n${USAGE}`);
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  let t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createConverter } = require(converterFile) as { createConverter: () => Converter };
  const conv = createConverter();
  const createMs = performance.now() - t0;
  let prev = '';
  const cells: number[] = [];
  let errors = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    const src = Array.isArray(c.source) ? c.source.join('') : c.source;
    t0 = performance.now();
    const r = conv.convert(prev, src);
    cells.push(performance.now() - t0);
    if (r.diagnostics.length > 0) errors++;
    else prev = r.declOutput ?? prev;
  }
  conv.close();
  console.log(
    JSON.stringify({
      notebook: file,
      converter: converterFile,
      create_ms: createMs,
      cells: cells.length,
      cells_with_diagnostics: errors,
      total_ms: cells.reduce((a, b) => a + b, 0),
      median_cell_ms: cells.length ? median(cells) : 0,
      max_cell_ms: cells.length ? Math.max(...cells) : 0,
      per_cell_ms: cells.map((t) => Math.round(t)),
      loadavg: os.loadavg(),
    }),
  );
}

main();
