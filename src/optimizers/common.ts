/**
 * Shared checks of the optimizers: hyperparameter validation (errors name the parameter and the
 * value), the per-call learning rate, and the shape checks of update(grads, state, params).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptState, TensorList, UpdateOptions } from './types';
import { show, unitInterval } from '../core/validate';
export { nonNegative, positive, unitInterval } from '../core/validate';

/** Throws unless opts only has the known keys (catches typos such as learningRate for lr). */
export function checkKeys(name: string, opts: object | undefined, known: string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new Error(`${name}: options must be an object; got ${show(opts)}`);
  }
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new Error(`${name}: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  }
}

/** x must be in [0, 1]. */
export function closedUnit(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 1) throw new Error(`${what} must be in [0, 1]; got ${show(x)}`);
  return x;
}

/** x must be a boolean. */
export function bool(x: unknown, what: string): boolean {
  if (typeof x !== 'boolean') throw new Error(`${what} must be true or false; got ${show(x)}`);
  return x;
}

/** betas = [β₁, β₂] with both in [0, 1). */
export function betasPair(x: unknown, what = 'betas'): [number, number] {
  if (!Array.isArray(x) || x.length !== 2) throw new Error(`${what} must be a pair [β1, β2]; got ${show(x)}`);
  return [unitInterval(x[0], `${what}[0]`), unitInterval(x[1], `${what}[1]`)];
}

/** The learning rate of this step: opts.lr (a schedule's value, may be 0) or the configured lr. */
export function stepLr(opts: UpdateOptions | undefined, configured: number): number {
  if (opts === undefined || opts.lr === undefined) return configured;
  const lr = opts.lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`opts.lr must be a finite number ≥ 0; got ${show(lr)}`);
  return lr;
}

/** Throws unless grads, params and every buffer of the state are parallel lists of tensors of the same shapes. */
export function checkUpdateArgs(name: string, grads: TensorList, state: OptState, params: TensorList): void {
  if (!Array.isArray(grads) || grads.length === 0) throw new Error(`${name}: grads must be a non-empty list of tensors; got ${show(grads)}`);
  if (!Array.isArray(params) || params.length !== grads.length) {
    throw new Error(`${name}: params must be a list of ${grads.length} tensors (one per gradient); got ${Array.isArray(params) ? `${params.length}` : show(params)}`);
  }
  if (!state || typeof state.step !== 'number' || typeof state.buffers !== 'object') {
    throw new Error(`${name}: state must come from init() (an OptState {step, buffers}); got ${show(state)}`);
  }
  grads.forEach((g, i) => {
    if (!(g instanceof tf.Tensor)) throw new Error(`${name}: grads[${i}] must be a tensor; got ${show(g)}`);
    const p = params[i];
    if (!(p instanceof tf.Tensor)) throw new Error(`${name}: params[${i}] must be a tensor; got ${show(p)}`);
    if (!tf.util.arraysEqual(g.shape, p.shape)) throw new Error(`${name}: grads[${i}] has shape [${g.shape}] but params[${i}] has shape [${p.shape}]`);
  });
  for (const [key, list] of Object.entries(state.buffers)) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length !== grads.length) {
      throw new Error(`${name}: state.buffers.${key} must have ${grads.length} tensors (one per parameter); got ${Array.isArray(list) ? list.length : show(list)}`);
    }
    list.forEach((b, i) => {
      if (b.isDisposed) throw new Error(`${name}: state.buffers.${key}[${i}] is disposed (a state can be used once: pass the state returned by the last update)`);
    });
  }
}

/** Zeros like each parameter (a fresh list). */
export function zerosLike(params: TensorList): TensorList {
  return params.map((p) => tf.zerosLike(p));
}

/** Throws unless params is a non-empty list of tensors (for init). */
export function checkParams(name: string, params: TensorList): void {
  if (!Array.isArray(params) || params.length === 0) throw new Error(`${name}: params must be a non-empty list of tensors; got ${show(params)}`);
  params.forEach((p, i) => {
    if (!(p instanceof tf.Tensor)) throw new Error(`${name}: params[${i}] must be a tensor; got ${show(p)}`);
  });
}
