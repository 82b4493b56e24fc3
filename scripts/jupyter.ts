/**
 * The course's Jupyter, as the scripts (npm start, npm test, npm run lab, the benchmarks) see it.
 *
 * jupyter/setup.js does the work (it is plain JavaScript because npm's postinstall runs it too): the project
 * venv `.venv` with exactly jupyter/requirements.lock, this checkout's kernel and the figure renderers in
 * build/jupyter (first on JUPYTER_PATH) and in the venv. $DLOPT_PYTHON selects another Python with Jupyter.
 * When the machine lacks Python or venv, one line says what to install and the script stops.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Setup {
  ROOT: string;
  VENV: string;
  SetupError: new (message: string) => Error;
  venvPython(venv?: string): string;
  pythonHas(python: string, modules: string[]): boolean;
  ensureJupyter(): { python: string; env: NodeJS.ProcessEnv };
  jupyterEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const setup = require('../jupyter/setup.js') as Setup;

export const ROOT = path.resolve(__dirname, '..');

const say = (msg: string): void => console.log(`[dl-optimization] ${msg}`);

function fail(line: string): never {
  console.error(`[dl-optimization] ${line}`);
  process.exit(1);
}

/** True when `python` imports every module in `modules`. */
export const pythonHas = (python: string, modules: string[]): boolean => setup.pythonHas(python, modules);

/** The project venv's Python (whether or not it exists yet). */
export const venvPython = (): string => setup.venvPython();

let ready: { python: string; env: NodeJS.ProcessEnv } | undefined;

function ensure(): { python: string; env: NodeJS.ProcessEnv } {
  if (ready) return ready;
  try {
    ready = setup.ensureJupyter();
  } catch (err) {
    if (err instanceof setup.SetupError) fail(err.message);
    throw err;
  }
  return ready;
}

/** The Python that runs Jupyter for the course (the project venv, made from the lock when missing or stale). */
export function ensureJupyter(): string {
  return ensure().python;
}

/** Environment in which Jupyter finds this checkout's kernel and figure renderers first (build/jupyter). */
export function courseKernelEnv(): NodeJS.ProcessEnv {
  return { ...ensure().env };
}

/** apt-get install as root, saying so; returns false when it failed (used for Chromium only). */
export function aptInstall(packages: string[], why: string): boolean {
  say(`${why}: installing Debian packages with apt-get (running as root): ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0) return false;
  const inst = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  return inst.status === 0;
}
