/**
 * Reading the figure JSON that the notebooks wrote (src/edge/show.ts packs it): typed-array specs
 * {dtype, bdata, shape} back to numbers, and x0/dx (y0/dy) back to coordinate arrays, so a trace's x, y, z
 * can be compared or reused. Browser-safe (atob, no Buffer).
 */
import type { Trace } from '../../core/figure';

interface TypedSpec {
  dtype: string;
  bdata: string;
  shape?: string;
}

function isTyped(v: unknown): v is TypedSpec {
  return !!v && typeof v === 'object' && typeof (v as TypedSpec).bdata === 'string' && typeof (v as TypedSpec).dtype === 'string';
}

/** The numbers of a typed-array spec (NaN gaps become null), 2D when its shape says "rows,cols". */
export function decodeTyped(spec: TypedSpec): (number | null)[] | (number | null)[][] {
  const bin = atob(spec.bdata);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const ctor = { f4: Float32Array, f8: Float64Array, i4: Int32Array, u1: Uint8Array, i1: Int8Array, u2: Uint16Array, i2: Int16Array, u4: Uint32Array }[spec.dtype];
  if (!ctor) throw new Error(`unknown typed-array dtype ${JSON.stringify(spec.dtype)}`);
  const typed = new ctor(bytes.buffer);
  const flat = Array.from(typed as ArrayLike<number>, (v) => (Number.isNaN(v) ? null : v));
  const shape = (spec.shape ?? String(flat.length)).split(',').map(Number);
  if (shape.length === 1) return flat;
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, r) => flat.slice(r * cols, (r + 1) * cols));
}

/** A value as plain JSON: typed-array specs decoded, everything else as it is (deeply). */
export function unpackValue(v: unknown): unknown {
  if (isTyped(v)) return decodeTyped(v);
  if (Array.isArray(v)) return v.map(unpackValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unpackValue(x);
    return out;
  }
  return v;
}

/** A trace with every array decoded and x0/dx, y0/dy expanded to x, y (length from the other axis or from z). */
export function unpackTrace(trace: Trace): Trace {
  const t = unpackValue(trace) as Trace;
  const z = t.z as unknown[][] | undefined;
  for (const [axis, start, step] of [['x', 'x0', 'dx'], ['y', 'y0', 'dy']] as const) {
    if (t[axis] !== undefined || t[start] === undefined || t[step] === undefined) continue;
    const other = (axis === 'x' ? t.y : t.x) as unknown[] | undefined;
    const n = z && Array.isArray(z[0]) ? (axis === 'x' ? z[0].length : z.length) : other?.length;
    if (n === undefined) continue;
    const a = t[start] as number;
    const d = t[step] as number;
    t[axis] = Array.from({ length: n }, (_, i) => a + i * d);
    delete t[start];
    delete t[step];
  }
  return t;
}
