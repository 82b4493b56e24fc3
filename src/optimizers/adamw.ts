/**
 * AdamW (Loshchilov & Hutter 2019) as torch.optim.AdamW documents it (γ = lr, β₁, β₂ = betas,
 * λ = weightDecay, default 0.01): Adam's moments of the plain gradient, and the decay applied to θ
 * directly ("decoupled"), so it is not rescaled by 1/√v̂ as Adam's L2 penalty is:
 *
 *   m_t ← β₁ m_{t−1} + (1 − β₁) g
 *   v_t ← β₂ v_{t−1} + (1 − β₂) g²
 *   m̂ ← m_t / (1 − β₁ᵗ),  v̂ ← v_t / (1 − β₂ᵗ)   (amsgrad: v̂ ← vmax_t / (1 − β₂ᵗ), vmax_t ← max(vmax_{t−1}, v_t))
 *   θ ← θ − γ m̂ / (√v̂ + ε) − γλθ
 *
 * State buffers: `m`, `v`, and `vmax` (amsgrad only), as Adam's.
 * As a chain (transforms.ts): chain(scaleByAdam({ betas, eps, amsgrad, biasCorrection }), addDecayedWeights(λ), scaleByLr(γ))
 * — the same addDecayedWeights as Adam's, placed after the moments instead of before.
 */
import * as tf from '@tensorflow/tfjs';
import { checkParams, checkUpdateArgs, stepLr } from './common';
import { perParameter, scalar } from './formulas';
import { adamHyper, adamHyperRecord, adamInit, adamMoments, type AdamBuffers, type AdamOptions } from './adam';
import type { Optimizer } from './types';

/** AdamW: Adam on g with decoupled weight decay, θ ← θ − γ m̂ / (√v̂ + ε) − γλθ (torch.optim.AdamW; λ defaults to 0.01). */
export function adamw(options: AdamOptions = {}): Optimizer<AdamBuffers> {
  const name = 'adamw';
  const h = adamHyper(name, options, 1e-2);
  return {
    name,
    hyper: adamHyperRecord(h),
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: adamInit(params, h.amsgrad) };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, h.lr);
      const t = state.step + 1;
      return perParameter<AdamBuffers>(grads.length, t, (i) => {
        // m_t, v_t (vmax_t) and d = m̂ / (√v̂ + ε) of the plain gradient   (adamMoments, adam.ts)
        const { direction, ...buffers } = adamMoments(state.buffers, i, grads[i], h, t);
        // Δθ = −γ m̂ / (√v̂ + ε)
        const adamStep = tf.mul(direction, scalar(-gamma));
        // Δθ −= γλθ (decoupled weight decay)
        const update = h.weightDecay !== 0 ? tf.sub(adamStep, tf.mul(params[i], gamma * h.weightDecay)) : adamStep;
        return { update, buffers };
      });
    },
  };
}
