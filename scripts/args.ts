/**
 * Command lines of the course's scripts and benchmarks: Node's own `util.parseArgs` (strict: an unknown
 * flag or a flag without its value is an error), plus what every script adds on top of it: `--help`/`-h`,
 * an error message that names the flag and ends with the script's usage, and checked numbers and lists.
 * (kernel/install.js, kernel/patch-tslab.js and jupyter/setup.js are plain JavaScript run by npm's
 * postinstall before anything is compiled: they call util.parseArgs directly.)
 */
import { parseArgs } from 'node:util';

/** One flag as util.parseArgs declares it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean | string[] | boolean[];
}

/** The `--help`/`-h` flag every script accepts. */
export const HELP = { type: 'boolean', short: 'h' } as const;

/**
 * util.parseArgs over `argv` (strict) with the given flags (the caller includes HELP) and, when
 * `positionals` is true, bare arguments. A parse error becomes an Error naming the flag or argument,
 * followed by `usage`.
 */
export function parseFlags<const O extends Record<string, FlagSpec>, const P extends boolean = false>(
  argv: string[],
  options: O,
  usage: string,
  positionals?: P,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals ?? false, strict: true } as { args: string[]; options: O; allowPositionals: P; strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new Error(`${(err as Error).message}\n${usage}`);
    throw err;
  }
}

/** A flag's value as a positive integer (an error naming the flag and the value otherwise). */
export function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer; got ${JSON.stringify(value)}`);
  return n;
}

/** A flag's value as a positive finite number; `what` says what it counts (e.g. "number of seconds"). */
export function positiveNumber(flag: string, value: string, what = 'number'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive ${what}; got ${JSON.stringify(value)}`);
  return n;
}

/** A comma-separated flag value whose every item is one of `allowed` (empty items dropped). */
export function listOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').filter(Boolean);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new Error(`--${flag} takes ${allowed.join(',')}; got ${JSON.stringify(item)}`);
  return items as T[];
}
