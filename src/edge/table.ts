/**
 * Tables at the edge: nodejs-polars DataFrames from plain columns, and the tables of the core's results
 * (a trajectory of minimize, the log of fitLinearRegression, a network probe). polars is required when a
 * table is made, never at module load, and the core never imports this module: it runs without polars.
 */
import type { DataFrame, Series } from 'nodejs-polars';
import type { ProbeResult } from '../nets/probe';
import type { FitHistory } from '../training/fit-regression';
import type { Trajectory } from '../training/minimize';

/** A column-oriented table: name → values (all columns the same length). */
export type Columns = Record<string, ArrayLike<number> | (string | number | boolean | null)[]>;

/**
 * Loads nodejs-polars, or throws one line saying how to repair it: npm skips polars' native package on
 * Node < 22 (it declares engines node >= 22) and the project's postinstall fetches it, but an
 * `npm install <pkg>` (which does not run the root postinstall) removes it again.
 */
export function loadPolars(): typeof import('nodejs-polars') {
  try {
    return require('nodejs-polars') as typeof import('nodejs-polars');
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`nodejs-polars does not load (${why}); run \`npm install\` or \`node scripts/postinstall.js\` to restore its native package`);
  }
}

/** Builds a polars DataFrame from columns, checking they all have the same length. */
export function dataFrame(columns: Columns): DataFrame {
  const names = Object.keys(columns);
  if (names.length === 0) throw new Error('dataFrame() needs at least one column');
  const n = columns[names[0]].length;
  for (const name of names) {
    if (columns[name].length !== n) {
      throw new Error(`column ${JSON.stringify(name)} has ${columns[name].length} values; column ${JSON.stringify(names[0])} has ${n}`);
    }
  }
  const pl = loadPolars();
  const plain: Record<string, unknown[]> = {};
  for (const name of names) plain[name] = Array.from(columns[name] as ArrayLike<unknown>);
  return pl.DataFrame(plain);
}

/** A trajectory of minimize as a table: step, x0 … x{n−1}, loss, grad_norm, lr (null on the last row), recorded buffers. */
export function trajectoryFrame(t: Trajectory): DataFrame {
  const pl = loadPolars();
  const n = t.points.length;
  const dim = t.points[0].length;
  const cols: Record<string, unknown[]> = { step: Array.from({ length: n }, (_, k) => k) };
  for (let i = 0; i < dim; i++) cols[`x${i}`] = t.points.map((p) => p[i]);
  cols.loss = t.losses;
  cols.grad_norm = t.gradNorms;
  cols.lr = [...t.lrs, null];
  for (const [name, snaps] of Object.entries(t.states ?? {})) {
    const width = snaps[0]?.length ?? 0;
    for (let i = 0; i < width; i++) cols[`${name}${i}`] = snaps.map((s) => s[i]);
  }
  const series = Object.entries(cols).map(([name, values]) =>
    name === 'step' ? pl.Series(name, values as number[], pl.Int32) : pl.Series(name, values as number[], pl.Float64),
  );
  return pl.DataFrame(series);
}

/** The log of fitLinearRegression as a table: step, epoch, loss, seconds, and w0 … w{d−1}, b when recorded. */
export function fitHistoryFrame(h: FitHistory): DataFrame {
  const pl = loadPolars();
  const series: Series[] = [
    pl.Series('step', h.step, pl.Int32),
    pl.Series('epoch', h.epoch, pl.Float64),
    pl.Series('loss', h.loss, pl.Float64),
    pl.Series('seconds', h.seconds, pl.Float64),
  ];
  if (h.params) {
    const d = h.final.w.length;
    for (let j = 0; j < d; j++) series.push(pl.Series(`w${j}`, h.params.map((t) => t[j]), pl.Float64));
    series.push(pl.Series('b', h.params.map((t) => t[d]), pl.Float64));
  }
  return pl.DataFrame(series);
}

/** A probe's rows as a table: layer, activation, units, act_mean, act_std, saturated, grad_norm_w, grad_norm_b. */
export function probeFrame(p: ProbeResult): DataFrame {
  const rows = p.rows;
  return dataFrame({
    layer: rows.map((r) => r.layer),
    activation: rows.map((r) => r.activation),
    units: rows.map((r) => r.units),
    act_mean: rows.map((r) => r.act_mean),
    act_std: rows.map((r) => r.act_std),
    saturated: rows.map((r) => r.saturated),
    grad_norm_w: rows.map((r) => r.grad_norm_w),
    grad_norm_b: rows.map((r) => r.grad_norm_b),
  });
}
