/**
 * Finds (or installs) the Python that runs Jupyter for the course, and the course kernel.
 *
 * Looks for a Python that imports nbclient, nbconvert, nbformat and jupyter_client, in this order:
 * $DLOPT_PYTHON, ./.venv/bin/python, /usr/bin/python3, python3 on PATH. When none does:
 *   - root on Debian/Ubuntu: installs Debian's Jupyter packages with apt-get and says so;
 *   - elsewhere: creates a project-local venv (.venv) and pip-installs Jupyter into it, and says so;
 *   - if that is impossible: stops with one line naming what is missing and the command that fixes it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const DEBIAN_JUPYTER = [
  'jupyter-nbconvert',
  'python3-nbclient',
  'jupyter-client',
  'python3-ipykernel',
  'jupyter-notebook',
  'python3-jupyter-kernel-test',
];
const PIP_JUPYTER = ['nbclient', 'nbconvert', 'nbformat', 'jupyter_client', 'ipykernel', 'notebook<7', 'jupyter_kernel_test'];
const REQUIRED = ['nbclient', 'nbconvert', 'nbformat', 'jupyter_client'];

const say = (msg: string): void => console.log(`[dl-optimization] ${msg}`);

function candidates(): string[] {
  const c: string[] = [];
  if (process.env.DLOPT_PYTHON) c.push(process.env.DLOPT_PYTHON);
  c.push(path.join(ROOT, '.venv', 'bin', 'python'), '/usr/bin/python3', 'python3');
  return c.filter((p) => !path.isAbsolute(p) || fs.existsSync(p));
}

/** True when `python` imports every module in `modules`. */
export function pythonHas(python: string, modules: string[]): boolean {
  const r = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
  return r.status === 0;
}

/** The first candidate Python that has Jupyter's execution stack, or undefined. */
export function findJupyterPython(modules: string[] = REQUIRED): string | undefined {
  return candidates().find((p) => pythonHas(p, modules));
}

function isDebianLike(): boolean {
  return fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get');
}

/** apt-get install as root, saying so; returns false when it failed. */
export function aptInstall(packages: string[], why: string): boolean {
  say(`${why}: installing Debian packages with apt-get (running as root): ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0) return false;
  const inst = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  return inst.status === 0;
}

/** Returns a Python with Jupyter, installing it (apt as root on Debian, else a .venv) when missing. */
export function ensureJupyter(modules: string[] = REQUIRED): string {
  const found = findJupyterPython(modules);
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && isDebianLike()) {
    if (aptInstall(DEBIAN_JUPYTER, 'Jupyter is missing')) {
      const py = findJupyterPython(modules);
      if (py) return py;
    }
    fail(`Jupyter is missing and apt-get could not install it; run: apt-get update && apt-get install -y ${DEBIAN_JUPYTER.join(' ')}`);
  }
  const base = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0);
  if (base) {
    const venv = path.join(ROOT, '.venv');
    say(`Jupyter is missing: creating a project-local Python venv at ${venv} and pip-installing ${PIP_JUPYTER.join(' ')}`);
    try {
      if (!fs.existsSync(path.join(venv, 'bin', 'python'))) execFileSync(base, ['-m', 'venv', venv], { stdio: 'inherit' });
      execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '-q', ...PIP_JUPYTER], { stdio: 'inherit' });
      const py = path.join(venv, 'bin', 'python');
      if (pythonHas(py, modules)) return py;
    } catch {
      /* fall through to the one-line message */
    }
  }
  const fix = isDebianLike()
    ? `sudo apt-get install -y ${DEBIAN_JUPYTER.join(' ')}`
    : `python3 -m pip install ${PIP_JUPYTER.map((p) => `'${p}'`).join(' ')}`;
  return fail(`Jupyter (${modules.join(', ')}) is missing; install it with: ${fix}`);
}

function fail(line: string): never {
  console.error(`[dl-optimization] ${line}`);
  process.exit(1);
}

/** Registers this checkout's kernel under build/jupyter and returns env vars that make Jupyter find it first. */
export function courseKernelEnv(): NodeJS.ProcessEnv {
  const dir = path.join(ROOT, 'build', 'jupyter');
  execFileSync(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), '--dir', dir, '--quiet'], { stdio: 'inherit' });
  const jp = [dir, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jp };
}
