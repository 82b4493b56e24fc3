/**
 * Trajectories x_0, x_1, …, x_K drawn in the plane of two coordinates: the path as one scatter trace, and
 * its start and end as markers.
 */
import type { Trace } from '../core/figure';

/** Options of pathTrace. */
export interface PathOptions {
  name: string;
  color: string;
  /** 'lines+markers' (default), 'lines' or 'markers'. */
  mode?: 'lines+markers' | 'lines' | 'markers';
  /** Line width (plotly's default when omitted). */
  width?: number;
  /** Marker size (plotly's default when omitted). */
  markerSize?: number;
  /** Draw every `every`-th point (and always the last); default 1. */
  every?: number;
  /** The two coordinates drawn, default [0, 1]. */
  dims?: [number, number];
  /** Further plotly attributes (xaxis, showlegend, …), merged last. */
  extra?: Trace;
}

function keptPoints(points: ArrayLike<number>[], every: number, dims: [number, number]): ArrayLike<number>[] {
  if (!Array.isArray(points) || points.length === 0) throw new Error('points must be a non-empty array of points');
  if (!Number.isInteger(every) || every < 1) throw new Error(`every must be a positive integer; got ${every}`);
  const dim = Math.max(...dims);
  points.forEach((p, k) => {
    if (!p || typeof p.length !== 'number' || p.length <= dim) throw new Error(`points[${k}] must have at least ${dim + 1} coordinates`);
  });
  return every === 1 ? points : points.filter((_, k) => k % every === 0 || k === points.length - 1);
}

/** A trajectory as a scatter trace through (x_k[i], x_k[j]), k = 0, every, 2·every, …, K. */
export function pathTrace(points: ArrayLike<number>[], options: PathOptions): Trace {
  const { name, color, mode = 'lines+markers', width, markerSize, every = 1, dims = [0, 1], extra = {} } = options;
  const pts = keptPoints(points, every, dims);
  const trace: Trace = { type: 'scatter', mode, name, x: pts.map((p) => p[dims[0]]), y: pts.map((p) => p[dims[1]]) };
  if (mode !== 'markers') trace.line = width === undefined ? { color } : { color, width };
  if (mode !== 'lines') trace.marker = markerSize === undefined ? { color } : { color, size: markerSize };
  return { ...trace, ...extra };
}

/** The start x_0 (open circle) and the end x_K (cross) of a trajectory, as one markers trace. */
export function pathEnds(points: ArrayLike<number>[], options: Omit<PathOptions, 'mode' | 'width' | 'every'>): Trace {
  const { name, color, markerSize = 10, dims = [0, 1], extra = {} } = options;
  const pts = keptPoints(points, 1, dims);
  const ends = [pts[0], pts[pts.length - 1]];
  return {
    type: 'scatter',
    mode: 'markers',
    name,
    x: ends.map((p) => p[dims[0]]),
    y: ends.map((p) => p[dims[1]]),
    marker: { color, size: markerSize, symbol: ['circle-open', 'x'] },
    ...extra,
  };
}
