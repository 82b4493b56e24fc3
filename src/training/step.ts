/**
 * The training step shared by minimize, fitLinearRegression and trainEpochs (and fitClassifier on top):
 *
 *   ε_k = lr(k)  for a schedule, or the constant lr (default: the optimizer's hyper.lr),
 *                with k = the optimizer's step count (state.step): the update k → k + 1 uses ε_k
 *   Δθ, state_{k+1} = update(g_k, state_k, θ_k, { lr: ε_k })
 *   θ_{k+1} = θ_k + Δθ                 (a tf.Variable in place, a plain tensor replaced in the list; Δθ,
 *                                       θ_k and state_k are then disposed)
 *
 * and the divergence rule of all three loops: a run stops at the first loss, gradient or iterate that is
 * not finite or exceeds its bound (maxLoss, maxNorm), reported as { step: k, reason } where k is the
 * number of updates applied to θ when it was seen (the bad value belongs to θ_k).
 */
import * as tf from '@tensorflow/tfjs';
import { disposeState, type Buffers, type OptState, type Optimizer, type TensorList } from '../optimizers/types';
import { show } from '../core/validate';

/** A learning rate: a constant ε, or a schedule k ↦ ε_k of the step count k = 0, 1, … (src/core/schedules.ts). */
export type LearningRate = number | ((k: number) => number);

/** Why and where a run stopped early: θ_step (after `step` updates) had a bad loss, gradient or value. */
export interface Divergence {
  step: number;
  reason: string;
}

/** How divergence messages write the function and the iterate: f(x_k) in minimize, L_B(θ_k) in trainEpochs, J(θ_k) … */
export interface Notation {
  f: string;
  x: string;
}

/** What a loop saw at θ_k; any subset. */
export interface Observed {
  loss?: number;
  /** The gradient's components (checked one by one), or only its norm. */
  grad?: ArrayLike<number>;
  gradNorm?: number;
  /** θ_k's components. */
  iterate?: ArrayLike<number>;
}

