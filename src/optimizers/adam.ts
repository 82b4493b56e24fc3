/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) as torch.optim.Adam / AdamW
 * document them (γ = lr, β₁, β₂ = betas, λ = weightDecay):
 *
 *   g ← g + λθ                         (Adam: L2 penalty in the gradient)
 *   θ ← θ − γλθ                        (AdamW: decoupled weight decay)
 *   m_t ← β₁ m_{t−1} + (1 − β₁) g
 *   v_t ← β₂ v_{t−1} + (1 − β₂) g²
 *   m̂ ← m_t / (1 − β₁ᵗ)
 *   v̂ ← v_t / (1 − β₂ᵗ),  or with amsgrad  vmax_t ← max(vmax_{t−1}, v_t),  v̂ ← vmax_t / (1 − β₂ᵗ)
 *   θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * State buffers: `m`, `v`, and `vmax` (amsgrad only).
 * biasCorrection: false is the "simplified version without the bias correction terms" of the Mila
 * slides: θ ← θ − γ m_t / (√v_t + ε). tf.train.adam is this rule with amsgrad off (its default ε is the
 * backend's 1e-7, not 1e-8).
 */
import * as tf from '@tensorflow/tfjs';
import { betasPair, bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of adam and adamw (torch.optim.Adam / AdamW names and defaults, plus biasCorrection). */
export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Adam: L2 penalty g ← g + λθ (default 0). AdamW: decoupled θ ← θ − γλθ (default 0.01). */
  weightDecay?: number;
  amsgrad?: boolean;
  /** Divide m and v by (1 − βᵗ) (default true); false is the Mila slides' simplified Adam. */
  biasCorrection?: boolean;
}

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'biasCorrection'];

function adamFamily(name: 'adam' | 'adamw', options: AdamOptions): Optimizer {
  checkKeys(name, options, KEYS);
  const lr = positive(options.lr ?? 1e-3, 'lr');
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? (name === 'adamw' ? 1e-2 : 0), 'weightDecay');
  const amsgrad = bool(options.amsgrad ?? false, 'amsgrad');
  const biasCorrection = bool(options.biasCorrection ?? true, 'biasCorrection');
  const decoupled = name === 'adamw';
  return {
    name,
    hyper: { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, biasCorrection },
    init(params: TensorList): OptState {
      checkParams(name, params);
      const buffers: Record<string, TensorList> = { m: zerosLike(params), v: zerosLike(params) };
      if (amsgrad) buffers.vmax = zerosLike(params);
      return { step: 0, buffers };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const t = state.step + 1;
      // 1 − β₁ᵗ and 1 − β₂ᵗ (1 without bias correction)
      const bc1 = biasCorrection ? 1 - Math.pow(beta1, t) : 1;
      const bc2 = biasCorrection ? 1 - Math.pow(beta2, t) : 1;
      const out = tf.tidy(() => {
        const m: tf.Tensor[] = [];
        const v: tf.Tensor[] = [];
        const vmax: tf.Tensor[] = [];
        const updates: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ (Adam only)
          const g = !decoupled && weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          // m_t = β₁ m_{t−1} + (1 − β₁) g
          const mi = tf.add(tf.mul(state.buffers.m[i], beta1), tf.mul(g, 1 - beta1));
          // v_t = β₂ v_{t−1} + (1 − β₂) g²
          const vi = tf.add(tf.mul(state.buffers.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
          m.push(mi);
          v.push(vi);
          let second = vi;
          if (amsgrad) {
            // vmax_t = max(vmax_{t−1}, v_t)
            second = tf.maximum(state.buffers.vmax[i], vi);
            vmax.push(second);
          }
          // m̂ = m_t / (1 − β₁ᵗ),  v̂ = v_t / (1 − β₂ᵗ)
          const mHat = tf.div(mi, bc1);
          const vHat = tf.div(second, bc2);
          // Δθ = −γ m̂ / (√v̂ + ε)
          let update = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), -gamma);
          // Δθ −= γλθ (AdamW)
          if (decoupled && weightDecay !== 0) update = tf.sub(update, tf.mul(params[i], gamma * weightDecay));
          updates.push(update);
        });
        return { updates, m, v, vmax };
      });
      const buffers: Record<string, TensorList> = { m: out.m, v: out.v };
      if (amsgrad) buffers.vmax = out.vmax;
      return { updates: out.updates, state: { step: t, buffers } };
    },
  };
}

/** Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − γ m̂ / (√v̂ + ε) (torch.optim.Adam). */
export function adam(options: AdamOptions = {}): Optimizer {
  return adamFamily('adam', options);
}

/** AdamW: Adam with decoupled weight decay θ ← θ − γλθ (torch.optim.AdamW; λ defaults to 0.01). */
export function adamw(options: AdamOptions = {}): Optimizer {
  return adamFamily('adamw', options);
}
