import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mlp, type Activation } from '../../src/nets/mlp';
import { mse } from '../../src/nets/losses';
import { probe } from '../../src/nets/probe';
import type { InitName } from '../../src/nets/init';
import { rng } from '../../src/core/random';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';
import { probeFrame } from '../../src/edge/table';

before(setupBackend);

function gaussian(rows: number, cols: number, seed: number): tf.Tensor2D {
  const r = rng(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => r.normal()), [rows, cols]);
}

describe('probe', () => {
  it('at init of a 20-layer width-32 MLP, ‖∂L/∂W₁‖: sigmoid ≪ tanh < relu+He (vanishing gradients)', () => {
    const X = gaussian(64, 32, 100);
    const y = gaussian(64, 1, 101);
    const sizes = [32, ...new Array<number>(19).fill(32), 1]; // 20 layers
    const g1: Record<string, number> = {};
    const t0 = Date.now();
    for (const [act, init] of [
      ['sigmoid', 'glorotUniform'],
      ['tanh', 'glorotUniform'],
      ['relu', 'heNormal'],
    ] as [Activation, InitName][]) {
      const m = mlp({ sizes, activation: act, init, seed: 0 });
      const p = assertNoLeak(() => probe(m, X, y), `probe ${act}`);
      assert.equal(p.rows.length, 20);
      g1[act] = p.rows[0].grad_norm_w;
      assert.ok(g1[act] > 0 && Number.isFinite(g1[act]), `${act}: ‖∂L/∂W₁‖ = ${g1[act]}`);
      m.dispose();
    }
    const ms = Date.now() - t0;
    // σ' ≤ 1/4 in every one of 19 hidden layers: the signal reaching layer 1 is ~1e-12 vs ~1 for relu+He
    assert.ok(g1.sigmoid < 1e-6 * g1.relu, `sigmoid ${g1.sigmoid} should be orders of magnitude below relu ${g1.relu}`);
    assert.ok(g1.sigmoid < g1.tanh && g1.tanh < g1.relu, `expected sigmoid < tanh < relu; got ${JSON.stringify(g1)}`);
    assert.ok(ms < 10000, `three 20-layer probes took ${ms} ms`);
    tf.dispose([X, y]);
  });

  it('gradient norms and layer-1 statistics match a direct computation', () => {
    const X = gaussian(50, 3, 1);
    const y = gaussian(50, 2, 2);
    const m = mlp({ sizes: [3, 8, 5, 2], activation: 'tanh', init: 'glorotNormal', biasInit: 0.1, seed: 4 });
    const p = assertNoLeak(() => probe(m, X, y), 'probe');
    const direct = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => mse(m.forward(X), y), m.params);
      const norms = m.params.map((v) => tf.norm(grads[v.name]).dataSync()[0]);
      const h1 = tf.tanh(tf.add(tf.matMul(X, m.params[0]), m.params[1]));
      const h = Array.from(h1.dataSync());
      return { loss: value.dataSync()[0], norms, h };
    });
    assertClose(p.loss, direct.loss, 1e-6, 'loss');
    for (let l = 1; l <= 3; l++) {
      const r = p.rows[l - 1];
      assertClose(r.grad_norm_w, direct.norms[2 * l - 2], 1e-6 * (1 + direct.norms[2 * l - 2]), `‖∂L/∂W${l}‖`);
      assertClose(r.grad_norm_b, direct.norms[2 * l - 1], 1e-6 * (1 + direct.norms[2 * l - 1]), `‖∂L/∂b${l}‖`);
    }
    const mean = direct.h.reduce((a, b) => a + b, 0) / direct.h.length;
    const std = Math.sqrt(direct.h.reduce((a, b) => a + (b - mean) ** 2, 0) / direct.h.length);
    assertClose(p.rows[0].act_mean, mean, 1e-6, 'act_mean');
    assertClose(p.rows[0].act_std, std, 1e-5, 'act_std');
    assert.deepEqual(
      p.rows.map((r) => [r.layer, r.activation, r.units]),
      [
        [1, 'tanh', 8],
        [2, 'tanh', 5],
        [3, 'linear', 2],
      ],
    );
    m.dispose();
    tf.dispose([X, y]);
  });

  it('without y, L = (1/N) Σ ŷ (a unit backward signal)', () => {
    const X = gaussian(10, 3, 1);
    const m = mlp({ sizes: [3, 4, 2], activation: 'relu', init: 'heNormal', seed: 4 });
    const p = assertNoLeak(() => probe(m, X), 'probe without y');
    const expected = tf.tidy(() => tf.sum(m.forward(X)).dataSync()[0] / 10);
    assertClose(p.loss, expected, 1e-5, 'L');
    // ∂L/∂b_L = (1/N) Σ_i 1 = 1 per output, so ‖∂L/∂b_L‖ = √K
    assertClose(p.rows[1].grad_norm_b, Math.SQRT2, 1e-6, '‖∂L/∂b₂‖');
    m.dispose();
    tf.dispose(X);
  });

  it('measures saturation: tanh with large weights, sigmoid pushed by a bias, half-dead relu, linear output', () => {
    const X = gaussian(200, 16, 3);
    const run = (activation: Activation, init: InitName, opts: { std?: number; biasInit?: number }) => {
      const m = mlp({ sizes: [16, 32, 32, 1], activation, init, initOptions: { std: opts.std }, biasInit: opts.biasInit ?? 0, seed: 9 });
      const p = probe(m, X);
      m.dispose();
      return p.rows;
    };
    assertNoLeak(() => {
      // a = Σ of 16 terms with std 10·|x|: |a| ≫ 2.65 (where tanh = 0.99) almost always
      const t = run('tanh', 'normal', { std: 10 });
      assert.ok(t[0].saturated > 0.9 && t[1].saturated > 0.9, `tanh saturated ${t[0].saturated}, ${t[1].saturated}`);
      assert.equal(t[2].saturated, 0, 'the linear output never saturates');
      // bias 10 with tiny weights: σ(≈10) = 0.99995 > 0.99 for every unit
      const s = run('sigmoid', 'normal', { std: 0.001, biasInit: 10 });
      assert.equal(s[0].saturated, 1);
      assertClose(s[0].act_mean, 1 / (1 + Math.exp(-10)), 1e-4, 'σ(10)');
      // He init, zero bias, symmetric inputs: about half the first-layer units are 0
      const r = run('relu', 'heNormal', {});
      assert.ok(r[0].saturated > 0.4 && r[0].saturated < 0.6, `relu zero fraction ${r[0].saturated}`);
      // small-scale tanh is in its linear regime: nothing saturated
      const lin = run('tanh', 'normal', { std: 0.01 });
      assert.equal(lin[0].saturated, 0);
    }, 'saturation probes');
    tf.dispose(X);
  });

  it('probeFrame (edge) gives the rows as a polars table with the documented columns', () => {
    const X = gaussian(20, 4, 1);
    const m = mlp({ sizes: [4, 6, 6, 1], activation: 'sigmoid', seed: 2 });
    const p = probe(m, X);
    const df = assertNoLeak(() => probeFrame(p), 'probeFrame');
    assert.equal(df.height, 3);
    for (const c of ['layer', 'act_mean', 'act_std', 'saturated', 'grad_norm_w', 'grad_norm_b']) assert.ok(df.columns.includes(c), `column ${c}`);
    assert.deepEqual(df.getColumn('layer').toArray().map(Number), [1, 2, 3]);
    assertClose(df.getColumn('grad_norm_w').toArray() as number[], p.rows.map((r) => r.grad_norm_w), 0, 'grad_norm_w');
    m.dispose();
    tf.dispose(X);
  });

  it('rejects bad input and reports an overflow instead of returning NaN', () => {
    const X = gaussian(8, 3, 1);
    const m = mlp({ sizes: [3, 4, 2], seed: 0 });
    const [yBad, xBad] = [tf.zeros([8, 3]), tf.zeros([8, 5])];
    assertNoLeak(() => {
      assert.throws(() => probe(m, X, yBad), /y must be a tensor of shape \[8, 2\]; got shape \[8,3\]/);
      assert.throws(() => probe({} as never, X), /model must be an Mlp/);
      assert.throws(() => probe(m, xBad), /X must be a tensor of shape \[N, 3\]; got shape \[8,5\]/);
    }, 'probe errors');
    tf.dispose([yBad, xBad]);
    // weights ~ N(0, 1e30²) (finite in float32): a₁ ~ 1e30, a₂ overflows to ±∞ and ∞ − ∞ = NaN in the statistics
    const huge = mlp({ sizes: [3, 8, 8, 8, 1], activation: 'relu', init: 'normal', initOptions: { std: 1e30 }, seed: 0 });
    assertNoLeak(() => assert.throws(() => probe(huge, X), /is NaN \(the forward or backward pass overflowed/), 'probe overflow');
    huge.dispose();
    m.dispose();
    tf.dispose(X);
  });
});
