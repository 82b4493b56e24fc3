#!/usr/bin/env node
/**
 * The course's Jupyter, set up by the project itself (plain JavaScript: npm's postinstall runs it before
 * anything is compiled; scripts/jupyter.ts uses it for npm start / test / lab):
 *
 *  1. a project venv, .venv, holding exactly the locked stack jupyter/requirements.lock (JupyterLab,
 *     Notebook 7, nbclassic, nbclient, nbconvert, jupyter_kernel_test; exact versions with hashes, installed
 *     with `pip install --require-hashes --no-deps`). A stamp records the lock's sha256; when the lock
 *     changes the venv is made anew, so the versions students run are the versions CI tested;
 *  2. build/jupyter/ — a JUPYTER_PATH entry with this checkout's course kernel (kernels/dl-optimization),
 *     the figure renderer for JupyterLab 4 / Notebook 7 (labextensions/dl-optimization-figures, built from
 *     jupyter/labextension with @jupyter/builder when its sources change) and the one for nbclassic
 *     (nbextensions/dl-optimization, enabled by build/jupyter-config/nbconfig/notebook.d/dl-optimization.json,
 *     a JUPYTER_CONFIG_PATH entry);
 *  3. the same kernel and renderers installed into the venv (its sys.prefix), so `.venv/bin/jupyter lab`
 *     works on its own too.
 *
 * DLOPT_PYTHON=/path/to/python uses that Python's Jupyter instead of the venv (it must import nbclient,
 * nbconvert, nbformat and jupyter_client); nothing is installed into it: the kernel and renderers reach it
 * through JUPYTER_PATH. When no Python ≥ 3.10 with venv is found, one line says what to install.
 *
 *   node jupyter/setup.js               set up (idempotent; quick when nothing changed)
 *   node jupyter/setup.js --sys-prefix  also install the kernel and renderers into $DLOPT_PYTHON's sys.prefix
 *                                       (a conda env, a JupyterHub image, Binder)
 *   node jupyter/setup.js --print       print the Python and paths it would use
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const VENV = path.join(ROOT, '.venv');
const LOCK = path.join(__dirname, 'requirements.lock');
const STAMP = path.join(VENV, 'dl-optimization-lock.sha256');
const DATA_DIR = path.join(ROOT, 'build', 'jupyter');
const CONFIG_DIR = path.join(ROOT, 'build', 'jupyter-config');
const LABEXT_NAME = 'dl-optimization-figures';
const LABEXT_SRC = path.join(__dirname, 'labextension');
const NBEXT_NAME = 'dl-optimization';
const NBEXT_SRC = path.join(__dirname, 'nbextension');
/** Modules a Python must import to run the course's notebooks headlessly. */
const EXECUTION_MODULES = ['nbclient', 'nbconvert', 'nbformat', 'jupyter_client'];
const MIN_PYTHON = [3, 10];

const say = (msg) => console.log(`[dl-optimization] ${msg}`);

/** Thrown when the machine lacks something only the user can install; `message` is the one line to print. */
class SetupError extends Error {}

const sha256 = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

function venvPython(venv = VENV) {
  return process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...opts });
}

