/**
 * Scripts and benchmarks, without running one: their command lines (util.parseArgs through
 * scripts/args.ts, or directly in the plain-JS kernel/install.js and jupyter/setup.js: the flags each
 * takes, --help, errors that name the flag and the value), the one median they share (bench/stats.ts),
 * and package.json's allowScripts against the lock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { HELP, listOf, parseFlags, positiveInteger, positiveNumber } from '../../scripts/args';
import { parseRunArgs } from '../../scripts/run-notebooks';
import { parseNativeArgs } from '../../scripts/native';
import { parseBenchArgs } from '../../bench/run';
import { parseNumericsArgs } from '../../bench/numerics';
import { median } from '../../bench/stats';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const installJs = require('../../kernel/install.js') as { parseArgs(argv: string[]): { mode: string; dir?: string; print: boolean; quiet: boolean; help: boolean } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const setupJs = require('../../jupyter/setup.js') as { parseArgs(argv: string[]): { sysPrefix: boolean; print: boolean; help: boolean } };

describe('scripts/args: util.parseArgs with usage and checked values', () => {
  const usage = 'usage: demo [--n N] [--fast]';
  const options = { n: { type: 'string' }, fast: { type: 'boolean' }, help: HELP } as const;

  it('parses string, boolean, --flag=value, -h and positionals', () => {
    // util.parseArgs returns its values in a null-prototype object
    assert.deepEqual({ ...parseFlags(['--n', '3', '--fast'], options, usage).values }, { n: '3', fast: true });
    assert.deepEqual({ ...parseFlags(['--n=4'], options, usage).values }, { n: '4' });
    assert.deepEqual({ ...parseFlags(['-h'], options, usage).values }, { help: true });
    assert.deepEqual(parseFlags(['a', '--fast', 'b'], options, usage, true).positionals, ['a', 'b']);
  });

  it('an unknown flag, a missing value or an unexpected argument is an error naming it, followed by the usage', () => {
    assert.throws(() => parseFlags(['--fats'], options, usage), (e: Error) => /Unknown option '--fats'/.test(e.message) && e.message.endsWith(`\n${usage}`));
    assert.throws(() => parseFlags(['--n'], options, usage), /Option '--n <value>' argument missing[\s\S]*usage: demo/);
    assert.throws(() => parseFlags(['stray'], options, usage), /Unexpected argument 'stray'[\s\S]*usage: demo/);
    assert.throws(() => parseFlags(['--fast=yes'], options, usage), /Option '--fast' does not take an argument/);
  });

  it('numbers and lists are checked, naming the flag and the value', () => {
    assert.equal(positiveInteger('jobs', '3'), 3);
    for (const bad of ['0', '-1', '2.5', 'two', '', ' ']) assert.throws(() => positiveInteger('jobs', bad), new RegExp(`^Error: --jobs must be a positive integer; got ${JSON.stringify(JSON.stringify(bad)).slice(1, -1)}$`));
    assert.equal(positiveNumber('timeout', '0.5', 'number of seconds'), 0.5);
    assert.throws(() => positiveNumber('timeout', 'Infinity', 'number of seconds'), /--timeout must be a positive number of seconds; got "Infinity"/);
    assert.throws(() => positiveNumber('timeout', '0'), /--timeout must be a positive number; got "0"/);
    assert.deepEqual(listOf('only', 'a,,c', ['a', 'b', 'c']), ['a', 'c']);
    assert.throws(() => listOf('only', 'a,x', ['a', 'b']), /--only takes a,b; got "x"/);
  });
});

describe('each script’s flags', () => {
  it('scripts/run-notebooks.ts: name filters, --timeout SECONDS, --jobs N', () => {
    assert.deepEqual(parseRunArgs(['03', '--timeout', '30', '08', '--jobs=2']), { filters: ['03', '08'], timeout: 30, jobs: 2, help: false });
    assert.deepEqual(parseRunArgs([]), { filters: [], help: false });
    assert.equal(parseRunArgs(['--help']).help, true);
    assert.throws(() => parseRunArgs(['--jobs', '0']), /--jobs must be a positive integer; got "0"/);
    assert.throws(() => parseRunArgs(['--timeout', 'soon']), /--timeout must be a positive number of seconds; got "soon"/);
    // before util.parseArgs, a mistyped flag became a name filter that matched no notebook
    assert.throws(() => parseRunArgs(['--job', '2']), /Unknown option '--job'/);
  });

  it('scripts/native.ts: --force', () => {
    assert.deepEqual(parseNativeArgs([]), { force: false, help: false });
    assert.deepEqual(parseNativeArgs(['--force']), { force: true, help: false });
    assert.throws(() => parseNativeArgs(['--froce']), /Unknown option '--froce'/);
  });

  it('bench/run.ts: --runs, --notebooks, --no-chapters, --only, --backends', () => {
    const d = parseBenchArgs([]);
    assert.deepEqual({ ...d, only: [...d.only] }, { runs: 5, notebooks: false, chapters: true, only: ['kernel', 'tslab', 'startup', 'notebooks', 'numerics', 'torch'], backends: ['node', 'wasm', 'cpu'], help: false });
    const o = parseBenchArgs(['--runs', '7', '--notebooks', '--no-chapters', '--only', 'numerics,torch', '--backends', 'wasm']);
    assert.deepEqual({ ...o, only: [...o.only] }, { runs: 7, notebooks: true, chapters: false, only: ['numerics', 'torch'], backends: ['wasm'], help: false });
    assert.throws(() => parseBenchArgs(['--runs', '0']), /--runs must be a positive integer; got "0"/);
    assert.throws(() => parseBenchArgs(['--only', 'kernel,gpu']), /--only takes kernel,tslab,startup,notebooks,numerics,torch; got "gpu"/);
    assert.throws(() => parseBenchArgs(['--backends', 'webgl']), /--backends takes node,wasm,cpu; got "webgl"/);
  });

  it('bench/numerics.ts: --backend and --out required, --runs', () => {
    assert.deepEqual(parseNumericsArgs(['--backend', 'wasm', '--out', 'x.json']), { backend: 'wasm', runs: 5, out: 'x.json', help: false });
    assert.equal(parseNumericsArgs(['--backend', 'cpu', '--runs', '3', '--out', 'y.json']).runs, 3);
    assert.throws(() => parseNumericsArgs(['--backend', 'gpu', '--out', 'x.json']), /--backend must be node, wasm or cpu; got "gpu"/);
    assert.throws(() => parseNumericsArgs(['--backend', 'cpu']), /--out FILE is required/);
  });

  it('kernel/install.js: one of --user, --sys-prefix, --prefix DIR, --dir DIR; --print, --quiet', () => {
    assert.deepEqual(installJs.parseArgs([]), { mode: 'user', dir: undefined, print: false, quiet: false, help: false });
    assert.deepEqual(installJs.parseArgs(['--dir', '/k', '--quiet']), { mode: 'dir', dir: '/k', print: false, quiet: true, help: false });
    assert.deepEqual(installJs.parseArgs(['--prefix=/p']), { mode: 'prefix', dir: '/p', print: false, quiet: false, help: false });
    assert.equal(installJs.parseArgs(['--sys-prefix', '--print']).mode, 'sys-prefix');
    assert.throws(() => installJs.parseArgs(['--prefix']), /Option '--prefix <value>' argument missing/);
    assert.throws(() => installJs.parseArgs(['--prefix', '/a', '--dir', '/b']), /choose one of --user, --sys-prefix, --prefix DIR, --dir DIR; got --prefix and --dir/);
    assert.throws(() => installJs.parseArgs(['--global']), /Unknown option '--global'/);
  });

  it('jupyter/setup.js: --sys-prefix, --print', () => {
    assert.deepEqual(setupJs.parseArgs([]), { sysPrefix: false, print: false, help: false });
    assert.deepEqual(setupJs.parseArgs(['--sys-prefix', '--print', '-h']), { sysPrefix: true, print: true, help: true });
    assert.throws(() => setupJs.parseArgs(['--sysprefix']), /Unknown option '--sysprefix'/);
  });
});

describe('bench/stats median (the scripts’ one median)', () => {
  it('is the middle value, or the mean of the two middle ones, of an unsorted list; empty is an error', () => {
    assert.equal(median([5]), 5);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([10, -1, 7, 7, 0]), 7);
    const xs = [9, 8, 1];
    median(xs);
    assert.deepEqual(xs, [9, 8, 1], 'the argument is not sorted in place');
    assert.throws(() => median([]), /median needs a non-empty list; got \[\]/);
  });
});

describe('package.json allowScripts', () => {
  it('decides, by name, for exactly the locked packages that have install scripts', () => {
    const root = path.join(__dirname, '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([where, p]) => where !== '' && p.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .sort();
    // a new dependency with an install script must be reviewed here (npm 11 warns, --strict-allow-scripts fails);
    // name-only keys: the lock has no resolved URLs, so npm never matches name@version keys
    assert.deepEqual(Object.keys(pkg.allowScripts ?? {}).sort(), withScripts);
    assert.deepEqual(pkg.allowScripts, { '@tensorflow/tfjs-node': true, esbuild: true, zeromq: true, 'core-js': false });
  });
});
