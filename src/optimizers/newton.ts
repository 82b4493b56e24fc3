/**
 * Newton's method and its saddle-free variant (Dauphin et al. 2014), a second-order optimizer:
 *
 *   H = Q Λ Qᵀ                                   (eigendecomposition of the symmetric Hessian)
 *   θ ← θ − η (H + δI)⁻¹ g   = θ − η Q diag(1/(λᵢ + δ)) Qᵀ g      (Newton, damping δ)
 *   θ ← θ − η (|H| + δI)⁻¹ g = θ − η Q diag(1/(|λᵢ| + δ)) Qᵀ g    (saddle-free: |H| = Q|Λ|Qᵀ)
 *
 * On a quadratic f(θ) = ½θᵀAθ − bᵀθ with A invertible, one Newton step with η = 1 lands on the
 * critical point A⁻¹b, whatever its kind: at a saddle Newton is attracted to it. Saddle-free Newton
 * flips the sign of the step along negative-curvature directions, so it moves away from saddles.
 *
 * Where the Hessian comes from (one of):
 * - update(grads, state, params, { hessian }) with H over all parameters flattened in list order
 *   (`minimize` does this: the optimizer says `needsHessian` and minimize passes objective.hessian(θ));
 * - newton({ objective }) with an objective that has `hessian(x)`: the optimizer asks it itself.
 * As a chain (transforms.ts): chain(scaleByNewton({ damping: δ, saddleFree, objective }), scaleByLr(η)).
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { bool, checkKeys, checkParams, checkUpdateArgs, nonNegative, positive, stepLr } from './common';
import type { NoBuffers, Optimizer, TensorList, UpdateOptions } from './types';

/** Anything with a Hessian at a point (an Objective from defineObjective qualifies). */
export interface HasHessian {
  dim: number;
  hessian(x: ArrayLike<number>): number[][];
}

/** Hyperparameters of newton. */
export interface NewtonOptions {
  lr?: number;
  /** δ ≥ 0 added to the (absolute) eigenvalues: (H + δI)⁻¹ g. */
  damping?: number;
  /** Use |H| = Q|Λ|Qᵀ instead of H (saddle-free Newton). */
  saddleFree?: boolean;
  /** Where to get the Hessian when update() is not given opts.hessian. */
  objective?: HasHessian;
}

/**
 * The Newton direction d = Q diag(1/(λᵢ + δ)) Qᵀ g (or with |λᵢ| when saddleFree) for a symmetric H.
 * Throws when a shifted eigenvalue is 0 (H + δI singular): add damping.
 */
export function newtonDirection(H: number[][], g: ArrayLike<number>, damping = 0, saddleFree = false): number[] {
  const n = g.length;
  if (!Array.isArray(H) || H.length !== n || H.some((row) => !Array.isArray(row) || row.length !== n)) {
    throw new Error(`hessian must be a ${n}×${n} matrix (the number of parameters); got ${Array.isArray(H) ? `${H.length} rows` : String(H)}`);
  }
  H.forEach((row, i) =>
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`hessian[${i}][${j}] must be a finite number; got ${v}`);
    }),
  );
  // symmetrise (H + Hᵀ)/2: autodiff Hessians in float32 can differ in the last bits across the diagonal
  const S = new Matrix(H.map((row, i) => row.map((v, j) => 0.5 * (v + H[j][i]))));
  // H = Q Λ Qᵀ
  const evd = new EigenvalueDecomposition(S, { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const Q = evd.eigenvectorMatrix;
  const scale = Math.max(1, ...lambda.map(Math.abs));
  // λ̃ᵢ = λᵢ + δ (Newton) or |λᵢ| + δ (saddle-free)
  const shifted = lambda.map((l) => (saddleFree ? Math.abs(l) : l) + damping);
  shifted.forEach((l, i) => {
    if (Math.abs(l) <= 1e-12 * scale) {
      throw new Error(
        `newton: ${saddleFree ? '|H| + δI' : 'H + δI'} is singular (eigenvalue ${lambda[i]} with damping ${damping}); set damping > 0`,
      );
    }
  });
  // d = Q diag(1/λ̃) Qᵀ g
  const qtg = Array.from({ length: n }, (_, k) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Q.get(i, k) * g[i];
    return s / shifted[k];
  });
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += Q.get(i, k) * qtg[k];
    return s;
  });
}

/** The values of a list of tensors, flattened and concatenated in list order (θ and g as vectors). */
export function flatValues(list: TensorList): number[] {
  return list.flatMap((t) => Array.from(t.dataSync()));
}

/** Cuts a flat vector back into float32 tensors shaped like params (the inverse of flatValues). */
export function unflatten(values: number[], params: TensorList): TensorList {
  let offset = 0;
  return params.map((p) => {
    const part = values.slice(offset, offset + p.size);
    offset += p.size;
    return tf.tensor(part, p.shape, 'float32');
  });
}

/** The Hessian for an update: opts.hessian, else objective.hessian(θ); throws saying how to give one. */
export function hessianFor(name: string, g: number[], params: TensorList, opts: UpdateOptions | undefined, objective: HasHessian | undefined): number[][] {
  if (opts?.hessian !== undefined) return opts.hessian;
  if (objective === undefined) {
    throw new Error(`${name} needs the Hessian: call update(grads, state, params, { hessian }) or create it with newton({ objective })`);
  }
  if (objective.dim !== g.length) throw new Error(`objective.dim must equal the number of parameters ${g.length}; got ${objective.dim}`);
  return objective.hessian(flatValues(params));
}

/** Checks newton's objective option: undefined or something with hessian(x). */
export function checkHasHessian(objective: unknown): HasHessian | undefined {
  if (objective !== undefined && (typeof objective !== 'object' || objective === null || typeof (objective as HasHessian).hessian !== 'function')) {
    throw new Error(`objective must have a hessian(x) method (an Objective); got ${String(objective)}`);
  }
  return objective as HasHessian | undefined;
}

/** Newton: θ ← θ − η (H + δI)⁻¹ g; saddle-free: θ ← θ − η (|H| + δI)⁻¹ g with |H| = Q|Λ|Qᵀ. */
export function newton(options: NewtonOptions = {}): Optimizer<NoBuffers> {
  checkKeys('newton', options, ['lr', 'damping', 'saddleFree', 'objective']);
  const lr = positive(options.lr ?? 1, 'lr');
  const damping = nonNegative(options.damping ?? 0, 'damping');
  const saddleFree = bool(options.saddleFree ?? false, 'saddleFree');
  const objective = checkHasHessian(options.objective);
  const name = saddleFree ? 'saddle-free-newton' : 'newton';
  return {
    name,
    hyper: { lr, damping, saddleFree },
    needsHessian: objective === undefined,
    init(params) {
      checkParams(name, params);
      return { step: 0, buffers: {} };
    },
    update(grads, state, params, opts) {
      checkUpdateArgs(name, grads, state, params);
      const eta = stepLr(opts, lr);
      const g = flatValues(grads);
      // H = ∇²f(θ)
      const H = hessianFor(name, g, params, opts, objective);
      // d = (H + δI)⁻¹ g  or  (|H| + δI)⁻¹ g
      const d = newtonDirection(H, g, damping, saddleFree);
      // Δθ = −η d
      return { updates: unflatten(d.map((x) => -eta * x), params), state: { step: state.step + 1, buffers: {} } };
    },
  };
}
