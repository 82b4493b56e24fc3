/**
 * Composable optimizers, the Optax way: small gradient transformations u ↦ u′ (u starts as the
 * gradient g) and chain(...) that runs them in order and returns an Optimizer whose last output is
 * the update Δθ. Every named optimizer is a chain of these (each file says which, and
 * test/unit/transforms.test.ts checks the trajectories agree to float32 precision):
 *
 *   sgd       = chain(addDecayedWeights(λ), traceMomentum({ momentum, dampening, nesterov }), scaleByLr(γ))
 *   adam      = chain(addDecayedWeights(λ), scaleByAdam({ betas, eps, amsgrad }), scaleByLr(γ))
 *   adamw     = chain(scaleByAdam({ betas, eps, amsgrad }), addDecayedWeights(λ), scaleByLr(γ))
 *   rmsprop   = chain(addDecayedWeights(λ), scaleByRms({ alpha, eps, centered }), traceMomentum({ momentum, buffer: 'b' }), scaleByLr(γ))
 *
 * Where the weight decay sits in the chain is the whole difference between Adam's L2 penalty and AdamW's
 * decoupled decay. Transforms keep their state in named buffers (scaleByAdam: m, v, vmax); chain merges
 * them into one state, so `record: ['m']` works on a chain as on adam(), and the names are in the type.
 * The shared lines of math (EMA, weight decay, x/(√s + ε), 1 − βᵗ) live in formulas.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { betasPair, bool, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, unitInterval, zerosLike } from './common';
import { addWeightDecay, debias, divideByRoot, ema, mapParameters, momentumBuffer } from './formulas';
import { clipByNormTensors, globalNormTensor } from './clip';
import { checkHasHessian, flatValues, hessianFor, newtonDirection, unflatten, type HasHessian } from './newton';
import { adamMoments, type AdamBuffers } from './adam';
import type { BufferName, Buffers, Hyper, NoBuffers, Optimizer, TensorList, UpdateOptions } from './types';
import { show } from '../core/validate';

/** What a transform knows about the update being computed. */
export interface StepContext {
  /** t = 1, 2, …: the index of this update (the optimizer state's step + 1). */
  t: number;
  /** The learning rate the caller passed for this update (update(…, { lr })), if any: it overrides scaleByLr's. */
  lr?: number;
  /** The Hessian the caller passed (update(…, { hessian })), for scaleByNewton. */
  hessian?: number[][];
}

/** A gradient transformation u ↦ u′ with its own named buffers B (parallel to the parameter list). */
export interface Transform<B extends Buffers = NoBuffers> {
  name: string;
  hyper: Hyper;
  /** The names of the buffers it keeps (chain checks that no two transforms share one). */
  buffers: readonly BufferName<B>[];
  needsHessian?: boolean;
  /** Fresh buffers for these parameters. */
  init(params: TensorList): B;
  /** u′ and the new buffers; runs inside chain's tf.tidy (allocate freely, dispose nothing). */
  update(u: TensorList, buffers: B, params: TensorList, ctx: StepContext): { updates: TensorList; buffers: B };
}

type BuffersOf<T> = T extends Transform<infer B> ? B : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AsBuffers<X> = X extends Buffers ? X : never;
/** The merged buffers of a list of transforms (the state type of their chain). */
export type ChainBuffers<T extends readonly Transform<any>[]> = AsBuffers<Intersection<BuffersOf<T[number]>> & NoBuffers>;

/**
 * chain(f₁, …, f_n): the optimizer Δθ = f_n(… f₁(g)): each transform maps the previous output, with its
 * own buffers; the state is { step, buffers: all transforms' buffers merged by name }.
 */
