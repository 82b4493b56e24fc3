/**
 * The kernels `npm run bench` compares side by side, as Jupyter kernel specs under build/bench-kernels
 * (put first on JUPYTER_PATH next to the course kernel of build/jupyter):
 *  - "torch-bench": ipykernel + PyTorch from a bench-only venv, build/bench-venv, created on demand with
 *    `pip install torch==2.13.0 ipykernel jupyter_client` (that torch is a CPU wheel on this machine's
 *    pip mirror; any other version would download GBs of CUDA);
 *  - "dl-optimization-before": the course kernel as it was before issue 15, so that before/after ratios
 *    come from the same run: tslab as published plus main's patch (hunk 1 of kernel/patch-tslab.js,
 *    one program rebuild per cell), TypeScript as published. It runs the same node_modules/tslab; a
 *    preload compiles that converter.js and the published jupyter.js and main.js (tslab's executor:
 *    check, then run) under their own paths first, so require() and the course's show() find them
 *    where they find the patched ones.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/jupyter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patch = require('../kernel/patch-tslab.js') as {
  FILE: string;
  TS_FILE: string;
  JUPYTER_FILE: string;
  MAIN_FILE: string;
  HUNKS: { name: string; original: string; patched: string }[];
  TS_HUNKS: { name: string; original: string; patched: string }[];
  JUPYTER_HUNKS: { name: string; original: string; patched: string }[];
  MAIN_HUNKS: { name: string; original: string; patched: string }[];
  unpatch(text: string, hunks?: { name: string; original: string; patched: string }[]): string;
  state(): { ok: boolean; applied?: boolean; why?: string };
};

export const KERNELS_DIR = path.join(ROOT, 'build', 'bench-kernels');
export const VENV = path.join(ROOT, 'build', 'bench-venv');
export const TORCH_KERNEL = 'torch-bench';
export const BEFORE_KERNEL = 'dl-optimization-before';
/** The PyTorch release the references run on (pip takes it from the local wheel where there is one). */
export const TORCH_VERSION = '2.13.0';
const BEFORE_CONVERTER = path.join(path.dirname(patch.FILE), 'converter.before-for-bench.js');
const BEFORE_TS = path.join(path.dirname(patch.TS_FILE), 'typescript.before-for-bench.js');

/** The bench venv's python (torch, numpy, ipykernel), creating the venv when it is missing or broken; undefined (with why) when that fails. */
export function ensureBenchVenv(log: (line: string) => void): { python?: string; why?: string } {
  const python = path.join(VENV, 'bin', 'python');
  const works = () => fs.existsSync(python) && spawnSync(python, ['-c', `import torch, numpy, ipykernel, jupyter_client; assert torch.__version__.startswith("${TORCH_VERSION}")`]).status === 0;
  if (works()) return { python };
  log(`creating ${path.relative(ROOT, VENV)} (python3 -m venv; pip install torch==${TORCH_VERSION} numpy ipykernel jupyter_client) for the PyTorch references (kernel bench, numerics; bench only, once) …`);
  fs.rmSync(VENV, { recursive: true, force: true });
  const mk = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (mk.status !== 0) return { why: `python3 -m venv failed: ${(mk.stderr || String(mk.error)).trim().split('\n').pop()}` };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '-q', `torch==${TORCH_VERSION}`, 'numpy', 'ipykernel', 'jupyter_client'], { encoding: 'utf8', timeout: 30 * 60_000 });
  if (pip.status !== 0 || !works()) return { why: `pip install torch==${TORCH_VERSION} numpy ipykernel jupyter_client failed: ${(pip.stderr || String(pip.error)).trim().split('\n').pop()}` };
  log(`  ${path.relative(ROOT, VENV)} ready`);
  return { python };
}

function writeSpec(name: string, spec: Record<string, unknown>): void {
  const dir = path.join(KERNELS_DIR, 'kernels', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2));
}

