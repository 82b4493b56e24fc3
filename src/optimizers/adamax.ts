/**
 * Adamax (Kingma & Ba 2015, §7.1: Adam with the ∞-norm) as torch.optim.Adamax documents it
 * (γ = lr, β₁, β₂ = betas, λ = weightDecay):
 *
 *   g ← g + λθ
 *   m_t ← β₁ m_{t−1} + (1 − β₁) g
 *   u_t ← max(β₂ u_{t−1}, |g| + ε)
 *   θ ← θ − γ m_t / ((1 − β₁ᵗ) u_t)
 *
 * State buffers: `m`, `u`. tf.train.adamax puts ε elsewhere: u_t ← max(β₂u_{t−1}, |g|) and
 * θ ← θ − γ m_t / ((1 − β₁ᵗ)(u_t + ε)) (the same up to O(ε/|u|)).
 */
import * as tf from '@tensorflow/tfjs';
import { betasPair, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of adamax (torch.optim.Adamax names and defaults). */
export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/** Adamax: m ← β₁m + (1 − β₁)g, u ← max(β₂u, |g| + ε), θ ← θ − γ m / ((1 − β₁ᵗ) u). */
export function adamax(options: AdamaxOptions = {}): Optimizer {
  checkKeys('adamax', options, ['lr', 'betas', 'eps', 'weightDecay']);
  const lr = positive(options.lr ?? 2e-3, 'lr');
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const name = 'adamax';
  return {
    name,
    hyper: { lr, betas: [beta1, beta2], eps, weightDecay },
    init(params: TensorList): OptState {
      checkParams(name, params);
      return { step: 0, buffers: { m: zerosLike(params), u: zerosLike(params) } };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const t = state.step + 1;
      // γ / (1 − β₁ᵗ)
      const clr = stepLr(opts, lr) / (1 - Math.pow(beta1, t));
      const out = tf.tidy(() => {
        const m: tf.Tensor[] = [];
        const u: tf.Tensor[] = [];
        const updates: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ
          const g = weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          // m_t = β₁ m_{t−1} + (1 − β₁) g
          const mi = tf.add(tf.mul(state.buffers.m[i], beta1), tf.mul(g, 1 - beta1));
          // u_t = max(β₂ u_{t−1}, |g| + ε)
          const ui = tf.maximum(tf.mul(state.buffers.u[i], beta2), tf.add(tf.abs(g), eps));
          m.push(mi);
          u.push(ui);
          // Δθ = −γ m_t / ((1 − β₁ᵗ) u_t)
          updates.push(tf.mul(tf.div(mi, ui), -clr));
        });
        return { updates, m, u };
      });
      return { updates: out.updates, state: { step: t, buffers: { m: out.m, u: out.u } } };
    },
  };
}
