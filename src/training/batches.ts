/**
 * Seeded minibatches (Goodfellow et al. Alg. 8.1: sample a minibatch; here every example exactly once per
 * epoch): one permutation of the n examples per (seed, epoch), cut into batches of B. Plain arrays, no tensors.
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

/**
 * The minibatches of one epoch: a seeded permutation σ of {0, …, n−1} cut into batches
 * B_j = σ(jB), …, σ(jB + B − 1); the last batch keeps the remainder (size n mod B when > 0).
 * Same (seed, epoch) → same batches; another epoch → another shuffle.
 */
export function minibatches(n: number, batchSize: number, seed: number, epoch = 0): number[][] {
  positiveInt(n, 'n');
  positiveInt(batchSize, 'batchSize');
  checkSeed(seed);
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer; got ${show(epoch)}`);
  // σ = a uniformly random permutation (Fisher–Yates)
  const perm = rng(epochSeed(seed, epoch)).permutation(n);
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(perm.slice(start, start + batchSize));
  return batches;
}
