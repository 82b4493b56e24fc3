/**
 * Shared by the live-figure tests (Node and Chromium): the value each control is moved to, trace comparison
 * within a tolerance, and a signature of the plotted data (to see that it changed).
 */
import type { Control, ParamValue } from '../src/figures/live';
import type { Trace } from '../src/core/figure';

/** A value of the control other than its default: a third of the way to the farther end of a range (on its step grid), another option, another point. */
export function alternativeValue(c: Control): ParamValue {
  if (c.kind === 'select') return c.options.find((o) => o.value !== c.default)!.value;
  if (c.kind === 'point') {
    const [[xl, xh], [yl, yh]] = c.bounds;
    const p: [number, number] = [xl + 0.3 * (xh - xl), yl + 0.75 * (yh - yl)];
    if (Math.abs(p[0] - c.default[0]) < 1e-9 && Math.abs(p[1] - c.default[1]) < 1e-9) p[0] = xl + 0.6 * (xh - xl);
    return [+p[0].toPrecision(6), +p[1].toPrecision(6)];
  }
  const d = c.log ? Math.log10(c.default) : c.default;
  const far = c.max - d >= d - c.min ? c.max : c.min;
  const steps = Math.max(1, Math.round(Math.abs(far - d) / 3 / c.step));
  const v = +(d + Math.sign(far - d) * steps * c.step).toPrecision(12);
  return c.log ? 10 ** v : v;
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap((x) => (Array.isArray(x) ? flat(x) : [x])) : [v];
}

/**
 * undefined when every x, y, z of `ref` is in `live` with the same shape and each value within
 * tol·|ref value| + atol (or 1e-7 of the array's largest magnitude); else what differs first.
 */
export function compareTraces(live: Trace | undefined, ref: Trace, tol: number, atol = 0): string | undefined {
  if (!live) return 'the live figure has no such trace';
  for (const key of ['x', 'y', 'z'] as const) {
    if (ref[key] === undefined) continue;
    if (live[key] === undefined) return `live trace has no ${key}`;
    const a = flat(live[key]);
    const b = flat(ref[key]);
    if (a.length !== b.length) return `${key} has ${a.length} values, the notebook's ${b.length}`;
    const scale = Math.max(0, ...b.map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : 0)));
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (y === null || typeof y !== 'number') {
        if (x !== y && !(x === null && y === undefined)) return `${key}[${i}] = ${JSON.stringify(x)}, the notebook's ${JSON.stringify(y)}`;
        continue;
      }
      if (typeof x !== 'number') return `${key}[${i}] = ${JSON.stringify(x)}, the notebook's ${y}`;
      if (!(Math.abs(x - y) <= tol * Math.abs(y) + atol || Math.abs(x - y) <= 1e-7 * scale)) return `${key}[${i}] = ${x}, the notebook's ${y} (relative tolerance ${tol}, absolute ${atol})`;
    }
  }
  return undefined;
}

/** The x, y, z of some traces as one string (to compare before and after a change). */
export function dataSignature(data: Trace[], indices: number[]): string {
  return JSON.stringify(indices.map((i) => [data[i]?.x, data[i]?.y, data[i]?.z, data[i]?.visible]));
}
