import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defineObjective, type Objective } from '../../src/core/objective';
import { minimize } from '../../src/training/minimize';
import {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  addDecayedWeights,
  chain,
  clipByGlobalNorm,
  clipElementwise,
  disposeState,
  emaMomentum,
  newton,
  rmsprop,
  scaleByAdadelta,
  scaleByAdagrad,
  scaleByAdam,
  scaleByAdamax,
  scaleByLr,
  scaleByNewton,
  scaleByRms,
  scaleBySchedule,
  sgd,
  traceEma,
  traceMomentum,
  type Optimizer,
  type OptState,
  type TensorList,
  type Transform,
} from '../../src/optimizers';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Opts = Record<string, any>;

/** adam's options without lr and weightDecay (the options of scaleByAdam). */
const adamOnly = (o: Opts): Opts => Object.fromEntries(Object.entries(o).filter(([k]) => !['lr', 'weightDecay'].includes(k)));

/** The chain each named optimizer documents (src/optimizers/transforms.ts and each optimizer's header). */
const CHAINS: Record<string, (o: Opts) => Optimizer> = {
  sgd: (o) =>
    o.momentum
      ? chain(addDecayedWeights(o.weightDecay ?? 0), traceMomentum({ momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov }), scaleByLr(o.lr))
      : chain(addDecayedWeights(o.weightDecay ?? 0), scaleByLr(o.lr)),
  emaMomentum: (o) => chain(traceEma({ beta: o.beta }), scaleByLr(o.lr)),
  adagrad: (o) =>
    chain(
      addDecayedWeights(o.weightDecay ?? 0),
      scaleByAdagrad({ initialAccumulatorValue: o.initialAccumulatorValue, eps: o.eps }),
      scaleBySchedule((k) => 1 / (1 + k * (o.lrDecay ?? 0))),
      scaleByLr(o.lr ?? 0.01),
    ),
  rmsprop: (o) =>
    chain(
      addDecayedWeights(o.weightDecay ?? 0),
      scaleByRms({ alpha: o.alpha, eps: o.eps, centered: o.centered }),
      ...(o.momentum ? [traceMomentum({ momentum: o.momentum, buffer: 'b' })] : []),
      scaleByLr(o.lr ?? 0.01),
    ),
  adadelta: (o) => chain(addDecayedWeights(o.weightDecay ?? 0), scaleByAdadelta({ rho: o.rho, eps: o.eps }), scaleByLr(o.lr ?? 1)),
  // scaleByAdam takes betas, eps, amsgrad and biasCorrection; lr and weightDecay go to the other transforms
  adam: (o) => chain(addDecayedWeights(o.weightDecay ?? 0), scaleByAdam(adamOnly(o)), scaleByLr(o.lr ?? 1e-3)),
  adamw: (o) => chain(scaleByAdam(adamOnly(o)), addDecayedWeights(o.weightDecay ?? 0.01), scaleByLr(o.lr ?? 1e-3)),
  adamax: (o) => chain(addDecayedWeights(o.weightDecay ?? 0), scaleByAdamax({ betas: o.betas, eps: o.eps }), scaleByLr(o.lr ?? 2e-3)),
  newton: (o) => chain(scaleByNewton({ damping: o.damping, saddleFree: o.saddleFree }), scaleByLr(o.lr ?? 1)),
};
const NAMED: Record<string, (o: any) => Optimizer> = { sgd, emaMomentum, adagrad, rmsprop, adadelta, adam, adamw, adamax, newton };

