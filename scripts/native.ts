/**
 * `npm run native`: makes @tensorflow/tfjs-node 4.22 (the `tensorflow` backend) load on linux-x64 from
 * parts that come from the registries, where its own install cannot reach Google's storage.
 *
 *  1. package: tfjs-node is an optional dependency whose install script downloads libtensorflow from
 *     storage.googleapis.com; when that fails npm drops it and every package only it needs. The exact
 *     versions of those packages are in package-lock.json: they are fetched with `npm pack` (npm's
 *     cache), checked against the lock's integrity and unpacked where `npm ci` would have put them.
 *  2. TensorFlow: PyPI's tensorflow-cpu wheel (pinned below, by version and sha256) is downloaded with
 *     pip into build/native/wheels; its libtensorflow_cc.so.2 (the C and eager C APIs, TF_* / TFE_*),
 *     libtensorflow_framework.so.2 and headers are extracted to build/native/tensorflow-<version>.
 *  3. deps: tfjs-node's build links `-ltensorflow -ltensorflow_framework` against deps/lib and loads
 *     them through the rpath $ORIGIN/../../deps/lib; its installer looks for deps/lib/libtensorflow.so.2.9.1.
 *     Relative symlinks give the wheel's libraries those names; deps/include points at the headers.
 *  4. addon: built from source with node-gyp (through tfjs-node's node-pre-gyp), against Node's own
 *     headers; the result is cached in build/native/addon/<key> so a rerun after `npm ci` only copies it.
 *  5. checks: `ldd -r` (nothing missing, no undefined symbol but N-API's), the rpath, and a child
 *     process that loads tfjs-node and computes tanh'(4) on the `tensorflow` backend.
 *
 * Idempotent; when everything is in place it only runs check 5 (~1 s). Ends with one line saying what
 * it did or why it could not; exits 1 when it could not (0 on platforms it does not handle: there
 * tfjs-node's own install applies).
 *
 *   npm run native [-- --force]     --force rebuilds the addon even when one is cached
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELP, parseFlags } from './args';

const ROOT = path.resolve(__dirname, '..');

/** The TensorFlow build that tfjs-node is linked against (PyPI wheel, pinned by file and hash). */
export const TENSORFLOW = {
  version: '2.21.0',
  wheel: 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl',
  sha256: '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c',
  /** pip's options that select exactly that file whatever the local Python is. */
  pipTarget: ['--platform', 'manylinux_2_27_x86_64', '--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311'],
  libs: ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'],
  headers: ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tensorflow/core/platform/ctstring_internal.h'],
};
/** The libtensorflow version tfjs-node 4.22 expects (scripts/deps-constants.js): only a file name here. */
const TFJS_LIBTENSORFLOW = '2.9.1';

const PKG = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node');
const CACHE = path.join(ROOT, 'build', 'native');
const TF_DIR = path.join(CACHE, `tensorflow-${TENSORFLOW.version}`);
const STAMP = path.join(PKG, 'deps', 'dl-optimization-native.json');

const say = (msg: string): void => console.log(`[native] ${msg}`);

class NativeError extends Error {}

function fail(msg: string): never {
  throw new NativeError(msg);
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 256 << 20 });
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

// ---------------------------------------------------------------------------------------------
// check: does tfjs-node load, and on which TensorFlow?

interface LoadResult {
  ok: boolean;
  backend?: string;
  tensorflow?: string;
  tanhPrime4?: number;
  error?: string;
}

