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
import { debias, divideByRoot, ema, perParameter } from './formulas';
import { adamHyper, adamHyperRecord, adamInit, type AdamBuffers, type AdamOptions } from './adam';
import type { Optimizer, TensorList } from './types';

/** AdamW: Adam on g with decoupled weight decay, θ ← θ − γ m̂ / (√v̂ + ε) − γλθ (torch.optim.AdamW; λ defaults to 0.01). */
export function adamw(options: AdamOptions = {}): Optimizer<AdamBuffers> {
  const name = 'adamw';
  const h = adamHyper(name, options, 1e-2);
  const { beta1, beta2, eps, weightDecay, amsgrad, biasCorrection } = h;
  return {
    name,
    hyper: adamHyperRecord(h),
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: adamInit(params, amsgrad) };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, h.lr);
      const t = state.step + 1;
      // 1 − β₁ᵗ and 1 − β₂ᵗ (1 without bias correction)
      const bc1 = debias(beta1, t, biasCorrection);
      const bc2 = debias(beta2, t, biasCorrection);
      return perParameter<AdamBuffers>(grads.length, t, (i) => {
        const g = grads[i];
        // m_t = β₁ m_{t−1} + (1 − β₁) g
        const m = ema(state.buffers.m[i], g, beta1);
        // v_t = β₂ v_{t−1} + (1 − β₂) g²
        const v = ema(state.buffers.v[i], tf.square(g), beta2);
        // vmax_t = max(vmax_{t−1}, v_t) (amsgrad)
        const vmax = amsgrad ? tf.maximum((state.buffers.vmax as TensorList)[i], v) : undefined;
        // m̂ = m_t / (1 − β₁ᵗ),  v̂ = (vmax_t or v_t) / (1 − β₂ᵗ)
        const mHat = tf.div(m, bc1);
        const vHat = tf.div(vmax ?? v, bc2);
        // Δθ = −γ m̂ / (√v̂ + ε)
        const adamStep = tf.mul(divideByRoot(mHat, vHat, eps), -gamma);
        // Δθ −= γλθ (decoupled weight decay)
        const update = weightDecay !== 0 ? tf.sub(adamStep, tf.mul(params[i], gamma * weightDecay)) : adamStep;
        return { update, buffers: { m, v, vmax } };
      });
    },
  };
}
