/**
 * The course kernel runs a cell as soon as it is transpiled while a worker type-checks it
 * (kernel/checked-executor.js). test/integration/checked_kernel.py drives fresh kernels over the
 * Jupyter protocol: in fast mode a type error reaches the cell that caused it after its reply and a
 * cell sent before it was shown is not run; in strict mode (headless runs) the cell fails with tslab's
 * message and no other output; syntax and grammar errors stop a cell before it runs; after a failed or
 * interrupted cell the next cell sent runs, while those queued behind it are cancelled; the library's
 * warm-up runs only while the kernel is idle and changes no result.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, courseKernelEnv, ensureJupyter } from '../../scripts/jupyter';

describe('type checks off the critical path (kernel/checked-executor.js)', () => {
  it('reports type errors in the cell that caused them, in fast and strict mode', { timeout: 420_000 }, () => {
    const python = ensureJupyter();
    const env: NodeJS.ProcessEnv = { ...courseKernelEnv(), DLOPT_ROOT_FOR_TEST: ROOT };
    delete env.DLOPT_TYPECHECK;
    const r = spawnSync(python, [path.join(ROOT, 'test', 'integration', 'checked_kernel.py')], { cwd: os.tmpdir(), env, encoding: 'utf8', timeout: 400_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    const ran = /Ran (\d+) tests?/.exec(out);
    assert.ok(ran, `no unittest summary:\n${out.slice(-3000)}`);
    assert.equal(r.status, 0, `checked kernel tests failed:\n${out.slice(-5000)}`);
    assert.equal(Number(ran[1]), 9, `expected the 9 tests of checked_kernel.py, ran ${ran[1]}`);
    assert.match(out, /\nOK/);
  });
});
