/**
 * From a LiveSpec and parameters to the figure the page draws: defaults, parameter checks, the merge of the
 * recomputed traces into the notebook's figure, and the run cache. The same function runs in the page and in
 * the tests (Node), so what the test compares with the notebook is what the page shows.
 */
import type { Trace } from '../../core/figure';
import { show } from '../../core/validate';
import type { Control, LiveContext, LiveSpec, Params, ParamValue, PlotlyJson } from './types';

/** The notebook's parameters: every control's default. */
export function defaultParams(spec: LiveSpec): Params {
  const p: Params = {};
  for (const c of spec.controls) p[c.name] = c.kind === 'point' ? [c.default[0], c.default[1]] : c.default;
  return p;
}

/** A control's value made valid: a number in its range (log ranges in value units), an option, a point in its box. */
export function clampParam(c: Control, v: unknown): ParamValue {
  if (c.kind === 'select') {
    if (typeof v !== 'string' || !c.options.some((o) => o.value === v)) throw new Error(`${c.name} must be one of ${c.options.map((o) => o.value).join(', ')}; got ${show(v)}`);
    return v;
  }
  if (c.kind === 'point') {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new Error(`${c.name} must be a point [x, y] of finite numbers; got ${show(v)}`);
    }
    const [[xl, xh], [yl, yh]] = c.bounds;
    return [Math.min(xh, Math.max(xl, v[0] as number)), Math.min(yh, Math.max(yl, v[1] as number))];
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${c.name} must be a finite number; got ${show(v)}`);
  const lo = c.log ? 10 ** c.min : c.min;
  const hi = c.log ? 10 ** c.max : c.max;
  return Math.min(hi, Math.max(lo, v));
}

/** The spec's defaults with `changes` applied (unknown names are an error). */
export function withParams(spec: LiveSpec, changes: Params = {}): Params {
  const p = defaultParams(spec);
  for (const [k, v] of Object.entries(changes)) {
    const c = spec.controls.find((x) => x.name === k);
    if (!c) throw new Error(`${spec.id}: unknown control ${JSON.stringify(k)} (controls: ${spec.controls.map((x) => x.name).join(', ')})`);
    p[k] = clampParam(c, v);
  }
  return p;
}

/** A trace with `patch` over it; a patched x (y) drops the static x0/dx (y0/dy) that would describe the old one. */
export function mergeTrace(base: Trace | undefined, patch: Trace): Trace {
  const out: Trace = { ...(base ?? {}) };
  if ('x' in patch) {
    delete out.x0;
    delete out.dx;
  }
  if ('y' in patch) {
    delete out.y0;
    delete out.dy;
  }
  return Object.assign(out, patch);
}

/** A run cache with at most `size` entries (oldest out first). */
export function runCache(size = 200): LiveContext['memo'] {
  const store = new Map<string, unknown>();
  return <T>(key: string, make: () => T): T => {
    if (store.has(key)) {
      const v = store.get(key) as T;
      store.delete(key);
      store.set(key, v);
      return v;
    }
    const v = make();
    store.set(key, v);
    if (store.size > size) store.delete(store.keys().next().value as string);
    return v;
  };
}

/** The live figure's start (spec.prepare of the notebook's figure, or that figure). */
export function liveBase(spec: LiveSpec, notebook: PlotlyJson): PlotlyJson {
  const copy = JSON.parse(JSON.stringify(notebook)) as PlotlyJson;
  return spec.prepare ? spec.prepare(copy) : copy;
}

/** The figure (data, layout) and numbers for `params`, recomputed by spec.compute and merged into `base`. */
export function renderLive(
  spec: LiveSpec,
  base: PlotlyJson,
  params: Params,
  memo: LiveContext['memo'] = runCache(),
): { data: Trace[]; layout: Record<string, unknown>; numbers: Record<string, number | null> } {
  const r = spec.compute(params, { memo, base });
  const data = base.data.slice();
  for (const [k, patch] of Object.entries(r.traces)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i > data.length) throw new Error(`${spec.id}: trace index ${k} is not in 0…${data.length}`);
    data[i] = mergeTrace(base.data[i], patch);
  }
  for (const n of spec.numbers) {
    if (!(n.key in r.numbers)) throw new Error(`${spec.id}: compute returned no number ${JSON.stringify(n.key)}`);
  }
  return { data, layout: { ...base.layout, ...(r.layout ?? {}) }, numbers: r.numbers };
}

/** A number as the page shows it: integers as they are, others to `digits` significant digits, null as "—". */
export function formatNumber(v: number | null, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
}
