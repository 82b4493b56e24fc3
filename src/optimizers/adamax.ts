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
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), scaleByAdamax({ betas, eps: ε }), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { betasPair, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import { addWeightDecay, debias, ema, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of adamax (torch.optim.Adamax names and defaults). */
export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/** State of adamax: the first moment m and the ∞-norm estimate u. */
export type AdamaxBuffers = { m: TensorList; u: TensorList };

/** Adamax: m ← β₁m + (1 − β₁)g, u ← max(β₂u, |g| + ε), θ ← θ − γ m / ((1 − β₁ᵗ) u). */
export function adamax(options: AdamaxOptions = {}): Optimizer<AdamaxBuffers> {
  checkKeys('adamax', options, ['lr', 'betas', 'eps', 'weightDecay']);
  const lr = positive(options.lr ?? 2e-3, 'lr');
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const name = 'adamax';
  return {
    name,
    hyper: { lr, betas: [beta1, beta2], eps, weightDecay },
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: { m: zerosLike(params), u: zerosLike(params) } };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const t = state.step + 1;
      // γ / (1 − β₁ᵗ)
      const clr = stepLr(opts, lr) / debias(beta1, t);
      return perParameter<AdamaxBuffers>(grads.length, t, (i) => {
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], weightDecay);
        // m_t = β₁ m_{t−1} + (1 − β₁) g
        const m = ema(state.buffers.m[i], g, beta1);
        // u_t = max(β₂ u_{t−1}, |g| + ε)
        const u = tf.maximum(tf.mul(state.buffers.u[i], scalar(beta2)), tf.add(tf.abs(g), scalar(eps)));
        // Δθ = −γ m_t / ((1 − β₁ᵗ) u_t)
        return { update: tf.mul(tf.div(m, u), scalar(-clr)), buffers: { m, u } };
      });
    },
  };
}