export function chain<T extends readonly Transform<any>[]>(...transforms: T): Optimizer<ChainBuffers<T>> {
  if (transforms.length === 0) throw new Error('chain: give at least one transform; got none');
  transforms.forEach((tr, j) => {
    if (!tr || typeof tr.update !== 'function' || typeof tr.init !== 'function' || !Array.isArray(tr.buffers)) {
      throw new Error(`chain: transforms[${j}] must be a transform (scaleByAdam(), scaleByLr(0.1), …); got ${show(tr)}`);
    }
  });
  const owner = new Map<string, string>();
  for (const tr of transforms) {
    for (const b of tr.buffers) {
      if (owner.has(b)) throw new Error(`chain: buffer ${JSON.stringify(b)} is kept by both ${owner.get(b)} and ${tr.name}; rename one (e.g. traceMomentum({ buffer: 'b' }))`);
      owner.set(b, tr.name);
    }
  }
  const name = `chain(${transforms.map((tr) => tr.name).join(', ')})`;
  const hyper: Hyper = {};
  for (const tr of transforms) for (const [k, v] of Object.entries(tr.hyper)) hyper[k in hyper ? `${tr.name}.${k}` : k] = v;
  type B = ChainBuffers<T>;
  const own = (buffers: Buffers, tr: Transform<any>): Buffers => Object.fromEntries(tr.buffers.map((b: string) => [b, buffers[b]]));
  return {
    name,
    hyper,
    needsHessian: transforms.some((tr) => tr.needsHessian) || undefined,
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: Object.assign({}, ...transforms.map((tr) => tr.init(params))) as B };
    },
    update(grads, state, params, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const ctx: StepContext = { t: state.step + 1 };
      if (opts?.lr !== undefined) ctx.lr = stepLr(opts, 0);
      if (opts?.hessian !== undefined) ctx.hessian = opts.hessian;
      const inputs = new Set<tf.Tensor>([...grads, ...params, ...Object.values(state.buffers as Buffers).flat()]);
      const out = tf.tidy(() => {
        let u = grads;
        const buffers: Buffers = {};
        for (const tr of transforms) {
          const r = tr.update(u, own(state.buffers as Buffers, tr), params, ctx);
          u = r.updates;
          Object.assign(buffers, r.buffers);
        }
        // everything returned is fresh: no argument tensor, and no tensor both an update and a buffer
        const held = new Set(Object.values(buffers).flat());
        for (const k of Object.keys(buffers)) buffers[k] = buffers[k].map((x) => (inputs.has(x) ? tf.clone(x) : x));
        return { updates: u.map((x) => (inputs.has(x) || held.has(x) ? tf.clone(x) : x)), buffers };
      });
      return { updates: out.updates, state: { step: ctx.t, buffers: out.buffers as B } };
    },
  };
}

/** A stateless transform u ↦ f(uᵢ, θᵢ) applied to each parameter. */
function stateless(name: string, hyper: Hyper, f: (u: tf.Tensor, theta: tf.Tensor, ctx: StepContext) => tf.Tensor): Transform {
  return {
    name,
    hyper,
    buffers: [],
    init: () => ({}),
    update: (u, _b, params, ctx) => ({ updates: u.map((ui, i) => f(ui, params[i], ctx)), buffers: {} }),
  };
}

/** u ← u + λθ: weight decay. Before a rescaling it is the L2 penalty (sgd, adam); after it, decoupled decay (adamw). */
export function addDecayedWeights(weightDecay: number): Transform {
  const lambda = nonNegative(weightDecay, 'weightDecay');
  // u ← u + λθ
  return stateless('addDecayedWeights', { weightDecay: lambda }, (u, theta) => addWeightDecay(u, theta, lambda));
}

/** u ← −γ u with γ = the caller's lr for this update (a schedule's value) or the configured lr: the step. */
export function scaleByLr(lr: number): Transform {
  const configured = positive(lr, 'lr');
  // u ← −γ u
  return stateless('scaleByLr', { lr: configured }, (u, _theta, ctx) => tf.mul(u, -(ctx.lr ?? configured)));
}

