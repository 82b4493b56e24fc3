/**
 * npm run bench — what the course costs to run, measured. Writes build/bench.json and prints a table.
 *
 *   npm run bench [-- --runs N] [--notebooks] [--no-chapters] [--only kernel,tslab,startup,notebooks,numerics,torch] [--backends node,wasm,cpu]
 *
 *  - kernel:    side by side over the Jupyter protocol (bench/kernel_latency.py), alternating fresh
 *               kernels: the course kernel, the same kernel as on main before issue 15 (tslab with the
 *               one-rebuild hunk only: the "before"), and ipykernel + PyTorch (bench/kernels.ts makes its venv):
 *               cold start → first autodiff result, a trivial cell, a declaration cell, a course-like
 *               cell (50-step minimize on a quadratic + a figure; its torch twin), each sent 1 s after
 *               the previous reply (a student reading; the course kernel type-checks after replying),
 *               then the same cells back to back (Run All), kernel RSS; ratios
 *               course / torch and after / before. Then (unless --no-chapters) every chapter in a
 *               fresh kernel, after and before: total, one real cell (its first show(...)) and
 *               RSS after the chapter (DLOPT_FAST=1);
 *  - tslab:     per notebook, what tslab's TypeScript step (type check + emit) costs for all its code
 *               cells, without running them (bench/tslab_convert.ts), after and before, alternating;
 *  - startup:   plain node, no kernel: require tfjs + initBackend per backend, require the course library;
 *  - notebooks: headless wall time and executed size per notebook, from build/notebooks/manifest.json
 *               (each entry marked fresh or stale against notebooks/ and src/), or executed now with
 *               --notebooks (scripts/run-notebooks.ts);
 *  - numerics:  per tfjs backend, each in its own child process (bench/numerics.ts);
 *  - torch:     the same trajectory and MLP in PyTorch (bench/torch_reference.py), torch==2.13.0 in a
 *               bench-only venv (build/bench-venv, created and pip-installed on first use; students'
 *               environments never get torch), reported as ratios per backend.
 * Every measurement carries os.loadavg(); figures are medians and minima of N ≥ 5 runs (default 5).
 * Compares with the previous build/bench.json and flags figures more than 20 % worse (on the best CPU
 * time where there is one, else the best run; prints, never fails).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELP, listOf, parseFlags, positiveInteger } from '../scripts/args';
import { ROOT, courseKernelEnv, ensureJupyter } from '../scripts/jupyter';
import { median, round } from './stats';
import { TORCH_KERNEL, TORCH_VERSION, BEFORE_KERNEL, ensureBenchVenv, writeBenchKernels, writeBeforeConverter } from './kernels';

const OUT = path.join(ROOT, 'build', 'bench.json');
const SECTIONS = ['kernel', 'tslab', 'startup', 'notebooks', 'numerics', 'torch'] as const;
const BACKENDS = ['node', 'wasm', 'cpu'] as const;
type Section = (typeof SECTIONS)[number];
const USAGE = `npm run bench [-- OPTIONS]   writes build/bench.json and prints a table
  --runs N                 runs per figure (default 5; medians and minima are reported)
  --notebooks              execute every notebook now (scripts/run-notebooks.ts) instead of reading build/notebooks/manifest.json
  --no-chapters            kernel section: skip running every chapter in fresh kernels (the longest part)
  --only S1,S2             sections to run: ${SECTIONS.join(',')} (default all; figures of the others are kept from the last run)
  --backends B1,B2         tfjs backends for the numerics: ${BACKENDS.join(',')} (default all; one child process each)
  -h, --help               print this and exit`;
/** A later run that makes a figure worse by more than this fraction is flagged. */
export const REGRESSION_THRESHOLD = 0.2;

/** One reported number: its median and its best run (min for times, max for throughputs). */
export interface Figure {
  median: number;
  best: number;
  unit: string;
  better: 'lower' | 'higher';
  n: number;
  /** Best CPU time of the measuring process (ms; user + system), when known: less sensitive to load than wall time. */
  cpu_best?: number;
  /** 1-minute load average while it was measured (the median of the per-run values when known). */
  load1: number;
  note?: string;
  /** Set on figures carried over from an earlier run (a run with --only measures some sections only). */
  from?: string;
}

