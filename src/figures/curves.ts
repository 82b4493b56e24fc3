/**
 * Loss (or error) curves against the step, usually on a log axis. A log axis cannot show 0 or a negative
 * value: a curve either draws values below `floor` at the floor, or leaves a gap (null) for them.
 */
import type { Trace } from '../core/figure';

/** Options of lossCurve. */
export interface CurveOptions {
  name: string;
  color?: string;
  /** Line width and dash ('dash', 'dot', …); plotly's defaults when omitted. */
  width?: number;
  dash?: string;
  /** The x of each value (default: its index k). */
  x?: ArrayLike<number>;
  /** Draw max(v, floor) (e.g. 1e-30 for a loss that reaches 0). */
  floor?: number;
  /** Leave a gap (null) where v ≤ 0 (for a log axis; e.g. a term that changes sign). */
  gaps?: boolean;
  /** Keep the values with index k ≡ 0 (mod every); default 1. */
  every?: number;
  /** 'lines' (default), 'lines+markers' or 'markers'. */
  mode?: 'lines' | 'lines+markers' | 'markers';
  /** Further plotly attributes (line width, dash, xaxis, showlegend, …), merged last. */
  extra?: Trace;
}

/** A curve y_k (against k, or the given x) as a scatter trace, with floor or gaps for a log axis. */
export function lossCurve(values: ArrayLike<number>, options: CurveOptions): Trace {
  const { name, color, width, dash, x, floor, gaps = false, every = 1, mode = 'lines', extra = {} } = options;
  if (!values || typeof values.length !== 'number' || values.length === 0) throw new Error('values must be a non-empty array of numbers');
  if (x !== undefined && x.length !== values.length) throw new Error(`x must have one entry per value (${values.length}); got ${x.length}`);
  if (floor !== undefined && !(floor > 0)) throw new Error(`floor must be a number > 0; got ${floor}`);
  if (!Number.isInteger(every) || every < 1) throw new Error(`every must be a positive integer; got ${every}`);
  const ks = Array.from({ length: values.length }, (_, k) => k).filter((k) => k % every === 0);
  const y = ks.map((k) => {
    const v = values[k];
    if (gaps && !(v > 0)) return null;
    return floor !== undefined ? Math.max(v, floor) : v;
  });
  const trace: Trace = { type: 'scatter', mode, name, x: ks.map((k) => (x ? x[k] : k)), y };
  const line = Object.fromEntries(Object.entries({ color, width, dash }).filter(([, v]) => v !== undefined));
  if (Object.keys(line).length > 0) trace.line = line;
  return { ...trace, ...extra };
}

/** A logarithmic axis with powers of ten as tick labels: { type: 'log', exponentformat: 'power', title }. */
export function logAxis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, type: 'log', exponentformat: 'power', ...extra };
}