/** u ← s(k) u with k = t − 1 the number of updates before this one (a decay factor, e.g. k ↦ 1/(1 + kη)). */
export function scaleBySchedule(schedule: (k: number) => number): Transform {
  if (typeof schedule !== 'function') throw new Error(`schedule must be a function k => factor; got ${show(schedule)}`);
  const factor = (k: number): number => {
    const s = schedule(k);
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new Error(`schedule(${k}) must return a finite number ≥ 0; got ${show(s)}`);
    return s;
  };
  // u ← s(t − 1) u
  return stateless('scaleBySchedule', {}, (u, _theta, ctx) => tf.mul(u, factor(ctx.t - 1)));
}

/** u ← u · min(1, c/‖u‖) with ‖u‖ over all parameters (clipping by global norm; clip.ts). */
export function clipByGlobalNorm(maxNorm: number): Transform {
  const c = positive(maxNorm, 'maxNorm');
  return {
    name: 'clipByGlobalNorm',
    hyper: { maxNorm: c },
    buffers: [],
    init: () => ({}),
    // u ← u · min(1, c/‖u‖)
    update: (u) => ({ updates: clipByNormTensors(u, c, globalNormTensor(u)), buffers: {} }),
  };
}

/** uᵢ ← min(c, max(−c, uᵢ)) elementwise (clipping by value). */
export function clipElementwise(maxValue: number): Transform {
  const c = positive(maxValue, 'maxValue');
  // uᵢ ← clip(uᵢ, −c, c)
  return stateless('clipElementwise', { maxValue: c }, (u) => tf.clipByValue(u, -c, c));
}

/** Options of traceMomentum (torch.optim.SGD's μ, τ, nesterov) and the name of its buffer (default 'v'). */
export interface TraceMomentumOptions<N extends string> {
  momentum: number;
  dampening?: number;
  nesterov?: boolean;
  buffer?: N;
}

/** b_t = μ b_{t−1} + (1 − τ) u (b_1 = u), then u ← b_t, or u ← u + μ b_t with Nesterov (torch's momentum). */
export function traceMomentum<N extends string = 'v'>(options: TraceMomentumOptions<N>): Transform<Record<N, TensorList>> {
  const momentum = positive(options?.momentum, 'momentum');
  const dampening = nonNegative(options.dampening ?? 0, 'dampening');
  const nesterov = bool(options.nesterov ?? false, 'nesterov');
  if (nesterov && dampening !== 0) throw new Error(`nesterov requires dampening = 0; got dampening=${dampening}`);
  const buffer = (options.buffer ?? 'v') as N;
  type B = Record<N, TensorList>;
  return {
    name: 'traceMomentum',
    hyper: { momentum, dampening, nesterov },
    buffers: [buffer] as BufferName<B>[],
    init: (params) => ({ [buffer]: zerosLike(params) }) as B,
    update: (u, buffers, _params, ctx) =>
      mapParameters<B>(u.length, (i) => {
        // b_t = u (t = 1);  b_t = μ b_{t−1} + (1 − τ) u (t > 1)
        const b = momentumBuffer(buffers[buffer][i], u[i], momentum, dampening, ctx.t);
        // u ← u + μ b_t (Nesterov)  or  u ← b_t
        return { update: nesterov ? tf.add(u[i], tf.mul(b, momentum)) : b, buffers: { [buffer]: b } as { [K in N]: tf.Tensor } };
      }),
  };
}

/** Options of traceEma and the name of its buffer (default 'v'). */
export interface TraceEmaOptions<N extends string> {
  beta?: number;
  buffer?: N;
}

/** v ← β v + (1 − β) u, u ← v: the gradient averaged over ≈ 1/(1 − β) steps (the lectures' EMA momentum). */
export function traceEma<N extends string = 'v'>(options: TraceEmaOptions<N> = {}): Transform<Record<N, TensorList>> {
  const beta = unitInterval(options.beta ?? 0.9, 'beta');
  const buffer = (options.buffer ?? 'v') as N;
  type B = Record<N, TensorList>;
  return {
    name: 'traceEma',
    hyper: { beta },
    buffers: [buffer] as BufferName<B>[],
    init: (params) => ({ [buffer]: zerosLike(params) }) as B,
    update: (u, buffers) =>
      mapParameters<B>(u.length, (i) => {
        // v ← β v + (1 − β) u
        const v = ema(buffers[buffer][i], u[i], beta);
        // u ← v
        return { update: v, buffers: { [buffer]: v } as { [K in N]: tf.Tensor } };
      }),
  };
}