interface Options {
  runs: number;
  notebooks: boolean;
  chapters: boolean;
  only: Set<Section>;
  backends: string[];
}

/** The command line of `npm run bench` (see USAGE). */
export function parseBenchArgs(argv: string[]): Options & { help: boolean } {
  const { values } = parseFlags(
    argv,
    { runs: { type: 'string' }, notebooks: { type: 'boolean' }, 'no-chapters': { type: 'boolean' }, only: { type: 'string' }, backends: { type: 'string' }, help: HELP },
    USAGE,
  );
  return {
    runs: values.runs !== undefined ? positiveInteger('runs', values.runs) : 5,
    notebooks: values.notebooks ?? false,
    chapters: !values['no-chapters'],
    only: new Set(values.only !== undefined ? listOf('only', values.only, SECTIONS) : SECTIONS),
    backends: values.backends !== undefined ? listOf('backends', values.backends, BACKENDS) : [...BACKENDS],
    help: values.help ?? false,
  };
}

const load = (): number[] => os.loadavg().map((l) => round(l, 3));
const log = (line: string): void => console.log(`[bench] ${line}`);

/** A Figure from a measurement with runs (ms). */
function timeFigure(
  m: { median_ms: number; min_ms: number; n: number; cpu_min_ms?: number; load1_runs?: number[]; loadavg?: number[] },
  scale = 1,
  unit = 'ms',
  note?: string,
): Figure {
  const load1 = m.load1_runs?.length ? median(m.load1_runs) : (m.loadavg?.[0] ?? os.loadavg()[0]);
  const f: Figure = { median: round(m.median_ms * scale), best: round(m.min_ms * scale), unit, better: 'lower', n: m.n, load1: round(load1, 3) };
  if (m.cpu_min_ms !== undefined) f.cpu_best = round(m.cpu_min_ms * scale);
  if (note) f.note = note;
  return f;
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function lastJsonLine(text: string): unknown {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error('no JSON line in output');
  return JSON.parse(line);
}

// ---------------------------------------------------------------------------------------------
// Sections. Each returns its raw data (stored in bench.json) and adds its figures.

const COURSE_KERNEL = 'dl-optimization';
/** Seconds between a reply and the next measured cell in the kernel section (a student reading the output). */
const KERNEL_PAUSE_S = 1;

type KernelCells = Record<string, { median_ms: number; min_ms: number; n: number } | number>;

function benchKernel(o: Options, figures: Record<string, Figure>): unknown {
  const python = ensureJupyter();
  const venv = ensureBenchVenv(log);
  if (!venv.python) log(`kernel: ipykernel + PyTorch side skipped (${venv.why})`);
  const bench = writeBenchKernels(venv.python);
  const env = courseKernelEnv();
  env.JUPYTER_PATH = [bench.jupyterPath, env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const kernels = [COURSE_KERNEL, ...bench.kernels];
  const out: Record<string, unknown> = { kernels };
  try {
    log(`kernel: ${o.runs} rounds of fresh kernels (${kernels.join(', ')}) × (first autodiff cell, 5 × trivial/declaration/course-like cells ${KERNEL_PAUSE_S} s after the previous reply, then the same back to back) …`);
    const r = run(python, [path.join(ROOT, 'bench', 'kernel_latency.py'), 'cells', '--kernels', kernels.join(','), '--runs', String(o.runs), '--reps', '5', '--pause', String(KERNEL_PAUSE_S), '--lib', path.join(ROOT, 'lib'), '--cwd', path.join(ROOT, 'notebooks')], { env, timeoutMs: 60 * 60_000 });
    if (r.status !== 0) return { ...out, error: (r.stderr || String(r.error)).trim().split('\n').slice(-5).join('\n') };
    const data = lastJsonLine(r.stdout) as { loadavg_before: number[]; loadavg_after: number[]; kernels: Record<string, KernelCells> };
    out.cells = data;
    const load1 = round((data.loadavg_before[0] + data.loadavg_after[0]) / 2, 3);
    const rows: [string, string][] = [
      ['cold_start_to_first_result', 'cold start → first autodiff result'],
      ['trivial', 'trivial cell (k + 1)'],
      ['declaration', 'declaration cell (a function and a const)'],
      ['course_like', 'course-like cell (50-step minimize + figure)'],
      ['trivial_b2b', 'trivial cell, back to back (Run All)'],
      ['declaration_b2b', 'declaration cell, back to back (Run All)'],
      ['course_like_b2b', 'course-like cell, back to back (Run All)'],
    ];
    const label = (k: string) => (k === COURSE_KERNEL ? 'course kernel' : k === BEFORE_KERNEL ? 'course kernel before (main: tslab + hunk 1)' : 'ipykernel + torch');
    for (const k of kernels) {
      const d = data.kernels[k];
      for (const [key, name] of rows) figures[`kernel: ${name}, ${label(k)}`] = { ...timeFigure(d[key] as { median_ms: number; min_ms: number; n: number }), load1 };
      figures[`kernel: RSS after those cells, ${label(k)}`] = { median: d.rss_mb_after as number, best: d.rss_mb_after as number, unit: 'MB', better: 'lower', n: o.runs, load1 };
    }
    const ratios: Record<string, Record<string, number>> = {};
    const ratio = (a: string, b: string, key: string) => round((data.kernels[a][key] as { median_ms: number }).median_ms / (data.kernels[b][key] as { median_ms: number }).median_ms, 3);
    for (const [key] of rows) {
      ratios[key] = {};
      if (data.kernels[TORCH_KERNEL]) {
        ratios[key].course_over_torch = ratio(COURSE_KERNEL, TORCH_KERNEL, key);
        if (data.kernels[BEFORE_KERNEL]) ratios[key].before_over_torch = ratio(BEFORE_KERNEL, TORCH_KERNEL, key);
      }
      if (data.kernels[BEFORE_KERNEL]) ratios[key].course_over_before = ratio(COURSE_KERNEL, BEFORE_KERNEL, key);
    }
    out.ratios = ratios;
    out.ratio_lines = rows.map(([key, name]) => {
      const r = ratios[key];
      const parts = [
        r.course_over_torch !== undefined && `course/torch ×${fmt(r.course_over_torch)}`,
        r.before_over_torch !== undefined && `before/torch ×${fmt(r.before_over_torch)}`,
        r.course_over_before !== undefined && `after/before ×${fmt(r.course_over_before)}`,
      ].filter(Boolean);
      return `${name}: ${parts.join(', ')} (medians; load ${fmt(data.loadavg_before[0])} → ${fmt(data.loadavg_after[0])})`;
    });
    if (o.chapters) out.chapters = benchChapters(python, env, kernels.filter((k) => k !== TORCH_KERNEL), figures);
  } finally {
    bench.cleanup();
  }
  return out;
}

/** Every chapter in fresh kernels (course, before): total, its first show(...) cell, RSS after. */
function benchChapters(python: string, env: NodeJS.ProcessEnv, kernels: string[], figures: Record<string, Figure>): unknown {
  const dir = path.join(ROOT, 'notebooks');
  const notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  log(`kernel: every chapter in fresh kernels (${kernels.join(', ')}), DLOPT_FAST=1 …`);
  const r = run(python, [path.join(ROOT, 'bench', 'kernel_latency.py'), 'chapter', '--kernels', kernels.join(','), '--cwd', dir, ...notebooks], { env: { ...env, DLOPT_FAST: '1' }, timeoutMs: 90 * 60_000 });
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').slice(-5).join('\n') };
  const data = lastJsonLine(r.stdout) as { loadavg_before: number[]; loadavg_after: number[]; kernels: Record<string, any> };
  const load1 = round((data.loadavg_before[0] + data.loadavg_after[0]) / 2, 3);
  for (const [nb, d] of Object.entries(data.kernels)) {
    for (const k of kernels) {
      const m = d[k];
      if (!m || m.error) continue;
      const tag = k === COURSE_KERNEL ? '' : ', before (main)';
      figures[`chapter ${nb}: kernel total (fresh kernel, DLOPT_FAST)${tag}`] = { median: m.total_s, best: m.total_s, unit: 's', better: 'lower', n: 1, load1 };
      figures[`chapter ${nb}: cell ${d.figure_cell.index} (first show)${tag}`] = { median: m.figure_cell_ms, best: m.figure_cell_ms, unit: 'ms', better: 'lower', n: 1, load1, note: d.figure_cell.first_line };
      figures[`chapter ${nb}: kernel RSS right after the last cell${tag}`] = { median: m.rss_mb_after, best: m.rss_mb_after, unit: 'MB', better: 'lower', n: 1, load1 };
      figures[`chapter ${nb}: kernel RSS after 3 s idle${tag}`] = { median: m.rss_mb_idle, best: m.rss_mb_idle, unit: 'MB', better: 'lower', n: 1, load1 };
    }
  }
  return data;
}

function benchTslab(figures: Record<string, Figure>): unknown {
  const dir = path.join(ROOT, 'notebooks');
  const out: Record<string, unknown> = {};
  const before = writeBeforeConverter();
  const variants: [string, string[]][] = [['patched', []], ...(before ? ([['before (main)', ['--converter', before.converter]]] as [string, string[]][]) : [])];
  try {
    let n = 0;
    for (const nb of fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort()) {
      // alternate which converter goes first, one fresh process each
      const order = n++ % 2 === 0 ? variants : [...variants].reverse();
      for (const [variant, extra] of order) {
        log(`tslab (${variant}): type check + emit of every code cell of ${nb} …`);
        const r = run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'tslab_convert.ts'), nb, ...extra], { cwd: dir, timeoutMs: 15 * 60_000 });
        let d: { create_ms: number; total_ms: number; cells: number; median_cell_ms: number; loadavg: number[] };
        try {
          d = lastJsonLine(r.stdout) as typeof d;
        } catch {
          out[`${nb} ${variant}`] = { error: r.stderr.trim().split('\n').slice(-3).join('\n') };
          continue;
        }
        out[`${nb} ${variant}`] = d;
        const total = d.create_ms + d.total_ms;
        figures[`tslab ${nb}: converter start + ${d.cells} cells type-checked${variant === 'patched' ? '' : `, ${variant}`}`] = {
          median: round(total / 1000),
          best: round(total / 1000),
          unit: 's',
          better: 'lower',
          n: 1,
          load1: round(d.loadavg[0], 3),
          note: `median cell ${fmt(d.median_cell_ms)} ms`,
        };
      }
    }
  } finally {
    before?.cleanup();
  }
  return out;
}

