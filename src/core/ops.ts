/**
 * tanh, σ and exp as tfjs ops whose derivatives are correct to every order.
 *
 * tfjs 4.22's own tf.tanh, tf.sigmoid and tf.exp compute their gradient from the op's saved OUTPUT,
 * which a second tf.grad cannot differentiate (tfjs issue #3252): the Hessian of f(x) = x·tanh(x)
 * comes out 1.573 at x = 0.5 instead of 1.209 (silently), and that of tanh(x) alone throws
 * "Cannot compute gradient". These versions recompute the derivative from the INPUT with themselves,
 * so nested tf.grad (Hessians, Hessian-vector products, Newton) sees every curvature term.
 * Use them in objectives whose Hessian matters; first-order code can keep tf.tanh & co.
 */
import * as tf from '@tensorflow/tfjs';

type Unary = (x: tf.Tensor) => tf.Tensor;

/** Wraps value(x) with the derivative d(x) (itself built from differentiable ops): ∂/∂x = dy · d(x). */
function withDerivative(value: Unary, derivative: (x: tf.Tensor) => tf.Tensor): Unary {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([x]);
    return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, derivative(saved[0])) };
  }) as Unary;
  return op;
}

/** tanh(x), with tanh'(x) = 1 − tanh²(x) recomputed from x (differentiable to every order). */
export const tanh: Unary = withDerivative(tf.tanh, (x) => tf.sub(1, tf.square(tanh(x))));

/** σ(x) = 1/(1 + e^{−x}), with σ'(x) = σ(x)(1 − σ(x)) recomputed from x (every order). */
export const sigmoid: Unary = withDerivative(tf.sigmoid, (x) => {
  const s = sigmoid(x);
  return tf.mul(s, tf.sub(1, s));
});

/** eˣ, with (eˣ)' = eˣ recomputed from x (every order). */
export const exp: Unary = withDerivative(tf.exp, (x) => exp(x));
