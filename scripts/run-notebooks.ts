/**
 * Executes every notebook in notebooks/ headlessly on the course kernel, one process per notebook:
 *   build/notebooks/NN-slug.ipynb  (executed copy)    build/html/NN-slug.html  (nbconvert HTML; its figures
 *                                                    load build/html/plotly.min.js, copied here once)
 *   build/notebooks/manifest.json  (per notebook: seconds, cells, bytes, ok/error)
 * Fails naming the notebook, the cell number and the error text on the first error of each notebook.
 *
 *   npx tsx scripts/run-notebooks.ts [name-filter ...] [--timeout SECONDS] [--jobs N]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HELP, parseFlags, positiveInteger, positiveNumber } from './args';
import { ROOT, courseKernelEnv, ensureJupyter } from './jupyter';

export interface NotebookResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  cells: number;
  bytes: number;
  htmlBytes: number;
  executed: string;
  html: string;
  cell?: number;
  error?: string;
  source?: string;
}

export interface RunOptions {
  filters?: string[];
  /** Explicit notebook files to run instead of notebooks/ (e.g. test fixtures). */
  paths?: string[];
  /** Root for notebooks/ and html/ outputs (default build/). */
  outDir?: string;
  timeout?: number;
  jobs?: number;
  log?: (line: string) => void;
}

/** Lists notebooks/*.ipynb (sorted), keeping those whose name contains one of the filters. */
export function listNotebooks(filters: string[] = []): string[] {
  const dir = path.join(ROOT, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort()
    .map((f) => path.join(dir, f));
}

function runOne(python: string, env: NodeJS.ProcessEnv, nbPath: string, timeout: number, outDir: string): Promise<NotebookResult> {
  const name = path.basename(nbPath, '.ipynb');
  const executed = path.join(outDir, 'notebooks', `${name}.ipynb`);
  const html = path.join(outDir, 'html', `${name}.html`);
  const args = [
    path.join(ROOT, 'scripts', 'execute_notebook.py'),
    nbPath,
    '--out', executed,
    '--html', html,
    '--timeout', String(timeout),
    '--template-dir', path.join(ROOT, 'scripts', 'templates', 'course'),
  ];
  return new Promise((resolve) => {
    const child = spawn(python, args, { cwd: path.dirname(nbPath), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      let parsed: Partial<NotebookResult> & { kind?: string } = {};
      try {
        parsed = line ? JSON.parse(line) : {};
      } catch {
        parsed = {};
      }
      const size = (p: string) => (fs.existsSync(p) ? fs.statSync(p).size : 0);
      const ok = code === 0 && parsed.ok === true;
      resolve({
        notebook: `${name}.ipynb`,
        ok,
        seconds: parsed.seconds ?? 0,
        cells: parsed.cells ?? 0,
        bytes: size(executed),
        htmlBytes: ok ? size(html) : 0,
        executed,
        html,
        cell: parsed.cell,
        error: ok ? undefined : parsed.error ?? (err.trim().split('\n').slice(-5).join('\n') || `exit code ${code}`),
        source: parsed.source,
      });
    });
  });
}

/** Executes the notebooks (sequentially by default) and writes build/notebooks/manifest.json. */
export async function runNotebooks(opts: RunOptions = {}): Promise<NotebookResult[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const python = ensureJupyter();
  const env = courseKernelEnv();
  // nbclient stops listening once a cell's reply and idle status are in, so a type error the checking worker
  // reports after the reply would be lost: strict mode holds a cell's outputs until its check ends (README)
  env.DLOPT_TYPECHECK = process.env.DLOPT_TYPECHECK || 'strict';
  const notebooks = opts.paths ? opts.paths.map((p) => path.resolve(p)) : listNotebooks(opts.filters);
  const outDir = path.resolve(opts.outDir ?? path.join(ROOT, 'build'));
  if (notebooks.length === 0) throw new Error(`no notebook in notebooks/ matches ${JSON.stringify(opts.filters ?? [])}`);
  const timeout = opts.timeout ?? Number(process.env.DLOPT_CELL_TIMEOUT ?? 600);
  const jobs = Math.max(1, opts.jobs ?? 1);
  log(`executing ${notebooks.length} notebook(s) on kernel dl-optimization with ${python} (cell timeout ${timeout} s, ${jobs} at a time)`);
  const results: NotebookResult[] = new Array(notebooks.length);
  let next = 0;
  const t0 = Date.now();
  const worker = async (): Promise<void> => {
    while (next < notebooks.length) {
      const i = next++;
      const name = path.basename(notebooks[i]);
      log(`▶ ${name} …`);
      const r = await runOne(python, env, notebooks[i], timeout, outDir);
      results[i] = r;
      if (r.ok) log(`✓ ${name}  ${r.seconds.toFixed(1)} s, ${r.cells} cells, ${(r.bytes / 1e6).toFixed(2)} MB executed, ${(r.htmlBytes / 1e6).toFixed(2)} MB HTML`);
      else log(`✗ ${name}  cell ${r.cell ?? '?'}${r.source ? ` (${r.source})` : ''}: ${r.error}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, notebooks.length) }, worker));
  // The pages load plotly.js once, from a file next to them (never inlined into an output).
  const plotly = path.join(outDir, 'html', 'plotly.min.js');
  if (fs.existsSync(path.dirname(plotly))) fs.copyFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), plotly);
  const manifest = path.join(outDir, 'notebooks', 'manifest.json');
  fs.mkdirSync(path.dirname(manifest), { recursive: true });
  const previous = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { results: NotebookResult[] }).results : [];
  const merged = new Map(previous.map((r) => [r.notebook, r] as const));
  for (const r of results) merged.set(r.notebook, r);
  fs.writeFileSync(manifest, JSON.stringify({ results: [...merged.values()].sort((a, b) => a.notebook.localeCompare(b.notebook)) }, null, 2));
  const failed = results.filter((r) => !r.ok).length;
  log(`${results.length - failed} of ${results.length} notebook(s) executed without error in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return results;
}

const USAGE = `npx tsx scripts/run-notebooks.ts [name-filter ...] [--timeout SECONDS] [--jobs N]
  name-filter ...      run only the notebooks whose file name contains one of these (default: all)
  --timeout SECONDS    per-cell timeout (default $DLOPT_CELL_TIMEOUT or 600)
  --jobs N             notebooks executed at the same time (default 1)
  -h, --help           print this and exit`;

/** The command line of this script: name filters, --timeout, --jobs, --help. */
export function parseRunArgs(argv: string[]): RunOptions & { help: boolean } {
  const { values, positionals } = parseFlags(argv, { timeout: { type: 'string' }, jobs: { type: 'string' }, help: HELP }, USAGE, true);
  return {
    filters: positionals,
    ...(values.timeout !== undefined ? { timeout: positiveNumber('timeout', values.timeout, 'number of seconds') } : {}),
    ...(values.jobs !== undefined ? { jobs: positiveInteger('jobs', values.jobs) } : {}),
    help: values.help ?? false,
  };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => {
      const args = parseRunArgs(process.argv.slice(2));
      if (args.help) {
        console.log(USAGE);
        process.exit(0);
      }
      return runNotebooks(args);
    })
    .then((results) => process.exit(results.every((r) => r.ok) ? 0 : 1))
    .catch((err) => {
      console.error(`[dl-optimization] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
