/**
 * Looking at the loss of a trained network in low dimensions (Mila slides "Parameter landscape for
 * DL models"):
 *  - 1D linear interpolation θ(α) = (1 − α)θ₀ + αθ₁ from the initial to the final parameters
 *    (Goodfellow, Vinyals & Saxe 2015);
 *  - 1D and 2D slices θ* + αd₁ + βd₂ along random directions with filter-wise normalisation
 *    d_f ← d_f/‖d_f‖ · ‖θ_f‖ (Li, Xu, Taylor, Studer & Goldstein 2018), so that the scale of a
 *    slice means the same thing for every filter, every layer and every network.
 *
 * Every curve and surface here is an affine family θ(c) = o + Σ_k c_k d_k of parameter vectors.
 * `lossOnAffineFamily` evaluates such a family for many coefficient vectors c at once. The first
 * layer is linear in θ, so its pre-activation is  a₁(c) = X W₁(c) + b₁(c) = (X W₁ᵒ + b₁ᵒ) + Σ_k c_k (X W₁ᵏ + b₁ᵏ):
 * one product X·W per direction instead of one per point (the expensive product when the input is
 * an image); the later layers are evaluated point by point from there, and the losses of a chunk of
 * points are read back in one transfer.
 */
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, type Mlp } from './mlp';
import { getLoss, type LossFn, type LossName } from './losses';
import { rng } from '../core/random';

/** The shapes of the model's parameter list [W1, b1, W2, b2, …], in flat-vector order. */
export function paramShapes(model: Mlp): number[][] {
  if (!model || !Array.isArray(model.params)) throw new Error(`model must be an Mlp; got ${String(model)}`);
  return model.params.map((p) => p.shape.slice());
}

function checkShapes(shapes: number[][]): number {
  if (!Array.isArray(shapes) || shapes.length === 0) throw new Error(`shapes must be a non-empty list of parameter shapes; got ${JSON.stringify(shapes)}`);
  let total = 0;
  shapes.forEach((s, i) => {
    if (!Array.isArray(s) || s.length === 0 || !s.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(`shapes[${i}] must be a list of positive integers; got ${JSON.stringify(s)}`);
    }
    total += s.reduce((a, b) => a * b, 1);
  });
  return total;
}

function checkVector(v: ArrayLike<number>, n: number, what: string): Float32Array {
  if (v === null || v === undefined || typeof v.length !== 'number') throw new Error(`${what} must be an array of ${n} numbers; got ${String(v)}`);
  if (v.length !== n) throw new Error(`${what} must have length ${n}; got length ${v.length}`);
  const out = Float32Array.from(v);
  for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) throw new Error(`${what}[${i}] must be a finite number; got ${v[i]}`);
  return out;
}

/**
 * Visits the filters of a flat vector: for a tensor of rank ≥ 2 (W [m, n], or a conv kernel
 * [kh, kw, c_in, c_out]) filter f is every entry whose LAST index is f (one output unit / channel);
 * a rank-1 tensor (a bias) is reported as one group with isBias = true.
 */
function forEachFilter(shapes: number[][], visit: (param: number, filter: number, idx: number[], isBias: boolean) => void): void {
  let off = 0;
  shapes.forEach((s, p) => {
    const size = s.reduce((a, b) => a * b, 1);
    if (s.length === 1) {
      visit(p, 0, Array.from({ length: size }, (_, j) => off + j), true);
    } else {
      const F = s[s.length - 1];
      for (let f = 0; f < F; f++) {
        const idx: number[] = [];
        // row-major: the last axis varies fastest, so filter f sits at off + j·F + f
        for (let j = 0; j < size / F; j++) idx.push(off + j * F + f);
        visit(p, f, idx, false);
      }
    }
    off += size;
  });
}

/** Per-filter Euclidean norms ‖v_f‖ of a flat vector, per parameter tensor (a bias gives one norm ‖b‖). */
export function filterNorms(v: ArrayLike<number>, shapes: number[][]): number[][] {
  const n = checkShapes(shapes);
  const x = checkVector(v, n, 'v');
  const out: number[][] = shapes.map(() => []);
  forEachFilter(shapes, (p, _f, idx) => {
    let s = 0;
    for (const i of idx) s += x[i] * x[i];
    // ‖v_f‖ = √(Σ_{i∈f} v_i²)
    out[p].push(Math.sqrt(s));
  });
  return out;
}

