import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mlp, type Activation, type Mlp } from '../../src/nets/mlp';
import { getLoss, logistic, mse, softmaxCrossEntropy } from '../../src/nets/losses';
import { trainEpochs } from '../../src/training/train-epochs';
import type { InitName } from '../../src/nets/init';
import { rng } from '../../src/core/random';
import { disposeState, type Optimizer } from '../../src/optimizers/types';
import { assertClose, assertNoLeak, blobs as threeBlobs, setupBackend } from '../helpers';

before(setupBackend);

/** Plain gradient descent in the init/update contract: updates = −η g. */
const gd = (lr: number): Optimizer => ({
  name: 'gd',
  hyper: { lr },
  init: () => ({ step: 0, buffers: {} }),
  update: (grads, state, _params, opts) => ({
    // Δθ = −η g
    updates: grads.map((g) => tf.mul(g, -(opts?.lr ?? lr))),
    state: { step: state.step + 1, buffers: {} },
  }),
});

/** Heavy-ball momentum (with a state buffer, to check state disposal): v ← μv − ηg, Δθ = v. */
const momentum = (lr: number, mu: number): Optimizer => ({
  name: 'momentum',
  hyper: { lr, mu },
  init: (params) => ({ step: 0, buffers: { v: params.map((p) => tf.zerosLike(p)) } }),
  update: (grads, state, _params) => {
    const v = grads.map((g, i) => tf.tidy(() => tf.sub(tf.mul(state.buffers.v[i], mu), tf.mul(g, lr))));
    return { updates: v.map((t) => t.clone()), state: { step: state.step + 1, buffers: { v } } };
  },
});

/** y = sin(x₁) + ½ x₂x₃ on N(0, I) inputs in R⁴. */
function regression(N: number, seed: number): { X: tf.Tensor2D; y: tf.Tensor2D } {
  const r = rng(seed);
  const xa = Float32Array.from({ length: N * 4 }, () => r.normal());
  const ya = Float32Array.from({ length: N }, (_, i) => Math.sin(xa[4 * i]) + 0.5 * xa[4 * i + 1] * xa[4 * i + 2]);
  return { X: tf.tensor2d(xa, [N, 4]), y: tf.tensor2d(ya, [N, 1]) };
}

/** Three Gaussian blobs in R², one-hot labels (test/helpers.ts), with the target named y as in trainEpochs. */
function blobs(N: number, seed: number): { X: tf.Tensor2D; y: tf.Tensor2D } {
  const { X, Y } = threeBlobs(N, seed);
  return { X, y: Y };
}