/** s ← s + u², u ← u / (√s + ε) with s₀ = τ (Adagrad's scaling). */
export function scaleByAdagrad(options: { initialAccumulatorValue?: number; eps?: number } = {}): Transform<{ s: TensorList }> {
  const tau = nonNegative(options.initialAccumulatorValue ?? 0, 'initialAccumulatorValue');
  const eps = positive(options.eps ?? 1e-10, 'eps');
  return {
    name: 'scaleByAdagrad',
    hyper: { initialAccumulatorValue: tau, eps },
    buffers: ['s'],
    // s₀ = τ
    init: (params) => ({ s: params.map((p) => tf.fill(p.shape, tau)) }),
    update: (u, buffers) =>
      mapParameters<{ s: TensorList }>(u.length, (i) => {
        // s ← s + u²
        const s = tf.add(buffers.s[i], tf.square(u[i]));
        // u ← u / (√s + ε)
        return { update: divideByRoot(u[i], s, eps), buffers: { s } };
      }),
  };
}

/** v ← α v + (1 − α) u², u ← u / (√ṽ + ε) with ṽ = v, or ṽ = v − ḡ², ḡ ← α ḡ + (1 − α) u when centered (RMSProp's scaling). */
export function scaleByRms(options: { alpha?: number; eps?: number; centered?: boolean } = {}): Transform<{ v: TensorList; gAvg?: TensorList }> {
  const alpha = unitInterval(options.alpha ?? 0.99, 'alpha');
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const centered = bool(options.centered ?? false, 'centered');
  type B = { v: TensorList; gAvg?: TensorList };
  return {
    name: 'scaleByRms',
    hyper: { alpha, eps, centered },
    buffers: centered ? ['v', 'gAvg'] : ['v'],
    init: (params) => (centered ? { v: zerosLike(params), gAvg: zerosLike(params) } : { v: zerosLike(params) }),
    update: (u, buffers) =>
      mapParameters<B>(u.length, (i) => {
        // v ← α v + (1 − α) u²
        const v = ema(buffers.v[i], tf.square(u[i]), alpha);
        // ḡ ← α ḡ + (1 − α) u (centered)
        const gAvg = centered ? ema((buffers.gAvg as TensorList)[i], u[i], alpha) : undefined;
        // ṽ = v − ḡ² (centered), else ṽ = v
        const vTilde = gAvg ? tf.sub(v, tf.square(gAvg)) : v;
        // u ← u / (√ṽ + ε)
        return { update: divideByRoot(u[i], vTilde, eps), buffers: { v, gAvg } };
      }),
  };
}

/** v ← ρ v + (1 − ρ) u², Δx = √(w + ε)/√(v + ε) · u, w ← ρ w + (1 − ρ) Δx², u ← Δx (Adadelta's scaling; w is buffer u). */
export function scaleByAdadelta(options: { rho?: number; eps?: number } = {}): Transform<{ v: TensorList; u: TensorList }> {
  const rho = unitInterval(options.rho ?? 0.9, 'rho');
  const eps = positive(options.eps ?? 1e-6, 'eps');
  type B = { v: TensorList; u: TensorList };
  return {
    name: 'scaleByAdadelta',
    hyper: { rho, eps },
    buffers: ['v', 'u'],
    init: (params) => ({ v: zerosLike(params), u: zerosLike(params) }),
    update: (g, buffers) =>
      mapParameters<B>(g.length, (i) => {
        // v ← ρ v + (1 − ρ) g²
        const v = ema(buffers.v[i], tf.square(g[i]), rho);
        // Δx = √(u + ε) / √(v + ε) · g
        const dx = tf.mul(tf.div(tf.sqrt(tf.add(buffers.u[i], eps)), tf.sqrt(tf.add(v, eps))), g[i]);
        // u ← ρ u + (1 − ρ) Δx²
        const u = ema(buffers.u[i], tf.square(dx), rho);
        return { update: dx, buffers: { v, u } };
      }),
  };
}