/** Options of filterNormalizedDirection. */
export interface DirectionOptions {
  /** Biases: 'zero' (d_b = 0, Li et al.'s default) or 'copy' (d_b = θ_b). Default 'zero'. */
  bias?: 'zero' | 'copy';
}

/**
 * A random direction with filter-wise normalisation (Li et al. 2018): d ~ N(0, I), then for every
 * filter f of every weight tensor d_f ← d_f/‖d_f‖ · ‖θ_f‖; biases get 0 (or θ_b with bias 'copy').
 * Same seed → same direction.
 */
export function filterNormalizedDirection(theta: ArrayLike<number>, shapes: number[][], seed: number, options: DirectionOptions = {}): Float32Array {
  const n = checkShapes(shapes);
  const t = checkVector(theta, n, 'theta');
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${seed}`);
  const bias = options.bias ?? 'zero';
  if (bias !== 'zero' && bias !== 'copy') throw new Error(`bias must be 'zero' or 'copy'; got ${JSON.stringify(bias)}`);
  const r = rng(seed);
  // d ~ N(0, I)
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = r.normal();
  forEachFilter(shapes, (_p, _f, idx, isBias) => {
    if (isBias) {
      // biases: d_b = 0 (Li et al.) or d_b = θ_b
      for (const i of idx) d[i] = bias === 'zero' ? 0 : t[i];
      return;
    }
    let nd = 0;
    let nt = 0;
    for (const i of idx) {
      nd += d[i] * d[i];
      nt += t[i] * t[i];
    }
    // d_f ← d_f / ‖d_f‖ · ‖θ_f‖
    const scale = nd > 0 ? Math.sqrt(nt) / Math.sqrt(nd) : 0;
    for (const i of idx) d[i] *= scale;
  });
  return d;
}

/** The point θ(α) = (1 − α)θ₀ + αθ₁ on the line through θ₀ (α = 0) and θ₁ (α = 1). */
export function interpolate(theta0: ArrayLike<number>, theta1: ArrayLike<number>, alpha: number): Float32Array {
  if (theta0 === null || theta0 === undefined || typeof theta0.length !== 'number') throw new Error(`theta0 must be an array of numbers; got ${String(theta0)}`);
  const a = checkVector(theta0, theta0.length, 'theta0');
  const b = checkVector(theta1, a.length, 'theta1');
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`alpha must be a finite number; got ${alpha}`);
  const out = new Float32Array(a.length);
  // θ(α) = (1 − α)θ₀ + αθ₁
  for (let i = 0; i < a.length; i++) out[i] = (1 - alpha) * a[i] + alpha * b[i];
  return out;
}

/** Options of the landscape evaluations. */
export interface LandscapeOptions {
  /** The loss (default 'softmaxCrossEntropy'). */
  loss?: LossName | LossFn;
  /** Points evaluated per batch of tensor work (default 32). */
  chunk?: number;
}

/** Loss (and accuracy, for K ≥ 2 outputs: argmax ŷ = argmax y) at each evaluated point. */
export interface FamilyValues {
  loss: number[];
  /** Fraction of examples with argmax ŷ = argmax y (only when the model has ≥ 2 outputs). */
  accuracy?: number[];
}

function checkData(model: Mlp, X: tf.Tensor, Y: tf.Tensor): void {
  const inDim = model.sizes[0];
  const outDim = model.sizes[model.layers];
  if (!(X instanceof tf.Tensor) || X.rank !== 2 || X.shape[1] !== inDim) {
    throw new Error(`X must be a tensor of shape [N, ${inDim}]; got ${X instanceof tf.Tensor ? `shape [${X.shape}]` : typeof X}`);
  }
  if (!(Y instanceof tf.Tensor) || Y.rank !== 2 || Y.shape[0] !== X.shape[0] || Y.shape[1] !== outDim) {
    throw new Error(`Y must be a tensor of shape [${X.shape[0]}, ${outDim}]; got ${Y instanceof tf.Tensor ? `shape [${Y.shape}]` : typeof Y}`);
  }
}

/**
 * L(o + Σ_k c_k d_k) (and the accuracy) for every coefficient vector c in coeffs, on the data (X, Y).
 * The first layer's pre-activation is combined from one product per direction,
 * a₁(c) = (X W₁ᵒ + b₁ᵒ) + Σ_k c_k (X W₁ᵏ + b₁ᵏ); later layers run point by point in chunks.
 */
export function lossOnAffineFamily(
  model: Mlp,
  origin: ArrayLike<number>,
  directions: ArrayLike<number>[],
  coeffs: ArrayLike<number>[],
  X: tf.Tensor,
  Y: tf.Tensor,
  options: LandscapeOptions = {},
): FamilyValues {
  if (!model || !Array.isArray(model.params) || typeof model.unflatten !== 'function') throw new Error(`model must be an Mlp; got ${String(model)}`);
  checkData(model, X, Y);
  const P = model.nParams;
  const o = checkVector(origin, P, 'origin');
  if (!Array.isArray(directions)) throw new Error(`directions must be an array of parameter vectors; got ${String(directions)}`);
  const dirs = directions.map((d, k) => checkVector(d, P, `directions[${k}]`));
  const K = dirs.length;
  if (!Array.isArray(coeffs) || coeffs.length === 0) throw new Error(`coeffs must be a non-empty array of coefficient vectors; got ${String(coeffs)}`);
  const C = coeffs.map((c, j) => checkVector(c, K, `coeffs[${j}]`));
  const chunk = options.chunk ?? 32;
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`chunk must be a positive integer; got ${chunk}`);
  const lossFn = getLoss(options.loss ?? 'softmaxCrossEntropy');
  const L = model.layers;
  const phi = ACTIVATIONS[model.activation];
  const classify = model.sizes[L] >= 2;

  const loss: number[] = [];
  const accuracy: number[] = [];
  // the parameter lists of [origin, d_1, …, d_K], and the first layer once per vector: P_r = X W₁ʳ + b₁ʳ
  const parts = tf.tidy(() => {
    const lists = [o, ...dirs].map((v) => model.unflatten(tf.tensor1d(v)));
    const first = lists.map((ps) => tf.add(tf.matMul(X as tf.Tensor2D, ps[0] as tf.Tensor2D), ps[1]) as tf.Tensor2D);
    const rest = lists.map((ps) => ps.slice(2));
    const labels = classify ? tf.argMax(Y, 1) : tf.zeros([1]);
    return { first, rest, labels };
  });
  // Σ_r c_r T_r with c_0 = 1 (the origin); terms with c_r = 0 are skipped
  const combine = (ts: tf.Tensor[], c: number[]): tf.Tensor => {
    let out = ts[0];
    for (let r = 1; r < ts.length; r++) if (c[r] !== 0) out = tf.add(out, tf.mul(ts[r], c[r]));
    return out;
  };
  try {
    for (let start = 0; start < C.length; start += chunk) {
      const rows = C.slice(start, start + chunk);
      const values = tf.tidy(() => {
        const losses: tf.Scalar[] = [];
        const accs: tf.Scalar[] = [];
        for (const row of rows) {
          // one tidy per point: its [N, h] intermediates are freed before the next point
          const [lz, az] = tf.tidy(() => {
            const c = [1, ...Array.from(row)];
            // a₁(c) = Σ_r c_r (X W₁ʳ + b₁ʳ)
            let z = combine(parts.first, c) as tf.Tensor2D;
            for (let l = 2; l <= L; l++) {
              // W_l(c) = Σ_r c_r W_lʳ,  b_l(c) = Σ_r c_r b_lʳ
              const W = combine(parts.rest.map((ps) => ps[2 * l - 4]), c) as tf.Tensor2D;
              const b = combine(parts.rest.map((ps) => ps[2 * l - 3]), c);
              // h_{l−1} = φ(a_{l−1});  a_l = h_{l−1} W_l + b_l
              z = tf.add(tf.matMul(phi(z) as tf.Tensor2D, W), b) as tf.Tensor2D;
            }
            // ŷ = a_L (no output activation); L(θ) = loss(ŷ, y)
            const lossValue = lossFn(z, Y);
            const acc = classify ? (tf.mean(tf.cast(tf.equal(tf.argMax(z, 1), parts.labels), 'float32')) as tf.Scalar) : tf.scalar(0);
            return [lossValue, acc];
          });
          losses.push(lz);
          accs.push(az);
        }
        return tf.concat([tf.stack(losses), classify ? tf.stack(accs) : tf.zeros([0])]);
      });
      const v = values.dataSync();
      values.dispose();
      for (let a = 0; a < rows.length; a++) {
        const l = v[a];
        if (!Number.isFinite(l)) throw new Error(`the loss at coeffs[${start + a}] = [${Array.from(rows[a])}] is not finite (${l}): the slice leaves the range where the network computes finite values`);
        loss.push(l);
        if (classify) accuracy.push(v[rows.length + a]);
      }
    }
  } finally {
    tf.dispose([parts.first, parts.rest, parts.labels]);
  }
  return classify ? { loss, accuracy } : { loss };
}

function checkGrid(values: ArrayLike<number>, what: string): number[] {
  if (values === null || values === undefined || typeof values.length !== 'number' || values.length === 0) {
    throw new Error(`${what} must be a non-empty array of numbers; got ${String(values)}`);
  }
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}[${i}] must be a finite number; got ${v}`);
  });
  return out;
}

