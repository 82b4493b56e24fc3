import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { formatBackendReport, initBackend, type BackendReport } from '../../src/edge/backend';
import { check, checkThat } from '../../src/edge/check';

/** The backends in the order initBackend tries them, by their tfjs names. */
const ORDER = ['tensorflow', 'wasm', 'cpu'];
const TFJS_NAME: Record<string, string> = { node: 'tensorflow', tensorflow: 'tensorflow', 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

interface ChildResult {
  report: BackendReport;
  line: string;
  forcedNodeError?: string;
  tfjsNodeError?: string;
}

/** Runs test/fixtures/backend-choice.ts in a fresh process with DLOPT_BACKEND unset and `unloadable` packages made unresolvable. */
function chooseInChild(unloadable: string[], forceNode = false): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DLOPT_TEST_UNLOADABLE: unloadable.join(','), DLOPT_TEST_FORCE_NODE: forceNode ? '1' : '0', TF_CPP_MIN_LOG_LEVEL: '2' };
  delete env.DLOPT_BACKEND;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'fixtures', 'backend-choice.ts')], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`backend-choice.ts failed: ${stderr || err.message}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`backend-choice.ts printed no JSON line: ${JSON.stringify(stdout)} ${stderr}`));
      }
    });
  });
}

const NOT_FOUND = (pkg: string) => new RegExp(`^Cannot find module '${pkg.replace('/', '\\/')}' \\(made unloadable by the test\\)$`);

describe('backend', () => {
  it('this process: the DLOPT_BACKEND backend when set, else the first loadable one in the order, and reports the choice', async () => {
    const r = await initBackend();
    const forced = process.env.DLOPT_BACKEND;
    assert.equal(r.forced, !!forced);
    // a forced backend is exactly that one (npm test runs this file with node, wasm and cpu); unforced, the
    // backends skipped are exactly those before the chosen one in the order
    assert.equal(r.backend, forced ? TFJS_NAME[forced] : ORDER[r.skipped.length]);
    assert.deepEqual(r.skipped.map((s) => TFJS_NAME[s.backend]), forced ? [] : ORDER.slice(0, r.skipped.length));
    assert.equal(tf.getBackend(), r.backend, 'the reported backend is the active one');
    const line = formatBackendReport(r);
    assert.match(line, new RegExp(`^backend ${r.backend}${forced ? ' \\(forced by DLOPT_BACKEND\\)' : ''} · tfjs 4\\.22\\.0 · node ${process.version.replace(/\./g, '\\.')}`));
    // the chosen backend computes tanh'(4) = 1 − tanh²(4) = 0.00134095068 in float32: y = tanh(4) is
    // within an ulp (6e-8) or two of exact, and 1 − y² moves by 2·δy (wasm/cpu 0.0013408661,
    // tensorflow 0.0013409853); 2.4e-7 allows y two ulps off, and rejects 1 − y (6.7e-4) or y itself
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.tanh(x))(tf.scalar(4)).dataSync()[0]);
    assert.ok(Math.abs(g - 0.001340950683) < 2.4e-7, `tanh'(4) = ${g}`);
  });

  it('cast to the same dtype is the input itself on the chosen backend (no op); other casts still convert, and mul gradients hold', async () => {
    await initBackend();
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const same = tf.cast(x, 'float32');
    // the same data (tensorflow ran a TensorFlow Cast op here before castToSameDtypeWithoutOp; cpu and wasm never did)
    assert.equal(same.dataId, x.dataId);
    x.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.25, 3], 'the cast survives its input’s disposal');
    same.dispose();
    const floats = tf.tensor1d([1.7, -2.2]);
    const ints = tf.cast(floats, 'int32');
    assert.equal(ints.dtype, 'int32');
    assert.deepEqual(Array.from(ints.dataSync()), [1, -2]);
    const back = tf.cast(ints, 'float32');
    assert.equal(back.dtype, 'float32');
    assert.deepEqual(Array.from(back.dataSync()), [1, -2]);
    // d/da Σ a·b = b and d/db Σ a·b = a: tfjs's Multiply gradient casts each side to float32
    const a = tf.tensor1d([2, 3]);
    const b = tf.tensor1d([5, 7]);
    const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(p, q)))([a, b]);
    assert.deepEqual([Array.from(ga.dataSync()), Array.from(gb.dataSync())], [[5, 7], [2, 3]]);
    tf.dispose([floats, ints, back, a, b, ga, gb]);
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects an unknown DLOPT_BACKEND value, naming it', async () => {
    const saved = process.env.DLOPT_BACKEND;
    process.env.DLOPT_BACKEND = 'gpu';
    try {
      assert.throws(() => initBackend(), /DLOPT_BACKEND must be one of node, wasm, cpu; got "gpu"/);
    } finally {
      if (saved === undefined) delete process.env.DLOPT_BACKEND;
      else process.env.DLOPT_BACKEND = saved;
    }
  });
});