describe('mlp', () => {
  it('builds [W1, b1, …] with the given shapes, seeded weights and biases', () => {
    assertNoLeak(() => {
      const m = mlp({ sizes: [3, 5, 2], activation: 'tanh', init: 'heNormal', biasInit: 0.1, outputBias: [1, -2], seed: 4 });
      assert.deepEqual(
        m.params.map((p) => p.shape),
        [[3, 5], [5], [5, 2], [2]],
      );
      assert.equal(m.nParams, 15 + 5 + 10 + 2);
      assert.equal(m.layers, 2);
      assertClose(m.params[1].dataSync(), [0.1, 0.1, 0.1, 0.1, 0.1], 1e-7, 'b1');
      assert.deepEqual(Array.from(m.params[3].dataSync()), [1, -2]);
      const again = mlp({ sizes: [3, 5, 2], activation: 'tanh', init: 'heNormal', seed: 4 });
      const other = mlp({ sizes: [3, 5, 2], activation: 'tanh', init: 'heNormal', seed: 5 });
      assert.deepEqual(again.params[0].dataSync(), m.params[0].dataSync(), 'same seed, same W1');
      assert.notDeepEqual(other.params[0].dataSync(), m.params[0].dataSync(), 'other seed');
      assert.notDeepEqual(m.params[2].dataSync(), m.params[0].dataSync().slice(0, 10), 'layers get different seeds');
      // the weights come from the named initializer: W ~ N(0, 2/m) has |W| well inside 6σ
      assert.ok(Array.from(m.params[0].dataSync()).every((v) => Math.abs(v) < 6 * Math.sqrt(2 / 3)));
      [m, again, other].forEach((x) => x.dispose());
    }, 'mlp build/dispose');
  });

  it('forward computes ŷ = φ(X W1 + b1) W2 + b2 (no output activation), checked by hand', () => {
    for (const act of ['sigmoid', 'tanh', 'relu', 'linear'] as Activation[]) {
      const m = mlp({ sizes: [2, 3, 1], activation: act, init: 'glorotUniform', biasInit: 0.2, outputBias: -0.3, seed: 1 });
      const [W1, b1, W2, b2] = m.params.map((p) => Array.from(p.dataSync()));
      const x = [0.5, -1.5];
      const phi = { sigmoid: (a: number) => 1 / (1 + Math.exp(-a)), tanh: Math.tanh, relu: (a: number) => Math.max(0, a), linear: (a: number) => a }[act];
      const h = [0, 1, 2].map((j) => phi(x[0] * W1[j] + x[1] * W1[3 + j] + b1[j]));
      const expected = h[0] * W2[0] + h[1] * W2[1] + h[2] * W2[2] + b2[0];
      const got = assertNoLeak(() => tf.tidy(() => m.forward(tf.tensor2d([x])).dataSync()[0]), 'forward');
      assertClose(got, expected, 1e-5, `ŷ (${act})`);
      m.dispose();
    }
  });

  it('getFlat/setFlat round-trip θ, and lossAt(θ) is the loss at θ without touching the variables', () => {
    const { X, y } = regression(16, 2);
    const m = mlp({ sizes: [4, 6, 1], activation: 'tanh', seed: 3 });
    assertNoLeak(() => {
      const theta = m.getFlat();
      assert.equal(theta.length, m.nParams);
      assert.deepEqual(theta.slice(0, 24), m.params[0].dataSync(), 'θ starts with vec(W1), row-major');
      const loss0 = tf.tidy(() => mse(m.forward(X), y).dataSync()[0]);
      assertClose(m.lossAt(theta, X, y), loss0, 1e-6, 'lossAt(θ)');
      const theta2 = theta.map((v) => v * 0.5);
      const loss2 = m.lossAt(theta2, X, y);
      assert.deepEqual(m.getFlat(), theta, 'lossAt leaves the variables alone');
      m.setFlat(theta2);
      assert.deepEqual(m.getFlat(), theta2);
      assertClose(tf.tidy(() => mse(m.forward(X), y).dataSync()[0]), loss2, 1e-6, 'loss after setFlat');
      m.setFlat(theta);
      assert.throws(() => m.setFlat(new Float32Array(3)), /theta must have length nParams = 37; got length 3/);
      const bad = Array.from(theta);
      bad[5] = NaN;
      assert.throws(() => m.setFlat(bad), /theta\[5\] must be a finite number; got NaN/);
    }, 'flat helpers');
    m.dispose();
    tf.dispose([X, y]);
  });

  it('unflatten is differentiable: ∇_θ L(unflatten(θ)) equals the per-variable gradients, concatenated', () => {
    const { X, y } = regression(16, 2);
    const m = mlp({ sizes: [4, 6, 1], activation: 'sigmoid', seed: 3 });
    assertNoLeak(() => {
      const [gFlat, gVars] = tf.tidy(() => {
        const theta = tf.tensor1d(m.getFlat());
        const g1 = tf.grad((t: tf.Tensor) => mse(m.forwardWith(m.unflatten(t as tf.Tensor1D), X), y))(theta);
        const { grads } = tf.variableGrads(() => mse(m.forward(X), y), m.params);
        const g2 = tf.concat(m.params.map((p) => grads[p.name].reshape([-1])));
        return [Array.from(g1.dataSync()), Array.from(g2.dataSync())];
      });
      assertClose(gFlat, gVars, 1e-6, '∇θ');
      assert.throws(() => tf.tidy(() => m.unflatten(tf.zeros([3]) as tf.Tensor1D)), /theta must be a 1-D tensor of length nParams = 37; got shape \[3\]/);
    }, 'unflatten');
    m.dispose();
    tf.dispose([X, y]);
  });

  it('rejects bad configs and inputs, naming the parameter', () => {
    assertNoLeak(() => {
      assert.throws(() => mlp({ sizes: [3], seed: 0 }), /sizes must be \[in, …, out\] with at least 2 entries; got \[3\]/);
      assert.throws(() => mlp({ sizes: [3, 0, 1], seed: 0 }), /sizes\[1\] must be a positive integer; got 0/);
      assert.throws(() => mlp({ sizes: [3, 1], activation: 'elu' as Activation, seed: 0 }), /activation must be one of .*got "elu"/);
      assert.throws(() => mlp({ sizes: [3, 1], init: 'he' as InitName, seed: 0 }), /init must be one of .*got "he"/);
      assert.throws(() => mlp({ sizes: [3, 1], seed: NaN }), /seed must be a finite number; got NaN/);
      assert.throws(() => mlp({ sizes: [3, 2], outputBias: [1], seed: 0 }), /outputBias must be a finite number or 2 finite numbers; got \[1\]/);
      assert.throws(() => mlp({ sizes: [3, 2], init: () => new Float32Array(1), seed: 0 }), /init must return a Float32Array of length 6 for layer 1; got length 1/);
      const m = mlp({ sizes: [3, 2], seed: 0 });
      assert.throws(() => tf.tidy(() => m.forward(tf.zeros([4, 2]))), /X must be a tensor of shape \[N, 3\]; got shape \[4,2\]/);
      m.dispose();
    }, 'mlp errors');
  });
});

