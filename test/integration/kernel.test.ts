/**
 * Kernel tests: the installer writes a kernel.json that starts THIS checkout's tslab (idempotently),
 * and jupyter_kernel_test (PyPI, in the project venv) drives the registered kernel over the Jupyter protocol
 * (test/integration/kernel_protocol.py; what tslab cannot do is documented there).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, courseKernelEnv, ensureJupyter, pythonHas } from '../../scripts/jupyter';

describe('kernel installer', () => {
  it('writes a kernel.json whose argv starts this checkout’s tslab with this node, idempotently', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-kernel-'));
    try {
      for (let i = 0; i < 2; i++) execFileSync(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), '--dir', dir, '--quiet']);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, 'kernels', 'dl-optimization', 'kernel.json'), 'utf8'));
      assert.equal(spec.argv[0], process.execPath);
      assert.equal(spec.argv[1], path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'));
      assert.deepEqual(spec.argv.slice(2), ['kernel', '--config-path', '{connection_file}']);
      assert.equal(spec.display_name, 'TypeScript — Optimization in DL');
      assert.equal(spec.language, 'typescript');
      assert.equal(spec.env.DLOPT_ROOT, ROOT);
      assert.ok(fs.existsSync(spec.argv[1]), 'tslab exists where argv points');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'kernels')), ['dl-optimization'], 'one kernel, rewritten in place');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--prefix installs under PREFIX/share/jupyter/kernels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-prefix-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'kernel', 'install.js'), '--prefix', dir, '--quiet']);
      assert.ok(fs.existsSync(path.join(dir, 'share', 'jupyter', 'kernels', 'dl-optimization', 'kernel.json')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kernel protocol (jupyter_kernel_test)', () => {
  it('passes the protocol suite against the course kernel', { timeout: 180_000 }, () => {
    const python = ensureJupyter();
    assert.ok(pythonHas(python, ['jupyter_kernel_test']), `${python} lacks jupyter_kernel_test (it is in jupyter/requirements.lock: npm install makes .venv)`);
    const env = { ...courseKernelEnv(), DLOPT_ROOT_FOR_TEST: ROOT };
    const r = spawnSync(python, [path.join(ROOT, 'test', 'integration', 'kernel_protocol.py')], {
      cwd: os.tmpdir(),
      env,
      encoding: 'utf8',
      timeout: 170_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    const ran = /Ran (\d+) tests?/.exec(out);
    assert.ok(ran, `no unittest summary:\n${out.slice(-3000)}`);
    assert.equal(r.status, 0, `kernel protocol tests failed:\n${out.slice(-4000)}`);
    assert.ok(Number(ran[1]) >= 15, `expected ≥ 15 protocol tests, ran ${ran[1]}`);
    assert.match(out, /\nOK/);
  });
});
