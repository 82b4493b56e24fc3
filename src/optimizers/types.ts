/**
 * The optimizer contract (the Optax idea): an optimizer is a pair of pure-ish functions
 *   init(params) → state
 *   update(grads, state, params, opts?) → { updates, state }
 * and the caller applies θ ← θ + updates. The state is a plain object of named tensors, so a
 * notebook can plot a velocity or a second-moment estimate.
 *
 * Memory rules (tfjs has no GC for tensors):
 * - `init` and `update` never dispose their arguments and never return an argument tensor itself;
 *   everything they return is freshly allocated.
 * - The caller owns what is returned: it disposes the previous state (`disposeState`) and the
 *   updates after applying them. `minimize` and the training loops do this.
 */
import * as tf from '@tensorflow/tfjs';

/** Parameters, gradients and updates: a list of tensors with matching shapes. */
export type TensorList = tf.Tensor[];

/** Optimizer state: a step counter plus named lists of tensors (e.g. { m: [...], v: [...] }). */
export interface OptState {
  /** Number of updates applied so far (t in the formulas; the first update has t = 1). */
  step: number;
  /** Named per-parameter buffers, each a list parallel to the parameter list. */
  buffers: Record<string, TensorList>;
}

/** Per-call options: a learning rate that overrides the configured one (used by schedules). */
export interface UpdateOptions {
  lr?: number;
  /**
   * The Hessian ∇²f(θ) at the current parameters, for second-order optimizers (newton): a dense
   * matrix over all parameters flattened and concatenated in list order. First-order optimizers ignore it.
   */
  hessian?: number[][];
}

/** An optimizer: its name, its hyperparameters, and the init/update pair. */
export interface Optimizer {
  name: string;
  /** The hyperparameters as configured (after defaults), for tables and captions. */
  hyper: Record<string, number | boolean | number[]>;
  /** True when update() needs opts.hessian (minimize then passes objective.hessian(θ)). */
  needsHessian?: boolean;
  init(params: TensorList): OptState;
  update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions): { updates: TensorList; state: OptState };
}

/** Disposes every tensor in an optimizer state. */
export function disposeState(state: OptState): void {
  for (const list of Object.values(state.buffers)) tf.dispose(list);
}
