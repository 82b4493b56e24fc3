/**
 * Early stopping with patience (Goodfellow et al. §7.8 and §8.1.3): watch the validation loss after
 * every epoch, remember the best epoch, and stop once `patience` epochs in a row have not improved
 * on the best by more than `minDelta`. The monitor is plain TypeScript (no tensors): feed it numbers.
 */

/** Options of the early-stopping monitor. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement tolerated before stopping (a positive integer). */
  patience: number;
  /** An epoch improves when loss < best − minDelta (default 0). */
  minDelta?: number;
}

/** What the monitor has seen so far. */
export interface EarlyStoppingState {
  /** Lowest loss seen, and the epoch (0-based index of the update) where it was seen. */
  best: number;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** The epoch at which the monitor said stop (undefined while it has not). */
  stopEpoch: number | undefined;
  /** Number of losses fed so far. */
  epochs: number;
}

/** An early-stopping monitor: update(loss) returns true when training should stop. */
export interface EarlyStopping {
  /** Feeds the validation loss of the next epoch; returns true once wait ≥ patience (and ever after). */
  update(loss: number): boolean;
  /** A snapshot of the monitor's state. */
  state(): EarlyStoppingState;
}

function checkOptions(options: EarlyStoppingOptions): { patience: number; minDelta: number } {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object {patience, minDelta?}; got ${String(options)}`);
  const { patience } = options;
  const minDelta = options.minDelta ?? 0;
  if (!Number.isInteger(patience) || patience < 1) throw new Error(`patience must be a positive integer; got ${patience}`);
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) throw new Error(`minDelta must be a finite number ≥ 0; got ${minDelta}`);
  return { patience, minDelta };
}

/** Creates a monitor: improvement when loss_t < best − minDelta; stop when (t − bestEpoch) ≥ patience. */
export function earlyStopping(options: EarlyStoppingOptions): EarlyStopping {
  const { patience, minDelta } = checkOptions(options);
  let best = Infinity;
  let bestEpoch = -1;
  let wait = 0;
  let stopEpoch: number | undefined;
  let epochs = 0;
  return {
    update(loss: number): boolean {
      if (typeof loss !== 'number' || !Number.isFinite(loss)) throw new Error(`loss must be a finite number; got ${String(loss)} at epoch ${epochs}`);
      const t = epochs++;
      if (stopEpoch !== undefined) return true;
      // improvement: ℓ_t < ℓ_best − δ
      if (loss < best - minDelta) {
        best = loss;
        bestEpoch = t;
        wait = 0;
      } else {
        wait += 1;
      }
      // stop when wait ≥ patience
      if (wait >= patience) stopEpoch = t;
      return stopEpoch !== undefined;
    },
    state(): EarlyStoppingState {
      return { best, bestEpoch, wait, stopEpoch, epochs };
    },
  };
}

/**
 * Replays a recorded validation curve through the monitor: the best epoch and the epoch where
 * training would have stopped (undefined if it never does within the curve).
 */
export function earlyStoppingPoint(losses: ArrayLike<number>, options: EarlyStoppingOptions): { bestEpoch: number; best: number; stopEpoch: number | undefined } {
  if (losses === null || losses === undefined || typeof losses.length !== 'number' || losses.length === 0) {
    throw new Error(`losses must be a non-empty array of numbers; got ${losses === null || losses === undefined ? String(losses) : `length ${losses.length}`}`);
  }
  const monitor = earlyStopping(options);
  for (let t = 0; t < losses.length; t++) if (monitor.update(losses[t])) break;
  const { best, bestEpoch, stopEpoch } = monitor.state();
  return { best, bestEpoch, stopEpoch };
}
