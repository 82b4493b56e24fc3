/**
 * The loop skeleton of minimize, fitLinearRegression and trainEpochs:
 *
 *   for e = e₀, …, e₀ + epochs − 1:
 *     σ_e = the seeded order of epoch e (batches.ts: depends on (seed, e) only), or the dataset order
 *     for each batch B of σ_e (size batchSize, the last keeps the remainder):
 *       step(B)            (the loop's own: L_B and g = ∇L_B, the divergence check, θ ← θ + update(g): step.ts)
 *     endEpoch(e)
 *
 * stopping at the first divergence a step reports, or when endEpoch returns false. minimize is the case
 * of a deterministic objective: n = 1 "example" (the whole objective), one step per epoch.
 */
import { planEpoch, type Batch, type EpochPlan } from './batches';
import type { Divergence } from './step';

/** What runEpochs does, epoch by epoch. */
export interface LoopSpec {
  epochs: number;
  /** n examples in batches of batchSize; shuffle: a seeded order per epoch (planEpoch), else dataset order. */
  n: number;
  batchSize: number;
  seed: number;
  shuffle: boolean;
  /** The index of the first epoch (default 0): a run continued epoch by epoch shuffles as one long run. */
  firstEpoch?: number;
  /** Before an epoch's steps (e.g. gather the data in its order once); the returned function runs after them, always. */
  beginEpoch?(plan: EpochPlan): (() => void) | void;
  /** One training step on a batch; a Divergence stops the run. */
  step(batch: Batch, plan: EpochPlan): Divergence | undefined;
  /** After an epoch's steps; false stops the run. */
  endEpoch?(plan: EpochPlan): boolean | void;
}

/** How runEpochs ended. */
export interface LoopResult {
  /** Epochs completed (all their steps and endEpoch). */
  epochs: number;
  diverged?: Divergence;
  /** True when endEpoch stopped the run. */
  stopped: boolean;
}

/** Runs the epochs of spec (see the module doc); returns how many completed and why it stopped. */
export function runEpochs(spec: LoopSpec): LoopResult {
  const first = spec.firstEpoch ?? 0;
  const res: LoopResult = { epochs: 0, stopped: false };
  for (let e = first; e < first + spec.epochs; e++) {
    // σ_e and its batches
    const plan = planEpoch(spec.n, spec.batchSize, spec.seed, e, spec.shuffle);
    const cleanup = spec.beginEpoch?.(plan);
    try {
      for (const batch of plan.batches) {
        const diverged = spec.step(batch, plan);
        if (diverged) return { ...res, diverged };
      }
    } finally {
      if (cleanup) cleanup();
    }
    res.epochs++;
    if (spec.endEpoch?.(plan) === false) {
      res.stopped = true;
      return res;
    }
  }
  return res;
}
