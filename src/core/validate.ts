/**
 * Argument checks shared by the library: each returns the value or throws an Error that names the
 * parameter and shows the value it got (e.g. "lr must be a finite number > 0; got -1").
 */

/** A value as an error message shows it: strings and arrays as JSON, everything else as String(v). */
export function show(v: unknown): string {
  return Array.isArray(v) || typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** x must be a finite number. */
export function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${what} must be a finite number; got ${show(x)}`);
  return x;
}

/** x must be a finite number > 0. */
export function positive(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) throw new Error(`${what} must be a finite number > 0; got ${show(x)}`);
  return x;
}

/** x must be a finite number ≥ 0. */
export function nonNegative(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new Error(`${what} must be a finite number ≥ 0; got ${show(x)}`);
  return x;
}

/** x must be an integer ≥ 1. */
export function positiveInt(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) throw new Error(`${what} must be a positive integer; got ${show(x)}`);
  return x;
}

/** x must be in [0, 1). */
export function unitInterval(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x >= 1) throw new Error(`${what} must be in [0, 1); got ${show(x)}`);
  return x;
}
