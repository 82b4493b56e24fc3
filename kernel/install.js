#!/usr/bin/env node
/**
 * Registers the course kernel "dl-optimization" with Jupyter. Its argv starts THIS checkout's
 * tslab (absolute paths to node and to node_modules/tslab), so no global tslab install is needed
 * and re-running after moving the checkout re-points it. Idempotent: rewrites kernel.json.
 *
 *   node kernel/install.js                 # current user (jupyter --data-dir)/kernels
 *   node kernel/install.js --sys-prefix    # <python sys.prefix>/share/jupyter/kernels
 *   node kernel/install.js --prefix DIR    # DIR/share/jupyter/kernels
 *   node kernel/install.js --dir DIR       # DIR/kernels (a JUPYTER_PATH entry; used by the runner)
 *   node kernel/install.js --print         # print the kernel.json it would write
 *
 * Plain JavaScript (no build step) because npm's postinstall runs it before anything is compiled.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { execFileSync } = require('child_process');

const NAME = 'dl-optimization';
const DISPLAY_NAME = 'TypeScript — Optimization in DL';
const ROOT = path.resolve(__dirname, '..');

function kernelSpec() {
  const tslab = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  const template = JSON.parse(fs.readFileSync(path.join(__dirname, 'kernel.template.json'), 'utf8'));
  const spec = JSON.parse(
    JSON.stringify(template)
      .split('{node}').join(process.execPath.replace(/\\/g, '/'))
      .split('{tslab}').join(tslab.replace(/\\/g, '/'))
      .split('{root}').join(ROOT.replace(/\\/g, '/')),
  );
  spec.display_name = DISPLAY_NAME;
  return { spec, tslab };
}

/** The first non-empty output of `python -c code` over the candidate Pythons, or undefined. */
function askPython(code) {
  for (const py of pythonCandidates()) {
    try {
      const out = execFileSync(py, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (out) return out;
    } catch (_) {
      /* try the next python */
    }
  }
  return undefined;
}

/** The directory Jupyter reads per-user data from, asking Jupyter when it is installed. */
function userDataDir() {
  const fromJupyter = askPython('import jupyter_core.paths as p; print(p.jupyter_data_dir())');
  if (fromJupyter) return fromJupyter;
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA || os.homedir(), 'jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

function pythonCandidates() {
  const c = [];
  if (process.env.DLOPT_PYTHON) c.push(process.env.DLOPT_PYTHON);
  c.push(path.join(ROOT, '.venv', 'bin', 'python'));
  c.push('/usr/bin/python3');
  c.push('python3');
  return c.filter((p) => !path.isAbsolute(p) || fs.existsSync(p));
}

function sysPrefix() {
  const prefix = askPython('import sys, jupyter_core; print(sys.prefix)');
  if (prefix) return prefix;
  throw new Error('--sys-prefix needs a Python with Jupyter (none of ' + pythonCandidates().join(', ') + ' imports jupyter_core)');
}

const USAGE = `node kernel/install.js [--user | --sys-prefix | --prefix DIR | --dir DIR] [--print] [--quiet]
  --user         (default) the current user's Jupyter data directory, <jupyter --data-dir>/kernels
  --sys-prefix   <python sys.prefix>/share/jupyter/kernels (the Python of $DLOPT_PYTHON, .venv or python3)
  --prefix DIR   DIR/share/jupyter/kernels
  --dir DIR      DIR/kernels (a JUPYTER_PATH entry)
  --print        print the kernel.json it would write, write nothing
  --quiet        say nothing on success
  -h, --help     print this and exit`;

/** The command line (util.parseArgs): at most one of --user, --sys-prefix, --prefix DIR, --dir DIR; --print, --quiet, --help. */
function parseArgs(argv) {
  let values;
  try {
    ({ values } = util.parseArgs({
      args: argv,
      options: {
        user: { type: 'boolean' },
        'sys-prefix': { type: 'boolean' },
        prefix: { type: 'string' },
        dir: { type: 'string' },
        print: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    if (String(err.code).startsWith('ERR_PARSE_ARGS')) throw new Error(`${err.message}\n${USAGE}`);
    throw err;
  }
  const modes = ['user', 'sys-prefix', 'prefix', 'dir'].filter((m) => values[m] !== undefined);
  if (modes.length > 1) throw new Error(`choose one of --user, --sys-prefix, --prefix DIR, --dir DIR; got ${modes.map((m) => `--${m}`).join(' and ')}`);
  for (const m of ['prefix', 'dir']) if (values[m] === '') throw new Error(`--${m} needs a directory; got ""`);
  const mode = modes[0] || 'user';
  return { mode, dir: mode === 'prefix' || mode === 'dir' ? values[mode] : undefined, print: !!values.print, quiet: !!values.quiet, help: !!values.help };
}

/** Writes kernel.json for this checkout into <kernelsDir>/dl-optimization and returns its path. */
function install(kernelsDir) {
  const { spec, tslab } = kernelSpec();
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed at ${tslab}: run npm install first`);
  const dir = path.join(kernelsDir, NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  for (const logo of ['logo-32x32.png', 'logo-64x64.png']) {
    const src = path.join(__dirname, logo);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, logo));
  }
  return file;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args.print) {
    process.stdout.write(JSON.stringify(kernelSpec().spec, null, 2) + '\n');
    return;
  }
  let kernelsDir;
  if (args.mode === 'user') kernelsDir = path.join(userDataDir(), 'kernels');
  else if (args.mode === 'sys-prefix') kernelsDir = path.join(sysPrefix(), 'share', 'jupyter', 'kernels');
  else if (args.mode === 'prefix') kernelsDir = path.join(path.resolve(args.dir), 'share', 'jupyter', 'kernels');
  else kernelsDir = path.join(path.resolve(args.dir), 'kernels');
  const file = install(kernelsDir);
  if (!args.quiet) console.log(`kernel "${NAME}" (${DISPLAY_NAME}) → ${file} (starts ${ROOT}/node_modules/tslab)`);
}

module.exports = { NAME, DISPLAY_NAME, kernelSpec, install, userDataDir, parseArgs };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`kernel/install.js: ${err.message}`);
    process.exit(1);
  }
}
