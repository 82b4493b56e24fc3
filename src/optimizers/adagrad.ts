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
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of adagrad (torch.optim.Adagrad names and defaults). */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** Adagrad: s ← s + g², θ ← θ − γ̃ g / (√s + ε) with γ̃ = γ / (1 + (t − 1)η). */
export function adagrad(options: AdagradOptions = {}): Optimizer {
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
    init(params: TensorList): OptState {
      checkParams(name, params);
      // s₀ = τ
      return { step: 0, buffers: { s: params.map((p) => tf.fill(p.shape, initialAccumulatorValue)) } };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const t = state.step + 1;
      // γ̃ = γ / (1 + (t − 1) η)
      const clr = stepLr(opts, lr) / (1 + (t - 1) * lrDecay);
      const out = tf.tidy(() => {
        const s: tf.Tensor[] = [];
        const updates: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ
          const g = weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          // s_t = s_{t−1} + g²
          const si = tf.add(state.buffers.s[i], tf.square(g));
          s.push(si);
          // Δθ = −γ̃ g / (√s_t + ε)
          updates.push(tf.mul(tf.div(g, tf.add(tf.sqrt(si), eps)), -clr));
        });
        return { updates, s };
      });
      return { updates: out.updates, state: { step: t, buffers: { s: out.s } } };
    },
  };
}
