/**
 * A progress bar that redraws ONE notebook output in place (a display handle of src/edge/show.ts keeps
 * its display id), e.g. while a network trains:
 *
 *   training  ██████████░░░░░░░░░░  50% 20/40 · 3.1 s · ~3.1 s left · adam epoch 4 val acc 0.912
 *
 * The text is also sent as HTML with a <progress> element. Redraws are throttled (minIntervalMs)
 * except the first and the last. Outside a kernel the handle prints nothing for bundles, so pass
 * `handle` to capture the output (tests) or call `text()`.
 */
import { displayHandle, escapeHtml, type DisplayBundle } from './show';

/** Where a progress bar draws: anything with update(bundle | text) (a DisplayHandle). */
export interface ProgressTarget {
  update(content: DisplayBundle | string): void;
}

/** Options of progressBar and renderProgress. */
export interface ProgressOptions {
  /** Text before the bar. */
  label?: string;
  /** Characters of the bar (default 24). */
  width?: number;
  /** Least time between two redraws in ms (default 150); the first and the final state always draw. */
  minIntervalMs?: number;
  /** Where to draw (default: a new displayHandle()). */
  handle?: ProgressTarget;
  /** Clock in ms (default Date.now), for tests. */
  now?: () => number;
}

/** A progress bar over `total` units of work. */
export interface ProgressBar {
  readonly total: number;
  /** Units done so far. */
  readonly value: number;
  /** Sets the units done (0 ≤ value ≤ total) and an optional status text; redraws if due. */
  update(value: number, info?: string): void;
  /** value ← value + 1. */
  tick(info?: string): void;
  /** Marks the work complete (value = total) and draws the final state. */
  finish(info?: string): void;
  /** The current line as text. */
  text(): string;
  /** How many times the bar was drawn (throttling makes this ≤ the number of updates). */
  readonly draws: number;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * The bar as text: round(width · value/total) full blocks, the rest light shade, then the percentage,
 * value/total, the elapsed time and the estimated time left (elapsed · (total − value)/value).
 */
export function renderProgress(value: number, total: number, opts: { label?: string; width?: number; info?: string; elapsedMs?: number } = {}): string {
  if (!Number.isInteger(total) || total < 1) throw new Error(`total must be a positive integer; got ${total}`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > total) throw new Error(`value must be a number in [0, ${total}]; got ${value}`);
  const width = opts.width ?? 24;
  if (!Number.isInteger(width) || width < 1) throw new Error(`width must be a positive integer; got ${width}`);
  const frac = value / total;
  // filled = round(width · value / total)
  const filled = Math.round(width * frac);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const parts = [`${opts.label ? `${opts.label}  ` : ''}${bar} ${String(Math.floor(100 * frac)).padStart(3)}% ${value}/${total}`];
  if (opts.elapsedMs !== undefined) {
    parts.push(formatSeconds(opts.elapsedMs));
    // time left ≈ elapsed · (total − value) / value
    if (value > 0 && value < total) parts.push(`~${formatSeconds((opts.elapsedMs * (total - value)) / value)} left`);
  }
  if (opts.info) parts.push(opts.info);
  return parts.join(' · ');
}

/** Creates a progress bar over `total` units drawn in place through one display handle. */
export function progressBar(total: number, options: ProgressOptions = {}): ProgressBar {
  if (!Number.isInteger(total) || total < 1) throw new Error(`total must be a positive integer; got ${total}`);
  const minIntervalMs = options.minIntervalMs ?? 150;
  if (typeof minIntervalMs !== 'number' || !Number.isFinite(minIntervalMs) || minIntervalMs < 0) throw new Error(`minIntervalMs must be a finite number ≥ 0; got ${minIntervalMs}`);
  const width = options.width ?? 24;
  if (!Number.isInteger(width) || width < 1) throw new Error(`width must be a positive integer; got ${width}`);
  const now = options.now ?? (() => Date.now());
  const handle = options.handle ?? displayHandle();
  const t0 = now();
  let value = 0;
  let info = '';
  let lastDraw = -Infinity;
  let draws = 0;

  const text = (): string => renderProgress(value, total, { label: options.label, width, info, elapsedMs: now() - t0 });
  const draw = (): void => {
    const line = text();
    const pct = (100 * value) / total;
    const html =
      `<div class="dlopt-progress" style="font-family:monospace;font-size:90%">` +
      `<progress value="${value}" max="${total}" style="width:16em;vertical-align:middle"></progress> ` +
      `${escapeHtml(line.replace(/[█░]+ /, ''))}</div>`;
    handle.update({ data: { 'text/plain': line, 'text/html': html }, metadata: { 'dl-optimization': { progress: pct } } });
    lastDraw = now();
    draws += 1;
  };
  const update = (v: number, status?: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > total) throw new Error(`value must be a number in [0, ${total}]; got ${v}`);
    value = v;
    if (status !== undefined) info = status;
    // draw the first state, the final state, and otherwise at most every minIntervalMs
    if (draws === 0 || value === total || now() - lastDraw >= minIntervalMs) draw();
  };
  return {
    total,
    get value() {
      return value;
    },
    get draws() {
      return draws;
    },
    update,
    tick: (status?: string) => update(Math.min(total, value + 1), status),
    finish: (status?: string) => update(total, status),
    text,
  };
}
