/**
 * Idle work for the course kernel: while the student reads, the library's common paths run a few times on
 * throw-away problems, so that V8 has compiled them (tfjs's engine, the backend's kernels, minimize, the
 * optimizers, trainEpochs, figures) before the student's next cell calls them. In a fresh process the first
 * ten 50-step `minimize` calls on the cpu backend take 3–4× as long as once warm (65, 51, 36, 55, 35, … ms
 * against ≈ 14 ms); that difference is the JIT, not the arithmetic.
 *
 * The library only offers the work: importing it adds one task to a registry on `globalThis`
 * (IDLE_TASKS). The course kernel (kernel/patch-tslab.js, "idle work") runs the registered tasks one unit at
 * a time once it has been idle for a while after a reply, and stops at the next request, so Run All and
 * headless runs (a request follows each reply at once) never run them. Nothing else runs them.
 *
 * A unit never displays anything, never draws from tfjs's global random state (every problem is fixed or
 * seeded here), and disposes every tensor it makes: tf.memory().numTensors is the same before and after it,
 * and the results of the student's cells do not depend on whether, or how far, the warm-up ran.
 */
import * as tf from '@tensorflow/tfjs';
import { quadratic, rosenbrock } from '../problems/catalog';
import { sgd } from '../optimizers/sgd';
import { emaMomentum } from '../optimizers/momentum-ema';
import { adam } from '../optimizers/adam';
import type { Buffers, Optimizer } from '../optimizers/types';
import type { Objective } from '../core/objective';
import { minimize } from '../training/minimize';
import { trainEpochs } from '../training/train-epochs';
import { mlp } from '../nets/mlp';
import { rng } from '../core/random';
import { figure } from '../core/figure';
import { figureBundle } from './show';

/** What one step of an idle task did: more units remain, it is finished, or it cannot run yet (try again at the next idle). */
export type IdleStep = 'more' | 'done' | 'later';

/** Work the course kernel may run while idle, one short unit per `step()` call. */
export interface IdleTask {
  name: string;
  step(): IdleStep;
}

/** The registry the course kernel reads (a global symbol: the kernel never imports the library). */
export const IDLE_TASKS = Symbol.for('dl-optimization.idleTasks');

/** The registered idle tasks of this process (created empty on first use). */
export function idleTasks(): IdleTask[] {
  const g = globalThis as unknown as Record<symbol, IdleTask[] | undefined>;
  return (g[IDLE_TASKS] ??= []);
}

/**
 * Default number of rounds of the warm-up; each round runs every unit once. Measured in a fresh process: 60
 * units in ≈ 0.7 s on cpu (the longest 45 ms) and ≈ 1.5 s on tensorflow (the longest, the first, 80 ms).
 */
export const WARM_UP_ROUNDS = 12;

/** The problems the units share, made at the first unit (not when the library is imported). */
interface WarmUpProblems {
  quadratic: Objective;
  rosenbrock: Objective;
}

/** minimize(objective, opt, { x0, steps }), then its figure's bundle (built, never displayed). */
function minimizeAndFigure<B extends Buffers>(objective: Objective, opt: Optimizer<B>, x0: number[], steps: number): void {
  const t = minimize(objective, opt, { x0, steps });
  figureBundle(figure({ id: 'ch00-warm-up', caption: 'warm-up', data: [{ type: 'scatter', mode: 'lines', x: t.losses.map((_, i) => i), y: t.losses }], layout: {} }));
}

/** One epoch (two minibatches of 8) of a seeded 2-8-1 tanh MLP with Adam on 16 seeded points. */
function trainSmallMlp(): void {
  const r = rng(1);
  const n = 16;
  const xs = Array.from({ length: n * 2 }, () => r.normal());
  const ys = Array.from({ length: n }, (_, i) => (xs[2 * i] * xs[2 * i + 1] > 0 ? 1 : 0));
  const [X, y] = [tf.tensor2d(xs, [n, 2]), tf.tensor2d(ys, [n, 1])];
  const model = mlp({ sizes: [2, 8, 1], activation: 'tanh', seed: 2 });
  try {
    trainEpochs(model, adam({ lr: 0.01 }), { X, y, epochs: 1, batchSize: 8, seed: 1, loss: 'logistic', valX: X, valY: y });
  } finally {
    model.dispose();
    tf.dispose([X, y]);
  }
}

/** The units of one warm-up round: minimize with three optimizers on a quadratic and Adam on Rosenbrock (each with its figure's bundle), and one epoch of a small MLP. */
const UNITS: ((p: WarmUpProblems) => void)[] = [
  (p) => minimizeAndFigure(p.quadratic, sgd({ lr: 0.05 }), [1, 1], 15),
  (p) => minimizeAndFigure(p.quadratic, emaMomentum({ lr: 0.05, beta: 0.9 }), [1, 1], 15),
  (p) => minimizeAndFigure(p.quadratic, adam({ lr: 0.1 }), [1, 1], 15),
  (p) => minimizeAndFigure(p.rosenbrock, adam({ lr: 0.01 }), [-1, 1], 15),
  () => trainSmallMlp(),
];

/**
 * The library's warm-up as an idle task: `rounds` rounds of UNITS, one unit per step, on the
 * backend already in use. It waits ('later') while no tfjs backend is set (it never picks one), and ends
 * early if a unit throws or leaves a tensor behind.
 */
export function warmUpTask(rounds: number = WARM_UP_ROUNDS): IdleTask & { readonly completed: number } {
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`rounds must be a non-negative integer; got ${rounds}`);
  const total = rounds * UNITS.length;
  let problems: WarmUpProblems | undefined;
  let next = 0;
  return {
    name: 'warm-up',
    /** Units run so far. */
    get completed(): number {
      return next;
    },
    step(): IdleStep {
      if (next >= total) return 'done';
      // tf.getBackend() would choose and initialize one: the warm-up only runs once the student's code did
      if ((tf.engine() as unknown as { backendName: string | null }).backendName == null) return 'later';
      // nothing may print while idle: tfjs's debug mode logs every kernel, and the cpu backend's first tensor prints a banner
      if (tf.env().getBool('DEBUG') || (tf.backend() as unknown as { firstUse?: boolean }).firstUse === true) return 'later';
      problems ??= { quadratic: quadratic([[1, 0], [0, 10]]), rosenbrock: rosenbrock() };
      const before = tf.memory().numTensors;
      try {
        UNITS[next % UNITS.length](problems);
      } catch {
        next = total;
        return 'done';
      }
      // a unit that left a tensor behind ends the warm-up
      next = tf.memory().numTensors === before ? next + 1 : total;
      return next >= total ? 'done' : 'more';
    },
  };
}

/** Registers the warm-up once per process (importing the library calls it; the course kernel runs it while idle); DLOPT_WARMUP=0 turns it off. */
export function registerWarmUp(): void {
  if (typeof process !== 'undefined' && process.env?.DLOPT_WARMUP === '0') return;
  const tasks = idleTasks();
  if (!tasks.some((t) => t.name === 'warm-up')) tasks.push(warmUpTask());
}
