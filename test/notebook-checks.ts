/**
 * The checks each notebook must print, with the numbers the TEST owns (one JSON file per notebook in
 * test/notebook-checks/NN-slug.json, in the order the notebook prints them). src/edge/check.ts prints
 *   check(label, actual, expected, tol)   →  "✓ label = A (expected E ± T)"
 *   checkEqual(label, actual, expected)   →  "✓ label = <JSON of actual>"
 *   checkThat(label, condition, detail)   →  "✓ label" or "✓ label (detail)"
 * and the entries are
 *   { "label": …, "expected": E, "tol": T }       the printed A must lie within T of E (to print precision), and
 *                                                 the notebook's own tolerance may not be looser than T;
 *   { "label": …, "reference": true, "tol": T }   the same, where E is a quantity the notebook measures in the
 *                                                 same run (a trained network's loss): A is compared with the
 *                                                 printed E, and the notebook's tolerance may not exceed T;
 *   { "label": …, "equals": V }                   the printed JSON must equal V;
 *   { "label": …, "claim": true }                 a boolean claim: its ✓ line must be printed (the condition
 *                                                 lives in the notebook; a claim has no number to own).
 * So loosening a tolerance, changing an expected value or dropping a check in a notebook fails the notebook
 * test, and so does a ✓ line the test does not own (a new check must be added here, with its numbers).
 * Numbers are compared as printed: check() prints 8 significant digits (7 in exponent form), so a tolerance
 * finer than that is enforced by the notebook's own check() (which throws) and here only to print precision.
 * Values are those of the test mode (DLOPT_FAST=1: chapter 09 trains less), which the notebook test sets.
 *
 *   npx tsx test/notebook-checks.ts --draft NN [executed.ipynb] [--all]   prints entries for the printed checks that
 *       have none yet (from build/notebooks/NN-*.ipynb by default; --all: every check), for review. It never
 *       writes a file: the test's numbers change only by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const dir = path.join(__dirname, 'notebook-checks');

/** A numeric check: A within tol of expected (or of the printed expected, for a same-run reference). */
export interface NumberCheck {
  label: string;
  expected?: number;
  reference?: true;
  tol: number;
}
/** A checkEqual: the printed JSON equals `equals`. */
export interface EqualCheck {
  label: string;
  equals: unknown;
}
/** A checkThat: the ✓ line is printed. */
export interface ClaimCheck {
  label: string;
  claim: true;
}
export type CheckSpec = NumberCheck | EqualCheck | ClaimCheck;

const isNumber = (c: CheckSpec): c is NumberCheck => 'tol' in c;
const isEqual = (c: CheckSpec): c is EqualCheck => 'equals' in c;

/** Validates one notebook's entries (a malformed file fails loudly, naming the entry). */
export function validateSpecs(name: string, specs: unknown): CheckSpec[] {
  if (!Array.isArray(specs) || specs.length === 0) throw new Error(`${name}: the checks must be a non-empty array`);
  const seen = new Set<string>();
  specs.forEach((c, i) => {
    const where = `${name}[${i}]`;
    if (!c || typeof c !== 'object' || typeof (c as CheckSpec).label !== 'string' || (c as CheckSpec).label === '') throw new Error(`${where}: needs a label`);
    const s = c as Record<string, unknown>;
    const keys = Object.keys(s).sort().join(',');
    const ok = ['equals,label', 'claim,label', 'expected,label,tol', 'label,reference,tol'].includes(keys);
    if (!ok) throw new Error(`${where} (${s.label}): keys must be label + one of {expected, tol} | {reference, tol} | {equals} | {claim}; got ${keys}`);
    if ('tol' in s && !(typeof s.tol === 'number' && s.tol >= 0)) throw new Error(`${where} (${s.label}): tol must be a number ≥ 0; got ${s.tol}`);
    if ('expected' in s && !(typeof s.expected === 'number' && Number.isFinite(s.expected))) throw new Error(`${where} (${s.label}): expected must be a finite number`);
    if ('reference' in s && s.reference !== true) throw new Error(`${where} (${s.label}): reference must be true`);
    if ('claim' in s && s.claim !== true) throw new Error(`${where} (${s.label}): claim must be true`);
    if (seen.has(s.label as string)) throw new Error(`${where}: label ${JSON.stringify(s.label)} appears twice`);
    seen.add(s.label as string);
  });
  return specs as CheckSpec[];
}

let cache: Record<string, CheckSpec[]> | undefined;

/** The owned checks of every notebook, by notebook name (NN-slug), read and validated once. */
export function notebookChecks(): Record<string, CheckSpec[]> {
  cache ??= Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const name = path.basename(f, '.json');
        return [name, validateSpecs(name, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))];
      }),
  );
  return cache;
}

/** Half a unit in the last digit check() prints: 8 significant digits, 7 in exponent form (src/edge/check.ts). */
export function printSlack(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  const a = Math.abs(x);
  const e = Math.floor(Math.log10(a));
  const exponential = a < 1e-4 || a >= 1e6;
  return 0.5 * 10 ** (e - (exponential ? 6 : 7));
}

