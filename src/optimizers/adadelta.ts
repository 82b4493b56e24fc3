/**
 * Adadelta (Zeiler 2012) as torch.optim.Adadelta documents it (γ = lr, ρ = rho, λ = weightDecay):
 *
 *   g ← g + λθ
 *   v_t ← ρ v_{t−1} + (1 − ρ) g²
 *   Δx_t ← √(u_{t−1} + ε) / √(v_t + ε) · g
 *   u_t ← ρ u_{t−1} + (1 − ρ) Δx_t²
 *   θ ← θ − γ Δx_t
 *
 * State buffers: `v` (mean squared gradient), `u` (mean squared update).
 * tf.train.adadelta differs (tfjs 4.22): its denominator uses v_{t−1}, the mean square *before*
 * this step's gradient is added (√(v_{t−1} + ε)), so its trajectory is not torch's or Zeiler's.
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), scaleByAdadelta({ rho: ρ, eps: ε }), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, unitInterval, zerosLike } from './common';
import { addWeightDecay, ema, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of adadelta (torch.optim.Adadelta names and defaults). */
export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
}

/** State of adadelta: the mean squared gradient v and the mean squared update u. */
export type AdadeltaBuffers = { v: TensorList; u: TensorList };

/** Adadelta: Δx = √(u + ε)/√(v + ε) · g with running means v of g² and u of Δx², θ ← θ − γΔx. */
export function adadelta(options: AdadeltaOptions = {}): Optimizer<AdadeltaBuffers> {
  checkKeys('adadelta', options, ['lr', 'rho', 'eps', 'weightDecay']);
  const lr = positive(options.lr ?? 1.0, 'lr');
  const rho = unitInterval(options.rho ?? 0.9, 'rho');
  const eps = positive(options.eps ?? 1e-6, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const name = 'adadelta';
  return {
    name,
    hyper: { lr, rho, eps, weightDecay },
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: { v: zerosLike(params), u: zerosLike(params) } };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      return perParameter<AdadeltaBuffers>(grads.length, state.step + 1, (i) => {
        // g ← g + λθ
        const g = addWeightDecay(grads[i], params[i], weightDecay);
        // v_t = ρ v_{t−1} + (1 − ρ) g²
        const v = ema(state.buffers.v[i], tf.square(g), rho);
        // Δx_t = √(u_{t−1} + ε) / √(v_t + ε) · g
        const dx = tf.mul(tf.div(tf.sqrt(tf.add(state.buffers.u[i], scalar(eps))), tf.sqrt(tf.add(v, scalar(eps)))), g);
        // u_t = ρ u_{t−1} + (1 − ρ) Δx_t²
        const u = ema(state.buffers.u[i], tf.square(dx), rho);
        // Δθ = −γ Δx_t
        return { update: tf.mul(dx, scalar(-gamma)), buffers: { v, u } };
      });
    },
  };
}
