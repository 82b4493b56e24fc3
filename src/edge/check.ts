/**
 * Checks that a notebook prints and asserts: `check("tanh'(4)", value, 0.0013409, 1e-6)` prints
 * "✓ tanh'(4) = 0.00134087 (expected 0.0013409 ± 1e-6)" or throws, so a wrong number fails the cell,
 * the notebook run and the test suite. The notebook tests look for these ✓ lines by label.
 */

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(6) : String(Number(v.toPrecision(8)));
}

/** Asserts |actual − expected| ≤ tol and prints a ✓ line (returns nothing, so a cell ending in check() shows no echo). */
export function check(label: string, actual: number, expected: number, tol: number): void {
  if (!(tol >= 0)) throw new Error(`tol must be ≥ 0; got ${tol}`);
  if (!Number.isFinite(actual) || !(Math.abs(actual - expected) <= tol)) {
    throw new Error(`✗ ${label} = ${fmt(actual)}, expected ${fmt(expected)} ± ${tol}`);
  }
  console.log(`✓ ${label} = ${fmt(actual)} (expected ${fmt(expected)} ± ${tol})`);
}

/** Asserts a condition, printing "✓ label" or throwing "✗ label: detail". */
export function checkThat(label: string, condition: boolean, detail = ''): void {
  if (!condition) throw new Error(`✗ ${label}${detail ? `: ${detail}` : ''}`);
  console.log(`✓ ${label}${detail ? ` (${detail})` : ''}`);
}

/** Asserts two values are equal (===, or element-wise for arrays), printing a ✓ line. */
export function checkEqual<T>(label: string, actual: T, expected: T): void {
  const same = Array.isArray(actual) && Array.isArray(expected)
    ? actual.length === expected.length && actual.every((v, i) => v === expected[i])
    : actual === expected;
  if (!same) throw new Error(`✗ ${label} = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  console.log(`✓ ${label} = ${JSON.stringify(actual)}`);
}
