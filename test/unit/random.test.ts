/**
 * Golden values of the seeded generator (src/core/random.ts): every notebook's data, initialisation and
 * minibatch order come from rng(seed), so a change to the stream changes every printed number of the course.
 * The expected values were computed independently, by a Python transcription of mulberry32
 * (a += 0x6D2B79F5; t = imul(a ^ a>>>15, a | 1); t ^= t + imul(t ^ t>>>7, t | 61); u = (t ^ t>>>14) / 2³²),
 * Box–Muller (z₁ = √(−2 ln u₁)·cos 2πu₂, then z₂ = √(−2 ln u₁)·sin 2πu₂) and Fisher–Yates
 * (for i = n−1 … 1: swap p[i], p[⌊u·(i+1)⌋]); they agree with the TypeScript bit for bit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../src/core/random';
import { assertClose } from '../helpers';

const TWO32 = 2 ** 32;

/** The first four 32-bit outputs of mulberry32 per seed (uniform() = output / 2³², exactly). */
const UNIFORM_WORDS: Record<number, number[]> = {
  0: [1144304738, 1416247, 958946056, 627933444],
  1: [2693262067, 11749833, 2265367787, 4213581821],
  42: [2581720956, 1925393290, 3661312704, 2876485805],
};

/** The first four normal() values per seed (two Box–Muller pairs). */
const NORMALS: Record<number, number[]> = {
  0: [1.6264323081902676, 0.003369734033261985, 1.050995844218513, 1.3762763273638319],
  1: [0.9659740590152261, 0.016605805257500644, 1.1231041937525543, -0.1343525350713427],
  42: [-0.956162229384149, 0.3220702493215296, -0.2730261048826104, -0.4946727576767142],
  2024: [-0.15738025902594666, -0.6263598832466262, -0.3665433102133928, -0.8518182774396769],
};

/** permutation(10) as the first call on a fresh rng(seed). */
const PERMUTATIONS: Record<number, number[]> = {
  0: [3, 8, 6, 4, 5, 9, 7, 1, 0, 2],
  1: [7, 8, 3, 2, 1, 5, 9, 4, 0, 6],
  42: [0, 7, 3, 5, 2, 1, 8, 9, 4, 6],
  2024: [9, 2, 0, 1, 7, 3, 4, 5, 6, 8],
};

describe('rng golden values', () => {
  it('uniform(): the first four mulberry32 outputs / 2³², exactly, for seeds 0, 1, 42', () => {
    for (const [seed, words] of Object.entries(UNIFORM_WORDS)) {
      const r = rng(Number(seed));
      assert.deepEqual([r.uniform(), r.uniform(), r.uniform(), r.uniform()], words.map((w) => w / TWO32), `seed ${seed}`);
    }
  });

  it('normal(): the first two Box–Muller pairs for seeds 0, 1, 42, 2024', () => {
    for (const [seed, zs] of Object.entries(NORMALS)) {
      const r = rng(Number(seed));
      // equal to the last bit in V8; 1e-15 leaves room for a one-ulp difference in a libm's log/sin/cos only
      assertClose([r.normal(), r.normal(), r.normal(), r.normal()], zs, 1e-15, `seed ${seed} normals`);
    }
  });

  it('permutation(10) for seeds 0, 1, 42, 2024, and int(n) = ⌊u·n⌋', () => {
    for (const [seed, p] of Object.entries(PERMUTATIONS)) assert.deepEqual(rng(Number(seed)).permutation(10), p, `seed ${seed}`);
    const r = rng(42);
    assert.deepEqual([r.int(10), r.int(10), r.int(10), r.int(10)], UNIFORM_WORDS[42].map((w) => Math.floor((w / TWO32) * 10)));
  });

  it('the seed is floored and taken mod 2³²; bad seeds and sizes are errors naming the value', () => {
    const a = rng(1.9);
    assert.deepEqual([a.uniform(), a.uniform()], UNIFORM_WORDS[1].slice(0, 2).map((w) => w / TWO32));
    const b = rng(TWO32 + 42);
    assert.equal(b.uniform(), UNIFORM_WORDS[42][0] / TWO32);
    assert.throws(() => rng(NaN), /seed must be a finite number; got NaN/);
    assert.throws(() => rng(0).int(0), /n must be a positive integer; got 0/);
    assert.throws(() => rng(0).permutation(-1), /n must be a non-negative integer; got -1/);
  });
});
