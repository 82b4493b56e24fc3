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
 * As a chain (transforms.ts): chain(traceEma({ beta: β }), scaleByLr(α)).
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, positive, stepLr, unitInterval, zerosLike } from './common';
import { ema, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of emaMomentum (α = lr, β = beta). */
export interface EmaMomentumOptions {
  lr: number;
  beta?: number;
}

/** State of emaMomentum: the averaged gradient v. */
export type EmaMomentumBuffers = { v: TensorList };

/** EMA momentum: v ← βv + (1 − β)g, θ ← θ − αv. */
export function emaMomentum(options: EmaMomentumOptions): Optimizer<EmaMomentumBuffers> {
  checkKeys('emaMomentum', options, ['lr', 'beta']);
  if (options === undefined) throw new Error('emaMomentum: options {lr} are required; got undefined');
  const lr = positive(options.lr, 'lr');
  const beta = unitInterval(options.beta ?? 0.9, 'beta');
  const name = 'ema-momentum';
  return {
    name,
    hyper: { lr, beta },
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: { v: zerosLike(params) } };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const alpha = stepLr(opts, lr);
      return perParameter<EmaMomentumBuffers>(grads.length, state.step + 1, (i) => {
        // v ← β v + (1 − β) g
        const v = ema(state.buffers.v[i], grads[i], beta);
        // Δθ = −α v
        return { update: tf.mul(v, scalar(-alpha)), buffers: { v } };
      });
    },
  };
}