/**
 * Writes the kernel specs (torch-bench only when `torchPython` is given) and the converter
 * and TypeScript next to tslab's own; returns the JUPYTER_PATH entry and a cleanup that removes the
 * files of the before kernel (call it once the kernels are shut down).
 */
export function writeBenchKernels(torchPython: string | undefined): { jupyterPath: string; kernels: string[]; cleanup: () => void } {
  fs.rmSync(path.join(KERNELS_DIR, 'kernels'), { recursive: true, force: true });
  const kernels: string[] = [];
  if (torchPython) {
    writeSpec(TORCH_KERNEL, { argv: [torchPython, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: `Python (PyTorch ${TORCH_VERSION}, bench)`, language: 'python' });
    kernels.push(TORCH_KERNEL);
  }
  const before = writeBeforeConverter();
  if (before) {
    const preload = path.join(KERNELS_DIR, 'before-preload.js');
    fs.writeFileSync(
      preload,
      `// bench only: tslab's converter.js, jupyter.js and main.js as before issue 15, under their own paths (bench/kernels.ts)
const Module = require('module');
const fs = require('fs');
const path = require('path');
for (const [target, source] of ${JSON.stringify([
        [patch.FILE, before.converter],
        [patch.JUPYTER_FILE, before.jupyter],
        [patch.MAIN_FILE, before.main],
      ])}) {
  const m = new Module(target, null);
  m.filename = target;
  m.paths = Module._nodeModulePaths(path.dirname(target));
  require.cache[target] = m;
  m._compile(fs.readFileSync(source, 'utf8'), target);
  m.loaded = true;
}
`,
    );
    const tslab = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
    writeSpec(BEFORE_KERNEL, {
      argv: [process.execPath, '--require', preload, tslab, 'kernel', '--config-path', '{connection_file}'],
      display_name: 'TypeScript — Optimization in DL (tslab as before issue 15, bench)',
      language: 'typescript',
      env: { DLOPT_ROOT: ROOT },
    });
    kernels.push(BEFORE_KERNEL);
  }
  return {
    jupyterPath: KERNELS_DIR,
    kernels,
    cleanup: () => before?.cleanup(),
  };
}

/**
 * Writes tslab's converter and TypeScript as they were before issue 15 (published, plus hunk 1 of
 * kernel/patch-tslab.js in the converter, as on main) next to the patched ones; returns the converter's
 * path and a cleanup, or undefined when the patch is not applied.
 */
export function writeBeforeConverter(): { converter: string; jupyter: string; main: string; cleanup: () => void } | undefined {
  const s = patch.state();
  if (!(s.ok && s.applied)) return undefined;
  const tsRequire = 'require("@tslab/typescript-for-tslab")';
  const hunk1 = patch.HUNKS[0];
  const converter = patch.unpatch(fs.readFileSync(patch.FILE, 'utf8')).replace(hunk1.original, hunk1.patched);
  fs.writeFileSync(BEFORE_TS, patch.unpatch(fs.readFileSync(patch.TS_FILE, 'utf8'), patch.TS_HUNKS));
  fs.writeFileSync(BEFORE_CONVERTER, converter.replace(tsRequire, `require(${JSON.stringify(BEFORE_TS)})`));
  fs.mkdirSync(KERNELS_DIR, { recursive: true });
  const jupyter = path.join(KERNELS_DIR, 'jupyter.before.js');
  fs.writeFileSync(jupyter, patch.unpatch(fs.readFileSync(patch.JUPYTER_FILE, 'utf8'), patch.JUPYTER_HUNKS));
  // tslab's own main.js: its own executor (check, then run), not kernel/checked-executor.js
  const main = path.join(KERNELS_DIR, 'main.before.js');
  fs.writeFileSync(main, patch.unpatch(fs.readFileSync(patch.MAIN_FILE, 'utf8'), patch.MAIN_HUNKS));
  return { converter: BEFORE_CONVERTER, jupyter, main, cleanup: () => [BEFORE_CONVERTER, BEFORE_TS, jupyter, main].forEach((f) => fs.rmSync(f, { force: true })) };
}
