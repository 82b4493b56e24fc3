/**
 * Weight initializers for a fully connected layer with m inputs (fan-in) and n outputs (fan-out),
 * following Goodfellow, Bengio & Courville, *Deep Learning* §8.4 ("Parameter Initialization
 * Strategies") and the slides "Training Optimization I".
 *
 * Every initializer is a plain function (m, n, seed, options?) → Float32Array of length m·n holding
 * W ∈ R^{m×n} row-major: W[i][j] = out[i·n + j], row i = input i, column j = output unit j, so a
 * layer computes h = x W + b for a batch x of shape [batch, m]. Same seed → same numbers
 * (src/core/random.ts). `initWeights` turns one into a tf.Tensor2D; `INITIALIZERS` lists them all with a
 * label, a LaTeX formula and the variance each one gives, so a notebook can loop over them.
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { rng, type Rng } from '../core/random';

/** Options shared by the initializers; each one reads only the fields it documents. */
export interface InitOptions {
  /** orthogonal: the gain g (WᵀW = g²I). Default 1. */
  gain?: number;
  /** normal: the standard deviation (default 0.01); sparse: the std of the k non-zero weights (default 1). */
  std?: number;
  /** constant: the value c every weight gets (default 0.1). */
  value?: number;
  /** sparse: the number k of non-zero incoming weights per output unit (default min(15, m)). */
  k?: number;
}

/** An initializer: (fan-in m, fan-out n, seed, options) → W ∈ R^{m×n} as a row-major Float32Array. */
export type Initializer = (fanIn: number, fanOut: number, seed: number, options?: InitOptions) => Float32Array;

function checkFans(m: number, n: number): void {
  if (!Number.isInteger(m) || m < 1) throw new Error(`fanIn must be a positive integer; got ${m}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`fanOut must be a positive integer; got ${n}`);
}

function seeded(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
  return rng(seed);
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${what} must be a finite number > 0; got ${v}`);
  return v;
}

/** W_ij ~ U(−a, a), filled from a seeded stream. */
function uniformFill(m: number, n: number, a: number, seed: number): Float32Array {
  const r = seeded(seed);
  const out = new Float32Array(m * n);
  // W_ij = a·(2u − 1), u ~ U[0, 1)  ⇒  W_ij ~ U(−a, a), Var = a²/3
  for (let i = 0; i < out.length; i++) out[i] = a * (2 * r.uniform() - 1);
  return out;
}

/** W_ij ~ N(0, σ²), filled from a seeded stream. */
function normalFill(m: number, n: number, sigma: number, seed: number): Float32Array {
  const r = seeded(seed);
  const out = new Float32Array(m * n);
  // W_ij = σ·z, z ~ N(0, 1)
  for (let i = 0; i < out.length; i++) out[i] = sigma * r.normal();
  return out;
}

/** The classic heuristic W_ij ~ U(−1/√m, 1/√m) (variance 1/(3m)). */
export function uniformFanIn(fanIn: number, fanOut: number, seed: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij ~ U(−1/√m, 1/√m)
  return uniformFill(fanIn, fanOut, 1 / Math.sqrt(fanIn), seed);
}

/** Glorot & Bengio's normalized initialization W_ij ~ U(−√(6/(m+n)), √(6/(m+n))) (variance 2/(m+n)). */
export function glorotUniform(fanIn: number, fanOut: number, seed: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij ~ U(−√(6/(m+n)), √(6/(m+n)))
  return uniformFill(fanIn, fanOut, Math.sqrt(6 / (fanIn + fanOut)), seed);
}

/** Glorot normal: W_ij ~ N(0, 2/(m+n)) (same variance as the normalized uniform one). */
export function glorotNormal(fanIn: number, fanOut: number, seed: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij ~ N(0, 2/(m+n))
  return normalFill(fanIn, fanOut, Math.sqrt(2 / (fanIn + fanOut)), seed);
}

/** He (Kaiming) normal for ReLU layers: W_ij ~ N(0, 2/m). */
export function heNormal(fanIn: number, fanOut: number, seed: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij ~ N(0, 2/m)
  return normalFill(fanIn, fanOut, Math.sqrt(2 / fanIn), seed);
}

/** He uniform: W_ij ~ U(−√(6/m), √(6/m)) (variance 2/m, like heNormal). */
export function heUniform(fanIn: number, fanOut: number, seed: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij ~ U(−√(6/m), √(6/m))
  return uniformFill(fanIn, fanOut, Math.sqrt(6 / fanIn), seed);
}

/** Small Gaussian weights W_ij ~ N(0, σ²), σ = options.std (default 0.01). */
export function normal(fanIn: number, fanOut: number, seed: number, options: InitOptions = {}): Float32Array {
  checkFans(fanIn, fanOut);
  const std = positive(options.std, 0.01, 'std');
  // W_ij ~ N(0, σ²)
  return normalFill(fanIn, fanOut, std, seed);
}

