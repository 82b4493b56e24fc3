/**
 * Shared test setup: initialise the backend chosen by DLOPT_BACKEND (scripts/test.ts runs the unit
 * suites once on wasm and once on cpu) and check that helpers leave no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { initBackend } from '../src/edge/backend';
import { rng } from '../src/core/random';

/** Call in a `before()` hook: initialises the backend once per test process. */
export async function setupBackend(): Promise<string> {
  const r = await initBackend();
  return r.backend;
}

/** Runs fn and asserts tf.memory().numTensors is back at its baseline afterwards; returns fn's result. */
export function assertNoLeak<T>(fn: () => T, label = 'helper'): T {
  const before = tf.memory().numTensors;
  const out = fn();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `${label} leaked ${after - before} tensor(s)`);
  return out;
}

/** Async variant of assertNoLeak. */
export async function assertNoLeakAsync<T>(fn: () => Promise<T>, label = 'helper'): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  const after = tf.memory().numTensors;
  assert.equal(after, before, `${label} leaked ${after - before} tensor(s)`);
  return out;
}

/** Asserts |actual − expected| ≤ tol (elementwise for arrays), naming the index that fails. */
export function assertClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, tol: number, label = 'value'): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `${label}: length ${a.length} ≠ expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Number.isFinite(a[i]), `${label}[${i}] is not finite: ${a[i]}`);
    assert.ok(Math.abs(a[i] - e[i]) <= tol, `${label}[${i}] = ${a[i]}, expected ${e[i]} ± ${tol}`);
  }
}

/** Three Gaussian blobs in R² (centres (2, 0), (−1, ±1.7), σ = 0.7) with one-hot labels; flip gives every point the next class. */
export function blobs(N: number, seed: number, flip = false): { X: tf.Tensor2D; Y: tf.Tensor2D } {
  const r = rng(seed);
  const centers = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const xa = new Float32Array(N * 2);
  const ya = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    const c = i % 3;
    xa[2 * i] = centers[c][0] + 0.7 * r.normal();
    xa[2 * i + 1] = centers[c][1] + 0.7 * r.normal();
    ya[3 * i + (flip ? (c + 1) % 3 : c)] = 1;
  }
  return { X: tf.tensor2d(xa, [N, 2]), Y: tf.tensor2d(ya, [N, 3]) };
}
