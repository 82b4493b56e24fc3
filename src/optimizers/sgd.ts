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
 * As a chain (transforms.ts): chain(addDecayedWeights(λ), traceMomentum({ momentum: μ, dampening: τ, nesterov }), scaleByLr(γ)).
 */
import * as tf from '@tensorflow/tfjs';
import { bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr, zerosLike } from './common';
import { addWeightDecay, momentumBuffer, perParameter, scalar } from './formulas';
import type { Optimizer, TensorList } from './types';

/** Hyperparameters of sgd (torch.optim.SGD names; lr has no default). */
export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** State of sgd: the velocity v (only with momentum > 0). */
export type SgdBuffers = { v?: TensorList };

/** SGD: θ ← θ − γ g, with momentum b_t ← μ b_{t−1} + (1 − τ) g when μ > 0 (torch.optim.SGD). */
export function sgd(options: SgdOptions): Optimizer<SgdBuffers> {
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
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: momentum > 0 ? { v: zerosLike(params) } : {} };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const gamma = stepLr(opts, lr);
      const t = state.step + 1;
      return perParameter<SgdBuffers>(grads.length, t, (i) => {
        // g ← g + λθ
        let g = addWeightDecay(grads[i], params[i], weightDecay);
        if (momentum === 0) {
          // Δθ = −γ g
          return { update: tf.mul(g, scalar(-gamma)), buffers: {} };
        }
        // b_t ← g (t = 1);  b_t ← μ b_{t−1} + (1 − τ) g (t > 1)
        const b = momentumBuffer((state.buffers.v as TensorList)[i], g, momentum, dampening, t);
        // g ← g + μ b_t (Nesterov)  or  g ← b_t
        g = nesterov ? tf.add(g, tf.mul(b, scalar(momentum))) : b;
        // Δθ = −γ g
        return { update: tf.mul(g, scalar(-gamma)), buffers: { v: b } };
      });
    },
  };
}
