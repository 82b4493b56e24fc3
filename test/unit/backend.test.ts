import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { formatBackendReport, initBackend } from '../../src/edge/backend';
import { check, checkThat } from '../../src/edge/check';

describe('backend', () => {
  it('falls back past the missing tfjs-node (or honours DLOPT_BACKEND) and reports the choice', async () => {
    const r = await initBackend();
    const forced = process.env.DLOPT_BACKEND;
    if (forced) {
      assert.equal(r.backend, forced === 'node' ? 'tensorflow' : forced);
      assert.equal(r.forced, true);
    } else {
      assert.ok(['tensorflow', 'wasm', 'cpu'].includes(r.backend));
    }
    assert.equal(tf.getBackend(), r.backend, 'the reported backend is the active one');
    let tfjsNode = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      tfjsNode = false;
    }
    if (!tfjsNode && !forced) {
      assert.equal(r.backend, 'wasm', 'without tfjs-node, wasm comes next');
      assert.equal(r.skipped[0]?.backend, 'node');
    }
    const line = formatBackendReport(r);
    assert.match(line, new RegExp(`^backend ${r.backend}`));
    assert.match(line, /tfjs 4\.22\.0/);
    // the chosen backend computes tanh'(4) = 1 − tanh²(4) = 0.00134095068 in float32: y = tanh(4) is
    // within an ulp (6e-8) or two of exact, and 1 − y² moves by 2·δy (wasm/cpu 0.0013408661,
    // tensorflow 0.0013409853); 2.4e-7 allows y two ulps off, and rejects 1 − y (6.7e-4) or y itself
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.tanh(x))(tf.scalar(4)).dataSync()[0]);
    assert.ok(Math.abs(g - 0.0013409506830) < 2.4e-7, `tanh'(4) = ${g}`);
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

  it('a forced backend that cannot load is an error, not a silent fallback (or, installed, is the one used)', async () => {
    let has = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      has = false;
    }
    if (has) {
      // installed (npm run native): forcing it gives exactly that backend, or an error if it is broken
      const r = await initBackend('node');
      assert.equal(r.backend, 'tensorflow');
      assert.equal(r.forced, true);
      assert.equal(tf.getBackend(), 'tensorflow');
      return;
    }
    await assert.rejects(() => initBackend('node'), /backend "node" was requested but could not load/);
  });
});

describe('check', () => {
  it('passes within tolerance and throws outside it, with the label', () => {
    assert.doesNotThrow(() => check('x', 1.00001, 1, 1e-4));
    assert.throws(() => check("tanh'(4)", 0.5, 0.0013, 1e-4), /✗ tanh'\(4\) = 0.5, expected 0.0013 ± 0.0001/);
    assert.throws(() => check('nan', NaN, 0, 1), /✗ nan = NaN/);
    assert.throws(() => checkThat('ordering', false, 'a > b'), /✗ ordering: a > b/);
  });
});