/** Every configuration of the named optimizers the suite compares with its chain. */
const CASES: [string, Opts][] = [
  ['sgd', { lr: 0.001 }],
  ['sgd', { lr: 0.001, weightDecay: 0.1 }],
  ['sgd', { lr: 0.0005, momentum: 0.9 }],
  ['sgd', { lr: 0.0005, momentum: 0.9, nesterov: true, weightDecay: 0.05 }],
  ['sgd', { lr: 0.001, momentum: 0.5, dampening: 0.3 }],
  ['emaMomentum', { lr: 0.002, beta: 0.8 }],
  ['adagrad', { lr: 0.3 }],
  ['adagrad', { lr: 0.3, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.2 }],
  ['rmsprop', { lr: 0.01 }],
  ['rmsprop', { lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.1 }],
  ['adadelta', { lr: 1 }],
  ['adadelta', { lr: 0.5, rho: 0.8, weightDecay: 0.2 }],
  ['adam', { lr: 0.05 }],
  ['adam', { lr: 0.05, amsgrad: true, weightDecay: 0.1 }],
  ['adam', { lr: 0.05, betas: [0.8, 0.99], biasCorrection: false }],
  ['adamw', { lr: 0.05 }],
  ['adamw', { lr: 0.05, amsgrad: true, weightDecay: 0.3 }],
  ['adamax', { lr: 0.05 }],
  ['adamax', { lr: 0.05, weightDecay: 0.1, betas: [0.8, 0.99] }],
  ['newton', { lr: 0.5 }],
  ['newton', { lr: 0.5, saddleFree: true, damping: 0.1 }],
];
const chainFor = (name: string, o: Opts): Optimizer => CHAINS[name](o);

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'torch-trajectories.json'), 'utf8')) as {
  steps: number;
  objectives: { quadratic: { x0: number[]; A: number[][] }; rosenbrock: { x0: number[] } };
  cases: { name: string; optimizer: string; options: Opts; objective: 'quadratic' | 'rosenbrock'; points: number[][] }[];
};
const A = fixture.objectives.quadratic.A;
const quadratic: Objective = defineObjective({
  name: 'quadratic',
  dim: 2,
  // f = ½ θᵀAθ
  fn: (x) => {
    const [a, b] = tf.unstack(x);
    return tf.mul(0.5, tf.add(tf.add(tf.mul(A[0][0], tf.square(a)), tf.mul(2 * A[0][1], tf.mul(a, b))), tf.mul(A[1][1], tf.square(b))));
  },
});
const rosenbrock: Objective = defineObjective({
  name: 'rosenbrock',
  dim: 2,
  // f = (1 − a)² + 100 (b − a²)²
  fn: (x) => {
    const [a, b] = tf.unstack(x);
    return tf.add(tf.square(tf.sub(1, a)), tf.mul(100, tf.square(tf.sub(b, tf.square(a)))));
  },
});

/** max over points and coordinates of |a − e| / (1 + |e|). */
function maxRelDiff(a: number[][], e: number[][]): number {
  assert.equal(a.length, e.length, `${a.length} points vs ${e.length}`);
  return Math.max(...a.flatMap((p, k) => p.map((v, i) => Math.abs(v - e[k][i]) / (1 + Math.abs(e[k][i])))));
}

/**
 * A problem with two parameter tensors (a [3] vector and a [2, 3] matrix, so per-parameter lists and
 * shapes matter): f(w, W) = ‖W w − c‖² + 0.1 ‖w‖⁴, iterated by hand with tf.grads; returns θ after each
 * step (flattened) and the final state's buffers (flattened, by name).
 */
function twoTensorRun(opt: Optimizer, steps: number): { points: number[][]; buffers: Record<string, number[]> } {
  const c = tf.tensor1d([1, -2]);
  let params: TensorList = [tf.tensor1d([0.5, -0.3, 0.2]), tf.tensor2d([[0.3, -0.1, 0.4], [0.2, 0.5, -0.6]])];
  const f = (w: tf.Tensor, W: tf.Tensor) => tf.add(tf.sum(tf.square(tf.sub(tf.squeeze(tf.matMul(W, tf.reshape(w, [3, 1]))), c))), tf.mul(0.1, tf.square(tf.sum(tf.square(w)))));
  const grads = tf.grads((w: tf.Tensor, W: tf.Tensor) => f(w, W));
  const flat = (l: TensorList) => l.flatMap((t) => Array.from(t.dataSync()));
  let state: OptState = opt.init(params);
  const points = [flat(params)];
  for (let k = 0; k < steps; k++) {
    const g = grads(params);
    const out = opt.update(g, state, params);
    const next = params.map((p, i) => tf.add(p, out.updates[i]));
    tf.dispose([...g, ...out.updates, ...params]);
    disposeState(state);
    state = out.state;
    params = next;
    points.push(flat(params));
  }
  const buffers = Object.fromEntries(Object.entries(state.buffers).map(([k, l]) => [k, flat(l)]));
  disposeState(state);
  tf.dispose([...params, c]);
  return { points, buffers };
}