/** A 1D curve: the coordinate along the line and the values there. */
export interface Curve1D extends FamilyValues {
  alpha: number[];
}

/** Linear interpolation L((1 − α)θ₀ + αθ₁) = L(θ₀ + α(θ₁ − θ₀)) for every α (Goodfellow et al. 2015). */
export function interpolationCurve(model: Mlp, theta0: ArrayLike<number>, theta1: ArrayLike<number>, alphas: ArrayLike<number>, X: tf.Tensor, Y: tf.Tensor, options: LandscapeOptions = {}): Curve1D {
  if (!model || !Array.isArray(model.params)) throw new Error(`model must be an Mlp; got ${String(model)}`);
  const a = checkVector(theta0, model.nParams, 'theta0');
  const b = checkVector(theta1, a.length, 'theta1');
  const alpha = checkGrid(alphas, 'alphas');
  // θ(α) = θ₀ + α(θ₁ − θ₀)
  const delta = b.map((v, i) => v - a[i]);
  return { alpha, ...lossOnAffineFamily(model, a, [delta], alpha.map((x) => [x]), X, Y, options) };
}

/** A 1D slice L(θ + αd) for every α. */
export function slice1D(model: Mlp, theta: ArrayLike<number>, direction: ArrayLike<number>, alphas: ArrayLike<number>, X: tf.Tensor, Y: tf.Tensor, options: LandscapeOptions = {}): Curve1D {
  const alpha = checkGrid(alphas, 'alphas');
  // θ(α) = θ + αd
  return { alpha, ...lossOnAffineFamily(model, theta, [direction], alpha.map((x) => [x]), X, Y, options) };
}