/*
 * The choice without DLOPT_BACKEND, in fresh processes (the backend is chosen once per process) with
 * packages made unloadable. It does not depend on this process's backend, so of npm test's three runs of
 * this file (DLOPT_BACKEND=node, wasm, cpu) only the cpu one starts them (also a run without DLOPT_BACKEND).
 */
const FALLBACK_RUN = !process.env.DLOPT_BACKEND || process.env.DLOPT_BACKEND === 'cpu';
if (FALLBACK_RUN) {
  describe('backend fallback order (child processes, DLOPT_BACKEND unset)', () => {
    // the three scenarios start together (~1 s each), and their tests await them
    const all = chooseInChild([]);
    const noNode = chooseInChild(['@tensorflow/tfjs-node'], true);
    const onlyCpu = chooseInChild(['@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    // a child that fails fails the test awaiting it, not the file (as an unhandled rejection)
    for (const p of [all, noNode, onlyCpu]) p.catch(() => undefined);

    it('unforced, tensorflow comes first: chosen when @tensorflow/tfjs-node loads, else skipped with its load error for wasm', async () => {
      const { report, tfjsNodeError } = await all;
      assert.equal(report.forced, false);
      if (tfjsNodeError === undefined) {
        assert.equal(report.backend, 'tensorflow');
        assert.deepEqual(report.skipped, []);
      } else {
        assert.equal(report.backend, 'wasm');
        assert.deepEqual(report.skipped, [{ backend: 'node', reason: tfjsNodeError }]);
      }
    });

    it('without tfjs-node, wasm comes next; the report line says what was skipped and why', async () => {
      const { report, line } = await noNode;
      assert.equal(report.backend, 'wasm');
      assert.equal(report.forced, false);
      assert.deepEqual(report.skipped.map((s) => s.backend), ['node']);
      assert.match(report.skipped[0].reason, NOT_FOUND('@tensorflow/tfjs-node'));
      assert.match(line, /^backend wasm · tfjs 4\.22\.0 · node v[\d.]+ \(skipped node: Cannot find module '@tensorflow\/tfjs-node'/);
    });

    it('without tfjs-node and wasm, cpu comes last, with both skips in order', async () => {
      const { report } = await onlyCpu;
      assert.equal(report.backend, 'cpu');
      assert.deepEqual(report.skipped.map((s) => s.backend), ['node', 'wasm']);
      assert.match(report.skipped[0].reason, NOT_FOUND('@tensorflow/tfjs-node'));
      assert.match(report.skipped[1].reason, NOT_FOUND('@tensorflow/tfjs-backend-wasm'));
    });

    it('a forced backend that cannot load is an error naming it and why, not a silent fallback', async () => {
      const { forcedNodeError } = await noNode;
      assert.equal(forcedNodeError, `backend "node" was requested but could not load: Cannot find module '@tensorflow/tfjs-node' (made unloadable by the test)`);
    });
  });
}

describe('check', () => {
  it('passes within tolerance and throws outside it, with the label', () => {
    assert.doesNotThrow(() => check('x', 1.00001, 1, 1e-4));
    assert.throws(() => check("tanh'(4)", 0.5, 0.0013, 1e-4), /✗ tanh'\(4\) = 0.5, expected 0.0013 ± 0.0001/);
    assert.throws(() => check('nan', NaN, 0, 1), /✗ nan = NaN/);
    assert.throws(() => checkThat('ordering', false, 'a > b'), /✗ ordering: a > b/);
  });
});
