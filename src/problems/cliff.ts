/**
 * A 2D objective with a cliff (Goodfellow et al. §8.2.4, the "Cliffs" slide of "Training
 * Optimization I"): a gentle bowl whose bottom lies behind a steep wall,
 *
 *   f(x, y) = ½(x − a)² + ½βy² + H·σ(k·x),   σ(z) = 1/(1 + e^{−z}),
 *
 * so the wall rises by H over a width of about 4/k around x = 0 with slope up to Hk/4. The lowest
 * point sits at the foot of the wall (x slightly below 0, y = 0); behind the wall the bowl has a
 * second, higher minimum near (a, 0) on the plateau, and between them a saddle at the top edge.
 * A gradient step that lands on the wall is about η·Hk/4 long and throws the iterate far away;
 * clipping the gradient's norm (src/optimizers/clip.ts) caps the step at η·c.
 *
 * The critical points are computed here in double precision by bisection on the closed-form
 * ∂f/∂x along y = 0 (∂f/∂y = βy vanishes only there), never typed in.
 */
import * as tf from '@tensorflow/tfjs';
// σ with derivatives of every order: tf.sigmoid's gradient reuses its saved output, which a second
// tf.grad cannot differentiate (tfjs #3252), and the Hessian would silently lose the wall's σ'' term.
import { sigmoid as opsSigmoid } from '../core/ops';
import { closedFormCriticalPoints } from './catalog';
import { defineObjective, type CriticalPoint, type Objective } from '../core/objective';

/** Shape of the cliff objective; every field is optional. */
export interface CliffOptions {
  /** a: x-coordinate of the bowl's centre, behind the wall (default 2). */
  center?: number;
  /** H ≥ 0: height of the wall (default 5). */
  height?: number;
  /** k > 0: steepness of the wall; its largest slope is Hk/4 (default 40). */
  steepness?: number;
  /** β > 0: curvature of the bowl along y (default 1). */
  beta?: number;
  /** Plotting domain (default [[−4, 3], [−2.5, 2.5]]). */
  domain?: [number, number][];
}

function finite(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a finite number; got ${v}`);
  return v;
}


/** σ(z) = 1/(1 + e^{−z}) in double precision, stable for large |z|. */
function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Critical points of f on the line y = 0: sign changes of ∂f/∂x on a fine grid over [lo, hi], bisected. */
function cliffCriticalPoints(a: number, H: number, k: number, lo: number, hi: number): CriticalPoint[] {
  // ∂f/∂x = (x − a) + H k σ(kx)(1 − σ(kx))
  const dfdx = (x: number): number => {
    const s = sigmoid(k * x);
    return x - a + H * k * s * (1 - s);
  };
  // ∂²f/∂x² = 1 + H k² σ(1 − σ)(1 − 2σ)
  const d2fdx2 = (x: number): number => {
    const s = sigmoid(k * x);
    return 1 + H * k * k * s * (1 - s) * (1 - 2 * s);
  };
  // f(x, 0) = ½(x − a)² + H σ(kx)
  const f = (x: number): number => 0.5 * (x - a) ** 2 + H * sigmoid(k * x);
  // the grid must resolve the wall (width ~ 1/k)
  const n = Math.max(4001, Math.ceil(((hi - lo) * k) * 20));
  // along x (with y = 0): a minimum of f(·, 0) is a minimum of f; a maximum is a saddle, since ∂²f/∂y² = β > 0
  const found = closedFormCriticalPoints(f, dfdx, d2fdx2, [lo, hi], n).map((p) => ({ x: p.x, value: p.value, curvature: d2fdx2(p.x) }));
  const minima = found.filter((p) => p.curvature > 0);
  const best = Math.min(...minima.map((p) => p.value));
  return found.map((p): CriticalPoint => {
    // H = diag(∂²f/∂x², β) with β > 0: a minimum when ∂²f/∂x² > 0, a saddle when < 0
    if (p.curvature < 0) return { x: [p.x, 0], kind: 'saddle', label: 'saddle (top of the wall)' };
    return {
      x: [p.x, 0],
      kind: 'minimum',
      label: p.value === best ? (p.x < 0 ? 'global minimum (foot of the wall)' : 'global minimum') : p.x > 0 ? 'local minimum (on the plateau)' : 'local minimum',
    };
  });
}

/** The cliff objective f(x, y) = ½(x − a)² + ½βy² + H·σ(kx) (a bowl behind a wall of height H and slope up to Hk/4). */
export function cliff(options: CliffOptions = {}): Objective {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object; got ${String(options)}`);
  const known = ['center', 'height', 'steepness', 'beta', 'domain'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new Error(`cliff: unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  const a = finite(options.center ?? 2, 'center');
  const H = finite(options.height ?? 5, 'height');
  if (H < 0) throw new Error(`height must be ≥ 0; got ${H}`);
  const k = finite(options.steepness ?? 40, 'steepness');
  if (k <= 0) throw new Error(`steepness must be > 0; got ${k}`);
  const beta = finite(options.beta ?? 1, 'beta');
  if (beta <= 0) throw new Error(`beta must be > 0; got ${beta}`);
  const domain = options.domain ?? [
    [-4, 3],
    [-2.5, 2.5],
  ];
  // search wide enough to contain the plateau minimum near x = a and the foot near x = 0
  const lo = Math.min(domain[0]?.[0] ?? -4, -1, a - 1);
  const hi = Math.max(domain[0]?.[1] ?? 3, 1, a + 1);
  return defineObjective({
    name: 'cliff',
    dim: 2,
    fn: (p) => {
      const [x, y] = tf.unstack(p);
      // f(x, y) = ½(x − a)² + ½βy² + H·σ(kx)
      return tf.add(tf.add(tf.mul(0.5, tf.square(tf.sub(x, a))), tf.mul(0.5 * beta, tf.square(y))), tf.mul(H, opsSigmoid(tf.mul(k, x))));
    },
    domain,
    latex: `f(x, y) = \\tfrac12 (x - ${a})^2 + \\tfrac{${beta}}{2} y^2 + ${H}\\,\\sigma(${k} x)`,
    criticalPoints: cliffCriticalPoints(a, H, k, lo, hi),
  });
}