/**
 * Random orthogonal matrix with gain g (Saxe et al. 2014): W = g·Q from the QR decomposition of a
 * Gaussian matrix A = QR, with the signs fixed so diag(R) > 0 (that makes Q uniformly distributed).
 * For m ≥ n the columns are orthonormal (WᵀW = g²I); for m < n the rows are (WWᵀ = g²I).
 */
export function orthogonal(fanIn: number, fanOut: number, seed: number, options: InitOptions = {}): Float32Array {
  checkFans(fanIn, fanOut);
  const g = positive(options.gain, 1, 'gain');
  const r = seeded(seed);
  const rows = Math.max(fanIn, fanOut);
  const cols = Math.min(fanIn, fanOut);
  // A ∈ R^{rows×cols}, A_ij ~ N(0, 1)
  const A = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) A.set(i, j, r.normal());
  const qr = new QrDecomposition(A);
  const Q = qr.orthogonalMatrix; // thin Q: rows × cols, QᵀQ = I
  const R = qr.upperTriangularMatrix;
  const out = new Float32Array(fanIn * fanOut);
  for (let j = 0; j < cols; j++) {
    // Q ← Q · diag(sign(diag R))  (sign fix; sign(0) taken as +1)
    const s = R.get(j, j) < 0 ? -1 : 1;
    for (let i = 0; i < rows; i++) {
      // W = g·Q (m ≥ n) or W = g·Qᵀ (m < n)
      const v = g * s * Q.get(i, j);
      if (fanIn >= fanOut) out[i * fanOut + j] = v;
      else out[j * fanOut + i] = v;
    }
  }
  return out;
}

/**
 * Martens' sparse initialization: each output unit (column j) gets exactly k non-zero incoming
 * weights, at k distinct random inputs, each W_ij ~ N(0, σ²) (σ = options.std, default 1, so
 * the weights do not shrink with m); all other weights are 0.
 */
export function sparse(fanIn: number, fanOut: number, seed: number, options: InitOptions = {}): Float32Array {
  checkFans(fanIn, fanOut);
  const k = options.k ?? Math.min(15, fanIn);
  if (!Number.isInteger(k) || k < 1 || k > fanIn) throw new Error(`k must be an integer in [1, fanIn = ${fanIn}]; got ${k}`);
  const std = positive(options.std, 1, 'std');
  const r = seeded(seed);
  const out = new Float32Array(fanIn * fanOut);
  const idx = Array.from({ length: fanIn }, (_, i) => i);
  for (let j = 0; j < fanOut; j++) {
    // partial Fisher–Yates: idx[0..k) is a uniformly random k-subset of the m inputs
    for (let t = 0; t < k; t++) {
      const s = t + r.int(fanIn - t);
      const tmp = idx[t];
      idx[t] = idx[s];
      idx[s] = tmp;
      let v = 0;
      // W_ij ~ N(0, σ²) for the k chosen inputs i (redrawn in the float32 case v = 0, so exactly k are non-zero)
      while (Math.fround(v) === 0) v = std * r.normal();
      out[idx[t] * fanOut + j] = v;
    }
  }
  return out;
}

/** All weights zero, W = 0: every hidden unit computes the same thing (symmetry is never broken). */
export function zeros(fanIn: number, fanOut: number, _seed?: number, _options?: InitOptions): Float32Array {
  checkFans(fanIn, fanOut);
  // W_ij = 0
  return new Float32Array(fanIn * fanOut);
}

/** All weights equal to c = options.value (default 0.1): units stay identical under gradient descent. */
export function constant(fanIn: number, fanOut: number, _seed?: number, options: InitOptions = {}): Float32Array {
  checkFans(fanIn, fanOut);
  const c = options.value ?? 0.1;
  if (typeof c !== 'number' || !Number.isFinite(c)) throw new Error(`value must be a finite number; got ${c}`);
  // W_ij = c
  return new Float32Array(fanIn * fanOut).fill(c);
}

/** The names of the initializers in the registry. */
export type InitName =
  | 'uniformFanIn'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'heUniform'
  | 'normal'
  | 'orthogonal'
  | 'sparse'
  | 'zeros'
  | 'constant';

/** A registry entry: the function, a label and formula for legends, and Var(W_ij) in closed form. */
export interface InitSpec {
  name: InitName;
  /** Short label for legends and tables. */
  label: string;
  /** The sampling rule in LaTeX (slides' notation: m inputs, n outputs). */
  latex: string;
  fn: Initializer;
  /** Var(W_ij) (averaged over entries) that the rule gives, for checks and captions. */
  variance(fanIn: number, fanOut: number, options?: InitOptions): number;
}

