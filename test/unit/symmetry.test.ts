import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { OneHiddenLayer, permutations, permuteHiddenUnits } from '../../src/nets/symmetry';
import { rng } from '../../src/core/random';
import { assertClose, setupBackend } from '../helpers';

before(setupBackend);

const forward = (p: OneHiddenLayer, X: number[][]): number[] =>
  tf.tidy(() => Array.from(tf.tanh(tf.tensor2d(X).matMul(tf.tensor2d(p.W1)).add(tf.tensor1d(p.b1))).matMul(tf.tensor2d(p.W2)).add(tf.tensor1d(p.b2)).dataSync()));

describe('weight-space symmetry', () => {
  it('lists n! distinct permutations in lexicographic order', () => {
    assert.deepEqual(permutations(3), [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]);
    const p5 = permutations(5);
    assert.equal(p5.length, 120);
    assert.equal(new Set(p5.map((p) => p.join(','))).size, 120);
    assert.deepEqual(permutations(0), [[]]);
  });

  it('permuting hidden units moves columns of W1, entries of b1, rows of W2', () => {
    const p: OneHiddenLayer = { W1: [[1, 2, 3]], b1: [10, 20, 30], W2: [[100], [200], [300]], b2: [7] };
    assert.deepEqual(permuteHiddenUnits(p, [2, 0, 1]), { W1: [[3, 1, 2]], b1: [30, 10, 20], W2: [[300], [100], [200]], b2: [7] });
  });

  it('all 24 permutations of d = 4 hidden units give the same outputs (float32) and distinct parameters', () => {
    const r = rng(3);
    const m = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, () => r.normal()));
    const p: OneHiddenLayer = { W1: m(3, 4), b1: m(1, 4)[0], W2: m(4, 2), b2: m(1, 2)[0] };
    const X = m(16, 3);
    const y0 = forward(p, X);
    const keys = new Set<string>();
    for (const perm of permutations(4)) {
      const q = permuteHiddenUnits(p, perm);
      assertClose(forward(q, X), y0, 1e-5, `outputs for ${perm}`);
      keys.add(JSON.stringify(q));
    }
    assert.equal(keys.size, 24);
  });

  it('rejects bad input naming the parameter', () => {
    const p: OneHiddenLayer = { W1: [[1, 2]], b1: [0, 0], W2: [[1], [1]], b2: [0] };
    assert.throws(() => permutations(9), /n must be an integer in \[0, 8\]/);
    assert.throws(() => permuteHiddenUnits(p, [0, 0]), /perm must be a permutation of 0..1/);
    assert.throws(() => permuteHiddenUnits({ ...p, b1: [0] }, [0, 1]), /b1 must have 2 entries; got 1/);
    assert.throws(() => permuteHiddenUnits({ ...p, W2: [[1]] }, [0, 1]), /W2 must have 2 rows; got 1/);
    assert.throws(() => permuteHiddenUnits({ ...p, W1: [[1, NaN]] }, [0, 1]), /W1\[0\]\[1\] must be a finite number; got NaN/);
  });
});