describe('each named optimizer equals its chain of transforms', () => {
  for (const [name, o] of CASES) {
    it(`${name}(${JSON.stringify(o)}) = ${chainFor(name, o).name} on the quadratic and Rosenbrock (150 steps)`, () => {
      for (const [f, x0, steps] of [
        [quadratic, [-2, 1.5], 150],
        [rosenbrock, [-1.2, 1], 150],
      ] as [Objective, number[], number][]) {
        const named = minimize(f, NAMED[name](o), { x0, steps });
        const chained = minimize(f, chainFor(name, o), { x0, steps });
        assert.equal(named.diverged, undefined, `${f.name}: the named optimizer diverged (pick a smaller lr)`);
        assert.equal(chained.diverged, undefined, `${f.name}: the chain diverged`);
        // float32: the chains apply the same formulas, with the scalings sometimes in another order
        // (e.g. adamax: (m/u)/(1 − β₁ᵗ)·(−γ) vs (m/u)·(−γ/(1 − β₁ᵗ))); observed ≤ 4e-7 relative (adamw, Rosenbrock)
        const d = maxRelDiff(chained.points, named.points);
        assert.ok(d <= 1e-5, `${f.name}: max relative deviation ${d}`);
      }
    });
  }

  for (const [name, o] of CASES.filter(([n]) => n !== 'newton')) {
    it(`${name}(${JSON.stringify(o)}) = its chain on a two-tensor problem, iterates and state buffers (40 steps)`, () => {
      const named = assertNoLeak(() => twoTensorRun(NAMED[name](o), 40), `${name}`);
      const chained = assertNoLeak(() => twoTensorRun(chainFor(name, o), 40), `chain for ${name}`);
      const d = maxRelDiff(chained.points, named.points);
      assert.ok(d <= 1e-5, `max relative deviation ${d}`);
      assert.deepEqual(Object.keys(chained.buffers).sort(), Object.keys(named.buffers).sort(), 'buffer names');
      for (const k of Object.keys(named.buffers)) {
        const e = named.buffers[k];
        chained.buffers[k].forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= 1e-5 * (1 + Math.abs(e[i])), `${k}[${i}] = ${v}, named ${e[i]}`));
      }
    });
  }

  it('the chains match the torch fixtures too (test/fixtures/torch-trajectories.json)', () => {
    for (const c of fixture.cases) {
      const f = c.objective === 'quadratic' ? quadratic : rosenbrock;
      const tr = minimize(f, chainFor(c.optimizer, c.options), { x0: fixture.objectives[c.objective].x0, steps: fixture.steps });
      const d = maxRelDiff(tr.points, c.points);
      assert.ok(d <= 1e-5, `${c.name}: chain vs torch, max relative deviation ${d}`);
    }
  });

  it('where addDecayedWeights sits is the difference between Adam (L2 penalty) and AdamW (decoupled)', () => {
    const l2 = minimize(rosenbrock, chain(addDecayedWeights(0.5), scaleByAdam(), scaleByLr(0.05)), { x0: [-1.2, 1], steps: 50 });
    const decoupled = minimize(rosenbrock, chain(scaleByAdam(), addDecayedWeights(0.5), scaleByLr(0.05)), { x0: [-1.2, 1], steps: 50 });
    assert.ok(maxRelDiff(l2.points, minimize(rosenbrock, adam({ lr: 0.05, weightDecay: 0.5 }), { x0: [-1.2, 1], steps: 50 }).points) <= 1e-5);
    assert.ok(maxRelDiff(decoupled.points, minimize(rosenbrock, adamw({ lr: 0.05, weightDecay: 0.5 }), { x0: [-1.2, 1], steps: 50 }).points) <= 1e-5);
    assert.ok(maxRelDiff(l2.points, decoupled.points) > 1e-2, 'the two orders give different trajectories');
  });
});