/** A 2D slice: loss[j][i] = L(θ + α_i d₁ + β_j d₂) (rows β, columns α: plotly's z layout). */
export interface Surface2D {
  alpha: number[];
  beta: number[];
  loss: number[][];
  accuracy?: number[][];
}

/** A 2D slice L(θ + αd₁ + βd₂) on the grid alphas × betas, evaluated in chunks of points. */
export function slice2D(
  model: Mlp,
  theta: ArrayLike<number>,
  d1: ArrayLike<number>,
  d2: ArrayLike<number>,
  alphas: ArrayLike<number>,
  betas: ArrayLike<number>,
  X: tf.Tensor,
  Y: tf.Tensor,
  options: LandscapeOptions = {},
): Surface2D {
  const alpha = checkGrid(alphas, 'alphas');
  const beta = checkGrid(betas, 'betas');
  const coeffs: number[][] = [];
  for (const bj of beta) for (const ai of alpha) coeffs.push([ai, bj]);
  // θ(α, β) = θ + αd₁ + βd₂
  const v = lossOnAffineFamily(model, theta, [d1, d2], coeffs, X, Y, options);
  const rows = (xs: number[]): number[][] => beta.map((_b, j) => xs.slice(j * alpha.length, (j + 1) * alpha.length));
  return v.accuracy ? { alpha, beta, loss: rows(v.loss), accuracy: rows(v.accuracy) } : { alpha, beta, loss: rows(v.loss) };
}
