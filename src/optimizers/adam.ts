/**
 * Adam (Kingma & Ba 2015) as torch.optim.Adam documents it (γ = lr, β₁, β₂ = betas, λ = weightDecay):
 *
 *   g ← g + λθ                         (weight decay as an L2 penalty in the gradient)
 *   m_t ← β₁ m_{t−1} + (1 − β₁) g
 *   v_t ← β₂ v_{t−1} + (1 − β₂) g²
 *   m̂ ← m_t / (1 − β₁ᵗ)
 *   v̂ ← v_t / (1 − β₂ᵗ),  or with amsgrad  vmax_t ← max(vmax_{t−1}, v_t),  v̂ ← vmax_t / (1 − β₂ᵗ)
 *   θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * State buffers: `m`, `v`, and `vmax` (amsgrad only). AdamW (adamw.ts) decays θ outside the moments instead.
 * biasCorrection: false is the "simplified version without the bias correction terms" of the Mila
 * slides: θ ← θ − γ m_t / (√v_t + ε). tf.train.adam is this rule with amsgrad off (its default ε is the
 * backend's 1e-7, not 1e-8).
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), scaleByAdam({ betas, eps, amsgrad, biasCorrection }), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { betasPair, bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import { addWeightDecay, debias, divideByRoot, ema, perParameter } from './formulas';
import type { Hyper, Optimizer, TensorList } from './types';

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

/** State of adam and adamw: the moments m, v and, with amsgrad, the running maximum vmax of v. */
export type AdamBuffers = { m: TensorList; v: TensorList; vmax?: TensorList };

/** The validated hyperparameters of adam / adamw (their defaults differ only in weightDecay). */
export function adamHyper(name: string, options: AdamOptions, defaultWeightDecay: number) {
  checkKeys(name, options, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'biasCorrection']);
  const [beta1, beta2] = betasPair(options.betas ?? [0.9, 0.999]);
  return {
    lr: positive(options.lr ?? 1e-3, 'lr'),
    beta1,
    beta2,
    eps: positive(options.eps ?? 1e-8, 'eps'),
    weightDecay: nonNegative(options.weightDecay ?? defaultWeightDecay, 'weightDecay'),
    amsgrad: bool(options.amsgrad ?? false, 'amsgrad'),
    biasCorrection: bool(options.biasCorrection ?? true, 'biasCorrection'),
  };
}

/** The hyper record of adam / adamw (betas as a pair, as torch names them). */
export function adamHyperRecord(h: ReturnType<typeof adamHyper>): Hyper {
  return { lr: h.lr, betas: [h.beta1, h.beta2], eps: h.eps, weightDecay: h.weightDecay, amsgrad: h.amsgrad, biasCorrection: h.biasCorrection };
}

/** Zero moments m, v (and vmax with amsgrad). */
export function adamInit(params: TensorList, amsgrad: boolean): AdamBuffers {
  const buffers: AdamBuffers = { m: zerosLike(params), v: zerosLike(params) };
  if (amsgrad) buffers.vmax = zerosLike(params);
  return buffers;
}

/** Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − γ m̂ / (√v̂ + ε) (torch.optim.Adam). */
export function adam(options: AdamOptions = {}): Optimizer<AdamBuffers> {
  const name = 'adam';
  const h = adamHyper(name, options, 0);
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
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], weightDecay);
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
        return { update: tf.mul(divideByRoot(mHat, vHat, eps), -gamma), buffers: { m, v, vmax } };
      });
    },
  };
}
