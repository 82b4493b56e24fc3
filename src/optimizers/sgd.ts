/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, exactly as torch.optim.SGD documents it (γ = lr, μ = momentum, τ = dampening, λ = weightDecay):
 *
 *   g ← g + λθ
 *   b_t ← g                      (t = 1)
 *   b_t ← μ b_{t−1} + (1 − τ) g  (t > 1)
 *   g ← g + μ b_t (Nesterov)  or  g ← b_t
 *   θ ← θ − γ g
 *
 * The velocity b is the state buffer `v`. In the lecture's notation (Goodfellow Alg. 8.2,
 * v ← αv − εg, θ ← θ + v) the velocity is −ε·b: the same trajectory for a constant learning rate.
 */
import * as tf from '@tensorflow/tfjs';
import { bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import type { OptState, Optimizer, TensorList, UpdateOptions } from './types';

/** Hyperparameters of sgd (torch.optim.SGD names; lr has no default). */
export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** SGD: θ ← θ − γ g, with momentum b_t ← μ b_{t−1} + (1 − τ) g when μ > 0 (torch.optim.SGD). */
export function sgd(options: SgdOptions): Optimizer {
  checkKeys('sgd', options, ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay']);
  if (options === undefined) throw new Error('sgd: options {lr} are required; got undefined');
  const lr = positive(options.lr, 'lr');
  const momentum = nonNegative(options.momentum ?? 0, 'momentum');
  const dampening = nonNegative(options.dampening ?? 0, 'dampening');
  const nesterov = bool(options.nesterov ?? false, 'nesterov');
  const weightDecay = nonNegative(options.weightDecay ?? 0, 'weightDecay');
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new Error(`nesterov requires momentum > 0 and dampening = 0; got momentum=${momentum}, dampening=${dampening}`);
  }
  const name = momentum > 0 ? (nesterov ? 'sgd-nesterov' : 'sgd-momentum') : 'sgd';
  return {
    name,
    hyper: { lr, momentum, dampening, nesterov, weightDecay },
    init(params: TensorList): OptState {
      checkParams(name, params);
      return { step: 0, buffers: momentum > 0 ? { v: zerosLike(params) } : {} };
    },
    update(grads: TensorList, state: OptState, params: TensorList, opts?: UpdateOptions) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const t = state.step + 1;
      const out = tf.tidy(() => {
        const updates: tf.Tensor[] = [];
        const v: tf.Tensor[] = [];
        grads.forEach((g0, i) => {
          // g ← g + λθ
          let g = weightDecay !== 0 ? tf.add(g0, tf.mul(params[i], weightDecay)) : g0;
          if (momentum > 0) {
            const bPrev = state.buffers.v[i];
            // b_t ← g (t = 1);  b_t ← μ b_{t−1} + (1 − τ) g (t > 1)
            const b = t === 1 ? tf.clone(g) : tf.add(tf.mul(bPrev, momentum), tf.mul(g, 1 - dampening));
            v.push(b);
            // g ← g + μ b_t (Nesterov)  or  g ← b_t
            g = nesterov ? tf.add(g, tf.mul(b, momentum)) : b;
          }
          // Δθ = −γ g
          updates.push(tf.mul(g, -gamma));
        });
        return { updates, v };
      });
      const buffers: Record<string, TensorList> = momentum > 0 ? { v: out.v } : {};
      return { updates: out.updates, state: { step: t, buffers } };
    },
  };
}