describe('losses', () => {
  it('agree with tf.losses (mse, softmax cross-entropy, sigmoid cross-entropy) and stay finite for large logits', () => {
    assertNoLeak(() =>
      tf.tidy(() => {
        const z = tf.tensor2d([
          [0.3, -1.2, 2.0],
          [1.5, 0.1, -0.4],
        ]);
        const oh = tf.tensor2d([
          [0, 0, 1],
          [1, 0, 0],
        ]);
        const t = tf.tensor2d([
          [0.1, 0.2, 0.3],
          [1, -1, 0],
        ]);
        assertClose(mse(z, t).dataSync()[0], tf.losses.meanSquaredError(t, z).dataSync()[0], 1e-6, 'mse');
        assertClose(softmaxCrossEntropy(z, oh).dataSync()[0], tf.losses.softmaxCrossEntropy(oh, z).dataSync()[0], 1e-6, 'softmax CE');
        const zb = tf.tensor2d([[0.3], [-2], [4]]);
        const yb = tf.tensor2d([[1], [0], [1]]);
        assertClose(logistic(zb, yb).dataSync()[0], tf.losses.sigmoidCrossEntropy(yb, zb).dataSync()[0], 1e-6, 'logistic');
        // log(1 + e^{100}) − 0 = 100: the stable form does not overflow
        assertClose(logistic(tf.tensor2d([[100]]), tf.tensor2d([[0]])).dataSync()[0], 100, 1e-4, 'logistic(100, 0)');
        assertClose(logistic(tf.tensor2d([[-100]]), tf.tensor2d([[0]])).dataSync()[0], 0, 1e-6, 'logistic(−100, 0)');
        assert.equal(getLoss('mse'), mse);
        assert.throws(() => getLoss('hinge' as 'mse'), /loss must be one of mse, softmaxCrossEntropy, logistic or a function; got "hinge"/);
        assert.throws(() => mse(z, zb), /y must have the shape of the prediction \[2,3\]; got \[3,1\]/);
      }),
    'losses');
  });
});

