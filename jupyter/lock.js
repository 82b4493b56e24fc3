#!/usr/bin/env node
/**
 * `npm run jupyter:lock`: regenerates jupyter/requirements.lock from jupyter/requirements.in with uv (exact
 * versions and sha256 hashes of every file PyPI has for them, resolved for every platform and Python ≥ 3.10).
 * uv itself (a pinned version) is pip-installed into build/uv-venv the first time. Commit both files; the next
 * `npm install` remakes .venv from the new lock.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, basePython, venvPython } = require('./setup.js');

const UV_VERSION = '0.13.9';
const tools = path.join(ROOT, 'build', 'uv-venv');
const py = venvPython(tools);
const uv = path.join(path.dirname(py), process.platform === 'win32' ? 'uv.exe' : 'uv');
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) process.exit(r.status || 1);
};
if (!fs.existsSync(uv)) {
  const base = basePython();
  if (!base) {
    console.error('[dl-optimization] jupyter:lock needs Python ≥ 3.10 with venv');
    process.exit(1);
  }
  step(base, ['-m', 'venv', tools]);
  step(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', `uv==${UV_VERSION}`]);
}
step(uv, ['pip', 'compile', '--universal', '--generate-hashes', '--python-version', '3.10', 'jupyter/requirements.in', '-o', 'jupyter/requirements.lock', ...process.argv.slice(2)]);