/** True when `python` runs and imports every module in `modules`. */
function pythonHas(python, modules) {
  return run(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' }).status === 0;
}

/** A Python ≥ 3.10 that can make a venv (has venv and ensurepip), or undefined. */
function basePython() {
  const names = process.platform === 'win32' ? ['py', 'python', 'python3'] : ['python3', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python'];
  const check = `import sys, venv, ensurepip; sys.exit(0 if sys.version_info[:2] >= (${MIN_PYTHON.join(', ')}) else 3)`;
  for (const name of names) {
    const args = name === 'py' ? ['-3', '-c', check] : ['-c', check];
    if (run(name, args, { stdio: 'ignore' }).status === 0) return name === 'py' ? 'py' : name;
  }
  return undefined;
}

function noPythonLine() {
  const want = `Python ≥ ${MIN_PYTHON.join('.')} with venv`;
  if (process.platform === 'darwin') return `Jupyter for the course needs ${want}: brew install python (or python.org's installer), then npm install again`;
  if (process.platform === 'win32') return `Jupyter for the course needs ${want}: install Python from python.org (or use WSL), then npm install again`;
  return `Jupyter for the course needs ${want}: sudo apt-get install -y python3 python3-venv (Debian/Ubuntu/WSL; other Linux: your package manager's python3 + venv), then npm install again`;
}

/** The venv's Python, made or re-made from the lock when missing or stale; returns its path. */
function ensureVenv() {
  const lock = fs.readFileSync(LOCK);
  const want = sha256(lock);
  const python = venvPython();
  const have = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
  if (have === want && pythonHas(python, EXECUTION_MODULES)) return python;
  const base = basePython();
  if (!base) throw new SetupError(noPythonLine());
  const t0 = Date.now();
  if (fs.existsSync(VENV)) {
    say(`.venv does not match jupyter/requirements.lock (${have ? 'the lock changed' : 'not made by this setup'}): making it anew`);
    fs.rmSync(VENV, { recursive: true, force: true });
  }
  say(`installing the course's Jupyter (JupyterLab 4, Notebook 7, nbclassic, nbclient, nbconvert; exact versions from jupyter/requirements.lock) into ${path.relative(ROOT, VENV)}/ with pip — once, about a minute`);
  const mk = run(base, [...(base === 'py' ? ['-3'] : []), '-m', 'venv', VENV], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (mk.status !== 0) throw new SetupError(`${noPythonLine()} (python -m venv failed: ${lastLine(mk.stderr)})`);
  const pip = run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--require-hashes', '--no-deps', '-q', '-r', LOCK], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (pip.status !== 0) {
    throw new SetupError(`pip could not install jupyter/requirements.lock into .venv (${lastLine(pip.stderr)}); check the network to PyPI and run npm install again`);
  }
  if (!pythonHas(python, EXECUTION_MODULES)) throw new SetupError(`.venv was made but does not import ${EXECUTION_MODULES.join(', ')}; remove .venv and run npm install again`);
  fs.writeFileSync(STAMP, want + '\n');
  say(`.venv ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${pythonVersions(python)})`);
  return python;
}

function lastLine(text) {
  const lines = String(text || '').split('\n').map((l) => l.trim()).filter((l) => l && !/is ignored: it is neither a file nor a directory/.test(l));
  return lines.pop() || 'no message';
}

/** "jupyterlab 4.6.6, notebook 7.6.5, …" as installed in `python`. */
function pythonVersions(python) {
  const code = 'import importlib.metadata as m\nout = []\nfor n in ("jupyterlab", "notebook", "nbclient", "nbconvert"):\n    try: out.append(f"{n} {m.version(n)}")\n    except Exception: pass\nprint(", ".join(out))';
  return (run(python, ['-c', code]).stdout || '').trim();
}

/** The Python that runs Jupyter for the course: $DLOPT_PYTHON when set (checked), else the project venv. */
function jupyterPython() {
  const own = process.env.DLOPT_PYTHON;
  if (own) {
    if (!pythonHas(own, EXECUTION_MODULES)) throw new SetupError(`DLOPT_PYTHON=${own} does not import ${EXECUTION_MODULES.join(', ')}; unset it to use the project venv, or pip install nbclient nbconvert jupyter_client into it`);
    return own;
  }
  return ensureVenv();
}

/** Hash of everything the labextension build reads from this repository and node_modules. */
function labextensionSourceHash() {
  const files = ['package.json', 'tsconfig.json', ...fs.readdirSync(path.join(LABEXT_SRC, 'src')).sort().map((f) => path.join('src', f))];
  const versions = ['@jupyter/builder', 'plotly.js-dist-min', 'typescript'].map((p) => `${p}@${require(require.resolve(`${p}/package.json`, { paths: [ROOT] })).version}`);
  return sha256(...files.map((f) => `${f}\n${fs.readFileSync(path.join(LABEXT_SRC, f), 'utf8')}`), versions.join(','));
}

/** Builds the JupyterLab/Notebook 7 renderer into build/jupyter/labextensions when its sources changed. */
function buildLabextension() {
  const out = path.join(DATA_DIR, 'labextensions', LABEXT_NAME);
  const stamp = path.join(DATA_DIR, `${LABEXT_NAME}.sha256`);
  let hash;
  try {
    hash = labextensionSourceHash();
  } catch (err) {
    throw new SetupError(`the figure renderer cannot be built (${err.message.split('\n')[0]}): run npm install (it needs the devDependencies)`);
  }
  if (fs.existsSync(path.join(out, 'package.json')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === hash) return { dir: out, hash, built: false };
  const t0 = Date.now();
  const tsc = run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join(LABEXT_SRC, 'tsconfig.json')], { cwd: ROOT });
  if (tsc.status !== 0) throw new Error(`jupyter/labextension does not compile:\n${tsc.stdout}${tsc.stderr}`);
  fs.rmSync(out, { recursive: true, force: true });
  const builder = require.resolve('@jupyter/builder/lib/build-labextension.js', { paths: [ROOT] });
  const core = require.resolve('@jupyterlab/core-meta/core.package.json', { paths: [path.dirname(builder)] });
  const b = run(process.execPath, [builder, '--core-package-file', core, LABEXT_SRC], { cwd: ROOT });
  if (b.status !== 0 || !fs.existsSync(path.join(out, 'package.json'))) throw new Error(`building the JupyterLab figure renderer failed:\n${(b.stdout + b.stderr).slice(-3000)}`);
  fs.writeFileSync(stamp, hash + '\n');
  say(`built the JupyterLab/Notebook 7 figure renderer (jupyter/labextension → build/jupyter/labextensions/${LABEXT_NAME}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { dir: out, hash, built: true };
}

function copyDir(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

/** Writes the nbclassic extension (main.js + plotly.min.js) under DATA/nbextensions and enables it in CONFIG. */
function installNbextension(dataDir, configDir) {
  const dir = path.join(dataDir, 'nbextensions', NBEXT_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(NBEXT_SRC, 'main.js'), path.join(dir, 'main.js'));
  const plotly = require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [ROOT] });
  const target = path.join(dir, 'plotly.min.js');
  if (!fs.existsSync(target) || fs.statSync(target).size !== fs.statSync(plotly).size) fs.copyFileSync(plotly, target);
  const conf = path.join(configDir, 'nbconfig', 'notebook.d');
  fs.mkdirSync(conf, { recursive: true });
  fs.writeFileSync(path.join(conf, `${NBEXT_NAME}.json`), JSON.stringify({ load_extensions: { [`${NBEXT_NAME}/main`]: true } }, null, 2) + '\n');
}

/** Registers this checkout's kernel in DIR/kernels (kernel/install.js). */
function installKernel(args) {
  const r = run(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), ...args, '--quiet'], { stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status !== 0) throw new Error(`kernel/install.js ${args.join(' ')} failed: ${lastLine(r.stderr)}`);
}

/**
 * Sets everything up (see the top of this file) and returns the Python to run Jupyter with and the
 * environment variables that make that Jupyter find this checkout's kernel and renderers first.
 */
function ensureJupyter({ sysPrefix = false } = {}) {
  const python = jupyterPython();
  const lab = buildLabextension();
  installKernel(['--dir', DATA_DIR]);
  installNbextension(DATA_DIR, CONFIG_DIR);
  if (python === venvPython()) installIntoPrefix(VENV, lab);
  else if (sysPrefix) installIntoPrefix(pythonPrefix(python), lab);
  return { python, env: jupyterEnv() };
}

/** sys.prefix of a Python. */
function pythonPrefix(python) {
  const r = run(python, ['-c', 'import sys; print(sys.prefix)']);
  if (r.status !== 0) throw new SetupError(`${python} does not run: ${lastLine(r.stderr)}`);
  return r.stdout.trim();
}

/** The kernel and both renderers under PREFIX/share/jupyter (+ the nbclassic config under PREFIX/etc/jupyter). */
function installIntoPrefix(prefix, lab) {
  const share = path.join(prefix, 'share', 'jupyter');
  const installed = path.join(share, 'labextensions', LABEXT_NAME);
  const stamp = path.join(installed, '.dl-optimization.sha256');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8').trim() !== lab.hash) {
    copyDir(lab.dir, installed);
    fs.writeFileSync(stamp, lab.hash + '\n');
  }
  installNbextension(share, path.join(prefix, 'etc', 'jupyter'));
  installKernel(['--prefix', prefix]);
}

/** Environment variables that put build/jupyter first on Jupyter's data and config paths. */
function jupyterEnv(base = process.env) {
  const join = (first, rest) => [first, rest].filter(Boolean).join(path.delimiter);
  return { ...base, JUPYTER_PATH: join(DATA_DIR, base.JUPYTER_PATH), JUPYTER_CONFIG_PATH: join(CONFIG_DIR, base.JUPYTER_CONFIG_PATH) };
}

module.exports = {
  ROOT,
  VENV,
  LOCK,
  DATA_DIR,
  CONFIG_DIR,
  LABEXT_NAME,
  EXECUTION_MODULES,
  SetupError,
  venvPython,
  pythonHas,
  basePython,
  ensureVenv,
  jupyterPython,
  buildLabextension,
  ensureJupyter,
  jupyterEnv,
  parseArgs,
};

const USAGE = `node jupyter/setup.js [--sys-prefix] [--print]
  --sys-prefix   also install the kernel and renderers into $DLOPT_PYTHON's sys.prefix (conda env, JupyterHub image, Binder)
  --print        print the Python and paths it would use, set up nothing
  -h, --help     print this and exit`;

/** The command line (util.parseArgs): --sys-prefix, --print, --help. */
function parseArgs(argv) {
  const options = { 'sys-prefix': { type: 'boolean' }, print: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  try {
    const { values } = util.parseArgs({ args: argv, options, strict: true });
    return { sysPrefix: !!values['sys-prefix'], print: !!values.print, help: !!values.help };
  } catch (err) {
    if (String(err.code).startsWith('ERR_PARSE_ARGS')) throw new Error(`${err.message}\n${USAGE}`);
    throw err;
  }
}

if (require.main === module) {
  try {
    const args = parseArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
    } else if (args.print) {
      console.log(JSON.stringify({ python: process.env.DLOPT_PYTHON || venvPython(), venv: VENV, lock: LOCK, jupyterPath: DATA_DIR, configPath: CONFIG_DIR }, null, 2));
    } else {
      const { python } = ensureJupyter({ sysPrefix: args.sysPrefix });
      say(`Jupyter: ${python} (${pythonVersions(python)}); course kernel and figure renderers in build/jupyter${python === venvPython() ? ' and .venv' : ''}`);
    }
  } catch (err) {
    console.error(`[dl-optimization] ${err.message}`);
    process.exit(1);
  }
}
