/**
 * RMSProp (Hinton, lecture 6e) as torch.optim.RMSprop documents it (γ = lr, α = alpha,
 * μ = momentum, λ = weightDecay):
 *
 *   g ← g + λθ
 *   v_t ← α v_{t−1} + (1 − α) g²
 *   ṽ ← v_t,  or  ḡ_t ← α ḡ_{t−1} + (1 − α) g,  ṽ ← v_t − ḡ_t²   (centered)
 *   b_t ← μ b_{t−1} + g / (√ṽ + ε),  θ ← θ − γ b_t                  (μ > 0)
 *   θ ← θ − γ g / (√ṽ + ε)                                            (μ = 0)
 *
 * State buffers: `v` (mean square), `gAvg` (mean gradient ḡ, centered only), `b` (momentum only).
 * The lecture (Mila "RMSProp") writes the same rule as v_t = βv_{t−1} + (1 − β)f'(x_t)²,
 * x_{t+1} = x_t − η f'(x_t) / (√v_t + ε), i.e. β = alpha.
 * tf.train.rmsprop differs: decay 0.9 by default, ε inside the root (g / √(v + ε)), and centered
 * uses √(v − ḡ² − ε).
 */
import * as tf from '@tensorflow/tfjs';
import { bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, unitInterval, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of rmsprop (torch.optim.RMSprop names and defaults). */
export interface RmspropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

/** RMSProp: v ← αv + (1 − α)g², θ ← θ − γ g / (√v + ε) (centered and momentum variants as in torch). */
export function rmsprop(options: RmspropOptions = {}): Optimizer {
  checkKeys('rmsprop', options, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered']);
  const lr = positive(options.lr ?? 0.01, 'lr');
  const alpha = unitInterval(options.alpha ?? 0.99, 'alpha');
  const eps = positive(options.eps ?? 1e-8, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const momentum = nonNegative(options.momentum ?? 0, 'momentum');
  const centered = bool(options.centered ?? false, 'centered');
  const name = 'rmsprop';
  return {
    name,
    hyper: { lr, alpha, eps, weightDecay, momentum, centered },
    init(params: TensorList): OptState {
      checkParams(name, params);
      const buffers: Record<string, TensorList> = { v: zerosLike(params) };
      if (centered) buffers.gAvg = zerosLike(params);
      if (momentum > 0) buffers.b = zerosLike(params);
      return { step: 0, buffers };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const out = tf.tidy(() => {
        const v: tf.Tensor[] = [];
        const gAvg: tf.Tensor[] = [];
        const b: tf.Tensor[] = [];
        const updates: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ
          const g = weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          // v_t = α v_{t−1} + (1 − α) g²
          const vi = tf.add(tf.mul(state.buffers.v[i], alpha), tf.mul(tf.square(g), 1 - alpha));
          v.push(vi);
          let vTilde = vi;
          if (centered) {
            // ḡ_t = α ḡ_{t−1} + (1 − α) g
            const gi = tf.add(tf.mul(state.buffers.gAvg[i], alpha), tf.mul(g, 1 - alpha));
            gAvg.push(gi);
            // ṽ = v_t − ḡ_t²
            vTilde = tf.sub(vi, tf.square(gi));
          }
          // g / (√ṽ + ε)
          const scaled = tf.div(g, tf.add(tf.sqrt(vTilde), eps));
          if (momentum > 0) {
            // b_t = μ b_{t−1} + g / (√ṽ + ε)
            const bi = tf.add(tf.mul(state.buffers.b[i], momentum), scaled);
            b.push(bi);
            // Δθ = −γ b_t
            updates.push(tf.mul(bi, -gamma));
          } else {
            // Δθ = −γ g / (√ṽ + ε)
            updates.push(tf.mul(scaled, -gamma));
          }
        });
        return { updates, v, gAvg, b };
      });
      const buffers: Record<string, TensorList> = { v: out.v };
      if (centered) buffers.gAvg = out.gAvg;
      if (momentum > 0) buffers.b = out.b;
      return { updates: out.updates, state: { step: state.step + 1, buffers } };
    },
  };
}
