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
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, unitInterval, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of adadelta (torch.optim.Adadelta names and defaults). */
export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
}

/** Adadelta: Δx = √(u + ε)/√(v + ε) · g with running means v of g² and u of Δx², θ ← θ − γΔx. */
export function adadelta(options: AdadeltaOptions = {}): Optimizer {
  checkKeys('adadelta', options, ['lr', 'rho', 'eps', 'weightDecay']);
  const lr = positive(options.lr ?? 1.0, 'lr');
  const rho = unitInterval(options.rho ?? 0.9, 'rho');
  const eps = positive(options.eps ?? 1e-6, 'eps');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  const name = 'adadelta';
  return {
    name,
    hyper: { lr, rho, eps, weightDecay },
    init(params: TensorList): OptState {
      checkParams(name, params);
      return { step: 0, buffers: { v: zerosLike(params), u: zerosLike(params) } };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const out = tf.tidy(() => {
        const v: tf.Tensor[] = [];
        const u: tf.Tensor[] = [];
        const updates: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ
          const g = weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          // v_t = ρ v_{t−1} + (1 − ρ) g²
          const vi = tf.add(tf.mul(state.buffers.v[i], rho), tf.mul(tf.square(g), 1 - rho));
          // Δx_t = √(u_{t−1} + ε) / √(v_t + ε) · g
          const dx = tf.mul(tf.div(tf.sqrt(tf.add(state.buffers.u[i], eps)), tf.sqrt(tf.add(vi, eps))), g);
          // u_t = ρ u_{t−1} + (1 − ρ) Δx_t²
          const ui = tf.add(tf.mul(state.buffers.u[i], rho), tf.mul(tf.square(dx), 1 - rho));
          v.push(vi);
          u.push(ui);
          // Δθ = −γ Δx_t
          updates.push(tf.mul(dx, -gamma));
        });
        return { updates, v, u };
      });
      return { updates: out.updates, state: { step: state.step + 1, buffers: { v: out.v, u: out.u } } };
    },
  };
}