function benchStartup(o: Options, figures: Record<string, Figure>): unknown {
  // plain node (no tsx, no kernel): the compiled library in lib/
  const script = (what: string) => `
    const t0 = performance.now();
    const tf = require('@tensorflow/tfjs');
    const lib = require(${JSON.stringify(path.join(ROOT, 'lib', what === 'library' ? 'index' : 'backend'))});
    const t1 = performance.now();
    const done = (backend) => console.log(JSON.stringify({ require_ms: t1 - t0, init_ms: performance.now() - t1, backend }));
    if (${JSON.stringify(what)} === 'library') done(null);
    else lib.initBackend(${JSON.stringify(what)}).then((r) => done(r.backend), (e) => console.log(JSON.stringify({ skipped: String(e.message).split('\\n')[0] })));
  `;
  const out: Record<string, unknown> = {};
  for (const what of [...o.backends, 'library']) {
    const req: number[] = [];
    const init: number[] = [];
    const load1: number[] = [];
    let skipped: string | undefined;
    for (let i = 0; i < o.runs && !skipped; i++) {
      const r = run(process.execPath, ['-e', script(what)]);
      let d: { require_ms?: number; init_ms?: number; skipped?: string };
      try {
        d = lastJsonLine(r.stdout) as typeof d;
      } catch {
        d = { skipped: (r.stderr || 'no output').trim().split('\n').slice(-1)[0] };
      }
      if (d.skipped) skipped = d.skipped;
      else {
        req.push(d.require_ms as number);
        init.push(d.init_ms as number);
        load1.push(os.loadavg()[0]);
      }
    }
    if (skipped) {
      out[what] = { skipped };
      continue;
    }
    const total = req.map((t, i) => t + init[i]);
    const m = (xs: number[]) => ({ median_ms: median(xs), min_ms: Math.min(...xs), n: xs.length, load1_runs: load1 });
    out[what] = { require: m(req), init: m(init), total: m(total), loadavg: load() };
    if (what === 'library') figures['startup: require the course library (plain node, lib/)'] = timeFigure(m(req));
    else figures[`startup: require tfjs + initBackend('${what}') (plain node)`] = timeFigure(m(total));
  }
  return out;
}