const NUMBER_TAIL = /^ = (\S+) \(expected (\S+) ± (\S+)\)$/;

/** What a ✓ line says after its label, for an entry of each kind (undefined: the line is not this entry's). */
function tailOf(line: string, label: string): string | undefined {
  const head = `✓ ${label}`;
  return line.startsWith(head) ? line.slice(head.length) : undefined;
}

function matches(spec: CheckSpec, line: string): boolean {
  const tail = tailOf(line, spec.label);
  if (tail === undefined) return false;
  if (isNumber(spec)) return NUMBER_TAIL.test(tail);
  if (isEqual(spec)) return tail.startsWith(' = ') && !NUMBER_TAIL.test(tail);
  return tail === '' || (tail.startsWith(' (') && tail.endsWith(')'));
}

/**
 * Compares a notebook's printed ✓ lines with its owned checks; returns one message per failure (empty: all
 * good). Each entry must match exactly one printed line, and each printed ✓ line exactly one entry.
 */
export function verifyChecks(stdout: string, specs: CheckSpec[]): string[] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('✓ '));
  const failures: string[] = [];
  const used = new Array<number>(lines.length).fill(0);
  for (const spec of specs) {
    // the longest label that matches a line owns it (a label may be a prefix of another)
    const hits = lines
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => matches(spec, l) && !specs.some((o) => o !== spec && o.label.length > spec.label.length && o.label.startsWith(spec.label) && matches(o, l)));
    if (hits.length === 0) {
      failures.push(`missing: "✓ ${spec.label}" was not printed${lines.some((l) => l.startsWith(`✓ ${spec.label}`)) ? ' in the expected form' : ''}`);
      continue;
    }
    if (hits.length > 1) failures.push(`"${spec.label}" printed ${hits.length} times`);
    for (const h of hits) used[h.i]++;
    const { l } = hits[0];
    const tail = tailOf(l, spec.label) as string;
    if (isNumber(spec)) {
      const [, a, e, t] = NUMBER_TAIL.exec(tail) as RegExpExecArray;
      const [A, E, T] = [Number(a), Number(e), Number(t)];
      if (!(T <= spec.tol * (1 + 1e-9))) failures.push(`"${spec.label}": the notebook's tolerance ${t} is looser than the test's ${spec.tol}`);
      const ref = spec.reference ? E : (spec.expected as number);
      const bound = spec.tol + printSlack(A) + printSlack(ref);
      if (!(Math.abs(A - ref) <= bound)) {
        failures.push(`"${spec.label}" = ${a}, expected ${spec.reference ? `the printed reference ${e}` : spec.expected} ± ${spec.tol} (off by ${Math.abs(A - ref).toPrecision(3)})`);
      }
      if (!spec.reference && !(Math.abs(E - ref) <= spec.tol + printSlack(E) + printSlack(ref))) {
        failures.push(`"${spec.label}": the notebook expects ${e}, the test ${spec.expected} (± ${spec.tol})`);
      }
    } else if (isEqual(spec)) {
      let actual: unknown;
      try {
        actual = JSON.parse(tail.slice(3));
      } catch {
        failures.push(`"${spec.label}": printed ${tail.slice(3)}, not JSON`);
        continue;
      }
      if (!isDeepStrictEqual(actual, spec.equals)) failures.push(`"${spec.label}" = ${tail.slice(3)}, expected ${JSON.stringify(spec.equals)}`);
    }
  }
  lines.forEach((l, i) => {
    if (used[i] === 0) failures.push(`not owned by the test: "${l}" (add an entry: npx tsx test/notebook-checks.ts --draft NN)`);
  });
  return failures;
}

// ---- drafting entries for new checks (review them: the test must own the tolerance the lecture needs) ----

/** The label literals of check/checkThat/checkEqual calls in a notebook's code, as anchored patterns. */
export function labelPatterns(source: string): { kind: 'check' | 'checkThat' | 'checkEqual'; pattern: string; literal: number; expectedExpr?: string }[] {
  const out: { kind: 'check' | 'checkThat' | 'checkEqual'; pattern: string; literal: number; expectedExpr?: string }[] = [];
  const call = /\b(checkThat|checkEqual|check)\(\s*/g;
  let m: RegExpExecArray | null;
  while ((m = call.exec(source))) {
    let i = m.index + m[0].length;
    const q = source[i];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    let pattern = '';
    let literal = 0;
    i++;
    for (; i < source.length && source[i] !== q; i++) {
      if (source[i] === '\\') {
        const next = source[++i];
        const ch = next === 'n' ? '\n' : next === 'u' ? String.fromCharCode(parseInt(source.slice(i + 1, i + 5), 16)) : next;
        if (next === 'u') i += 4;
        pattern += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        literal++;
      } else if (q === '`' && source[i] === '$' && source[i + 1] === '{') {
        let depth = 1;
        i += 2;
        for (; i < source.length && depth > 0; i++) {
          if (source[i] === '{') depth++;
          else if (source[i] === '}') depth--;
          else if (source[i] === '"' || source[i] === "'") {
            const s = source[i];
            for (i++; i < source.length && source[i] !== s; i++) if (source[i] === '\\') i++;
          }
        }
        i--;
        pattern += '.+?';
      } else {
        pattern += source[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        literal++;
      }
    }
    // the third argument of check(label, actual, expected, tol), for review
    let expectedExpr: string | undefined;
    if (m[1] === 'check') {
      const args: string[] = [];
      let depth = 0;
      let cur = '';
      for (i++; i < source.length; i++) {
        const c = source[i];
        if (c === '"' || c === "'" || c === '`') {
          let j = i + 1;
          for (; j < source.length && source[j] !== c; j++) if (source[j] === '\\') j++;
          cur += source.slice(i, j + 1);
          i = j;
          continue;
        }
        if ('([{'.includes(c)) depth++;
        if (')]}'.includes(c)) {
          if (depth === 0) break;
          depth--;
        }
        if (c === ',' && depth === 0) {
          args.push(cur.trim());
          cur = '';
        } else cur += c;
      }
      args.push(cur.trim());
      expectedExpr = args[2];
    }
    out.push({ kind: m[1] as 'check' | 'checkThat' | 'checkEqual', pattern, literal, expectedExpr });
  }
  return out;
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
}
const joined = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));

