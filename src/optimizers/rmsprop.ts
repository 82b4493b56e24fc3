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
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), scaleByRms({ alpha: α, eps: ε, centered }),
 * traceMomentum({ momentum: μ, buffer: 'b' }) (μ > 0), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, unitInterval, zerosLike } from './common';
import { addWeightDecay, divideByRoot, ema, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of rmsprop (torch.optim.RMSprop names and defaults). */
export interface RmspropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

/** State of rmsprop: the mean square v, the mean gradient gAvg (centered), the momentum buffer b (μ > 0). */
export type RmspropBuffers = { v: TensorList; gAvg?: TensorList; b?: TensorList };

/** RMSProp: v ← αv + (1 − α)g², θ ← θ − γ g / (√v + ε) (centered and momentum variants as in torch). */
export function rmsprop(options: RmspropOptions = {}): Optimizer<RmspropBuffers> {
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
    init(params) {
      checkParams(name, params);
      const buffers: RmspropBuffers = { v: zerosLike(params) };
      if (centered) buffers.gAvg = zerosLike(params);
      if (momentum > 0) buffers.b = zerosLike(params);
      return { step: 0, buffers };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const { v: vPrev, gAvg: gAvgPrev, b: bPrev } = state.buffers as Required<RmspropBuffers>;
      return perParameter<RmspropBuffers>(grads.length, state.step + 1, (i) => {
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], weightDecay);
        // v_t = α v_{t−1} + (1 − α) g²
        const v = ema(vPrev[i], tf.square(g), alpha);
        // ḡ_t = α ḡ_{t−1} + (1 − α) g (centered)
        const gAvg = centered ? ema(gAvgPrev[i], g, alpha) : undefined;
        // ṽ = v_t − ḡ_t² (centered), else ṽ = v_t
        const vTilde = gAvg ? tf.sub(v, tf.square(gAvg)) : v;
        // g / (√ṽ + ε)
        const scaled = divideByRoot(g, vTilde, eps);
        if (momentum === 0) {
          // Δθ = −γ g / (√ṽ + ε)
          return { update: tf.mul(scaled, scalar(-gamma)), buffers: { v, gAvg } };
        }
        // b_t = μ b_{t−1} + g / (√ṽ + ε)
        const b = tf.add(tf.mul(bPrev[i], scalar(momentum)), scaled);
        // Δθ = −γ b_t
        return { update: tf.mul(b, scalar(-gamma)), buffers: { v, gAvg, b } };
      });
    },
  };
}
