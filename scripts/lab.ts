/**
 * `npm run lab`: JupyterLab 4 from the project venv on notebooks/, with this checkout's course kernel and
 * figure renderer. `npm run notebook`: the same in Notebook 7; `npm run nbclassic`: the classic interface.
 * Extra arguments go to Jupyter (e.g. `npm run lab -- --port 8899 --no-browser`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, courseKernelEnv, ensureJupyter } from './jupyter';

const APPS = { lab: ['jupyterlab', 'JupyterLab'], notebook: ['notebook', 'Notebook 7'], nbclassic: ['nbclassic', 'the classic Notebook interface (nbclassic)'] } as const;
const choice = (process.argv[2] ?? 'lab') as keyof typeof APPS;
if (!(choice in APPS)) {
  console.error(`[dl-optimization] scripts/lab.ts: the first argument must be one of ${Object.keys(APPS).join(', ')}; got ${JSON.stringify(choice)}`);
  process.exit(2);
}
const python = ensureJupyter();
const env = courseKernelEnv();
const [module, name] = APPS[choice];
const dir = path.join(ROOT, 'notebooks');
console.log(`[dl-optimization] starting ${name} (${python}) in ${dir}; the kernel is "TypeScript — Optimization in DL"`);
const child = spawn(python, ['-m', module, `--ServerApp.root_dir=${dir}`, ...process.argv.slice(3)], { env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('close', (code) => process.exit(code ?? 0));