/** One output of an executed notebook, as far as its printed checks are concerned. */
export interface CheckOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/**
 * What one output adds to a notebook's printed ✓ lines: its stdout text, or the text/plain of a checkTable's table
 * (which carries the same ✓ lines, one per row); '' for any other output.
 */
export function printedChecks(o: CheckOutput): string {
  if (o.output_type === 'stream' && o.name === 'stdout') return joined(o.text);
  const meta = o.metadata?.['dl-optimization'] as { checks?: unknown } | undefined;
  if (o.output_type === 'display_data' && meta?.checks) return `${joined(o.data?.['text/plain'] as string | string[] | undefined)}\n`;
  return '';
}

/** Draft entries for the printed ✓ lines of an executed notebook that match no entry in `existing`. */
export function draftChecks(sourceNotebook: string, executedNotebook: string, existing: CheckSpec[] = []): { spec: CheckSpec; kind: string; expectedExpr?: string }[] {
  const src = JSON.parse(fs.readFileSync(sourceNotebook, 'utf8')) as NotebookJson;
  const exe = JSON.parse(fs.readFileSync(executedNotebook, 'utf8')) as NotebookJson;
  const code = src.cells.filter((c) => c.cell_type === 'code').map((c) => joined(c.source)).join('\n');
  const patterns = labelPatterns(code);
  const stdout = exe.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => joined(o.text)).join('');
  const owned = new Set(existing.map((s) => s.label));
  const drafts: { spec: CheckSpec; kind: string; expectedExpr?: string }[] = [];
  for (const line of stdout.split('\n').filter((l) => l.startsWith('✓ '))) {
    const candidates = patterns
      .map((p) => {
        const tail = p.kind === 'check' ? ' = (\\S+) \\(expected (\\S+) ± (\\S+)\\)' : p.kind === 'checkEqual' ? ' = (.+)' : '(?: \\((?:.*)\\))?';
        const r = new RegExp(`^✓ (${p.pattern})${tail}$`, 's').exec(line);
        return r ? { p, r } : undefined;
      })
      .filter((x): x is NonNullable<typeof x> => x !== undefined)
      .sort((a, b) => b.p.literal - a.p.literal);
    if (candidates.length === 0) throw new Error(`no check call in ${sourceNotebook} prints ${JSON.stringify(line)}`);
    const { p, r } = candidates[0];
    const label = r[1];
    if (owned.has(label)) continue;
    const spec: CheckSpec =
      p.kind === 'check' ? { label, expected: Number(r[3]), tol: Number(r[4]) } : p.kind === 'checkEqual' ? { label, equals: JSON.parse(r[2]) } : { label, claim: true };
    drafts.push({ spec, kind: p.kind, expectedExpr: p.expectedExpr });
  }
  return drafts;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--draft');
  if (at < 0 || !args[at + 1]) {
    console.error('usage: npx tsx test/notebook-checks.ts --draft NN [executed.ipynb]');
    process.exit(2);
  }
  const nn = args[at + 1];
  const root = path.join(__dirname, '..');
  const source = fs.readdirSync(path.join(root, 'notebooks')).find((f) => f.startsWith(nn) && f.endsWith('.ipynb'));
  if (!source) throw new Error(`no notebooks/${nn}*.ipynb`);
  const name = path.basename(source, '.ipynb');
  const executed = args[at + 2] && !args[at + 2].startsWith('--') ? args[at + 2] : path.join(root, 'build', 'notebooks', source);
  const drafts = draftChecks(path.join(root, 'notebooks', source), executed, args.includes('--all') ? [] : (notebookChecks()[name] ?? []));
  for (const d of drafts) console.log(`${JSON.stringify(d.spec)},${d.expectedExpr ? `   // expected: ${d.expectedExpr}` : ''}`);
  console.error(`${drafts.length} printed check(s) of ${name} have no entry in test/notebook-checks/${name}.json`);
}
