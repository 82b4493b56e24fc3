#!/usr/bin/env node
/**
 * npm's postinstall for the course (plain JS: it runs before anything is compiled):
 *  1. makes nodejs-polars loadable: npm skips its native package `nodejs-polars-<platform>` as an
 *     optional dependency (it declares engines node >= 22, we run Node 20), so fetch that exact
 *     version with `npm pack` and unpack it into node_modules;
 *  2. compiles src/ → lib/ (what the notebooks import);
 *  3. patches tslab to rebuild its TypeScript program once per cell instead of twice (kernel/patch-tslab.js);
 *  4. registers the course kernel for the current user (kernel/install.js);
 *  5. sets up the course's Jupyter (jupyter/setup.js): the project venv .venv from jupyter/requirements.lock,
 *     the figure renderers, the kernel in the venv. Without Python ≥ 3.10 + venv it prints the one line that
 *     says what to install and npm install still succeeds (the unit tests need no Jupyter).
 * Each step says what it did; a step that cannot run says why and what fixes it.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const say = (msg) => console.log(`[dl-optimization] ${msg}`);

function polarsNativeName() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const header = process.report && process.report.getReport ? process.report.getReport().header : {};
    return `nodejs-polars-linux-${arch}-${header.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `nodejs-polars-win32-${arch}-msvc`;
  return `nodejs-polars-${platform}-${arch}`;
}

function polarsLoads() {
  const r = spawnSync(process.execPath, ['-e', "require('nodejs-polars')"], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || '').split('\n').find((l) => l.startsWith('Error')) || 'require failed';
}

function repairPolars() {
  const polarsPkg = path.join(ROOT, 'node_modules', 'nodejs-polars', 'package.json');
  if (!fs.existsSync(polarsPkg)) return say('nodejs-polars is not installed; skipping its native-package check');
  const version = JSON.parse(fs.readFileSync(polarsPkg, 'utf8')).version;
  const name = polarsNativeName();
  const nativePkg = path.join(ROOT, 'node_modules', name, 'package.json');
  const nativeVersion = fs.existsSync(nativePkg) ? JSON.parse(fs.readFileSync(nativePkg, 'utf8')).version : undefined;
  const problem = nativeVersion && nativeVersion !== version
    ? `native package ${name} is ${nativeVersion}, nodejs-polars is ${version}`
    : polarsLoads();
  if (!problem) return say('nodejs-polars loads');
  say(`nodejs-polars does not load (${problem}); fetching ${name}@${version} (npm skips it as an optional dependency: it declares engines node >= 22)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-polars-'));
  try {
    const npm = process.env.npm_execpath;
    const packArgs = ['pack', `${name}@${version}`, '--silent', '--pack-destination', tmp];
    const out = npm && npm.endsWith('.js')
      ? execFileSync(process.execPath, [npm, ...packArgs], { cwd: tmp, encoding: 'utf8' })
      : execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', packArgs, { cwd: tmp, encoding: 'utf8' });
    const tgz = path.join(tmp, out.trim().split('\n').pop());
    const dest = path.join(ROOT, 'node_modules', name);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1']);
    const after = polarsLoads();
    if (after) throw new Error(`still does not load after unpacking ${name}: ${after}`);
    say(`nodejs-polars loads (native package ${name}@${version} unpacked into node_modules)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function buildLib() {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) return say('typescript is not installed (production install?); lib/ not built');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  say('compiled src/ → lib/');
}

function registerKernel() {
  if (process.env.DLOPT_SKIP_KERNEL_INSTALL) return say('DLOPT_SKIP_KERNEL_INSTALL is set; kernel not registered');
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), '--user'], { cwd: ROOT, stdio: 'inherit' });
  } catch (err) {
    say(`could not register the kernel for this user (${err.message.split('\n')[0]}); run: npm run kernel:install`);
  }
}

function setupJupyter() {
  if (process.env.DLOPT_SKIP_JUPYTER_SETUP) return say('DLOPT_SKIP_JUPYTER_SETUP is set; the course\'s Jupyter (.venv) was not set up');
  const jupyter = require('../jupyter/setup.js');
  try {
    jupyter.ensureJupyter();
    say('Jupyter ready: npm run lab (JupyterLab), npm run notebook (Notebook 7), npm start, npm test');
  } catch (err) {
    if (!(err instanceof jupyter.SetupError)) throw err;
    say(err.message);
  }
}

if (process.env.INIT_CWD && path.resolve(process.env.INIT_CWD) !== ROOT && !process.env.DLOPT_POSTINSTALL) {
  // Installed as somebody else's dependency: do nothing to their machine.
  process.exit(0);
}
repairPolars();
buildLib();
require('../kernel/patch-tslab.js').main();
registerKernel();
setupJupyter();
