/**
 * Shared test setup: initialise the backend chosen by DLOPT_BACKEND (scripts/test.ts runs the unit
 * suites once on wasm and once on cpu) and check that helpers leave no tensors behind.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { initBackend } from '../src/backend';

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
