/**
 * The executed chapters the live-figure tests compare with: build/notebooks/<chapter>.ipynb and build/html/<chapter>.html
 * as the notebook suite (which runs first in `npm test`) or `npm start` left them, when they are newer than the
 * notebook's source and the last run of it succeeded; otherwise the test executes the chapter itself into
 * build/test-live/. DLOPT_LIVE_BUILD=<dir> reads another build directory instead (e.g. a main checkout's build/).
 *
 * From an executed notebook: each figure's plotly JSON by id, the ✓ check lines and the tables (showTable), so
 * a NotebookRef of a live spec can be looked up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/jupyter';
import { runNotebooks } from '../scripts/run-notebooks';
import type { NotebookRef, PlotlyJson } from '../src/figures/live';
import { printedChecks } from './notebook-checks';

export const LIVE_TEST_BUILD = path.join(ROOT, 'build', 'test-live');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, { figure_id?: string; checks?: unknown } | undefined>;
}

export interface ExecutedChapter {
  chapter: string;
  executed: string;
  html: string;
  figures: Map<string, PlotlyJson>;
  stdout: string;
  tables: { caption: string; columns: string[]; rows: string[][] }[];
}

const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function fresh(buildDir: string, chapter: string): boolean {
  const executed = path.join(buildDir, 'notebooks', `${chapter}.ipynb`);
  const html = path.join(buildDir, 'html', `${chapter}.html`);
  const source = path.join(ROOT, 'notebooks', `${chapter}.ipynb`);
  if (!fs.existsSync(executed) || !fs.existsSync(html)) return false;
  if (!process.env.DLOPT_LIVE_BUILD && fs.statSync(executed).mtimeMs < fs.statSync(source).mtimeMs) return false;
  const manifest = path.join(buildDir, 'notebooks', 'manifest.json');
  if (!fs.existsSync(manifest)) return false;
  const r = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { results: { notebook: string; ok: boolean }[] }).results.find((x) => x.notebook === `${chapter}.ipynb`);
  return r?.ok === true;
}

/** The build directories that hold a fresh executed copy of every chapter (executing the missing ones). */
export async function ensureChapters(chapters: string[], log: (l: string) => void = (l) => console.log(l)): Promise<Map<string, string>> {
  const main = process.env.DLOPT_LIVE_BUILD ? path.resolve(process.env.DLOPT_LIVE_BUILD) : path.join(ROOT, 'build');
  const where = new Map<string, string>();
  const missing: string[] = [];
  for (const c of chapters) {
    if (fresh(main, c)) where.set(c, main);
    else if (fresh(LIVE_TEST_BUILD, c)) where.set(c, LIVE_TEST_BUILD);
    else missing.push(c);
  }
  if (missing.length) {
    log(`executing ${missing.join(', ')} for the live-figure tests (no fresh executed copy in ${path.relative(ROOT, main) || main})`);
    const results = await runNotebooks({ paths: missing.map((c) => path.join(ROOT, 'notebooks', `${c}.ipynb`)), outDir: LIVE_TEST_BUILD, log });
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`live-figure tests: ${failed.map((r) => `${r.notebook} cell ${r.cell}: ${r.error}`).join('; ')}`);
    for (const c of missing) where.set(c, LIVE_TEST_BUILD);
  }
  return where;
}

/** Parses showTable's HTML tables. */
export function parseTables(html: string): ExecutedChapter['tables'] {
  const out: ExecutedChapter['tables'] = [];
  for (const m of html.matchAll(/<table class="dlopt-table">([\s\S]*?)<\/table>/g)) {
    const body = m[1];
    const caption = unescape(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(body)?.[1] ?? '');
    const columns = [...(/<thead>([\s\S]*?)<\/thead>/.exec(body)?.[1] ?? '').matchAll(/<th>([\s\S]*?)<\/th>/g)].map((x) => unescape(x[1]));
    const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => unescape(x[1])),
    );
    out.push({ caption, columns, rows });
  }
  return out;
}

/** Reads an executed chapter: figures by id, stdout, tables. */
export function readChapter(buildDir: string, chapter: string): ExecutedChapter {
  const executed = path.join(buildDir, 'notebooks', `${chapter}.ipynb`);
  const nb = JSON.parse(fs.readFileSync(executed, 'utf8')) as { cells: { outputs?: Output[] }[] };
  const figures = new Map<string, PlotlyJson>();
  let stdout = '';
  let tableHtml = '';
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      stdout += printedChecks(o);
      const id = o.metadata?.['dl-optimization']?.figure_id;
      const fig = o.data?.['application/vnd.plotly.v1+json'] as PlotlyJson | undefined;
      if (id && fig) figures.set(id, fig);
      const html = o.data?.['text/html'];
      if (html) tableHtml += text(html as string | string[]);
    }
  }
  return { chapter, executed, html: path.join(buildDir, 'html', `${chapter}.html`), figures, stdout, tables: parseTables(tableHtml) };
}

function parseNumber(s: string, what: string): number | null {
  const t = s.trim();
  if (t === '' || t === 'null') return null;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`${what}: ${JSON.stringify(s)} is not a number`);
  return v;
}

/** The number a NotebookRef points at in an executed chapter (throws, naming the reference, when it is not there). */
export function notebookNumber(ch: ExecutedChapter, ref: NotebookRef, figureId: string): number | null {
  if ('check' in ref) {
    const prefix = `✓ ${ref.check} = `;
    const line = ch.stdout.split('\n').find((l) => l.startsWith(prefix));
    if (!line) throw new Error(`${ch.chapter}: no check line starting ${JSON.stringify(prefix)}`);
    return parseNumber(line.slice(prefix.length).replace(/ \(expected[\s\S]*$/, ''), `check ${ref.check}`);
  }
  if ('stdout' in ref) {
    const m = ref.stdout.exec(ch.stdout);
    if (!m) throw new Error(`${ch.chapter}: stdout does not match ${ref.stdout}`);
    return parseNumber(m[1], `stdout ${ref.stdout}`);
  }
  if ('table' in ref) {
    const t = ch.tables.find((x) => x.caption.startsWith(ref.table));
    if (!t) throw new Error(`${ch.chapter}: no table whose caption starts ${JSON.stringify(ref.table)}`);
    const col = t.columns.indexOf(ref.column);
    if (col < 0) throw new Error(`${ch.chapter}, table "${ref.table}": no column ${JSON.stringify(ref.column)} (${t.columns.join(' | ')})`);
    const row = typeof ref.row === 'number' ? t.rows[ref.row] : t.rows.find((r) => r[t.columns.indexOf((ref.row as { column: string }).column)] === (ref.row as { equals: string }).equals);
    if (!row) throw new Error(`${ch.chapter}, table "${ref.table}": no row ${JSON.stringify(ref.row)}`);
    return parseNumber(row[col], `table ${ref.table} [${JSON.stringify(ref.row)}, ${ref.column}]`);
  }
  const fig = ch.figures.get(figureId);
  if (!fig) throw new Error(`${ch.chapter}: no figure ${figureId}`);
  return ref.figure(fig);
}

/** A short description of where a reference points. */
export function describeRef(ref: NotebookRef): string {
  if ('check' in ref) return `check "${ref.check}"`;
  if ('stdout' in ref) return `stdout ${ref.stdout}`;
  if ('table' in ref) return `table "${ref.table}" row ${JSON.stringify(ref.row)} column "${ref.column}"`;
  return `figure data: ${ref.what}`;
}
