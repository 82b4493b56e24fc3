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
import { addWeightDecay, debias, divideByRoot, ema, perParameter, scalar } from './formulas';
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

/** Adam's constants for the moments: β₁, β₂, ε, amsgrad and whether to debias. */
export interface AdamMomentsHyper {
  beta1: number;
  beta2: number;
  eps: number;
  amsgrad: boolean;
  biasCorrection: boolean;
}

/**
 * Adam's moments of a gradient g for parameter i at step t, line by line (adam, adamw and scaleByAdam share
 * them); returns the new buffers and the direction d = m̂ / (√v̂ + ε). Call inside tf.tidy.
 */
export function adamMoments(prev: AdamBuffers, i: number, g: tf.Tensor, h: AdamMomentsHyper, t: number): { m: tf.Tensor; v: tf.Tensor; vmax?: tf.Tensor; direction: tf.Tensor } {
  // m_t = β₁ m_{t−1} + (1 − β₁) g
  const m = ema(prev.m[i], g, h.beta1);
  // v_t = β₂ v_{t−1} + (1 − β₂) g²
  const v = ema(prev.v[i], tf.square(g), h.beta2);
  // vmax_t = max(vmax_{t−1}, v_t) (amsgrad)
  const vmax = h.amsgrad ? tf.maximum((prev.vmax as TensorList)[i], v) : undefined;
  // m̂ = m_t / (1 − β₁ᵗ),  v̂ = (vmax_t or v_t) / (1 − β₂ᵗ)   (no division without bias correction)
  const mHat = tf.div(m, scalar(debias(h.beta1, t, h.biasCorrection)));
  const vHat = tf.div(vmax ?? v, scalar(debias(h.beta2, t, h.biasCorrection)));
  // d = m̂ / (√v̂ + ε)
  return { m, v, vmax, direction: divideByRoot(mHat, vHat, h.eps) };
}

/** Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − γ m̂ / (√v̂ + ε) (torch.optim.Adam). */
export function adam(options: AdamOptions = {}): Optimizer<AdamBuffers> {
  const name = 'adam';
  const h = adamHyper(name, options, 0);
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
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], h.weightDecay);
        // m_t, v_t (vmax_t) and d = m̂ / (√v̂ + ε)   (adamMoments)
        const { direction, ...buffers } = adamMoments(state.buffers, i, g, h, t);
        // Δθ = −γ m̂ / (√v̂ + ε)
        return { update: tf.mul(direction, scalar(-gamma)), buffers };
      });
    },
  };
}