interface ManifestEntry {
  notebook: string;
  ok: boolean;
  seconds: number;
  cells: number;
  bytes: number;
  htmlBytes?: number;
  executed: string;
}

function newestMtime(dir: string, ext: string): number {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

async function benchNotebooks(o: Options, figures: Record<string, Figure>): Promise<unknown> {
  const manifestPath = path.join(ROOT, 'build', 'notebooks', 'manifest.json');
  const sources = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
  let source: string;
  let results: ManifestEntry[];
  const loadBefore = load();
  if (o.notebooks) {
    const { runNotebooks } = await import('../scripts/run-notebooks');
    log(`notebooks: executing ${sources.length} notebook(s) now (--notebooks) …`);
    results = (await runNotebooks({ log: (l) => log(`  ${l}`) })) as ManifestEntry[];
    source = 'executed now by npm run bench -- --notebooks (scripts/run-notebooks.ts)';
  } else {
    if (!fs.existsSync(manifestPath)) return { source: 'none: build/notebooks/manifest.json is missing (run npm run notebooks, or npm run bench -- --notebooks)' };
    results = (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { results: ManifestEntry[] }).results;
    source = 'build/notebooks/manifest.json (not re-executed; run with --notebooks to execute now)';
  }
  const srcTime = newestMtime(path.join(ROOT, 'src'), '.ts');
  const items = sources.map((name) => {
    const r = results.find((x) => x.notebook === name);
    if (!r) return { notebook: name, status: 'not executed' };
    const execTime = fs.existsSync(r.executed) ? fs.statSync(r.executed).mtimeMs : 0;
    const srcNb = fs.statSync(path.join(ROOT, 'notebooks', name)).mtimeMs;
    const stale = !r.ok ? 'failed' : execTime < srcNb ? 'notebook edited since' : execTime < srcTime ? 'src/ edited since' : undefined;
    return { notebook: name, ok: r.ok, seconds: r.seconds, cells: r.cells, bytes: r.bytes, htmlBytes: r.htmlBytes, executedAt: new Date(execTime).toISOString(), fresh: !stale, stale };
  });
  const load1 = load()[0];
  for (const it of items) {
    if (!('seconds' in it) || !it.ok) continue;
    const note = it.fresh ? undefined : `stale: ${it.stale}`;
    const base = { n: 1, load1: o.notebooks ? round((loadBefore[0] + load1) / 2, 3) : NaN, better: 'lower' as const };
    figures[`notebook ${it.notebook}: headless execution`] = { ...base, median: round(it.seconds as number), best: round(it.seconds as number), unit: 's', ...(note ? { note } : {}) };
    figures[`notebook ${it.notebook}: executed size`] = { ...base, median: round((it.bytes as number) / 1e6), best: round((it.bytes as number) / 1e6), unit: 'MB', ...(note ? { note } : {}) };
  }
  return { source, loadavg: o.notebooks ? { before: loadBefore, after: load() } : 'not measured now (taken from the manifest)', items };
}

function benchNumerics(o: Options, figures: Record<string, Figure>): unknown {
  const out: Record<string, unknown> = {};
  for (const backend of o.backends) {
    const file = path.join(os.tmpdir(), `dlopt-bench-${process.pid}-${backend}.json`);
    log(`numerics on ${backend} (child process, ${o.runs} runs per case) …`);
    const r = run(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench', 'numerics.ts'), '--backend', backend, '--runs', String(o.runs), '--out', file], {
      env: { ...process.env, DLOPT_BACKEND: backend },
      timeoutMs: 30 * 60_000,
    });
    if (r.status !== 0 || !fs.existsSync(file)) {
      out[backend] = { error: (r.stderr || String(r.error)).trim().split('\n').slice(-5).join('\n') };
      continue;
    }
    const d = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(file, { force: true });
    out[backend] = d;
    if (d.skipped) {
      log(`  ${backend}: skipped (${d.skipped})`);
      continue;
    }
    const b = d.backend as string;
    const tr = d.trajectory.runs;
    for (const opt of ['adam', 'sgd']) {
      const m = tr[`${opt}.minimize`];
      figures[`${b}: 1000-step 2D trajectory, minimize (${opt})`] = timeFigure(m, 1, 'ms', `${fmt(m.min_ms)} µs/step best, ${fmt(m.cpu_min_ms)} µs/step CPU`);
      for (const v of ['perStep', 'fused', 'jsIterate']) {
        const diff = d.trajectory.max_difference_vs_minimize[`${opt}.${v}`];
        figures[`${b}: 1000-step trajectory, variant ${v} (${opt})`] = timeFigure(tr[`${opt}.${v}`], 1, 'ms', `max |Δ| vs minimize ${diff}`);
      }
    }
    figures[`${b}: 100 Newton steps, minimize`] = timeFigure(d.newton.runs.minimize);
    figures[`${b}: 100 Newton steps, Hessian row by row (before)`] = timeFigure(d.newton.runs.hessianByRows, 1, 'ms', `max |Δ| ${d.newton.max_difference_vs_rows}`);
    figures[`${b}: 201×201 grid (objective.grid)`] = timeFigure(d.grid.runs.grid);
    figures[`${b}: 201×201 grid via point arrays (before)`] = timeFigure(d.grid.runs.gridByPoints, 1, 'ms', `identical: ${d.grid.identical_to_points_path}`);
    figures[`${b}: Hessian, 10 parameters (objective.hessian)`] = timeFigure(d.hessian.runs.hessian);
    figures[`${b}: Hessian, 10 parameters, row by row (before)`] = timeFigure(d.hessian.runs.hessianByRows, 1, 'ms', `max |Δ| ${d.hessian.max_difference_vs_rows}`);
    figures[`${b}: MLP training throughput (trainEpochs, Adam)`] = {
      median: d.mlp.examples_per_s_median,
      best: d.mlp.examples_per_s_max,
      unit: 'examples/s',
      better: 'higher',
      n: d.mlp.n,
      load1: round(median(d.mlp.load1_runs), 3),
    };
  }
  return out;
}

