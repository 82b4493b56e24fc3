import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { IDLE_TASKS, idleTasks, registerWarmUp, warmUpTask, WARM_UP_ROUNDS } from '../../src/edge/warmup';
import { minimize } from '../../src/training/minimize';
import { trainEpochs } from '../../src/training/train-epochs';
import { mlp } from '../../src/nets/mlp';
import { adam } from '../../src/optimizers';
import { rosenbrock } from '../../src/problems/catalog';
import { twoMoons } from '../../src/problems/synthetic-data';
import { assertNoLeak, setupBackend } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

/** A seeded trajectory and a seeded training run: what must not depend on whether the warm-up ran. */
function results(): { x: number[]; f: number[]; steps: number[] } {
  const tr = minimize(rosenbrock(), adam({ lr: 0.02 }), { x0: [-1, 1], steps: 40 });
  const mo = twoMoons(64, 3, 0.1);
  const net = mlp({ sizes: [2, 8, 1], activation: 'tanh', seed: 4 });
  const [X, y] = [tf.tensor2d(mo.X), tf.tensor2d(mo.y, [mo.y.length, 1])];
  try {
    const fit = trainEpochs(net, adam({ lr: 0.05 }), { X, y, epochs: 2, batchSize: 16, seed: 5, loss: 'logistic' });
    return { x: tr.points[tr.points.length - 1], f: tr.losses, steps: fit.stepLoss };
  } finally {
    net.dispose();
    tf.dispose([X, y]);
  }
}

/** Runs `code` (TypeScript, top-level await allowed) in a fresh Node process without a tfjs backend; returns its stdout. */
function fresh(code: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('warm-up while the kernel is idle (src/edge/warmup.ts)', () => {
  before(setupBackend);

  it('runs rounds × 5 units, one per step, each leaving tf.memory().numTensors where it was', () => {
    const task = warmUpTask(2);
    const steps: string[] = [];
    for (let i = 0; i < 20; i++) {
      const s = assertNoLeak(() => task.step(), `warm-up unit ${i}`);
      steps.push(s);
      if (s === 'done') break;
    }
    assert.deepEqual(steps, [...new Array(9).fill('more'), 'done']);
    assert.equal(task.completed, 10);
    assert.equal(task.step(), 'done', 'a finished task stays finished');
    assert.equal(warmUpTask(0).step(), 'done');
  });

  it('changes no result: a seeded trajectory and training run are identical before and after it', () => {
    const cold = results();
    const task = warmUpTask(WARM_UP_ROUNDS);
    while (task.step() === 'more');
    assert.equal(task.completed, WARM_UP_ROUNDS * 5);
    assert.deepEqual(results(), cold);
  });

  it('waits while tfjs is in debug mode (which would print every kernel it runs)', () => {
    const task = warmUpTask(1);
    tf.env().set('DEBUG', true);
    try {
      assert.equal(task.step(), 'later');
    } finally {
      tf.env().set('DEBUG', false);
    }
    assert.equal(task.completed, 0);
    assert.equal(task.step(), 'more');
    assert.equal(task.completed, 1);
  });

  it('rejects a bad number of rounds, naming it', () => {
    assert.throws(() => warmUpTask(-1), /rounds must be a non-negative integer; got -1/);
    assert.throws(() => warmUpTask(1.5), /rounds must be a non-negative integer; got 1.5/);
  });

  it('registers one task per process, on the global registry the kernel reads', () => {
    registerWarmUp();
    registerWarmUp();
    const tasks = idleTasks();
    assert.equal(tasks.filter((t) => t.name === 'warm-up').length, 1);
    assert.equal((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('dl-optimization.idleTasks')], tasks);
    assert.equal(IDLE_TASKS, Symbol.for('dl-optimization.idleTasks'));
  });

  it('in a process without a backend, waits instead of choosing one; importing the library registers it unless DLOPT_WARMUP=0', () => {
    const code = `
      import * as tf from '@tensorflow/tfjs';
      const lib = await import('./src/index.ts');
      const tasks = globalThis[Symbol.for('dl-optimization.idleTasks')] ?? [];
      const steps = tasks.map((t) => t.step());
      console.log(JSON.stringify({ names: tasks.map((t) => t.name), steps, backend: tf.engine().backendName ?? null, exported: typeof (lib.warmUpTask ?? lib.default?.warmUpTask) }));`;
    assert.deepEqual(JSON.parse(fresh(code)), { names: ['warm-up'], steps: ['later'], backend: null, exported: 'function' });
    assert.deepEqual(JSON.parse(fresh(code, { DLOPT_WARMUP: '0' })), { names: [], steps: [], backend: null, exported: 'function' });
  });
});
