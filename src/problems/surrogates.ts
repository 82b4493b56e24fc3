/**
 * Surrogate losses for the 0-1 loss of a binary classifier, as functions of the margin m = y·f(x)
 * (label y ∈ {−1, +1}, score f(x)): the 0-1 loss counts a mistake when m ≤ 0 and has zero derivative
 * everywhere else, so training minimises a differentiable surrogate instead (Goodfellow et al. §8.1.3,
 * "Surrogate loss functions and early stopping").
 *
 * Each surrogate is written once with tfjs ops (elementwise, any shape), so its derivative comes from
 * autodiff. All four equal 1 at m = 0 and upper-bound the 0-1 loss; the logistic loss does so only
 * in base 2 (ln(1 + e^{−m}) = ln 2 · log₂(1 + e^{−m}) is below 1 at m = 0).
 */
import * as tf from '@tensorflow/tfjs';

/** The names of the surrogate losses. */
export type SurrogateName = 'hinge' | 'logistic' | 'squared' | 'exponential';

/** A surrogate loss: its tfjs formula (elementwise in the margin) and its formula in LaTeX. */
export interface Surrogate {
  name: SurrogateName;
  /** ℓ(m) elementwise: a tensor of margins → a tensor of losses of the same shape. */
  fn: (m: tf.Tensor) => tf.Tensor;
  latex: string;
}

const LN2 = Math.LN2;

/** The four surrogates of the 0-1 loss, keyed by name. */
export const SURROGATES: Record<SurrogateName, Surrogate> = {
  hinge: {
    name: 'hinge',
    // ℓ(m) = max(0, 1 − m)
    fn: (m) => tf.relu(tf.sub(1, m)),
    latex: '\\max(0, 1 - m)',
  },
  logistic: {
    name: 'logistic',
    // ℓ(m) = log₂(1 + e^{−m}) = softplus(−m) / ln 2
    fn: (m) => tf.softplus(tf.neg(m)).div(LN2),
    latex: '\\log_2(1 + e^{-m})',
  },
  squared: {
    name: 'squared',
    // ℓ(m) = (1 − m)²
    fn: (m) => tf.square(tf.sub(1, m)),
    latex: '(1 - m)^2',
  },
  exponential: {
    name: 'exponential',
    // ℓ(m) = e^{−m}
    fn: (m) => tf.exp(tf.neg(m)),
    latex: 'e^{-m}',
  },
};

/** The surrogate names in a fixed order (for legends and loops). */
export const SURROGATE_NAMES = Object.keys(SURROGATES) as SurrogateName[];

/** The 0-1 loss of a margin: ℓ₀₋₁(m) = 1 if m ≤ 0 (a mistake, or a tie), else 0. */
export function zeroOneLoss(m: number): number {
  if (typeof m !== 'number' || Number.isNaN(m)) throw new Error(`m must be a number; got ${String(m)}`);
  // ℓ₀₋₁(m) = 𝟙[m ≤ 0]
  return m <= 0 ? 1 : 0;
}

function checkName(name: SurrogateName): Surrogate {
  const s = (SURROGATES as Record<string, Surrogate | undefined>)[name];
  if (!s) throw new Error(`name must be one of ${SURROGATE_NAMES.join(', ')}; got ${JSON.stringify(name)}`);
  return s;
}

function checkMargins(margins: ArrayLike<number>): Float32Array {
  if (margins === null || margins === undefined || typeof margins.length !== 'number') {
    throw new Error(`margins must be an array of numbers; got ${String(margins)}`);
  }
  const out = new Float32Array(margins.length);
  for (let i = 0; i < margins.length; i++) {
    const v = margins[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`margins[${i}] must be a finite number; got ${String(v)}`);
    out[i] = v;
  }
  return out;
}

/** ℓ(m_i) for every margin m_i, with the named surrogate's tfjs formula (one batched call). */
export function surrogateValues(name: SurrogateName, margins: ArrayLike<number>): number[] {
  const s = checkName(name);
  const m = checkMargins(margins);
  if (m.length === 0) return [];
  return tf.tidy(() => Array.from(s.fn(tf.tensor1d(m)).dataSync()));
}

/** ℓ′(m_i) for every margin m_i, by autodiff: ∂(Σ_i ℓ(m_i))/∂m_i = ℓ′(m_i) (the loss is elementwise). */
export function surrogateDerivatives(name: SurrogateName, margins: ArrayLike<number>): number[] {
  const s = checkName(name);
  const m = checkMargins(margins);
  if (m.length === 0) return [];
  // ℓ′(m_i) = ∂/∂m_i Σ_k ℓ(m_k)
  return tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(s.fn(t)))(tf.tensor1d(m)).dataSync(), (v) => v + 0));
}