describe('chain and the transforms', () => {
  it('merges the buffers by name, so record works on a chain as on the named optimizer', () => {
    const opt = chain(addDecayedWeights(0.1), scaleByAdam({ amsgrad: true }), scaleByLr(0.1));
    const tr = minimize(quadratic, opt, { x0: [-2, 1.5], steps: 5, record: ['m', 'vmax'] });
    const ref = minimize(quadratic, adam({ lr: 0.1, amsgrad: true, weightDecay: 0.1 }), { x0: [-2, 1.5], steps: 5, record: ['m', 'vmax'] });
    tr.states!.m.forEach((m, k) => assertClose(m, ref.states!.m[k], 1e-6, `m_${k}`));
    tr.states!.vmax.forEach((v, k) => assertClose(v, ref.states!.vmax[k], 1e-6, `vmax_${k}`));
    assert.deepEqual(opt.hyper, { weightDecay: 0.1, betas: [0.9, 0.999], eps: 1e-8, amsgrad: true, biasCorrection: true, lr: 0.1 });
    assert.equal(opt.name, 'chain(addDecayedWeights, scaleByAdam, scaleByLr)');
  });

  it('returns fresh tensors and leaks nothing, for every transform (the optimizer contract)', () => {
    const all: Transform<any>[][] = [
      [addDecayedWeights(0)],
      [traceEma()],
      [traceMomentum({ momentum: 0.9, nesterov: true })],
      [clipByGlobalNorm(0.5), clipElementwise(0.1)],
      [scaleByAdagrad(), scaleBySchedule((k) => 1 / (1 + k))],
      [scaleByRms({ centered: true }), traceMomentum({ momentum: 0.5, buffer: 'b' }), scaleByLr(0.1)],
      [scaleByAdadelta()],
      [scaleByAdam({ amsgrad: true }), addDecayedWeights(0.1)],
      [scaleByAdamax()],
      [scaleByNewton({ damping: 0.1 }), scaleByLr(1)],
    ];
    for (const ts of all) {
      const opt: Optimizer = chain(...ts);
      assertNoLeak(() => {
        const params = [tf.tensor1d([1, -2]), tf.tensor2d([[0.5]])];
        const grads = [tf.tensor1d([0.3, 0.7]), tf.tensor2d([[-1]])];
        const hessian = [
          [2, 0, 0],
          [0, -1, 0],
          [0, 0, 3],
        ];
        let state = opt.init(params);
        for (let k = 0; k < 3; k++) {
          const out = opt.update(grads, state, params, { hessian });
          const inputs = new Set<tf.Tensor>([...params, ...grads, ...Object.values(state.buffers).flat()]);
          const bufferTensors = new Set(Object.values(out.state.buffers).flat());
          for (const t of out.updates) assert.ok(!inputs.has(t) && !bufferTensors.has(t), `${opt.name}: an update is an argument or a buffer tensor`);
          for (const t of bufferTensors) assert.ok(!inputs.has(t), `${opt.name}: a buffer is an argument tensor`);
          assert.equal(out.state.step, k + 1);
          out.updates.forEach((u, i) => assert.deepEqual(u.shape, params[i].shape, `${opt.name}: updates[${i}] shape`));
          tf.dispose(out.updates);
          disposeState(state);
          state = out.state;
        }
        disposeState(state);
        tf.dispose([...params, ...grads]);
      }, opt.name);
    }
  });

  it('scaleByLr uses the caller’s lr when given (a schedule), its own otherwise; scaleBySchedule counts k from 0', () => {
    const p = [tf.tensor1d([1, 2])];
    const g = [tf.tensor1d([1, -1])];
    const opt = chain(scaleBySchedule((k) => 10 ** -k), scaleByLr(0.1));
    let s = opt.init(p);
    const factors: number[][] = [];
    for (const lr of [undefined, 0.5, undefined]) {
      const { updates, state } = opt.update(g, s, p, lr === undefined ? undefined : { lr });
      factors.push(Array.from(updates[0].dataSync()));
      tf.dispose(updates);
      s = state;
    }
    // Δθ_t = −γ_t · 10^−(t−1) · g
    assertClose(factors.flat(), [-0.1, 0.1, -0.05, 0.05, -0.001, 0.001], 1e-7, 'Δθ');
    assert.throws(() => opt.update(g, s, p, { lr: -1 }), /opts\.lr must be a finite number ≥ 0; got -1/);
    tf.dispose([...p, ...g]);
  });

  it('clipByGlobalNorm caps ‖Δθ‖ at γc and keeps the direction; clipElementwise caps each coordinate', () => {
    const p = [tf.tensor1d([0, 0]), tf.tensor1d([0])];
    const g = [tf.tensor1d([3, 0]), tf.tensor1d([4])];
    assertNoLeak(() => {
      const byNorm = chain(clipByGlobalNorm(1), scaleByLr(0.1));
      const { updates, state } = byNorm.update(g, byNorm.init(p), p);
      // ‖g‖ = 5 → g · 1/5, Δθ = −0.1 · (0.6, 0, 0.8)
      assertClose(updates.flatMap((u) => Array.from(u.dataSync())), [-0.06, 0, -0.08], 1e-7, 'clipped by norm');
      tf.dispose(updates);
      disposeState(state);
      const byValue = chain(clipElementwise(1), scaleByLr(0.1));
      const r = byValue.update(g, byValue.init(p), p);
      assertClose(r.updates.flatMap((u) => Array.from(u.dataSync())), [-0.1, 0, -0.1], 1e-7, 'clipped by value');
      tf.dispose(r.updates);
    }, 'clip transforms');
    tf.dispose([...p, ...g]);
  });

  it('rejects bad input, naming the parameter and the value', () => {
    assert.throws(() => chain(), /chain: give at least one transform; got none/);
    assert.throws(() => chain(scaleByAdam(), traceMomentum({ momentum: 0.9 })), /chain: buffer "v" is kept by both scaleByAdam and traceMomentum/);
    assert.throws(() => chain({} as Transform), /chain: transforms\[0\] must be a transform/);
    assert.throws(() => addDecayedWeights(-1), /weightDecay must be a finite number ≥ 0; got -1/);
    assert.throws(() => scaleByLr(0), /lr must be a finite number > 0; got 0/);
    assert.throws(() => traceMomentum({ momentum: 0 }), /momentum must be a finite number > 0; got 0/);
    assert.throws(() => traceMomentum({ momentum: 0.9, dampening: 0.1, nesterov: true }), /nesterov requires dampening = 0; got dampening=0\.1/);
    assert.throws(() => traceEma({ beta: 1 }), /beta must be in \[0, 1\); got 1/);
    assert.throws(() => scaleByAdam({ betas: [0.9, 1] }), /betas\[1\] must be in \[0, 1\); got 1/);
    assert.throws(() => scaleByRms({ alpha: -0.1 }), /alpha must be in \[0, 1\); got -0\.1/);
    assert.throws(() => clipByGlobalNorm(Infinity), /maxNorm must be a finite number > 0; got Infinity/);
    assert.throws(() => scaleBySchedule(3 as never), /schedule must be a function k => factor; got 3/);
    const p = [tf.tensor1d([1])];
    const opt = chain(scaleBySchedule(() => NaN), scaleByLr(1));
    assert.throws(() => opt.update(p, opt.init(p), p), /schedule\(0\) must return a finite number ≥ 0; got NaN/);
    const nt = chain(scaleByNewton(), scaleByLr(1));
    assert.equal(nt.needsHessian, true);
    assert.throws(() => nt.update(p, nt.init(p), p), /scaleByNewton needs the Hessian/);
    p[0].dispose();
  });
});
