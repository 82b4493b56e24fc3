/**
 * The only module that knows about Jupyter. `show(fig)` turns a course Figure into ONE display
 * bundle and sends it to the front end:
 *   application/vnd.plotly.v1+json  the figure: drawn by the course's renderer in JupyterLab 4 and Notebook 7
 *                                   (jupyter/labextension, trusted or not), by VS Code, by the nbclassic
 *                                   extension, by nbconvert pages and the site (plotly.js once per page);
 *   text/plain                      the caption, for front ends that run no scripts.
 * No output carries plotly.js or HTML that needs it, so a figure never depends on another output (re-runs,
 * reordering, partial runs). `npm start` adds a static image/png to each figure of the executed copies
 * (GitHub, front ends without a plotly renderer). Long numeric arrays travel as plotly typed-array specs
 * (base64, float32 as computed), other numbers with FIGURE_DIGITS significant digits: a notebook file holds
 * its figures' data in a few bytes per value instead of one indented JSON line per number.
 * Outside a kernel (unit tests, scripts) nothing is sent and the bundle is returned instead.
 *
 * Sending a whole bundle uses tslab's internal `lastWriteDisplayData` (its public `display.*`
 * sends one mime type per output); that dependency lives in `sendDisplayData` alone.
 */
import type { Figure } from '../core/figure';

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
/** Significant digits of the numbers in a figure's JSON (float32 carries about 7; a plot needs far fewer). */
export const FIGURE_DIGITS = 5;

let nonceCounter = 0;

import { escapeHtml } from '../core/html';
export { escapeHtml };

/** JSON that is safe inside a <script> element: <, >, &, U+2028/9 become \u escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A JSON copy of a figure's value with every non-integer number rounded to `digits` significant digits
 * (x ↦ Number(x.toPrecision(digits))) and typed arrays written as plain arrays.
 */
export function compactNumbers(value: unknown, digits: number = FIGURE_DIGITS): unknown {
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
  if (Array.isArray(value)) return value.map((v) => compactNumbers(v, digits));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (v) => compactNumbers(v, digits));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compactNumbers(v, digits);
    return out;
  }
  return value;
}

/** Numeric arrays at least this long are written as plotly typed-array specs (binaryArrays). */
export const BINARY_MIN_LENGTH = 8;

/** A plotly.js typed-array spec: the values' bytes in base64 (little-endian), their dtype and shape ("rows,cols"). */
export interface TypedArraySpec {
  dtype: 'i4' | 'f4' | 'f8';
  bdata: string;
  shape: string;
}

function base64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * The values of a 1D array, or of a rectangular 2D array (row-major) with its shape, when every entry is a finite
 * number or null (a gap, which becomes NaN: plotly.js leaves a gap for NaN in a typed array as for null); else undefined.
 */
function numericBlock(value: unknown): { values: ArrayLike<number>; shape: number[] } | undefined {
  const isNums = (a: ArrayLike<unknown>) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== null && (typeof a[i] !== 'number' || !Number.isFinite(a[i] as number))) return false;
    return true;
  };
  const gapsToNaN = (a: ArrayLike<unknown>): ArrayLike<number> => (Array.prototype.some.call(a, (x) => x === null) ? Array.from(a, (x) => (x === null ? NaN : (x as number))) : (a as ArrayLike<number>));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number>;
    return isNums(a) ? { values: a, shape: [a.length] } : undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (isNums(value)) return { values: gapsToNaN(value), shape: [value.length] };
  const rows = value as unknown[];
  const first = rows[0];
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) return undefined;
  const cols = (first as ArrayLike<unknown>).length;
  if (cols === 0) return undefined;
  const flat = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as ArrayLike<unknown>;
    if ((!Array.isArray(row) && !ArrayBuffer.isView(row)) || row.length !== cols || !isNums(row)) return undefined;
    for (let c = 0; c < cols; c++) flat[r * cols + c] = row[c] === null ? NaN : (row[c] as number);
  }
  return { values: flat, shape: [rows.length, cols] };
}

/**
 * Writes a numeric array (1D, or rectangular 2D) of at least BINARY_MIN_LENGTH entries, finite numbers or null
 * gaps, as a plotly.js typed-array spec: i4 when every value is an int32 (and there is no gap), f4 when float32
 * holds every value's magnitude (float32 is what tfjs computed them in), else f8; gaps become NaN. Anything
 * else: undefined (kept as JSON).
 */
