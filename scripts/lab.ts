/**
 * `npm run lab`: opens the notebooks in JupyterLab when it is installed, else in classic Notebook,
 * with this checkout's course kernel first on JUPYTER_PATH.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, courseKernelEnv, ensureJupyter, pythonHas } from './jupyter';

const python = ensureJupyter();
const env = courseKernelEnv();
const app = pythonHas(python, ['jupyterlab']) ? 'lab' : pythonHas(python, ['notebook']) ? 'notebook' : undefined;
if (!app) {
  console.error('[dl-optimization] neither JupyterLab nor classic Notebook is installed; install one with: sudo apt-get install -y jupyter-notebook (or pip install jupyterlab)');
  process.exit(1);
}
console.log(`[dl-optimization] starting Jupyter ${app === 'lab' ? 'Lab' : 'Notebook (classic; JupyterLab is not installed)'} in ${path.join(ROOT, 'notebooks')}`);
const args = ['-m', app === 'lab' ? 'jupyterlab' : 'notebook', `--notebook-dir=${path.join(ROOT, 'notebooks')}`, ...process.argv.slice(2)];
const child = spawn(python, args, { env, stdio: 'inherit' });
child.on('close', (code) => process.exit(code ?? 0));
