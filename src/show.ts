/**
 * The only module that knows about Jupyter. `show(fig)` turns a course Figure into ONE display
 * bundle and sends it to the front end:
 *   application/vnd.plotly.v1+json  interactive in JupyterLab (with its plotly renderer) and VS Code;
 *   text/html                       classic Notebook, nbconvert HTML, JupyterLab without the renderer:
 *                                   a div + a loader script; plotly.js itself is inlined ONCE per
 *                                   kernel session (the first figure), never per figure, never from a CDN;
 *   text/plain                      the caption, for front ends that run no scripts.
 * Outside a kernel (unit tests, scripts) nothing is sent and the bundle is returned instead.
 *
 * Sending a whole bundle uses tslab's internal `lastWriteDisplayData` (its public `display.*`
 * sends one mime type per output); that dependency lives in `sendDisplayData` alone.
 */
import type { Figure } from './figure';

/** A Jupyter display_data payload. */
export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** A minimal view of a nodejs-polars DataFrame (what showTable reads). */
export interface TableLike {
  columns: string[];
  height: number;
  toRecords(): Record<string, unknown>[];
  head(n: number): TableLike;
}

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** Marks the inlined library's script tag so a site build can swap it for a shared file. */
export const PLOTLY_SCRIPT_MARKER = 'data-dlopt-plotly-library';

let plotlySentThisSession = false;
let nonceCounter = 0;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON that is safe inside a <script> element: <, >, &, U+2028/9 become \u escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The plotly.js bundle shipped with the course (plotly.js-dist-min), read lazily from node_modules. */
export function plotlyLibrarySource(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const fs = require('fs') as typeof import('fs');
  return fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
}

/** The plotly.js version the course ships. */
export function plotlyVersion(): string {
  return (require('plotly.js-dist-min/package.json') as { version: string }).version;
}

/** A <script> that defines window.Plotly even where require.js would capture the UMD bundle. */
export function plotlyLibraryScript(source: string = plotlyLibrarySource()): string {
  const safe = source.replace(/<\/script/gi, '<\\/script');
  return (
    `<script ${PLOTLY_SCRIPT_MARKER}="${escapeHtml(plotlyVersion())}">` +
    `(function(){if(window.Plotly)return;var d=window.define;window.define=undefined;try{\n${safe}\n}finally{window.define=d;}})();` +
    `</script>`
  );
}

function figureHtml(fig: Figure, nonce: string, includeLibrary: boolean): string {
  const height = typeof fig.layout.height === 'number' ? fig.layout.height : 450;
  const spec = { data: fig.data, layout: fig.layout, frames: fig.frames ?? [], config: { responsive: true, ...(fig.config ?? {}) } };
  // The loader finds its container through document.currentScript (JupyterLab runs scripts
  // before the output is attached to the document) and waits briefly for plotly.js.
  const loader = `(function(){
var me=document.currentScript;var scope=(me&&me.parentNode)||document;
var root=scope.querySelector('[data-dlopt-nonce="${nonce}"]')||document.querySelector('[data-dlopt-nonce="${nonce}"]');
if(!root)return;var plot=root.querySelector('.dlopt-plot');
var spec=JSON.parse(root.querySelector('script[type="application/json"]').textContent);
var tries=0;function draw(){if(window.Plotly){window.Plotly.newPlot(plot,spec);return;}
if(++tries>200){plot.textContent='plotly.js is not loaded in this page: re-run the notebook from the top (the first figure of a kernel session carries plotly.js).';return;}
setTimeout(draw,25);}draw();})();`;
  return (
    (includeLibrary ? plotlyLibraryScript() : '') +
    `<div class="dlopt-figure" id="${escapeHtml(fig.id)}" data-figure-id="${escapeHtml(fig.id)}" data-dlopt-nonce="${nonce}">` +
    `<div class="dlopt-plot" style="width:100%;height:${height}px"></div>` +
    `<p class="dlopt-caption" style="font-size:90%;color:#444"><b>Figure ${escapeHtml(fig.id)}.</b> ${escapeHtml(fig.caption)}</p>` +
    `<script type="application/json">${scriptSafeJson(spec)}</script>` +
    `<script>${loader}</script>` +
    `</div>`
  );
}

/** Options of figureBundle. */
export interface BundleOptions {
  /** Inline plotly.js in this bundle's HTML ('auto': only the first figure of a kernel session). */
  includePlotly?: boolean | 'auto';
}