export function typedArraySpec(value: unknown): TypedArraySpec | undefined {
  const block = numericBlock(value);
  if (!block || block.values.length < BINARY_MIN_LENGTH) return undefined;
  const v = block.values;
  let ints = true;
  let f4 = true;
  let values = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (Number.isNaN(x)) {
      ints = false; // a gap needs a float type
      continue;
    }
    values++;
    const a = Math.abs(x);
    if (ints && !(Number.isInteger(x) && a <= 0x7fffffff)) ints = false;
    if (f4 && (a > 3e38 || (a !== 0 && a < 1e-37))) f4 = false;
  }
  if (values === 0) return undefined;
  const typed = ints ? Int32Array.from(v) : f4 ? Float32Array.from(v) : Float64Array.from(v);
  return {
    dtype: ints ? 'i4' : f4 ? 'f4' : 'f8',
    bdata: base64(new Uint8Array(typed.buffer)),
    shape: block.shape.join(','),
  };
}

/**
 * The JSON of a figure's data: long numeric arrays as typed-array specs (typedArraySpec), every other number
 * rounded to FIGURE_DIGITS significant digits (compactNumbers). plotly.js ≥ 2.28 (and so the course's renderers,
 * its pages, VS Code and plotly.py 6's own output) reads both.
 */
export function binaryArrays(value: unknown): unknown {
  const spec = typedArraySpec(value);
  if (spec) return spec;
  if (Array.isArray(value)) return value.map((v) => binaryArrays(v));
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = binaryArrays(v);
    return out;
  }
  return compactNumbers(value);
}

/** Trace types that take x0/dx (y0/dy) in place of an evenly spaced x (y); z gives a contour or heatmap its size. */
const EVEN_STEP_TYPES = new Set(['scatter', 'scattergl', 'contour', 'heatmap']);
const SIZED_BY_Z = new Set(['contour', 'heatmap']);

/** {start, step} when the ≥ BINARY_MIN_LENGTH values are start + i·step to float32 precision (of the range); else undefined. */
export function evenSteps(values: unknown): { start: number; step: number } | undefined {
  if ((!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) || (values as ArrayLike<unknown>).length < BINARY_MIN_LENGTH) return undefined;
  const v = values as ArrayLike<unknown>;
  const n = v.length;
  if (!Array.prototype.every.call(v, (x: unknown) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  const first = v[0] as number;
  const step = ((v[n - 1] as number) - first) / (n - 1);
  if (step === 0) return undefined;
  const tol = 2 ** -23 * Math.max(Math.abs(first), Math.abs(v[n - 1] as number), Math.abs(step));
  for (let i = 0; i < n; i++) if (Math.abs((v[i] as number) - (first + i * step)) > tol) return undefined;
  return { start: first, step };
}

/**
 * A trace's JSON: an evenly spaced x or y as x0/dx (y0/dy) where the trace type takes them (a scatter keeps one
 * of its two arrays, which gives it its length), then binaryArrays.
 */
export function packTrace(trace: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...trace };
  const type = typeof trace.type === 'string' ? trace.type : 'scatter';
  const exact: Record<string, number> = {};
  if (EVEN_STEP_TYPES.has(type)) {
    for (const [axis, start, step] of [['x', 'x0', 'dx'], ['y', 'y0', 'dy']] as const) {
      if (out[start] !== undefined || out[step] !== undefined) continue;
      // A scatter's length comes from its x or y array: keep at least one of them.
      if (!SIZED_BY_Z.has(type) && (out.x === undefined || out.y === undefined)) continue;
      const even = evenSteps(out[axis]);
      if (!even) continue;
      delete out[axis];
      exact[start] = even.start;
      exact[step] = even.step;
    }
  }
  // start and step generate every coordinate: they keep full precision (not FIGURE_DIGITS).
  return { ...(binaryArrays(out) as Record<string, unknown>), ...exact };
}

/** Builds the display bundle of a figure: plotly JSON (packTrace for each trace, binaryArrays for frames) + the caption as text. */
export function figureBundle(fig: Figure): DisplayBundle {
  if (!fig || typeof fig.id !== 'string' || !Array.isArray(fig.data)) {
    throw new Error(`show() needs a Figure {id, caption, data, layout}; got ${fig === null ? 'null' : typeof fig}`);
  }
  const plotly: Record<string, unknown> = { data: fig.data.map((t) => packTrace(t)), layout: compactNumbers(fig.layout ?? {}) };
  if (fig.frames) plotly.frames = binaryArrays(fig.frames);
  if (fig.config) plotly.config = fig.config;
  return {
    data: {
      [PLOTLY_MIME]: plotly,
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
export function show(fig: Figure): DisplayBundle | undefined {
  const bundle = figureBundle(fig);
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