function firstNonFinite(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

/** ‖x‖ = √(Σ xᵢ²) of a plain array. */
export function euclidean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * The divergence rule: the first of f(θ_k) not finite or > maxLoss, ∇f(θ_k) not finite, θ_k not finite or
 * ‖θ_k‖ > maxNorm, as { step: k, reason } — or undefined when everything seen is fine.
 */
export function divergence(k: number, seen: Observed, bounds: { maxLoss?: number; maxNorm?: number }, n: Notation): Divergence | undefined {
  const at = `${n.x}_${k}`;
  const reason = ((): string | undefined => {
    const { loss, grad, gradNorm, iterate } = seen;
    if (loss !== undefined && !Number.isFinite(loss)) return `${n.f}(${at}) is ${loss}`;
    if (loss !== undefined && bounds.maxLoss !== undefined && loss > bounds.maxLoss) {
      return `${n.f}(${at}) = ${loss.toPrecision(4)} exceeds maxLoss = ${bounds.maxLoss.toPrecision(4)}`;
    }
    const badG = grad ? firstNonFinite(grad) : -1;
    if (grad && badG >= 0) return `∇${n.f}(${at})[${badG}] is ${grad[badG]}`;
    if (gradNorm !== undefined && !Number.isFinite(gradNorm)) return `‖∇${n.f}(${at})‖ is ${gradNorm}`;
    if (iterate) {
      const bad = firstNonFinite(iterate);
      if (bad >= 0) return `${at}[${bad}] is ${iterate[bad]}`;
      const norm = euclidean(iterate);
      if (bounds.maxNorm !== undefined && norm > bounds.maxNorm) return `‖${at}‖ = ${norm.toPrecision(4)} exceeds maxNorm = ${bounds.maxNorm.toPrecision(4)}`;
    }
    return undefined;
  })();
  return reason === undefined ? undefined : { step: k, reason };
}

/** True for a tfjs tf.train optimizer (it applies its own rule with applyGradients). */
export function isTfOptimizer(o: unknown): o is tf.Optimizer {
  return o instanceof tf.Optimizer || (typeof o === 'object' && o !== null && typeof (o as tf.Optimizer).applyGradients === 'function');
}

/** Throws unless `optimizer` has init/update (src/optimizers), or is a tf.train optimizer when allowTf. */
export function checkOptimizer(optimizer: unknown, allowTf = false): void {
  if (allowTf && isTfOptimizer(optimizer)) return;
  const o = optimizer as Optimizer | undefined;
  if (!o || typeof o.init !== 'function' || typeof o.update !== 'function') {
    throw new Error(`optimizer must have init and update (src/optimizers)${allowTf ? ' or be a tf.train optimizer' : ''}; got ${show(optimizer)}`);
  }
}

/** Options of stepper. */
export interface StepperOptions<B extends Buffers> {
  /** ε or k ↦ ε_k (default: the optimizer's hyper.lr; a tf.train optimizer takes none). */
  lr?: LearningRate;
  /** How the loop calls the learning-rate option in its errors ('lr', or 'schedule' in minimize). */
  lrName?: string;
  /** A state to continue from (the stepper owns it from now on: it disposes it or hands it back with release()). */
  state?: OptState<B>;
}

/**
 * The training step bound to an optimizer and parameters θ: tf.Variables (a network's weights) are assigned in
 * place; plain tensors are replaced in the caller's list by θ + Δθ and the old ones disposed (cheaper for the
 * small problems of minimize and fitLinearRegression: no variable bookkeeping, and tf.grad of a plain tensor).
 */
export interface Stepper<B extends Buffers> {
  /** k: the updates applied so far (the optimizer's state.step; counted here for a tf.train optimizer). */
  readonly k: number;
  /** state_k (undefined for a tf.train optimizer, or after release()). */
  readonly state: OptState<B> | undefined;
  /** ε_k, the learning rate of the next update (undefined: the optimizer's own, e.g. a tf.train optimizer). */
  lr(): number | undefined;
  /** θ_{k+1} = θ_k + update(g_k, state_k, θ_k, { lr: ε_k, hessian }); consumes (disposes) g. Returns ε_k. Read θ from the params list after it. */
  apply(grads: TensorList, hessian?: number[][]): number | undefined;
  /** Hands state_k to the caller (who disposes it with disposeState). */
  release(): OptState<B> | undefined;
  /** Disposes state_k unless it was released. */
  dispose(): void;
}

/** Disposes the tensors of `old` that `next` does not carry over (robust to optimizers that reuse buffers). */
function disposeReplacedState(old: OptState, next: OptState): void {
  if (old === next) return;
  const keep = new Set<tf.Tensor>(Object.values(next.buffers).flat());
  if (keep.size === 0) return disposeState(old);
  for (const list of Object.values(old.buffers)) for (const t of list) if (!keep.has(t)) t.dispose();
}

/**
 * The training step for `optimizer` on `params`: apply(g) does ε_k = lr(k), Δθ = update(g, state_k, θ_k, {lr: ε_k}),
 * θ ← θ + Δθ (a variable in place, a tensor replaced in `params`), and disposes Δθ, g, the old θ and state_k.
 * Works with src/optimizers, or with a tf.train optimizer on tf.Variables.
 */
export function stepper<B extends Buffers>(optimizer: Optimizer<B> | tf.Optimizer, params: tf.Tensor[], options: StepperOptions<B> = {}): Stepper<B> {
  checkOptimizer(optimizer, true);
  const lrName = options.lrName ?? 'lr';
  const given = options.lr;
  if (given !== undefined && typeof given !== 'function' && (typeof given !== 'number' || !Number.isFinite(given) || given <= 0)) {
    throw new Error(`${lrName} must be a finite number > 0 or a schedule k => ε_k; got ${show(given)}`);
  }
  if (isTfOptimizer(optimizer)) {
    if (given !== undefined) throw new Error(`${lrName} cannot be passed with a tf.train optimizer (set its learning rate when creating it); got ${show(given)}`);
    if (options.state !== undefined) throw new Error('state applies only to optimizers of src/optimizers, not to a tf.train optimizer');
    params.forEach((p, i) => {
      if (!(p instanceof tf.Variable)) throw new Error(`a tf.train optimizer updates tf.Variables: params[${i}] is a plain tensor`);
    });
    let k = 0;
    return {
      get k() {
        return k;
      },
      state: undefined,
      lr: () => undefined,
      apply(grads) {
        // θ ← θ − η·(…): tfjs applies its own rule
        try {
          optimizer.applyGradients(params.map((p, i) => ({ name: (p as tf.Variable).name, tensor: grads[i] })));
        } finally {
          tf.dispose(grads);
        }
        k++;
        return undefined;
      },
      release: () => undefined,
      dispose: () => undefined,
    };
  }
  const configured = typeof optimizer.hyper?.lr === 'number' ? optimizer.hyper.lr : undefined;
  let state: OptState<B> | undefined = options.state ?? optimizer.init(params);
  const lrAt = (k: number): number | undefined => {
    if (typeof given !== 'function') return given ?? configured;
    // ε_k = lr(k)
    const e = given(k);
    if (typeof e !== 'number' || !Number.isFinite(e) || e < 0) throw new Error(`${lrName}(${k}) must return a finite number ≥ 0; got ${show(e)}`);
    return e;
  };
  const current = (): OptState<B> => {
    if (!state) throw new Error('this training step has released its optimizer state');
    return state;
  };
  return {
    get k() {
      return current().step;
    },
    get state() {
      return state;
    },
    lr: () => lrAt(current().step),
    apply(grads, hessian) {
      let out: ReturnType<Optimizer<B>['update']>;
      let lr: number | undefined;
      try {
        const s = current();
        lr = lrAt(s.step);
        const opts = lr === undefined ? (hessian ? { hessian } : undefined) : hessian ? { lr, hessian } : { lr };
        out = optimizer.update(grads, s, params, opts);
      } catch (err) {
        tf.dispose(grads);
        throw err;
      }
      // θ_{k+1} = θ_k + Δθ
      params.forEach((p, i) => {
        if (p instanceof tf.Variable) tf.tidy(() => p.assign(tf.add(p, out.updates[i])));
        else {
          params[i] = tf.add(p, out.updates[i]);
          p.dispose();
        }
      });
      // (an optimizer may hand a gradient back as its update: disposing twice is a no-op)
      tf.dispose([...out.updates, ...grads]);
      disposeReplacedState(current(), out.state);
      state = out.state;
      return lr;
    },
    release() {
      const s = state;
      state = undefined;
      return s;
    },
    dispose() {
      if (state) disposeState(state);
      state = undefined;
    },
  };
}

