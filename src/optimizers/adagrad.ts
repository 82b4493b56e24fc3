/**
 * Adagrad (Duchi et al. 2011) as torch.optim.Adagrad documents it (γ = lr, η = lrDecay,
 * λ = weightDecay, τ = initialAccumulatorValue):
 *
 *   γ̃ ← γ / (1 + (t − 1) η)
 *   g ← g + λθ
 *   s_t ← s_{t−1} + g²        (s₀ = τ)
 *   θ ← θ − γ̃ g / (√s_t + ε)
 *
 * The accumulated squared gradient is the state buffer `s`.
 * tf.train.adagrad differs: s₀ = 0.1 by default and ε sits inside the root, g / √(s_t + ε_backend).
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), scaleByAdagrad({ initialAccumulatorValue: τ, eps: ε }),
 * scaleBySchedule((k) => 1 / (1 + kη)), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr } from './common';
import { addWeightDecay, divideByRoot, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of adagrad (torch.optim.Adagrad names and defaults). */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** State of adagrad: the sum of squared gradients s. */
export type AdagradBuffers = { s: TensorList };

/** Adagrad: s ← s + g², θ ← θ − γ̃ g / (√s + ε) with γ̃ = γ / (1 + (t − 1)η). */
export function adagrad(options: AdagradOptions = {}): Optimizer<AdagradBuffers> {
  checkKeys('adagrad', options, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
  const lr = positive(options.lr ?? 0.01, 'lr');
  const lrDecay = nonNegative(options.lrDecay ?? 0, 'lrDecay');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const initialAccumulatorValue = nonNegative(options.initialAccumulatorValue ?? 0, 'initialAccumulatorValue');
  const eps = positive(options.eps ?? 1e-10, 'eps');
  const name = 'adagrad';
  return {
    name,
    hyper: { lr, lrDecay, weightDecay, initialAccumulatorValue, eps },
    init(params) {
      checkParams(name, params);
      // s₀ = τ
      return { step: 0, buffers: { s: params.map((p) => tf.fill(p.shape, initialAccumulatorValue)) } };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const t = state.step + 1;
      // γ̃ = γ / (1 + (t − 1) η)
      const clr = stepLr(opts, lr) / (1 + (t - 1) * lrDecay);
      return perParameter<AdagradBuffers>(grads.length, t, (i) => {
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], weightDecay);
        // s_t = s_{t−1} + g²
        const s = tf.add(state.buffers.s[i], tf.square(g));
        // Δθ = −γ̃ g / (√s_t + ε)
        return { update: tf.mul(divideByRoot(g, s, eps), scalar(-clr)), buffers: { s } };
      });
    },
  };
}
