/**
 * Momentum in the exponential-moving-average form of the lecture "Optimization algorithms in Deep
 * Learning" (slide "Momentum", β = 0.9 typical):
 *
 *   v ← β v + (1 − β) g
 *   θ ← θ − α v
 *
 * v is an average of past gradients (it has the units of g), so α keeps its meaning as the step
 * size of plain gradient descent. With v₀ = 0 it is torch-style momentum (b ← μ b + g, θ ← θ − γ b)
 * with μ = β and γ = α(1 − β): v = (1 − β) b at every step, the same trajectory.
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, positive, stepLr, unitInterval, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of emaMomentum (α = lr, β = beta). */
export interface EmaMomentumOptions {
  lr: number;
  beta?: number;
}

/** EMA momentum: v ← βv + (1 − β)g, θ ← θ − αv. */
export function emaMomentum(options: EmaMomentumOptions): Optimizer {
  checkKeys('emaMomentum', options, ['lr', 'beta']);
  if (options === undefined) throw new Error('emaMomentum: options {lr} are required; got undefined');
  const lr = positive(options.lr, 'lr');
  const beta = unitInterval(options.beta ?? 0.9, 'beta');
  const name = 'ema-momentum';
  return {
    name,
    hyper: { lr, beta },
    init(params: TensorList): OptState {
      checkParams(name, params);
      return { step: 0, buffers: { v: zerosLike(params) } };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const alpha = stepLr(opts, lr);
      const out = tf.tidy(() => {
        // v ← β v + (1 − β) g
        const v = grads.map((g, i) => tf.add(tf.mul(state.buffers.v[i], beta), tf.mul(g, 1 - beta)));
        // Δθ = −α v
        const updates = v.map((vi) => tf.mul(vi, -alpha));
        return { updates, v };
      });
      return { updates: out.updates, state: { step: state.step + 1, buffers: { v: out.v } } };
    },
  };
}
