/**
 * The optimizer contract (the Optax idea): an optimizer is a pair of pure-ish functions
 *   init(params) → state
 *   update(grads, state, params, opts?) → { updates, state }
 * and the caller applies θ ← θ + updates. The state is a step counter plus named buffers, so a
 * notebook can plot a velocity or a second-moment estimate. The buffer names are part of the type:
 * adam() is an Optimizer<{ m; v; vmax? }>, so recording a buffer it does not have is a compile error.
 *
 * Memory rules (tfjs has no GC for tensors):
 * - `init` and `update` never dispose their arguments and never return an argument tensor itself;
 *   everything they return is freshly allocated.
 * - The caller owns what is returned: it disposes the previous state (`disposeState`) and the
 *   updates after applying them. The training step of src/training/step.ts does this.
 */
import * as tf from '@tensorflow/tfjs';

/** Parameters, gradients and updates: a list of tensors with matching shapes. */
export type TensorList = tf.Tensor[];

/** Named per-parameter buffers, each a list parallel to the parameter list (e.g. { m: [...], v: [...] }). */
export type Buffers = { [name: string]: TensorList };

/** The state of a stateless optimizer or transform (no buffer: `record` accepts no name). */
export type NoBuffers = Record<never, TensorList>;

/** The names of the buffers of B (the strings `record` accepts). */
export type BufferName<B> = Extract<keyof B, string>;

/** Optimizer state: a step counter plus named lists of tensors. */
export interface OptState<B extends Buffers = Buffers> {
  /** Number of updates applied so far (t in the formulas; the first update has t = 1). */
  step: number;
  /** Named per-parameter buffers, each a list parallel to the parameter list. */
  buffers: B;
}

/** Hyperparameters as configured (after defaults), for tables and captions. */
export type Hyper = Record<string, number | boolean | number[]>;

/** Per-call options: a learning rate that overrides the configured one (used by schedules). */
export interface UpdateOptions {
  lr?: number;
  /**
   * The Hessian ∇²f(θ) at the current parameters, for second-order optimizers (newton): a dense
   * matrix over all parameters flattened and concatenated in list order. First-order optimizers ignore it.
   */
  hessian?: number[][];
}

/** An optimizer: its name, its hyperparameters, and the init/update pair; B names its state buffers. */
export interface Optimizer<B extends Buffers = Buffers> {
  name: string;
  /** The hyperparameters as configured (after defaults), for tables and captions. */
  hyper: Hyper;
  /** True when update() needs opts.hessian (minimize then passes objective.hessian(θ)). */
  needsHessian?: boolean;
  init(params: TensorList): OptState<B>;
  update(grads: TensorList, state: OptState<B>, params: TensorList, opts?: UpdateOptions): { updates: TensorList; state: OptState<B> };
}

/** Disposes every tensor in an optimizer state. */
export function disposeState(state: OptState): void {
  for (const list of Object.values(state.buffers)) if (list) tf.dispose(list);
}