/** build/bench-venv's Python with torch (the one bench venv, shared with the kernel section); or why not. */
function torchPython(): { python: string } | { skipped: string } {
  const venv = ensureBenchVenv(log);
  return venv.python ? { python: venv.python } : { skipped: venv.why ?? 'no bench venv' };
}

function benchTorch(o: Options, figures: Record<string, Figure>, numerics: Record<string, any> | undefined): unknown {
  const found = torchPython();
  if ('skipped' in found) {
    log(`torch reference skipped: ${found.skipped}`);
    return found;
  }
  const py = found.python;
  log(`torch reference (${o.runs} runs) …`);
  const r = run(py, [path.join(ROOT, 'bench', 'torch_reference.py'), '--runs', String(o.runs)], { timeoutMs: 30 * 60_000 });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').slice(-5).join('\n') };
  const d = lastJsonLine(r.stdout) as Record<string, any>;
  figures['torch: 1000-step 2D trajectory (adam)'] = timeFigure(d.trajectory.adam, 1, 'ms', `torch ${d.torch}`);
  figures['torch: 1000-step 2D trajectory (sgd)'] = timeFigure(d.trajectory.sgd, 1, 'ms', `torch ${d.torch}`);
  figures['torch: MLP training throughput'] = { median: d.mlp.examples_per_s_median, best: d.mlp.examples_per_s_max, unit: 'examples/s', better: 'higher', n: d.mlp.n, load1: round(median(d.mlp.load1_runs), 3), note: `torch ${d.torch}, 1 thread` };
  // ratios course / torch (time ratios > 1: the course is slower; throughput ratio < 1: the course is slower)
  const ratios: Record<string, unknown> = {};
  for (const [backend, nd] of Object.entries(numerics ?? {})) {
    if (!nd || nd.skipped || nd.error) continue;
    const b = nd.backend as string;
    const rt: Record<string, number> = {};
    for (const opt of ['adam', 'sgd']) {
      const ours = nd.trajectory.runs[`${opt}.minimize`];
      rt[`trajectory_${opt}_time_ratio_median`] = round(ours.median_ms / d.trajectory[opt].median_ms, 3);
      rt[`trajectory_${opt}_time_ratio_best`] = round(ours.min_ms / d.trajectory[opt].min_ms, 3);
      const p = nd.trajectory.final_point[opt] as number[];
      const q = d.final_point[opt] as number[];
      rt[`trajectory_${opt}_final_point_max_abs_diff`] = round(Math.max(...p.map((v, i) => Math.abs(v - q[i]))), 3);
    }
    rt.mlp_throughput_ratio_median = round(nd.mlp.examples_per_s_median / d.mlp.examples_per_s_median, 3);
    rt.mlp_throughput_ratio_best = round(nd.mlp.examples_per_s_max / d.mlp.examples_per_s_max, 3);
    // the same on best CPU time (user + system of the measuring process, all its threads): steadier
    // than wall time on a loaded machine; tensorflow's thread pool counts in full
    const ourAdam = nd.trajectory.runs['adam.minimize'];
    if (ourAdam.cpu_min_ms && d.trajectory.adam.cpu_min_ms) rt.trajectory_adam_cpu_time_ratio_best = round(ourAdam.cpu_min_ms / d.trajectory.adam.cpu_min_ms, 3);
    if (nd.mlp.cpu_min_ms && d.mlp.cpu_min_ms) rt.mlp_throughput_cpu_ratio_best = round(d.mlp.cpu_min_ms / nd.mlp.cpu_min_ms, 3);
    ratios[b] = rt;
    void backend;
  }
  return { ...d, ratios };
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** The figures as an aligned text table. */
export function table(figures: Record<string, Figure>): string {
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    fmt(f.median),
    fmt(f.best),
    f.cpu_best === undefined ? '—' : fmt(f.cpu_best),
    f.unit,
    String(f.n),
    fmt(f.load1),
    [f.note, f.from && `measured ${f.from}`].filter(Boolean).join('; '),
  ]);
  const head = ['figure', 'median', 'best', 'cpu best', 'unit', 'n', 'load1', 'note'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/**
 * Figures more than REGRESSION_THRESHOLD worse than in the previous run. Compared on the best CPU time
 * when both runs have one (the least load-sensitive number), else on the best run.
 */
export function regressions(now: Record<string, Figure>, before: Record<string, Figure> | undefined): string[] {
  if (!before) return [];
  const out: string[] = [];
  for (const [name, f] of Object.entries(now)) {
    const p = before[name];
    if (!p || p.unit !== f.unit || f.from) continue;
    const cpu = p.cpu_best !== undefined && f.cpu_best !== undefined;
    const [a, b] = cpu ? [p.cpu_best as number, f.cpu_best as number] : [p.best, f.best];
    if (!(a > 0) || !(b > 0)) continue;
    const worse = f.better === 'lower' ? b / a - 1 : a / b - 1;
    if (worse > REGRESSION_THRESHOLD) {
      out.push(`${name}: ${fmt(a)} → ${fmt(b)} ${f.unit}${cpu ? ' CPU' : ''} (${(worse * 100).toFixed(0)} % worse; load1 ${fmt(p.load1)} then, ${fmt(f.load1)} now)`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseBenchArgs(process.argv.slice(2));
  if (o.help) {
    console.log(USAGE);
    return;
  }
  const previous = fs.existsSync(OUT) ? (JSON.parse(fs.readFileSync(OUT, 'utf8')) as { figures?: Record<string, Figure>; date?: string }) : undefined;
  const cpus = os.cpus();
  const started = Date.now();
  const report: Record<string, any> = {
    version: 1,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memory_gb: round(os.totalmem() / 2 ** 30, 3),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      tfjs: (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')) as { version: string }).version,
    },
    runs: o.runs,
    loadavg_start: load(),
    figures: {} as Record<string, Figure>,
  };
  const figures = report.figures as Record<string, Figure>;
  if (o.only.has('kernel')) report.kernel = benchKernel(o, figures);
  if (o.only.has('tslab')) report.tslab = benchTslab(figures);
  if (o.only.has('startup')) report.startup = benchStartup(o, figures);
  if (o.only.has('notebooks')) report.notebooks = await benchNotebooks(o, figures);
  if (o.only.has('numerics')) report.numerics = benchNumerics(o, figures);
  if (o.only.has('torch')) report.torch = benchTorch(o, figures, report.numerics);
  report.loadavg_end = load();
  report.seconds = round((Date.now() - started) / 1000, 3);
  // keep figures of sections not run this time, so --only does not erase the rest of the baseline
  if (previous?.figures && o.only.size < SECTIONS.length) {
    for (const [k, v] of Object.entries(previous.figures)) if (!(k in figures)) figures[k] = { ...v, from: v.from ?? previous.date };
  }
  const flagged = regressions(figures, previous?.figures);
  report.regressions = flagged;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(report, null, 2));

  console.log('');
  console.log(`${report.machine.cpu} × ${report.machine.cores} · ${report.machine.memory_gb} GB · node ${report.machine.node} · tfjs ${report.machine.tfjs}`);
  console.log(`load average at start ${report.loadavg_start.join(' ')}, at end ${report.loadavg_end.join(' ')} (${os.cpus().length} cores); best = min for times, max for throughputs`);
  if (report.notebooks?.source) console.log(`notebooks: ${report.notebooks.source}`);
  console.log('');
  console.log(table(figures));
  if (report.kernel?.ratio_lines) {
    console.log('');
    console.log('kernel side by side (course = this patch; before = the kernel on main: tslab + one-rebuild patch; torch = ipykernel + PyTorch):');
    for (const l of report.kernel.ratio_lines as string[]) console.log(`  ${l}`);
  }
  if (report.torch?.ratios) {
    console.log('');
    console.log(`ratios to PyTorch ${report.torch.torch} (${report.torch.threads} thread) measured in this run; tfjs backends at their defaults:`);
    for (const [b, r] of Object.entries(report.torch.ratios as Record<string, Record<string, number>>)) {
      console.log(`course (${b}) / torch: trajectory adam time ×${r.trajectory_adam_time_ratio_median} (median), ×${r.trajectory_adam_time_ratio_best} (best), ×${r.trajectory_adam_cpu_time_ratio_best ?? '—'} (best CPU); MLP throughput ×${r.mlp_throughput_ratio_median} (median), ×${r.mlp_throughput_ratio_best} (best), ×${r.mlp_throughput_cpu_ratio_best ?? '—'} (best CPU); final points differ by ≤ ${r.trajectory_adam_final_point_max_abs_diff}`);
    }
  }
  console.log('');
  if (!previous) console.log('no previous build/bench.json to compare with');
  else if (flagged.length === 0) console.log(`no figure more than ${REGRESSION_THRESHOLD * 100} % worse than the previous run (${previous.date})`);
  else {
    console.log(`REGRESSIONS (> ${REGRESSION_THRESHOLD * 100} % worse than ${previous.date}; a commit that causes one must say why):`);
    for (const l of flagged) console.log(`  ${l}`);
  }
  console.log(`wrote ${path.relative(ROOT, OUT)} in ${report.seconds} s`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[bench] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