/** Builds the display bundle of a figure (plotly JSON + HTML with loader + plain-text caption). */
export function figureBundle(fig: Figure, opts: BundleOptions = {}): DisplayBundle {
  if (!fig || typeof fig.id !== 'string' || !Array.isArray(fig.data)) {
    throw new Error(`show() needs a Figure {id, caption, data, layout}; got ${fig === null ? 'null' : typeof fig}`);
  }
  const include = opts.includePlotly ?? 'auto';
  const includeLibrary = include === 'auto' ? !plotlySentThisSession : include;
  if (includeLibrary && include === 'auto') plotlySentThisSession = true;
  const nonce = `${fig.id}-${++nonceCounter}`;
  const plotly: Record<string, unknown> = { data: fig.data, layout: fig.layout };
  if (fig.frames) plotly.frames = fig.frames;
  if (fig.config) plotly.config = fig.config;
  return {
    data: {
      [PLOTLY_MIME]: plotly,
      'text/html': figureHtml(fig, nonce, includeLibrary),
      'text/plain': `Figure ${fig.id}: ${fig.caption}`,
    },
    metadata: { 'dl-optimization': { figure_id: fig.id, caption: fig.caption } },
  };
}

/** Sends a bundle through tslab when running inside its kernel; returns false elsewhere. */
export function sendDisplayData(bundle: DisplayBundle, update = false): boolean {
  let jupyter: { lastWriteDisplayData?: ((b: DisplayBundle, update: boolean) => void) | null } | undefined;
  try {
    const resolved = require.resolve('tslab/dist/jupyter');
    // Only a running tslab kernel has loaded this module; never load it (and zeromq) ourselves.
    const cached = require.cache[resolved];
    jupyter = cached ? (cached.exports as typeof jupyter) : undefined;
  } catch {
    jupyter = undefined;
  }
  const write = jupyter?.lastWriteDisplayData;
  if (typeof write !== 'function') return false;
  write(bundle, update);
  return true;
}

/** True inside a running tslab kernel (a cell is executing). */
export function inKernel(): boolean {
  try {
    const cached = require.cache[require.resolve('tslab/dist/jupyter')];
    return typeof (cached?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData === 'function';
  } catch {
    return false;
  }
}

/** Displays a figure in the notebook (one bundle); outside a kernel returns the bundle. */
export function show(fig: Figure, opts: BundleOptions = {}): DisplayBundle | undefined {
  const bundle = figureBundle(fig, opts);
  return sendDisplayData(bundle) ? undefined : bundle;
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  }
  return String(v);
}

/** Options of showTable. */
export interface TableOptions {
  caption?: string;
  /** Rows shown at most (default 20); the rest are counted. */
  maxRows?: number;
}

/** The display bundle of a table: an HTML table + an aligned plain-text table. */
export function tableBundle(df: TableLike, opts: TableOptions = {}): DisplayBundle {
  if (!df || !Array.isArray(df.columns) || typeof df.toRecords !== 'function') {
    throw new Error('showTable() needs a nodejs-polars DataFrame');
  }
  const maxRows = opts.maxRows ?? 20;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`maxRows must be a positive integer; got ${maxRows}`);
  const rows = (df.height > maxRows ? df.head(maxRows) : df).toRecords();
  const cols = df.columns;
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const more = df.height > maxRows ? `… ${df.height - maxRows} more rows (${df.height} in all)` : '';
  const caption = opts.caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(opts.caption)}</caption>` : '';
  const html =
    `<table class="dlopt-table">${caption}<thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
    cells.map((r) => `<tr>${r.map((v) => `<td style="text-align:right">${escapeHtml(v)}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>` +
    (more ? `<p style="font-size:90%">${escapeHtml(more)}</p>` : '');
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (vals: string[]) => vals.map((v, j) => v.padStart(widths[j])).join('  ');
  const text = [opts.caption ?? '', line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), more]
    .filter((l) => l !== '')
    .join('\n');
  return { data: { 'text/html': html, 'text/plain': text }, metadata: {} };
}

/** Displays a nodejs-polars DataFrame as an HTML table with a text fallback; outside a kernel returns the bundle. */
export function showTable(df: TableLike, opts: TableOptions = {}): DisplayBundle | undefined {
  const bundle = tableBundle(df, opts);
  return sendDisplayData(bundle) ? undefined : bundle;
}

/** A display that is replaced in place on every update (one display id), e.g. a progress bar. */
export interface DisplayHandle {
  id: string;
  update(bundle: DisplayBundle | string): void;
}

/** Creates a display handle; `update` re-renders the same output (text or a bundle). */
export function displayHandle(): DisplayHandle {
  const id = `dlopt-${Date.now().toString(36)}-${++nonceCounter}`;
  let first = true;
  return {
    id,
    update(content) {
      const bundle: DisplayBundle = typeof content === 'string' ? { data: { 'text/plain': content }, metadata: {} } : { ...content };
      bundle.transient = { display_id: id };
      // Outside a kernel nothing is sent: print text updates so scripts still see progress.
      if (!sendDisplayData(bundle, !first) && typeof content === 'string') console.log(content);
      first = false;
    },
  };
}

/** Forgets that plotly.js was sent (for tests; a new kernel session starts fresh anyway). */
export function resetPlotlySession(): void {
  plotlySentThisSession = false;
}
