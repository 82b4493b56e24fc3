/**
 * Heat maps, and rate maps: the convergence rate ρ of a method over a grid of two hyperparameters,
 * coloured where the method converges (ρ < 1) and left blank where it diverges.
 */
import type { Trace } from '../core/figure';

function checkRows(z: ArrayLike<number | null>[], what: string): void {
  if (!Array.isArray(z) || z.length === 0) throw new Error(`${what} must be a non-empty array of rows`);
  const n = z[0]?.length;
  z.forEach((row, j) => {
    if (!row || row.length !== n || n === 0) throw new Error(`${what}[${j}] must have ${n} values like the first row; got ${row?.length}`);
  });
}

/** A heat map of z[j][i] at (x_i, y_j) (rows are y; x and y default to indices), style merged last. */
export function heatmapTrace(z: ArrayLike<number | null>[], options: { x?: ArrayLike<unknown>; y?: ArrayLike<unknown>; style?: Trace } = {}): Trace {
  checkRows(z, 'z');
  const { x, y, style = {} } = options;
  if (x !== undefined && x.length !== z[0].length) throw new Error(`x must have one entry per column (${z[0].length}); got ${x.length}`);
  if (y !== undefined && y.length !== z.length) throw new Error(`y must have one entry per row (${z.length}); got ${y.length}`);
  const trace: Trace = { type: 'heatmap', z };
  if (x !== undefined) trace.x = x;
  if (y !== undefined) trace.y = y;
  return { ...trace, ...style };
}

/**
 * A rate map: the rates ρ[j][i] at (x_i, y_j) as a filled contour; cells with ρ ≥ limit (default 1: the run
 * diverges) become null and stay blank. Default colours: reversed Viridis (fast = bright), colour bar "ρ".
 */
export function rateMapTrace(x: ArrayLike<number>, y: ArrayLike<number>, rates: ArrayLike<number>[], options: { limit?: number; style?: Trace } = {}): Trace {
  checkRows(rates, 'rates');
  const { limit = 1, style = {} } = options;
  if (x.length !== rates[0].length) throw new Error(`x must have one entry per column of rates (${rates[0].length}); got ${x.length}`);
  if (y.length !== rates.length) throw new Error(`y must have one entry per row of rates (${rates.length}); got ${y.length}`);
  if (!(limit > 0)) throw new Error(`limit must be a number > 0; got ${limit}`);
  // z = ρ where ρ < limit, else a gap
  const z = Array.from(rates, (row) => Array.from(row, (r) => (r < limit ? r : null)));
  return {
    type: 'contour',
    x,
    y,
    z,
    colorscale: 'Viridis',
    reversescale: true,
    contours: { coloring: 'heatmap' },
    colorbar: { title: { text: 'ρ' } },
    ...style,
  };
}