/** Loads tfjs-node in a child process (it registers `tensorflow`) and computes tanh'(4) there. */
export function loadCheck(): LoadResult {
  const code = `
    const tf = require('@tensorflow/tfjs-node');
    const g = tf.grad((x) => tf.tanh(x))(tf.scalar(4)).dataSync()[0];
    console.log(JSON.stringify({ backend: tf.getBackend(), tensorflow: tf.backend().binding.TF_Version, tanhPrime4: g }));`;
  const r = run(process.execPath, ['-e', code], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (r.status !== 0) {
    const err = (r.stderr || String(r.error)).split('\n').find((l) => /Error|error:/.test(l)) ?? lastLines(r.stderr, 1);
    return { ok: false, error: err.trim() };
  }
  const d = JSON.parse(lastLines(r.stdout, 1)) as LoadResult;
  // 1 − tanh²(4) = 0.00134095…; float32 cancellation allows a few 1e-8
  const ok = d.backend === 'tensorflow' && typeof d.tanhPrime4 === 'number' && Math.abs(d.tanhPrime4 - 0.0013409507) < 3e-7;
  return { ...d, ok, error: ok ? undefined : `loaded, but backend ${d.backend} gave tanh'(4) = ${d.tanhPrime4}` };
}

// ---------------------------------------------------------------------------------------------
// 1. the package and the packages only it needs, exactly as package-lock.json has them

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Node's lookup of `name` from the package at lock path `from` (nested node_modules first). */
function resolveInLock(lock: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const p = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[p]) return p;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** tfjs-node and everything it needs, as lock paths (node_modules/…). */
export function lockClosure(lock: Record<string, LockEntry>, start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const p = queue.pop() as string;
    if (seen.has(p)) continue;
    seen.add(p);
    const e = lock[p];
    if (!e) fail(`package-lock.json has no entry ${p}`);
    for (const dep of Object.keys({ ...e.dependencies, ...e.optionalDependencies })) {
      const r = resolveInLock(lock, p, dep);
      // an optional dependency npm did not lock (another platform's package) is not needed here
      if (r) queue.push(r);
      else if (!e.optionalDependencies?.[dep]) fail(`package-lock.json does not resolve ${dep} (needed by ${p})`);
    }
  }
  return [...seen].sort();
}

