/**
 * The few trace-making helpers the live figures need, written to give the same numbers as the notebooks'
 * own cells (4-significant-digit contours, log₁₀ contour lines, paths as x/y arrays). The general figure
 * builders of src/figures/*.ts can replace these once both have landed.
 */
import type { Objective } from '../../core/objective';
import type { Trace } from '../../core/figure';

/** v to 4 significant digits (the notebooks' r4/z4 rounding of plotted values). */
export const r4 = (v: number): number => +v.toPrecision(4);

/** A matrix to 4 significant digits. */
export const z4 = (z: number[][]): number[][] => z.map((row) => row.map(r4));

/** n evenly spaced values from lo to hi. */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** x, y, z of f on an n×n grid (z[j][i] = f(x_i, y_j)) with `map` applied to every value. */
export function gridXYZ(obj: Objective, xr: [number, number], yr: [number, number], n: number, map: (v: number) => number = (v) => v): { x: number[]; y: number[]; z: number[][] } {
  const g = obj.grid(xr, yr, n);
  return { x: g.x, y: g.y, z: g.z.map((row) => row.map(map)) };
}

/**
 * The contour lines of log₁₀(f + 10⁻⁴) on a 61×61 grid, values to 4 digits: the `contourTrace` of chapters 07
 * and 08 (x, y, z only; the style stays the notebook's).
 */
export function logContourXYZ(obj: Objective, xr: [number, number], yr: [number, number]): Trace {
  const g = obj.grid(xr, yr, 61);
  return { x: g.x.map(r4), y: g.y.map(r4), z: g.z.map((row) => row.map((v) => r4(Math.log10(v + 1e-4)))) };
}

/** The x and y arrays of a path (optionally rounded). */
export function pathXY(points: number[][], round: (v: number) => number = (v) => v): { x: number[]; y: number[] } {
  return { x: points.map((p) => round(p[0])), y: points.map((p) => round(p[1])) };
}

/** ‖x_k‖ for every point (the distance to a minimum at the origin). */
export function distances(points: number[][]): number[] {
  return points.map((p) => Math.hypot(...p));
}

/** Rounds a parameter for a run-cache key (keys never differ by float noise of a slider). */
export function key(...parts: (number | string | boolean | number[])[]): string {
  return parts.map((p) => (typeof p === 'number' ? String(+p.toPrecision(12)) : Array.isArray(p) ? p.map((v) => +v.toPrecision(12)).join(',') : String(p))).join('|');
}