/** Options of scaleByAdam (Adam's betas, ε, amsgrad and bias correction). */
export interface ScaleByAdamOptions {
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
  biasCorrection?: boolean;
}

/** m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u², u ← m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) (or vmax with amsgrad). */
export function scaleByAdam(options: ScaleByAdamOptions = {}): Transform<AdamBuffers> {
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const amsgrad = bool(options.amsgrad ?? false, 'amsgrad');
  const biasCorrection = bool(options.biasCorrection ?? true, 'biasCorrection');
  const h = { beta1, beta2, eps, amsgrad, biasCorrection };
  return {
    name: 'scaleByAdam',
    hyper: { betas: [beta1, beta2], eps, amsgrad, biasCorrection },
    buffers: amsgrad ? ['m', 'v', 'vmax'] : ['m', 'v'],
    init: (params) => (amsgrad ? { m: zerosLike(params), v: zerosLike(params), vmax: zerosLike(params) } : { m: zerosLike(params), v: zerosLike(params) }),
    update: (u, buffers, _params, ctx) =>
      mapParameters<AdamBuffers>(u.length, (i) => {
        // m ← β₁ m + (1 − β₁) u,  v ← β₂ v + (1 − β₂) u²,  vmax ← max(vmax, v),  d = m̂ / (√v̂ + ε)   (adamMoments, adam.ts)
        const { direction, ...next } = adamMoments(buffers, i, u[i], h, ctx.t);
        // u ← d
        return { update: direction, buffers: next };
      }),
  };
}

/** m ← β₁m + (1 − β₁)u, w ← max(β₂w, |u| + ε), u ← m / ((1 − β₁ᵗ) w) (Adamax's scaling; w is buffer u). */
export function scaleByAdamax(options: { betas?: [number, number]; eps?: number } = {}): Transform<{ m: TensorList; u: TensorList }> {
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  const eps = positive(options.eps ?? 1e-8, 'eps');
  type B = { m: TensorList; u: TensorList };
  return {
    name: 'scaleByAdamax',
    hyper: { betas: [beta1, beta2], eps },
    buffers: ['m', 'u'],
    init: (params) => ({ m: zerosLike(params), u: zerosLike(params) }),
    update: (g, buffers, _params, ctx) =>
      mapParameters<B>(g.length, (i) => {
        // m ← β₁ m + (1 − β₁) g
        const m = ema(buffers.m[i], g[i], beta1);
        // u ← max(β₂ u, |g| + ε)
        const u = tf.maximum(tf.mul(buffers.u[i], beta2), tf.add(tf.abs(g[i]), eps));
        // g ← m / ((1 − β₁ᵗ) u)
        return { update: tf.div(tf.div(m, u), debias(beta1, ctx.t)), buffers: { m, u } };
      }),
  };
}

/** u ← (H + δI)⁻¹ u, or (|H| + δI)⁻¹ u when saddleFree (H from update(…, { hessian }) or the objective). */
export function scaleByNewton(options: { damping?: number; saddleFree?: boolean; objective?: HasHessian } = {}): Transform {
  const damping = nonNegative(options.damping ?? 0, 'damping');
  const saddleFree = bool(options.saddleFree ?? false, 'saddleFree');
  const objective = checkHasHessian(options.objective);
  return {
    name: 'scaleByNewton',
    hyper: { damping, saddleFree },
    buffers: [],
    needsHessian: objective === undefined,
    init: () => ({}),
    update: (u, _b, params, ctx) => {
      const g = flatValues(u);
      // H = ∇²f(θ)
      const H = hessianFor('scaleByNewton', g, params, { hessian: ctx.hessian }, objective);
      // u ← (H + δI)⁻¹ u  or  (|H| + δI)⁻¹ u
      return { updates: unflatten(newtonDirection(H, g, damping, saddleFree), params), buffers: {} };
    },
  };
}
