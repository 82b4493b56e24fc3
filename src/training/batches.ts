/**
 * Seeded minibatches (Goodfellow et al. Alg. 8.1: sample a minibatch; here every example exactly once per
 * epoch): one permutation of the n examples per (seed, epoch), cut into batches of B. Plain arrays, no tensors.
 * The one shuffling scheme of the training loops (src/training/loop.ts): epoch e's batches depend on (seed, e)
 * only, so training epoch by epoch (fitClassifier) gives the batches of one long run.
 */
import { rng } from '../core/random';
import { positiveInt, show } from '../core/validate';

function checkSeed(x: unknown, what = 'seed'): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new Error(`${what} must be an integer; got ${show(x)}`);
  return x;
}

/** The generator seed of (seed, epoch): a 32-bit mix, so each epoch gets its own shuffle. */
export function epochSeed(seed: number, epoch: number): number {
  // golden-ratio increment per epoch, then a murmur3-style finaliser
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function checkEpoch(epoch: unknown): number {
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer; got ${show(epoch)}`);
  return epoch;
}

/** σ: the seeded permutation of {0, …, n−1} of epoch `epoch` (Fisher–Yates with the generator seeded by epochSeed). */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  positiveInt(n, 'n');
  checkSeed(seed);
  checkEpoch(epoch);
  // σ = a uniformly random permutation (Fisher–Yates)
  return rng(epochSeed(seed, epoch)).permutation(n);
}

/**
 * The minibatches of one epoch: a seeded permutation σ of {0, …, n−1} cut into batches
 * B_j = σ(jB), …, σ(jB + B − 1); the last batch keeps the remainder (size n mod B when > 0).
 * Same (seed, epoch) → same batches, whatever the epochs before; another epoch → another shuffle.
 */
export function minibatches(n: number, batchSize: number, seed: number, epoch = 0): number[][] {
  positiveInt(n, 'n');
  positiveInt(batchSize, 'batchSize');
  const perm = epochOrder(n, seed, epoch);
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(perm.slice(start, start + batchSize));
  return batches;
}

/** One batch of an epoch: positions start … start + size − 1 of the epoch's order, and the example indices there. */
export interface Batch {
  start: number;
  size: number;
  /** The examples σ(start) … σ(start + size − 1); null when the epoch visits them in dataset order (start … start + size − 1). */
  indices: number[] | null;
}

/** The plan of one epoch: its order σ (null = dataset order) and its batches of B (the last keeps the remainder). */
export interface EpochPlan {
  epoch: number;
  order: number[] | null;
  batches: Batch[];
}

/** epochOrder(n, seed, epoch) cut into batches of B when shuffling (the batches of minibatches()), else dataset order. */
export function planEpoch(n: number, batchSize: number, seed: number, epoch: number, shuffle: boolean): EpochPlan {
  positiveInt(n, 'n');
  positiveInt(batchSize, 'batchSize');
  checkSeed(seed);
  checkEpoch(epoch);
  const order = shuffle ? epochOrder(n, seed, epoch) : null;
  const batches: Batch[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    batches.push({ start, size, indices: order ? order.slice(start, start + size) : null });
  }
  return { epoch, order, batches };
}
