/**
 * Contour plots of an objective (or of any grid z[j][i] = f(x_i, y_j), plotly's convention: rows are y).
 * A log-scaled version, z = log₁₀(f + floor), puts evenly spaced levels both on steep walls and on the
 * flat floor of an ill-conditioned valley, where linear levels would all crowd the walls.
 */
import type { Trace } from '../core/figure';
import type { Grid, Objective } from '../core/objective';

/** Thin grey level lines without colour bar, legend or hover: the background of a trajectory plot. */
export const LEVEL_LINES: Readonly<Trace> = {
  contours: { coloring: 'lines' },
  ncontours: 18,
  showscale: false,
  hoverinfo: 'skip',
  colorscale: [
    [0, '#bbb'],
    [1, '#bbb'],
  ],
  line: { width: 1 },
  showlegend: false,
};

/** Filled contours in a reversed sequential colour scale (dark = low), without colour bar or hover. */
export function shadedContours(options: { colorscale?: string; ncontours?: number; opacity?: number } = {}): Trace {
  const { colorscale = 'Greys', ncontours = 20, opacity = 0.5 } = options;
  if (!Number.isInteger(ncontours) || ncontours < 1) throw new Error(`ncontours must be a positive integer; got ${ncontours}`);
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`opacity must be in [0, 1]; got ${opacity}`);
  return { showscale: false, ncontours, colorscale, reversescale: true, opacity, hoverinfo: 'skip' };
}

/** A contour trace of a grid: { type: 'contour', x, y, z } plus the style (LEVEL_LINES unless given). */
export function contourTrace(grid: Grid, style: Trace = LEVEL_LINES): Trace {
  checkGrid(grid);
  return { type: 'contour', x: grid.x, y: grid.y, z: grid.z, ...style };
}

/** Options of objectiveContour. */
export interface ObjectiveContourOptions {
  /** Grid points per axis (default 61). */
  n?: number;
  /** Draw log₁₀(f + floor) instead of f: true uses floor = 1e-4, a number sets it (f + floor must stay > 0). */
  log?: boolean | number;
  /** Style attributes merged into the trace (default LEVEL_LINES). */
  style?: Trace;
}

/**
 * The contour of a 2D objective over the box xRange × yRange: z[j][i] = f(x_i, y_j) on an n × n grid (one
 * batched evaluation), or log₁₀(f(x_i, y_j) + floor) with `log`.
 */
export function objectiveContour(objective: Objective, xRange: [number, number], yRange: [number, number], options: ObjectiveContourOptions = {}): Trace {
  if (!objective || typeof objective.grid !== 'function') throw new Error(`objective must come from defineObjective; got ${typeof objective}`);
  const n = options.n ?? 61;
  if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer ≥ 2; got ${n}`);
  const log = options.log ?? false;
  const floor = log === true ? 1e-4 : log === false ? 0 : log;
  if (typeof floor !== 'number' || !Number.isFinite(floor) || floor < 0) throw new Error(`log must be true, false or a floor ≥ 0; got ${log}`);
  const g = objective.grid(xRange, yRange, n);
  const z = log === false
    ? g.z
    : g.z.map((row, j) =>
        row.map((v, i) => {
          // log₁₀(f + floor)
          const s = v + floor;
          if (!(s > 0)) throw new Error(`log contour: f + floor = ${s} ≤ 0 at (${g.x[i]}, ${g.y[j]}); pass a larger floor`);
          return Math.log10(s);
        }),
      );
  return contourTrace({ x: g.x, y: g.y, z }, options.style ?? LEVEL_LINES);
}

function checkGrid(grid: Grid): void {
  if (!grid || !Array.isArray(grid.z) || grid.z.length === 0) throw new Error('grid must be { x, y, z } with z a non-empty array of rows');
  const nx = grid.x?.length;
  const ny = grid.y?.length;
  if (typeof nx !== 'number' || typeof ny !== 'number') throw new Error('grid must have x and y arrays');
  if (grid.z.length !== ny) throw new Error(`grid.z must have one row per y value (${ny}); got ${grid.z.length} rows`);
  grid.z.forEach((row, j) => {
    if (!row || row.length !== nx) throw new Error(`grid.z[${j}] must have one value per x value (${nx}); got ${row?.length}`);
  });
}
