/**
 * Checks that a notebook prints and asserts: `check("tanh'(4)", value, 0.0013409, 1e-6)` prints
 * "✓ tanh'(4) = 0.00134087 (expected 0.0013409 ± 1e-6)" or throws, so a wrong number fails the cell,
 * the notebook run and the test suite. The notebook tests look for these ✓ lines by label (and compare the
 * printed value with the expected value and tolerance they own: test/notebook-checks/).
 *
 * `checkTable(title)` collects a section's checks and shows them as ONE compact table (text/html, with the
 * same ✓ lines as text/plain for the tests and for front ends without HTML); each check still asserts at once,
 * so a wrong number fails the cell before the table is shown.
 */
import { escapeHtml, sendDisplayData, type DisplayBundle } from './show';

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(6) : String(Number(v.toPrecision(8)));
}

/** One passed check: its ✓ line and its table cells. */
interface CheckRow {
  line: string;
  label: string;
  value: string;
  expected: string;
}

/** |actual − expected| ≤ tol, or throws "✗ label = …, expected … ± tol". */
function numberRow(label: string, actual: number, expected: number, tol: number): CheckRow {
  if (!(tol >= 0)) throw new Error(`tol must be ≥ 0; got ${tol}`);
  if (!Number.isFinite(actual) || !(Math.abs(actual - expected) <= tol)) {
    throw new Error(`✗ ${label} = ${fmt(actual)}, expected ${fmt(expected)} ± ${tol}`);
  }
  return { line: `✓ ${label} = ${fmt(actual)} (expected ${fmt(expected)} ± ${tol})`, label, value: fmt(actual), expected: `${fmt(expected)} ± ${tol}` };
}

/** The condition holds, or throws "✗ label: detail". */
function claimRow(label: string, condition: boolean, detail: string): CheckRow {
  if (!condition) throw new Error(`✗ ${label}${detail ? `: ${detail}` : ''}`);
  return { line: `✓ ${label}${detail ? ` (${detail})` : ''}`, label, value: detail, expected: 'holds' };
}

/** actual === expected (element-wise for arrays), or throws. */
function equalRow<T>(label: string, actual: T, expected: T): CheckRow {
  const same = Array.isArray(actual) && Array.isArray(expected)
    ? actual.length === expected.length && actual.every((v, i) => v === expected[i])
    : actual === expected;
  if (!same) throw new Error(`✗ ${label} = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  return { line: `✓ ${label} = ${JSON.stringify(actual)}`, label, value: JSON.stringify(actual), expected: JSON.stringify(expected) };
}

/** Asserts |actual − expected| ≤ tol and prints a ✓ line (returns nothing, so a cell ending in check() shows no echo). */
export function check(label: string, actual: number, expected: number, tol: number): void {
  console.log(numberRow(label, actual, expected, tol).line);
}

/** Asserts a condition, printing "✓ label" or throwing "✗ label: detail". */
export function checkThat(label: string, condition: boolean, detail = ''): void {
  console.log(claimRow(label, condition, detail).line);
}

/** Asserts two values are equal (===, or element-wise for arrays), printing a ✓ line. */
export function checkEqual<T>(label: string, actual: T, expected: T): void {
  console.log(equalRow(label, actual, expected).line);
}

/** A section's checks, shown together as one table. */
export interface CheckTable {
  /** |actual − expected| ≤ tol, asserted now; a row of the table. */
  check(label: string, actual: number, expected: number, tol: number): void;
  /** A claim, asserted now; a row of the table. */
  checkThat(label: string, condition: boolean, detail?: string): void;
  /** Equality, asserted now; a row of the table. */
  checkEqual<T>(label: string, actual: T, expected: T): void;
  /** Shows the rows so far as one table (one display output; outside a kernel, prints the ✓ lines). */
  show(): void;
  /** The bundle show() sends. */
  bundle(): DisplayBundle;
}

/** Collects checks (each asserted when made) and shows them as one table titled `title`. */
export function checkTable(title: string): CheckTable {
  if (typeof title !== 'string' || title.trim() === '') throw new Error(`title must be a non-empty string; got ${JSON.stringify(title)}`);
  const rows: CheckRow[] = [];
  const bundle = (): DisplayBundle => {
    const body = rows
      .map((r) => `<tr><td>✓</td><td style="text-align:left">${escapeHtml(r.label)}</td><td>${escapeHtml(r.value)}</td><td>${escapeHtml(r.expected)}</td></tr>`)
      .join('');
    return {
      data: {
        'text/html':
          `<table class="dlopt-checks"><caption style="caption-side:top;text-align:left"><b>Checks: ${escapeHtml(title)}</b></caption>` +
          `<thead><tr><th></th><th style="text-align:left">check</th><th>value</th><th>expected</th></tr></thead><tbody>${body}</tbody></table>`,
        'text/plain': [`Checks: ${title}`, ...rows.map((r) => r.line)].join('\n'),
      },
      metadata: { 'dl-optimization': { checks: title, count: rows.length } },
    };
  };
  return {
    check: (label, actual, expected, tol) => void rows.push(numberRow(label, actual, expected, tol)),
    checkThat: (label, condition, detail = '') => void rows.push(claimRow(label, condition, detail)),
    checkEqual: (label, actual, expected) => void rows.push(equalRow(label, actual, expected)),
    bundle,
    show() {
      if (rows.length === 0) throw new Error(`checkTable("${title}"): no check to show`);
      const b = bundle();
      if (!sendDisplayData(b)) console.log(String(b.data['text/plain']));
    },
  };
}
