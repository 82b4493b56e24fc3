/**
 * Live figure of chapter 03: gradient descent with and without clipping on the cliff, for the reader's step,
 * threshold and start (the notebook's loop with the cliff objective's autodiff gradient).
 */
import type { Objective } from '../../core/objective';
import { cliff } from '../../problems/cliff';
import { sgd } from '../../optimizers/sgd';
import { withClipByNorm } from '../../optimizers/clip';
import { minimize } from '../../training/minimize';
import { objectiveContour } from '../contour';
import { key, pathXY } from './plot';
import type { LiveSpec } from './types';

interface CliffPath {
  points: number[][];
  losses: number[];
  stepLengths: number[];
}

/**
 * x_{k+1} = x_k − η g_k, with g_k ← g_k·min(1, c/‖g_k‖) when a clipping threshold c is given: the notebook's
 * runs, the library's minimize with sgd (wrapped in withClipByNorm for the clipped one).
 */
function descend(obj: Objective, x0: number[], lr: number, steps: number, clip?: number): CliffPath {
  const opt = clip === undefined ? sgd({ lr }) : withClipByNorm(sgd({ lr }), clip);
  const run = minimize(obj, opt, { x0, steps });
  // ‖x_{k+1} − x_k‖ along the run
  const stepLengths = run.points.slice(1).map((q, k) => Math.hypot(q[0] - run.points[k][0], q[1] - run.points[k][1]));
  return { points: run.points, losses: run.losses, stepLengths };
}

let cliffObjective: Objective | undefined;

/** ch03-cliff-paths: plain and clipped gradient descent on the cliff. */
export const ch03CliffPaths: LiveSpec = {
  id: 'ch03-cliff-paths',
  chapter: '03-vanishing-and-exploding-gradients',
  summary: 'Set the step η and the clipping threshold c, or click the contours to start elsewhere: 40 steps with and without clipping are recomputed.',
  controls: [
    { kind: 'range', name: 'lr', label: 'step η', min: 0.01, max: 0.3, step: 0.01, default: 0.1 },
    { kind: 'range', name: 'clip', label: 'clipping threshold c', min: -1, max: 1.5, step: 0.05, default: 3, log: true },
    { kind: 'point', name: 'x0', label: 'start', default: [-2.5, 2], bounds: [[-4, 3], [-2.5, 2.5]] },
  ],
  numbers: [
    { key: 'jumpStep', label: 'first plain step longer than 1', tol: 0, ref: { stdout: /one plain gradient step jumps more than 3 units \(step (\d+):/ } },
    { key: 'jump', label: 'its length', tol: 2e-3, ref: { stdout: /jump ([\d.]+)\)/ } },
    { key: 'longestClipped', label: 'longest clipped step', tol: 2e-3, ref: { stdout: /longest clipped step ([\d.]+) ≤/ } },
    { key: 'plainLoss', label: 'f after 40 plain steps', tol: 2e-4, ref: { stdout: /vs plain ([\d.]+);/ } },
    { key: 'clippedLoss', label: 'f after 40 clipped steps', tol: 3e-4, ref: { stdout: /\(clipped ([\d.]+) vs plain/ } },
  ],
  computed: [0, 1, 2, 4, 5],
  // the wall (σ(40x)) amplifies float32 rounding: tfjs's cpu and wasm kernels drift apart by ~1e-3 within 40 steps
  traceTol: 5e-3,
  compute(p, { memo }) {
    const lr = p.lr as number;
    const c = p.clip as number;
    const x0 = p.x0 as [number, number];
    const cl = (cliffObjective ??= cliff());
    const plain = memo(key('plain', lr, x0), () => descend(cl, x0, lr, 40));
    const clipped = memo(key('clipped', lr, c, x0), () => descend(cl, x0, lr, 40, c));
    // the contour's left end follows the paths, as in the notebook
    const allX = [...plain.points, ...clipped.points].map((q) => q[0]);
    const xLo = Math.min(-4, Math.floor(Math.min(...allX)) - 0.5);
    const grid = memo(key('grid', xLo), () => {
      const { x, y, z } = objectiveContour(cl, [xLo, 3], [-2.5, 2.5], { n: 121 });
      return { x, y, z };
    });
    const ks = Array.from({ length: 41 }, (_, k) => k);
    const kJump = plain.stepLengths.findIndex((s) => s > 1);
    return {
      traces: {
        0: grid,
        1: pathXY(plain.points),
        2: { ...pathXY(clipped.points), name: `with clipping (c = ${+c.toPrecision(3)})` },
        4: { x: ks, y: plain.losses },
        5: { x: ks, y: clipped.losses },
      },
      numbers: {
        jumpStep: kJump < 0 ? null : kJump + 1,
        jump: kJump < 0 ? null : plain.stepLengths[kJump],
        longestClipped: Math.max(...clipped.stepLengths),
        plainLoss: plain.losses[40],
        clippedLoss: clipped.losses[40],
      },
    };
  },
};