function installedVersion(lockPath: string): string | undefined {
  const pj = path.join(ROOT, lockPath, 'package.json');
  try {
    return (JSON.parse(fs.readFileSync(pj, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const npmJs = process.env.npm_execpath;
  return npmJs && npmJs.endsWith('.js') ? run(process.execPath, [npmJs, ...args], { cwd }) : run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd });
}

/** Unpacks the missing packages of tfjs-node's lock closure; returns how many it unpacked. */
function ensurePackages(): number {
  const lock = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
  const start = 'node_modules/@tensorflow/tfjs-node';
  if (!lock[start]) fail('package-lock.json has no node_modules/@tensorflow/tfjs-node (is it still an optionalDependency in package.json?)');
  const missing = lockClosure(lock, start).filter((p) => installedVersion(p) !== lock[p].version);
  if (missing.length === 0) return 0;
  const nameOf = (p: string) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const specs = [...new Set(missing.map((p) => `${nameOf(p)}@${lock[p].version}`))];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-native-'));
  try {
    const r = npm(['pack', '--json', '--silent', '--pack-destination', tmp, ...specs], tmp);
    if (r.status !== 0) fail(`npm pack of ${specs.length} package(s) failed: ${lastLines(r.stderr || r.stdout, 3)}`);
    const packed = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { name: string; version: string; integrity: string; filename: string }[];
    for (const p of missing) {
      const e = lock[p];
      const t = packed.find((x) => x.name === nameOf(p) && x.version === e.version);
      if (!t) fail(`npm pack did not return ${nameOf(p)}@${e.version}`);
      if (e.integrity && t.integrity !== e.integrity) fail(`${nameOf(p)}@${e.version}: integrity ${t.integrity} differs from package-lock.json's ${e.integrity}`);
      const dest = path.join(ROOT, p);
      fs.rmSync(dest, { recursive: true, force: true });
      fs.mkdirSync(dest, { recursive: true });
      const x = run('tar', ['-xzf', path.join(tmp, t.filename), '-C', dest, '--strip-components=1']);
      if (x.status !== 0) fail(`could not unpack ${t.filename}: ${x.stderr.trim()}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return missing.length;
}

// ---------------------------------------------------------------------------------------------
// 2. TensorFlow from PyPI's wheel

function sha256(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(8 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** A Python with pip: the project's .venv when it exists, else python3 on PATH. */
function pythonWithPip(): string {
  const candidates = [path.join(ROOT, '.venv', 'bin', 'python'), 'python3', '/usr/bin/python3'];
  for (const py of candidates) {
    if (path.isAbsolute(py) && !fs.existsSync(py)) continue;
    if (run(py, ['-m', 'pip', '--version']).status === 0) return py;
  }
  return fail('no Python with pip found (tried .venv/bin/python, python3, /usr/bin/python3); install python3-pip');
}

function ensureWheel(): string {
  const dir = path.join(CACHE, 'wheels');
  const file = path.join(dir, TENSORFLOW.wheel);
  if (fs.existsSync(file) && sha256(file) === TENSORFLOW.sha256) return file;
  fs.mkdirSync(dir, { recursive: true });
  const py = pythonWithPip();
  say(`downloading tensorflow-cpu==${TENSORFLOW.version} (${TENSORFLOW.wheel}, ~274 MB) with ${py} -m pip …`);
  const args = ['-m', 'pip', 'download', `tensorflow-cpu==${TENSORFLOW.version}`, '--no-deps', '--only-binary=:all:', ...TENSORFLOW.pipTarget, '-d', dir, '--quiet'];
  const r = run(py, args);
  if (r.status !== 0) fail(`\`${py} ${args.join(' ')}\` failed: ${lastLines(r.stderr || r.stdout, 3)}`);
  if (!fs.existsSync(file)) fail(`pip did not write ${TENSORFLOW.wheel} into ${path.relative(ROOT, dir)} (found: ${fs.readdirSync(dir).join(', ')})`);
  const got = sha256(file);
  if (got !== TENSORFLOW.sha256) fail(`${TENSORFLOW.wheel} has sha256 ${got}, expected ${TENSORFLOW.sha256}`);
  return file;
}

/** Extracts the two libraries and the headers from the wheel into TF_DIR (once). */
function ensureTensorFlow(): boolean {
  const done = path.join(TF_DIR, '.complete');
  if (fs.existsSync(done) && fs.readFileSync(done, 'utf8').trim() === TENSORFLOW.sha256) return false;
  const wheel = ensureWheel();
  const py = pythonWithPip();
  const tmp = `${TF_DIR}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  // zipfile is in every Python; members: tensorflow/<lib> → lib/<lib>, tensorflow/include/… → include/…
  const extract = `
import os, shutil, sys, zipfile
wheel, out, libs = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for m in z.infolist():
        n = m.filename
        if n.startswith('tensorflow/include/') and not n.endswith('/'):
            dest = os.path.join(out, 'include', n[len('tensorflow/include/'):])
        elif n in ['tensorflow/' + l for l in libs]:
            dest = os.path.join(out, 'lib', os.path.basename(n))
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(m) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
`;
  say(`extracting libtensorflow_cc, libtensorflow_framework and headers from ${TENSORFLOW.wheel} …`);
  const r = run(py, ['-c', extract, wheel, tmp, ...TENSORFLOW.libs]);
  if (r.status !== 0) fail(`extracting ${TENSORFLOW.wheel} failed: ${lastLines(r.stderr, 3)}`);
  for (const lib of TENSORFLOW.libs) if (!fs.existsSync(path.join(tmp, 'lib', lib))) fail(`${TENSORFLOW.wheel} has no tensorflow/${lib}`);
  for (const h of TENSORFLOW.headers) if (!fs.existsSync(path.join(tmp, 'include', h))) fail(`${TENSORFLOW.wheel} has no tensorflow/include/${h}`);
  fs.rmSync(TF_DIR, { recursive: true, force: true });
  fs.renameSync(tmp, TF_DIR);
  fs.writeFileSync(done, `${TENSORFLOW.sha256}\n`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// 3. deps/lib and deps/include of tfjs-node

/** name in deps/lib → what it points to (relative symlinks, so a moved checkout keeps working). */
export function depsLinks(): Record<string, string> {
  const lib = path.join(PKG, 'deps', 'lib');
  const rel = (f: string) => path.relative(lib, path.join(TF_DIR, 'lib', f));
  return {
    // what the addon's NEEDED entries name (the wheel's sonames), found through its rpath
    'libtensorflow_cc.so.2': rel('libtensorflow_cc.so.2'),
    'libtensorflow_framework.so.2': rel('libtensorflow_framework.so.2'),
    // what binding.gyp's -ltensorflow -ltensorflow_framework look for at link time
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    // what tfjs-node's scripts/install.js checks before it would download libtensorflow 2.9.1
    [`libtensorflow.so.${TFJS_LIBTENSORFLOW}`]: 'libtensorflow_cc.so.2',
    [`libtensorflow_framework.so.${TFJS_LIBTENSORFLOW}`]: 'libtensorflow_framework.so.2',
  };
}

function symlink(target: string, at: string): boolean {
  try {
    if (fs.readlinkSync(at) === target) return false;
  } catch {
    // missing or not a link
  }
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at);
  return true;
}

function ensureDeps(): boolean {
  const lib = path.join(PKG, 'deps', 'lib');
  fs.mkdirSync(lib, { recursive: true });
  let changed = false;
  for (const [name, target] of Object.entries(depsLinks())) changed = symlink(target, path.join(lib, name)) || changed;
  changed = symlink(path.relative(path.join(PKG, 'deps'), path.join(TF_DIR, 'include')), path.join(PKG, 'deps', 'include')) || changed;
  for (const name of Object.keys(depsLinks())) if (!fs.existsSync(path.join(lib, name))) fail(`deps/lib/${name} is a dangling link`);
  return changed;
}

// ---------------------------------------------------------------------------------------------
// 4. the addon, built from source (or copied from build/native/addon)

/** Where node-pre-gyp (and so tfjs-node at run time) expects the addon for this Node. */
export function addonPath(): string {
  const preGyp = require(path.join(ROOT, 'node_modules', '@mapbox', 'node-pre-gyp')) as { find: (pkgJson: string) => string };
  return preGyp.find(path.join(PKG, 'package.json'));
}

/** Key of a built addon: tfjs-node's binding sources, TensorFlow, Node's ABI and N-API. */
function addonKey(): string {
  const h = crypto.createHash('sha256');
  const files = ['binding.gyp', ...fs.readdirSync(path.join(PKG, 'binding')).sort().map((f) => path.join('binding', f))];
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(PKG, f)));
  h.update(`${TENSORFLOW.sha256} ${process.versions.modules} ${process.versions.napi} ${process.platform}-${process.arch}`);
  return h.digest('hex').slice(0, 16);
}

function nodeHeadersDir(): string | undefined {
  const prefix = path.dirname(path.dirname(process.execPath));
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** 'cached' | 'built' */
function ensureAddon(force: boolean): 'cached' | 'built' {
  const target = addonPath();
  const cached = path.join(CACHE, 'addon', addonKey(), path.basename(target));
  if (!force && fs.existsSync(cached)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(cached, target);
    return 'cached';
  }
  const nodedir = nodeHeadersDir();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Node's own headers (no download from nodejs.org); without them node-gyp would try to fetch them
  if (nodedir) env.npm_config_nodedir = nodedir;
  const preGyp = path.join(ROOT, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
  const log = path.join(CACHE, 'addon-build.log');
  say(`building the tfjs-node addon from source with node-gyp (headers: ${nodedir ? `${nodedir}/include/node` : 'node-gyp default'}; log ${path.relative(ROOT, log)}) …`);
  const r = run(process.execPath, [preGyp, 'install', '--build-from-source'], { cwd: PKG, env });
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(log, `$ cd ${PKG} && npm_config_nodedir=${nodedir ?? ''} node ${preGyp} install --build-from-source\n${r.stdout}\n${r.stderr}`);
  if (r.status !== 0 || !fs.existsSync(target)) {
    const errs = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /error|Error|not found|cannot find/.test(l)).slice(0, 5);
    fail(`node-pre-gyp install --build-from-source failed (exit ${r.status}) in ${path.relative(ROOT, PKG)}:\n${(errs.length ? errs.join('\n') : lastLines(r.stderr, 8))}\n(full output: ${path.relative(ROOT, log)})`);
  }
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.copyFileSync(target, cached);
  return 'built';
}

// ---------------------------------------------------------------------------------------------
// 5. linkage checks

/** Checks the addon's NEEDED libraries, rpath and undefined symbols; returns a short summary. */
export function linkageCheck(addon: string): string {
  const d = run('readelf', ['-d', addon]);
  if (d.status !== 0) fail(`readelf -d ${addon} failed: ${d.error ? `${d.error.message} (readelf is in binutils)` : d.stderr.trim()}`);
  const needed = [...d.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[(.+?)\]/g)].map((m) => m[1]);
  const rpath = /\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.+?)\]/.exec(d.stdout)?.[1];
  for (const lib of TENSORFLOW.libs) if (!needed.includes(lib)) fail(`${path.basename(addon)} does not need ${lib} (NEEDED: ${needed.join(', ')})`);
  if (rpath !== '$ORIGIN/../../deps/lib') fail(`${path.basename(addon)} has rpath ${rpath}, expected $ORIGIN/../../deps/lib`);
  const l = run('ldd', ['-r', addon]);
  const out = `${l.stdout}\n${l.stderr}`;
  const notFound = out.split('\n').filter((x) => x.includes('not found'));
  if (notFound.length) fail(`ldd -r ${path.relative(ROOT, addon)}: ${notFound.join('; ').trim()}`);
  const undefinedSyms = [...out.matchAll(/undefined symbol: (\S+)/g)].map((m) => m[1]);
  const foreign = undefinedSyms.filter((s) => !s.startsWith('napi_'));
  if (foreign.length) fail(`ldd -r ${path.relative(ROOT, addon)}: undefined symbols ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ` (+${foreign.length - 5})` : ''}`);
  for (const lib of TENSORFLOW.libs) {
    const m = new RegExp(`${lib.replace(/\./g, '\\.')} => (\\S+)`).exec(out);
    if (!m || !fs.realpathSync(m[1]).startsWith(fs.realpathSync(TF_DIR))) fail(`ldd resolves ${lib} to ${m?.[1] ?? 'nothing'}, not into ${path.relative(ROOT, TF_DIR)}`);
  }
  return `NEEDED ${TENSORFLOW.libs.join(' + ')}, rpath $ORIGIN/../../deps/lib, ${undefinedSyms.length} undefined symbols all napi_*`;
}

// ---------------------------------------------------------------------------------------------

interface Stamp {
  tensorflow: string;
  sha256: string;
  addonKey: string;
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

const USAGE = `npm run native [-- --force]
  --force      rebuild the addon even when one is cached
  -h, --help   print this and exit`;

/** The command line of `npm run native`: --force, --help. */
export function parseNativeArgs(argv: string[]): { force: boolean; help: boolean } {
  const { values } = parseFlags(argv, { force: { type: 'boolean' }, help: HELP }, USAGE);
  return { force: values.force ?? false, help: values.help ?? false };
}

function main(force: boolean): void {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    const l = fs.existsSync(PKG) ? loadCheck() : { ok: false, error: 'not installed' };
    say(`not built: this script builds from PyPI's manylinux x86_64 wheel and this is ${process.platform}-${process.arch}; tfjs-node ${l.ok ? `loads (TensorFlow ${l.tensorflow}) from its own install` : `does not load (${l.error}): npm install fetches it where Google's storage is reachable`}`);
    return;
  }
  // fast path: already built by this script for the pinned TensorFlow, or installed by npm itself
  if (!force && fs.existsSync(PKG)) {
    const stamp = readStamp();
    const l = loadCheck();
    if (l.ok && stamp && stamp.sha256 === TENSORFLOW.sha256) {
      say(`@tensorflow/tfjs-node loads on TensorFlow ${l.tensorflow} (built earlier from ${TENSORFLOW.wheel}); nothing to do (${secs()})`);
      return;
    }
    if (l.ok && !stamp && l.tensorflow === TFJS_LIBTENSORFLOW) {
      say(`@tensorflow/tfjs-node loads on TensorFlow ${l.tensorflow} from its own install (npm reached Google's storage); nothing to do (${secs()})`);
      return;
    }
  }
  const unpacked = ensurePackages();
  const extracted = ensureTensorFlow();
  ensureDeps();
  const addon = ensureAddon(force);
  const target = addonPath();
  const linkage = linkageCheck(target);
  const l = loadCheck();
  if (!l.ok) fail(`the addon was ${addon} and links (${linkage}) but tfjs-node does not load: ${l.error}`);
  if (l.tensorflow !== TENSORFLOW.version) fail(`tfjs-node loaded TensorFlow ${l.tensorflow}, expected ${TENSORFLOW.version}`);
  const stamp: Stamp = { tensorflow: TENSORFLOW.version, sha256: TENSORFLOW.sha256, addonKey: addonKey() };
  fs.writeFileSync(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
  const did = [
    unpacked ? `unpacked ${unpacked} package(s) from package-lock.json` : undefined,
    extracted ? `extracted TensorFlow ${TENSORFLOW.version} from ${TENSORFLOW.wheel}` : undefined,
    addon === 'built' ? 'built the addon from source' : 'reused the addon built earlier',
  ].filter(Boolean);
  say(`@tensorflow/tfjs-node loads on TensorFlow ${l.tensorflow} (backend tensorflow, tanh'(4) = ${l.tanhPrime4?.toPrecision(8)}): ${did.join(', ')}; ${linkage} (${secs()})`);
}

if (require.main === module) {
  let args: { force: boolean; help: boolean };
  try {
    args = parseNativeArgs(process.argv.slice(2));
  } catch (err) {
    say((err as Error).message);
    process.exit(1);
  }
  try {
    if (args.help) console.log(USAGE);
    else main(args.force);
  } catch (err) {
    const msg = err instanceof NativeError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    say(`@tensorflow/tfjs-node NOT built: ${msg}`);
    process.exit(1);
  }
}
