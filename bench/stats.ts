/**
 * Timing helpers for the benchmarks: run a function n times after a warm-up, keep every run's wall
 * time (performance.now), CPU time of this process (process.cpuUsage, user + system) and the 1-minute
 * load average, and summarise them as median and minimum.
 *
 * On a shared machine the wall time is inflated by other processes; the minimum and the CPU time are
 * the figures least affected by that, so both are recorded.
 */
import os from 'node:os';

/** One timed case: n runs summarised, plus the raw runs and the load while they ran. */
export interface Measurement {
  /** median and minimum of the wall times (ms). */
  median_ms: number;
  min_ms: number;
  n: number;
  /** median and minimum of this process's CPU time (user + system, ms) over the same runs. */
  cpu_median_ms: number;
  cpu_min_ms: number;
  /** wall time of every run (ms). */
  runs_ms: number[];
  /** os.loadavg() (1, 5, 15 min) when the measurement ended, and the 1-min load at every run. */
  loadavg: number[];
  load1_runs: number[];
}

/** The median of a non-empty list: the middle value, or the mean of the two middle values when n is even.
 *  The course's one median (bench, figure export, tslab timing). */
export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error('median needs a non-empty list; got []');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to `digits` significant digits (keeps bench.json readable). */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/** Summarises wall times (and CPU times, loads) of n runs. */
export function summarize(wall: number[], cpu: number[], load1: number[]): Measurement {
  return {
    median_ms: round(median(wall)),
    min_ms: round(Math.min(...wall)),
    n: wall.length,
    cpu_median_ms: round(median(cpu)),
    cpu_min_ms: round(Math.min(...cpu)),
    runs_ms: wall.map((t) => round(t)),
    loadavg: os.loadavg().map((l) => round(l, 3)),
    load1_runs: load1.map((l) => round(l, 3)),
  };
}

/** A full garbage collection when node runs with --expose-gc (bench/run.ts starts numerics.ts so), so
 *  that one case's garbage is not collected on the next case's clock. */
function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Runs fn `warmup` times untimed, then `runs` times timed; returns the summary. */
export function measure(fn: () => unknown, runs: number, warmup = 1): Measurement {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer; got ${runs}`);
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  const load1: number[] = [];
  for (let i = 0; i < runs; i++) {
    collect();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(t);
    cpu.push((c.user + c.system) / 1000);
    load1.push(os.loadavg()[0]);
  }
  return summarize(wall, cpu, load1);
}

/** Interleaves several cases run by run (case A, B, C, A, B, C, …) so that load changes hit all alike. */
export function measureInterleaved(cases: Record<string, () => unknown>, runs: number, warmup = 1): Record<string, Measurement> {
  const names = Object.keys(cases);
  for (let i = 0; i < warmup; i++) for (const n of names) cases[n]();
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const load1: Record<string, number[]> = {};
  for (const n of names) {
    wall[n] = [];
    cpu[n] = [];
    load1[n] = [];
  }
  for (let r = 0; r < runs; r++) {
    for (const n of names) {
      collect();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      cases[n]();
      wall[n].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[n].push((c.user + c.system) / 1000);
      load1[n].push(os.loadavg()[0]);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(wall[n], cpu[n], load1[n])]));
}
