/**
 * Rounding, in one place. Figure data needs none: show() writes long arrays as float32 and every other number
 * with FIGURE_DIGITS significant digits. Round only what a reader sees as text (labels, legends, hover text)
 * or a grid whose values must be exact decimals (so that 0.5 is found in it).
 */

/** x to `digits` significant digits: Number(x.toPrecision(digits)). */
export function roundSig(x: number, digits = 4): number {
  if (!Number.isInteger(digits) || digits < 1 || digits > 100) throw new Error(`digits must be an integer in [1, 100]; got ${digits}`);
  if (!Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** x to `decimals` decimal places: round(x·10^d)/10^d (−1.0000000002 → −1, so a grid point equals its decimal). */
export function roundTo(x: number, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) throw new Error(`decimals must be an integer in [0, 15]; got ${decimals}`);
  if (!Number.isFinite(x)) return x;
  const s = 10 ** decimals;
  return Math.round(x * s) / s;
}

/** n evenly spaced values from a to b (both included), each rounded to `decimals` decimals: a + (b − a)·i/(n − 1). */
export function decimalGrid(a: number, b: number, n: number, decimals: number): number[] {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`a and b must be finite numbers; got ${a} and ${b}`);
  if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer ≥ 2; got ${n}`);
  return Array.from({ length: n }, (_, i) => roundTo(a + ((b - a) * i) / (n - 1), decimals));
}