describe('trainEpochs', () => {
  it('reduces the loss with plain GD (init/update contract), deterministically, without leaking', () => {
    const { X, y } = regression(256, 7);
    const { X: vX, y: vY } = regression(64, 8);
    const run = (shuffleSeed: number) => {
      const m = mlp({ sizes: [4, 32, 32, 1], activation: 'tanh', seed: 1 });
      const seen: number[] = [];
      const res = trainEpochs(m, gd(0.1), { X, y, valX: vX, valY: vY, epochs: 10, batchSize: 32, seed: shuffleSeed, onEpoch: (e) => void seen.push(e.epoch) });
      m.dispose();
      return { res, seen };
    };
    const { res, seen } = assertNoLeak(() => run(3), 'trainEpochs');
    assert.equal(res.diverged, undefined);
    assert.equal(res.epochs, 10);
    assert.equal(res.steps, 80);
    assert.equal(res.stepLoss.length, 80);
    assert.equal(res.gradNorm.length, 80);
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(res.trainLoss.length, 10);
    assert.equal(res.valLoss.length, 10);
    assert.ok(res.trainLoss[9] < 0.6 * res.initialLoss, `train loss ${res.trainLoss[9]} vs initial ${res.initialLoss}`);
    assert.ok(res.valLoss[9] < 0.8 * res.valLoss[0] || res.valLoss[9] < 0.6 * res.initialLoss, `val loss ${res.valLoss}`);
    // same seeds → same numbers; another shuffle seed → other minibatches
    assert.deepEqual(run(3).res.stepLoss, res.stepLoss);
    assert.notDeepEqual(run(4).res.stepLoss, res.stepLoss);
    tf.dispose([X, y, vX, vY]);
  });

  it('a GD step through trainEpochs equals one tf.train.sgd step (θ ← θ + updates with updates = −ηg)', () => {
    const { X, y } = regression(32, 1);
    const a = mlp({ sizes: [4, 8, 1], activation: 'relu', init: 'heNormal', seed: 2 });
    const b = mlp({ sizes: [4, 8, 1], activation: 'relu', init: 'heNormal', seed: 2 });
    const theta0 = a.getFlat();
    trainEpochs(a, gd(0.05), { X, y, epochs: 1, seed: 0 });
    const sgd = tf.train.sgd(0.05);
    sgd.minimize(() => mse(b.forward(X), y), false, b.params);
    assertClose(a.getFlat(), b.getFlat(), 1e-6, 'θ after one step');
    assert.ok(a.getFlat().some((v, i) => Math.abs(v - theta0[i]) > 1e-4), 'θ moved');
    sgd.dispose();
    [a, b].forEach((m) => m.dispose());
    tf.dispose([X, y]);
  });

  it('works with a stateful optimizer and with tfjs optimizers (trainEpochs and tf.train.adam().minimize) — all reduce the loss', () => {
    const { X, y } = blobs(150, 3);
    const build = () => mlp({ sizes: [2, 16, 3], activation: 'relu', init: 'heNormal', seed: 5 });
    assertNoLeak(() => {
      const m1 = build();
      const r1 = trainEpochs(m1, momentum(0.05, 0.9), { X, y, epochs: 5, batchSize: 30, seed: 1, loss: 'softmaxCrossEntropy' });
      assert.ok(r1.trainLoss[4] < 0.5 * r1.initialLoss, `momentum: ${r1.trainLoss} vs ${r1.initialLoss}`);
      m1.dispose();

      const m2 = build();
      const adam = tf.train.adam(0.02);
      const r2 = trainEpochs(m2, adam, { X, y, epochs: 5, batchSize: 30, seed: 1, loss: 'softmaxCrossEntropy' });
      assert.ok(r2.trainLoss[4] < 0.5 * r2.initialLoss, `tf adam via trainEpochs: ${r2.trainLoss} vs ${r2.initialLoss}`);
      adam.dispose();
      m2.dispose();

      const m3 = build();
      const adam3 = tf.train.adam(0.02);
      const f = () => softmaxCrossEntropy(m3.forward(X), y);
      const before = tf.tidy(() => f().dataSync()[0]);
      for (let i = 0; i < 25; i++) adam3.minimize(f, false, m3.params);
      const after = tf.tidy(() => f().dataSync()[0]);
      assert.ok(after < 0.5 * before, `tf.train.adam().minimize: ${before} → ${after}`);
      adam3.dispose();
      m3.dispose();
    }, 'optimizers');
    tf.dispose([X, y]);
  });

  it('keepState hands back the optimizer state (to continue training); state can be passed back in', () => {
    const { X, y } = regression(32, 1);
    assertNoLeak(() => {
      const m = mlp({ sizes: [4, 8, 1], activation: 'tanh', seed: 2 });
      const opt = momentum(0.05, 0.9);
      const r1 = trainEpochs(m, opt, { X, y, epochs: 2, batchSize: 8, seed: 0, keepState: true });
      assert.equal(r1.state?.step, 8);
      const r2 = trainEpochs(m, opt, { X, y, epochs: 1, batchSize: 8, seed: 1, state: r1.state, keepState: true });
      assert.equal(r2.state?.step, 12);
      disposeState(r2.state!);
      m.dispose();
    }, 'keepState');
    tf.dispose([X, y]);
  });

  it('detects divergence (too large lr): stops and reports {epoch, step, reason}', () => {
    const { X, y } = regression(256, 7);
    assertNoLeak(() => {
      const m = mlp({ sizes: [4, 32, 32, 1], activation: 'tanh', seed: 1 });
      const res = trainEpochs(m, gd(50), { X, y, epochs: 10, batchSize: 32, seed: 3 });
      assert.ok(res.diverged, 'diverged');
      assert.equal(res.diverged.epoch, 1);
      // step k: the bad loss is L_B(θ_k), the last entry of stepLoss (k updates were applied)
      assert.ok(res.diverged.step < 8 && res.diverged.step === res.steps - 1, `step ${res.diverged.step}`);
      assert.ok(!Number.isFinite(res.stepLoss[res.diverged.step]) || !Number.isFinite(res.gradNorm[res.diverged.step]));
      assert.match(res.diverged.reason, new RegExp(`^(L_B\\(θ_${res.diverged.step}\\)|‖∇L_B\\(θ_${res.diverged.step}\\)‖) is (NaN|Infinity)$`));
      assert.equal(res.trainLoss.length, 0, 'no completed epoch');
      m.dispose();
      // maxLoss stops earlier, at the first loss above it
      const m2 = mlp({ sizes: [4, 32, 32, 1], activation: 'tanh', seed: 1 });
      const r2 = trainEpochs(m2, gd(50), { X, y, epochs: 10, batchSize: 32, seed: 3, maxLoss: 100 });
      assert.match(r2.diverged?.reason ?? '', /^L_B\(θ_\d+\) = \S+ exceeds maxLoss = 100\.0$/);
      assert.ok(r2.stepLoss[r2.stepLoss.length - 1] > 100 && r2.stepLoss.slice(0, -1).every((v) => v <= 100));
      m2.dispose();
    }, 'divergence');
    tf.dispose([X, y]);
  });

  it('clipNorm caps the step: one full-batch GD step moves θ by exactly η·c when ‖g‖ > c', () => {
    const { X, y } = regression(64, 1);
    assertNoLeak(() => {
      const m = mlp({ sizes: [4, 8, 1], activation: 'relu', init: 'heNormal', seed: 2 });
      const t0 = m.getFlat();
      const res = trainEpochs(m, gd(0.1), { X, y, epochs: 1, seed: 0, clipNorm: 0.01 });
      assert.ok(res.gradNorm[0] > 0.01, `‖g‖ = ${res.gradNorm[0]} should exceed c`);
      const t1 = m.getFlat();
      const step = Math.sqrt(t1.reduce((s, v, i) => s + (v - t0[i]) ** 2, 0));
      assertClose(step, 0.1 * 0.01, 1e-3 * 0.001, '‖Δθ‖');
      // clipValue bounds every coordinate of the step by η·c = 1e-5 (plus float32 rounding of θ + Δθ:
      // half an ulp, ≤ 2⁻²⁴·|θ|), and the largest coordinate is clipped so it reaches the bound
      const r2 = trainEpochs(m, gd(0.1), { X, y, epochs: 1, seed: 0, clipValue: 1e-4 });
      const t2 = m.getFlat();
      const d = Array.from(t2, (v, i) => Math.abs(v - t1[i]) - 2 ** -24 * Math.max(Math.abs(v), Math.abs(t1[i])));
      assert.equal(r2.steps, 1);
      assert.ok(Math.max(...d) <= 1e-5, `largest coordinate step ${Math.max(...d)} > η·c`);
      assert.ok(Math.max(...Array.from(t2, (v, i) => Math.abs(v - t1[i]))) > 0.99e-5, 'the bound is reached');
      m.dispose();
    }, 'clip in trainEpochs');
    tf.dispose([X, y]);
  });

  it('passes the learning rate ε_k = lr(k), k = the optimizer’s step count, to optimizer.update; onEpoch returning false stops', () => {
    const { X, y } = regression(32, 1);
    assertNoLeak(() => {
      const m = mlp({ sizes: [4, 8, 1], activation: 'tanh', seed: 2 });
      const t0 = m.getFlat();
      const ks: number[] = [];
      const r1 = trainEpochs(m, gd(0.1), { X, y, epochs: 2, batchSize: 16, seed: 0, lr: (k) => (ks.push(k), 0), keepState: true });
      assert.deepEqual(ks, [0, 1, 2, 3]);
      // continuing from a state continues the count: the update k → k + 1 uses ε_k
      trainEpochs(m, gd(0.1), { X, y, epochs: 1, batchSize: 16, seed: 0, lr: (k) => (ks.push(k), 0), state: r1.state, startEpoch: 2 });
      assert.deepEqual(ks, [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(m.getFlat(), t0, 'η = 0 leaves θ unchanged');
      const r = trainEpochs(m, gd(0.1), { X, y, epochs: 5, seed: 0, onEpoch: (e) => e.epoch < 2 });
      assert.equal(r.epochs, 2);
      assert.equal(r.stoppedEarly, true);
      m.dispose();
    }, 'lr schedule');
    tf.dispose([X, y]);
  });

  it('keeps hidden units identical under zeros/constant init (symmetry not broken); random init breaks it', () => {
    const { X, y } = regression(64, 5);
    const units = (m: Mlp) => {
      // column j of W1 (incoming weights of unit j), b1_j and row j of W2 (outgoing weights)
      const [W1, b1, W2] = m.params.map((p) => Array.from(p.dataSync()));
      const n = m.sizes[1];
      return Array.from({ length: n }, (_, j) => [...[0, 1, 2, 3].map((i) => W1[i * n + j]), b1[j], W2[j]]);
    };
    const spread = (u: number[][]) => Math.max(...u.flatMap((row) => row.map((v, k) => Math.abs(v - u[0][k]))));
    assertNoLeak(() => {
      for (const [init, act, initOptions] of [
        ['zeros', 'sigmoid', {}],
        ['constant', 'tanh', { value: 0.3 }],
        ['constant', 'relu', { value: 0.2 }],
      ] as [InitName, Activation, object][]) {
        const m = mlp({ sizes: [4, 6, 1], activation: act, init, initOptions, seed: 1 });
        const theta0 = m.getFlat();
        const res = trainEpochs(m, gd(0.1), { X, y, epochs: 10, batchSize: 16, seed: 2 });
        const u = units(m);
        assert.ok(spread(u) <= 1e-6, `${init}/${act}: units differ by ${spread(u)}`);
        // … and the weights did move (so "identical" is not "untouched")
        const moved = Math.max(...m.getFlat().slice(0, 4 * 6 + 6 + 6).map((v, i) => Math.abs(v - theta0[i])));
        assert.ok(moved > 1e-3, `${init}/${act}: hidden weights moved only ${moved}`);
        assert.ok(Number.isFinite(res.trainLoss[9]));
        m.dispose();
      }
      const r = mlp({ sizes: [4, 6, 1], activation: 'tanh', init: 'glorotUniform', seed: 1 });
      trainEpochs(r, gd(0.1), { X, y, epochs: 10, batchSize: 16, seed: 2 });
      assert.ok(spread(units(r)) > 0.1, 'random init: units differ');
      r.dispose();
    }, 'symmetry');
    tf.dispose([X, y]);
  });

  it('rejects bad options, naming the parameter', () => {
    const { X, y } = regression(16, 1);
    const m = mlp({ sizes: [4, 3, 1], seed: 0 });
    assertNoLeak(() => {
      const base = { X, y, epochs: 1, seed: 0 };
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, epochs: 0 }), /epochs must be a positive integer; got 0/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, batchSize: 2.5 }), /batchSize must be a positive integer; got 2.5/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, lr: -1 }), /lr must be a finite number > 0 or a schedule k => ε_k; got -1/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, seed: 0.5 }), /seed must be an integer; got 0\.5/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, startEpoch: -1 }), /startEpoch must be a non-negative integer; got -1/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, y: X }), /y must be a tensor of shape \[16, 1\]; got shape \[16,4\]/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, valX: X }), /valY must be a tensor of shape \[16, 1\]; got undefined/);
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, clipNorm: 0 }), /clipNorm must be a finite number > 0; got 0/);
      assert.throws(() => trainEpochs(m, {} as Optimizer, base), /optimizer must have init\/update/);
      const sgd = tf.train.sgd(0.1);
      assert.throws(() => trainEpochs(m, sgd, { ...base, lr: 0.1 }), /lr cannot be passed with a tf.train optimizer/);
      sgd.dispose();
      assert.throws(() => trainEpochs(m, gd(0.1), { ...base, lr: () => NaN }), /lr\(0\) must return a finite number ≥ 0; got NaN/);
    }, 'trainEpochs errors');
    m.dispose();
    tf.dispose([X, y]);
  });
});