/** Every initializer by name, with its label, formula and variance; loop over `Object.values(INITIALIZERS)`. */
export const INITIALIZERS: Record<InitName, InitSpec> = {
  uniformFanIn: {
    name: 'uniformFanIn',
    label: 'U(−1/√m, 1/√m)',
    latex: 'W_{ij} \\sim U\\left(-\\tfrac{1}{\\sqrt{m}}, \\tfrac{1}{\\sqrt{m}}\\right)',
    fn: uniformFanIn,
    variance: (m) => 1 / (3 * m), // a²/3 with a = 1/√m
  },
  glorotUniform: {
    name: 'glorotUniform',
    label: 'Glorot (normalized) uniform',
    latex: 'W_{ij} \\sim U\\left(-\\sqrt{\\tfrac{6}{m+n}}, \\sqrt{\\tfrac{6}{m+n}}\\right)',
    fn: glorotUniform,
    variance: (m, n) => 2 / (m + n), // a²/3 with a² = 6/(m+n)
  },
  glorotNormal: {
    name: 'glorotNormal',
    label: 'Glorot normal',
    latex: 'W_{ij} \\sim \\mathcal{N}\\left(0, \\tfrac{2}{m+n}\\right)',
    fn: glorotNormal,
    variance: (m, n) => 2 / (m + n),
  },
  heNormal: {
    name: 'heNormal',
    label: 'He normal',
    latex: 'W_{ij} \\sim \\mathcal{N}\\left(0, \\tfrac{2}{m}\\right)',
    fn: heNormal,
    variance: (m) => 2 / m,
  },
  heUniform: {
    name: 'heUniform',
    label: 'He uniform',
    latex: 'W_{ij} \\sim U\\left(-\\sqrt{\\tfrac{6}{m}}, \\sqrt{\\tfrac{6}{m}}\\right)',
    fn: heUniform,
    variance: (m) => 2 / m,
  },
  normal: {
    name: 'normal',
    label: 'N(0, σ²)',
    latex: 'W_{ij} \\sim \\mathcal{N}(0, \\sigma^2)',
    fn: normal,
    variance: (_m, _n, o = {}) => (o.std ?? 0.01) ** 2,
  },
  orthogonal: {
    name: 'orthogonal',
    label: 'orthogonal (gain g)',
    latex: 'W = g\\,Q,\\; A = QR,\\; A_{ij} \\sim \\mathcal{N}(0,1)',
    fn: orthogonal,
    // ‖W‖_F² = g²·min(m, n) spread over m·n entries
    variance: (m, n, o = {}) => (o.gain ?? 1) ** 2 / Math.max(m, n),
  },
  sparse: {
    name: 'sparse',
    label: 'sparse (k non-zero per unit)',
    latex: 'k \\text{ weights per unit} \\sim \\mathcal{N}(0, \\sigma^2),\\ \\text{others } 0',
    fn: sparse,
    variance: (m, _n, o = {}) => ((o.k ?? Math.min(15, m)) * (o.std ?? 1) ** 2) / m,
  },
  zeros: {
    name: 'zeros',
    label: 'zeros',
    latex: 'W_{ij} = 0',
    fn: zeros,
    variance: () => 0,
  },
  constant: {
    name: 'constant',
    label: 'constant c',
    latex: 'W_{ij} = c',
    fn: constant,
    variance: () => 0,
  },
};

/** The registry's names, in a stable order (for loops and legends). */
export const INIT_NAMES = Object.keys(INITIALIZERS) as InitName[];

/** Looks up an initializer by name (a function is returned as is); throws naming the unknown value. */
export function getInitializer(init: InitName | Initializer): Initializer {
  if (typeof init === 'function') return init;
  const spec = (INITIALIZERS as Record<string, InitSpec | undefined>)[init as string];
  if (!spec) throw new Error(`init must be one of ${INIT_NAMES.join(', ')} or a function; got ${JSON.stringify(init)}`);
  return spec.fn;
}

/** W ∈ R^{m×n} from an initializer, as a tf.Tensor2D (the caller disposes it). */
export function initWeights(init: InitName | Initializer, fanIn: number, fanOut: number, seed: number, options?: InitOptions): tf.Tensor2D {
  const fn = getInitializer(init);
  const w = fn(fanIn, fanOut, seed, options);
  if (!(w instanceof Float32Array) || w.length !== fanIn * fanOut) {
    throw new Error(`init must return a Float32Array of length fanIn·fanOut = ${fanIn * fanOut}; got length ${(w as ArrayLike<number>)?.length}`);
  }
  return tf.tensor2d(w, [fanIn, fanOut]);
}
