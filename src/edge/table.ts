/**
 * Tables at the edge: builds nodejs-polars DataFrames from plain columns. polars is required when a
 * table is made, never at module load, so the numeric core runs without it.
 */
import type { DataFrame } from 'nodejs-polars';

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
