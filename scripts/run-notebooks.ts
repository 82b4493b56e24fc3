/**
 * Executes every notebook in notebooks/ headlessly on the course kernel, each in a fresh kernel, from one
 * Python process per job slot (scripts/execute_notebook.py --batch: Jupyter's Python packages imported once):
 *   build/notebooks/NN-slug.ipynb  (executed copy)    build/html/NN-slug.html  (nbconvert HTML; its figures
 *                                                    load build/html/plotly.min.js, copied here once)
 *   build/notebooks/manifest.json  (per notebook: seconds, cells, bytes, ok/error)
 * Fails naming the notebook, the cell number and the error text on the first error of each notebook.
 *
 *   npx tsx scripts/run-notebooks.ts [name-filter ...] [--timeout SECONDS] [--jobs N]
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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
  /** Seconds of the kernel's start, the cells and the page's export (execute_notebook.py). */
  phases?: { spare_kernel?: boolean; kernel_start?: number; cells?: number; html?: number };
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

/** What execute_notebook.py prints for one notebook (scripts/execute_notebook.py). */
type PythonResult = Partial<NotebookResult> & { kind?: string };

/** What execute_notebook.py prints once a notebook's page is written (by its exporting process). */
interface PageResult {
  exported: string;
  notebook: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

/**
 * One execute_notebook.py process in batch mode: Python, nbclient and nbconvert are imported once for all
 * the notebooks it runs (each in a fresh kernel). `run` sends one job and resolves with its result line; a
 * process that dies fails its pending job with the end of its stderr, and the next job starts a new one.
 * Pages are exported while the next notebook runs: their lines are kept in `pages`, and `close` resolves
 * once the process has written the last one and exited.
 */
class NotebookRunner {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending: ((r: PythonResult, stderr: string) => void) | null = null;
  private stdout = '';
  private stderr = '';
  private exited: Promise<void> = Promise.resolve();
  /** The exported lines so far, by notebook path. */
  readonly pages = new Map<string, PageResult>();

  constructor(
    private readonly python: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeout: number,
  ) {}

  private start(): ChildProcessWithoutNullStreams {
    const args = [
      path.join(ROOT, 'scripts', 'execute_notebook.py'),
      '--batch',
      '--timeout', String(wholeSeconds(this.timeout)),
      '--template-dir', path.join(ROOT, 'scripts', 'templates', 'course'),
    ];
    const child = spawn(this.python, args, { cwd: ROOT, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stdout = '';
    this.stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      let nl: number;
      while ((nl = this.stdout.indexOf('\n')) >= 0) {
        const line = this.stdout.slice(0, nl).trim();
        this.stdout = this.stdout.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        let parsed: PythonResult | PageResult;
        try {
          parsed = JSON.parse(line) as PythonResult | PageResult;
        } catch {
          continue;
        }
        if ('exported' in parsed) this.pages.set(parsed.notebook, parsed);
        else this.settle(parsed);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      // the end is what explains a failure; keep the last 64 kB
      this.stderr = (this.stderr + d.toString()).slice(-65536);
    });
    this.exited = new Promise((resolve) => child.on('close', () => resolve()));
    child.on('close', (code) => {
      if (this.child === child) this.child = null;
      this.settle({ ok: false, error: this.stderr.trim().split('\n').slice(-5).join('\n') || `execute_notebook.py exited with code ${code}` });
    });
    child.stdin.on('error', () => undefined); // a dead process is reported by 'close'
    return child;
  }

  private settle(r: PythonResult): void {
    const done = this.pending;
    this.pending = null;
    if (done) done(r, this.stderr);
  }

  /** Runs one notebook; `more`: another will follow (its kernel is started meanwhile). */
  run(nbPath: string, executed: string, html: string, more: boolean): Promise<PythonResult> {
    if (this.pending) throw new Error('NotebookRunner.run: one notebook at a time');
    this.child ??= this.start();
    const child = this.child;
    return new Promise((resolve) => {
      this.pending = (r) => resolve(r);
      child.stdin.write(JSON.stringify({ notebook: nbPath, out: executed, html, more }) + '\n');
    });
  }

  /** Ends the job list; resolves once the process has written its last page and exited. */
  close(): Promise<void> {
    this.child?.stdin.end();
    this.child = null;
    return this.exited;
  }
}

/** The per-cell timeout as execute_notebook.py reads it (whole seconds, at least 1). */
function wholeSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds));
}

const fileSize = (p: string): number => (fs.existsSync(p) ? fs.statSync(p).size : 0);

/** A notebook's result once its page line is in: the page's size and export seconds, or the export's error. */
function pageWritten(r: NotebookResult, page: PageResult | undefined): NotebookResult {
  if (!r.ok) return r;
  if (!page) return { ...r, ok: false, error: 'its HTML page was not written (execute_notebook.py ended without it)' };
  if (!page.ok) return { ...r, ok: false, error: `HTML page export failed: ${page.error ?? 'no message'}` };
  return { ...r, htmlBytes: fileSize(r.html), phases: { ...r.phases, html: page.seconds } };
}

async function runOne(runner: NotebookRunner, nbPath: string, outDir: string, more: boolean): Promise<NotebookResult> {
  const name = path.basename(nbPath, '.ipynb');
  const executed = path.join(outDir, 'notebooks', `${name}.ipynb`);
  const html = path.join(outDir, 'html', `${name}.html`);
  const parsed = await runner.run(nbPath, executed, html, more);
  const ok = parsed.ok === true;
  return {
    notebook: `${name}.ipynb`,
    ok,
    seconds: parsed.seconds ?? 0,
    cells: parsed.cells ?? 0,
    bytes: fileSize(executed),
    htmlBytes: 0, // once its page is written (pageWritten)
    executed,
    html,
    cell: parsed.cell,
    error: ok ? undefined : parsed.error ?? 'error without message',
    source: parsed.source,
    phases: parsed.phases,
  };
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
    const runner = new NotebookRunner(python, env, timeout);
    const mine: number[] = [];
    try {
      while (next < notebooks.length) {
        const i = next++;
        const name = path.basename(notebooks[i]);
        log(`▶ ${name} …`);
        const r = await runOne(runner, notebooks[i], outDir, next < notebooks.length);
        results[i] = r;
        mine.push(i);
        if (r.ok) log(`✓ ${name}  ${r.seconds.toFixed(1)} s, ${r.cells} cells, ${(r.bytes / 1e6).toFixed(2)} MB executed`);
        else log(`✗ ${name}  cell ${r.cell ?? '?'}${r.source ? ` (${r.source})` : ''}: ${r.error}`);
      }
    } finally {
      await runner.close();
      for (const i of mine) {
        const ran = results[i];
        const r = (results[i] = pageWritten(ran, runner.pages.get(notebooks[i])));
        if (r.ok) log(`  ${path.basename(r.html)}  ${(r.htmlBytes / 1e6).toFixed(2)} MB, exported in ${r.phases?.html?.toFixed(1)} s`);
        else if (ran.ok) log(`✗ ${r.notebook}: ${r.error}`);
      }
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
