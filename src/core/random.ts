/**
 * Seeded pseudo-random numbers in plain TypeScript, so every notebook run gives the same numbers.
 * Generator: mulberry32 (32-bit state); normals by the Box–Muller transform.
 */

/** A seeded random source: uniform in [0, 1), standard normal, integers, shuffles. */
export interface Rng {
  /** u ~ U[0, 1). */
  uniform(): number;
  /** z ~ N(0, 1) by Box–Muller: z = √(−2 ln u₁) · cos(2π u₂). */
  normal(): number;
  /** k ~ uniform on {0, …, n−1}. */
  int(n: number): number;
  /** A Fisher–Yates shuffle of [0, n) (a new array). */
  permutation(n: number): number[];
}

/** Creates a seeded generator (mulberry32); the same seed gives the same stream. */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
  let a = Math.floor(seed) >>> 0;
  let spare: number | undefined;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u1 = uniform();
    while (u1 <= Number.MIN_VALUE) u1 = uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`n must be a positive integer; got ${n}`);
    return Math.floor(uniform() * n);
  };
  const permutation = (n: number): number[] => {
    if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer; got ${n}`);
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  };
  return { uniform, normal, int, permutation };
}
