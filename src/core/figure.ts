/**
 * The figure type every builder returns: a plain plotly figure (data + layout, optionally frames)
 * with a stable id (`chNN-slug`, cited from slides) and a caption. No Jupyter, no Node here.
 */

/** One plotly trace (scatter, contour, surface, heatmap, …): plain JSON. */
export type Trace = Record<string, unknown> & { type?: string };

/** A plotly animation frame (used for sliders that work without a kernel). */
export interface Frame {
  name: string;
  data: Trace[];
  traces?: number[];
  layout?: Record<string, unknown>;
}

/** A course figure: plotly data + layout, a stable id and a one-sentence caption. */
export interface Figure {
  /** Stable id `chNN-slug` (lowercase letters, digits, dashes). */
  id: string;
  caption: string;
  data: Trace[];
  layout: Record<string, unknown>;
  frames?: Frame[];
  config?: Record<string, unknown>;
}

const ID_PATTERN = /^ch\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Builds a Figure and checks its id (`chNN-slug`) and that every number in it is finite or null. */
export function figure(spec: Figure): Figure {
  if (typeof spec.id !== 'string' || !ID_PATTERN.test(spec.id)) {
    throw new Error(`figure id must look like "ch02-saddle-surface" (chNN-slug); got ${JSON.stringify(spec.id)}`);
  }
  if (typeof spec.caption !== 'string' || spec.caption.trim() === '') {
    throw new Error(`figure ${spec.id}: caption must be a non-empty string`);
  }
  if (!Array.isArray(spec.data) || spec.data.length === 0) {
    throw new Error(`figure ${spec.id}: data must be a non-empty array of traces`);
  }
  const bad = findNonFinite(spec.data, 'data');
  if (bad) throw new Error(`figure ${spec.id}: ${bad} is not finite (NaN/Infinity would draw a silent gap)`);
  return spec;
}

function findNonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} = ${value}`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const arr = value as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) {
      const r = findNonFinite(arr[i], `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const r = findNonFinite(v, `${path}.${k}`);
      if (r) return r;
    }
  }
  return undefined;
}
