/**
 * Losses of a network's prediction: (ŷ, y) → scalar, averaged over the batch (mean squared error, softmax
 * cross-entropy, binary logistic), each written once with tfjs ops so gradients come from autodiff.
 */
import * as tf from '@tensorflow/tfjs';

/** A loss: (prediction ŷ [N, K], target y [N, K]) → scalar. */
export type LossFn = (yHat: tf.Tensor, y: tf.Tensor) => tf.Scalar;
/** Loss names understood by getLoss. */
export type LossName = 'mse' | 'softmaxCrossEntropy' | 'logistic';

function checkPair(yHat: tf.Tensor, y: tf.Tensor, what: string): void {
  if (!(yHat instanceof tf.Tensor) || !(y instanceof tf.Tensor)) throw new Error(`${what}: yHat and y must be tensors`);
  if (!tf.util.arraysEqual(yHat.shape, y.shape)) throw new Error(`y must have the shape of the prediction [${yHat.shape}]; got [${y.shape}]`);
}

/** Mean squared error L = (1/(N·K)) Σ_i Σ_k (ŷ_ik − y_ik)² (the mean over all entries, like torch's MSELoss). */
export function mse(yHat: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(yHat, y, 'mse');
  // L = mean((ŷ − y)²)
  return tf.tidy(() => tf.mean(tf.squaredDifference(yHat, y)) as tf.Scalar);
}

/** Softmax cross-entropy L = −(1/N) Σ_i Σ_k y_ik log softmax(z_i)_k, y one-hot (or probabilities) [N, K]. */
export function softmaxCrossEntropy(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(logits, y, 'softmaxCrossEntropy');
  return tf.tidy(() => {
    const N = logits.shape[0] as number;
    // log softmax(z)_k = z_k − log Σ_j e^{z_j}
    const logp = tf.logSoftmax(logits);
    // L = −(1/N) Σ_i Σ_k y_ik log p_ik
    return tf.neg(tf.sum(tf.mul(y, logp))).div(N) as tf.Scalar;
  });
}

/** Binary logistic loss on logits z, y ∈ {0, 1}: L = mean(log(1 + e^{z}) − y z), computed stably. */
export function logistic(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  checkPair(logits, y, 'logistic');
  return tf.tidy(() => {
    // log(1 + e^{z}) − y z = max(z, 0) − y z + log(1 + e^{−|z|})
    const l = tf.relu(logits).sub(tf.mul(y, logits)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(l) as tf.Scalar;
  });
}

/** The losses by name. */
export const LOSSES: Record<LossName, LossFn> = { mse, softmaxCrossEntropy, logistic };

/** A loss by name (a function is returned as is). */
export function getLoss(loss: LossName | LossFn): LossFn {
  if (typeof loss === 'function') return loss;
  const f = (LOSSES as Record<string, LossFn | undefined>)[loss as string];
  if (!f) throw new Error(`loss must be one of ${Object.keys(LOSSES).join(', ')} or a function; got ${JSON.stringify(loss)}`);
  return f;
}
