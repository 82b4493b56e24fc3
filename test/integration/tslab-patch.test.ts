/**
 * kernel/patch-tslab.js speeds up tslab's converter (one rebuild per cell, a light builder, one
 * declaration transform, an unchecked ES module → CommonJS step) and tslab's TypeScript (structure
 * reuse across cells), and makes an idle kernel collect its garbage (jupyter.js). This checks that npm
 * install applies it, that undoing its hunks gives back tslab 1.0.22's converter.js and jupyter.js and
 * @tslab/typescript-for-tslab 5.0.4's typescript.js byte for byte,
 * and that it changes
 * nothing tslab produces: the original and patched converters emit the same JavaScript and
 * declarations and report the same diagnostics (messages and positions), top-level-await flags and
 * last-expression names for every code cell of four chapters plus cells with type errors, syntax
 * errors, declaration errors, top-level await and unusual syntax. A deliberately broken patch must
 * fail the same comparison.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/jupyter';

interface Hunk {
  name: string;
  original: string;
  patched: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patch = require('../../kernel/patch-tslab.js') as {
  FILE: string;
  TS_FILE: string;
  JUPYTER_FILE: string;
  MARKER_ALL: string;
  TS_MARKER: string;
  JUPYTER_MARKER: string;
  ORIGINAL_SHA256: string;
  TS_ORIGINAL_SHA256: string;
  JUPYTER_ORIGINAL_SHA256: string;
  HUNKS: Hunk[];
  TS_HUNKS: Hunk[];
  JUPYTER_HUNKS: Hunk[];
  unpatch(text: string, hunks?: Hunk[]): string;
};

interface Converted {
  output?: string;
  declOutput?: string;
  hasToplevelAwait?: boolean;
  lastExpressionVar?: string;
  sideOutputs?: unknown;
  diagnostics: { messageText: string; start?: unknown; end?: unknown; code?: number; fileName?: string }[];
}
interface Converter {
  convert(prev: string, src: string): Converted;
  close(): void;
}

const dir = path.dirname(patch.FILE);
const written: string[] = [];
after(() => written.forEach((f) => fs.rmSync(f, { force: true })));

const TS_REQUIRE = 'require("@tslab/typescript-for-tslab")';

/** Loads a converter from `text`, written next to tslab's own (its requires resolve as tslab's do). */
function converterFrom(text: string, name: string): () => Converter {
  const file = path.join(dir, `converter.${name}-for-test.js`);
  fs.writeFileSync(file, text);
  written.push(file);
  return (require(file) as { createConverter: () => Converter }).createConverter;
}

/** tslab's own converter on tslab's own TypeScript: both files with every hunk undone. */
function originalConverter(converterText: string, tsText: string, name: string): () => Converter {
  const tsFile = path.join(path.dirname(patch.TS_FILE), `typescript.${name}-for-test.js`);
  if (!fs.existsSync(tsFile)) {
    fs.writeFileSync(tsFile, patch.unpatch(tsText, patch.TS_HUNKS));
    written.push(tsFile);
  }
  const original = patch.unpatch(converterText);
  assert.equal(original.split(TS_REQUIRE).length, 2, 'the converter requires TypeScript once');
  return converterFrom(original.replace(TS_REQUIRE, `require(${JSON.stringify(tsFile)})`), name);
}

function run(createConverter: () => Converter, cells: string[]): Converted[] {
  const conv = createConverter();
  const out: Converted[] = [];
  let prev = '';
  // the converter resolves imports from the process's working directory, as the kernel does from notebooks/
  const cwd = process.cwd();
  process.chdir(path.join(ROOT, 'notebooks'));
  try {
    for (const src of cells) {
      const r = conv.convert(prev, src);
      out.push(r);
      if (r.diagnostics.length === 0) prev = r.declOutput ?? prev;
    }
  } finally {
    process.chdir(cwd);
    conv.close();
  }
  return out;
}

const codeCells = (name: string): string[] => {
  const nb = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', name), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
};

/** Cells after a chapter: errors of each kind, and syntax the chapters do not use. */
const EXTRA = [
  'const a = 1; let b: string = "x"; function f(x: number) { return x + a; } class K {} type T = number; interface I { n: T }',
  'const n: number = "not a number";',
  'const broken = (;',
  '1 + 1',
  'f(2) + b.length',
  'const u = Math.random() > 0.5 ? "s" : 3; const o = { a, u }; const w = [a, "q", true]; w',
  'async function g() { return 1 } const r = await g(); r',
  'import * as tf from "@tensorflow/tfjs"; const t = tf.tensor([1, 2]); t.shape',
  'const { a: aa, ...rest } = { a: 1, b: 2 }; aa + rest.b',
  'class P { private q = 1; static s = 2; #h = 3; get h() { return this.#h + this.q } } new P().h',
  'class Hidden { x = 1 } export function leak() { return new Hidden() }',
  'enum Color { Red, Green } const c: Color = Color.Green; c',
  'let later: number; later = f(1); undefinedName + 1',
  'for (const [i, v] of [10, 20].entries()) console.log(i, v)',
  '// a comment only',
];

/** Fields of a conversion that the kernel uses; compared as JSON. */
const fields = (r: Converted) =>
  JSON.stringify([r.output, r.declOutput, r.diagnostics.map((d) => [d.messageText, d.start, d.end, d.code, d.fileName]), r.hasToplevelAwait, r.lastExpressionVar, r.sideOutputs]);

function differences(original: Converted[], patched: Converted[], cells: string[]): string[] {
  const out: string[] = [];
  cells.forEach((src, i) => {
    if (fields(original[i]) !== fields(patched[i])) out.push(`cell ${i}: ${src.slice(0, 80).replace(/\n/g, ' ')}`);
  });
  return out;
}

describe('tslab patch (kernel/patch-tslab.js)', () => {
  const patchedText = fs.readFileSync(patch.FILE, 'utf8');
  const patchedTs = fs.readFileSync(patch.TS_FILE, 'utf8');
  const patchedJupyter = fs.readFileSync(patch.JUPYTER_FILE, 'utf8');
  const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

  it('is applied to node_modules by npm install', () => {
    assert.ok(patchedText.includes(patch.MARKER_ALL), `${patch.FILE} is not fully patched: run npm install`);
    assert.ok(patchedTs.includes(patch.TS_MARKER), `${patch.TS_FILE} is not patched: run npm install`);
    for (const h of patch.HUNKS) assert.equal(patchedText.split(h.patched).length, 2, `hunk "${h.name}" is not in converter.js exactly once`);
    for (const h of patch.TS_HUNKS) assert.equal(patchedTs.split(h.patched).length, 2, `hunk "${h.name}" is not in typescript.js exactly once`);
    assert.ok(patchedJupyter.includes(patch.JUPYTER_MARKER), `${patch.JUPYTER_FILE} is not patched: run npm install`);
    for (const h of patch.JUPYTER_HUNKS) assert.equal(patchedJupyter.split(h.patched).length, 2, `hunk "${h.name}" is not in jupyter.js exactly once`);
  });

  it('undoing its hunks gives back the published files byte for byte', () => {
    assert.equal(sha256(patch.unpatch(patchedText)), patch.ORIGINAL_SHA256, 'tslab 1.0.22 dist/converter.js');
    assert.equal(sha256(patch.unpatch(patchedTs, patch.TS_HUNKS)), patch.TS_ORIGINAL_SHA256, '@tslab/typescript-for-tslab 5.0.4 lib/typescript.js');
    assert.equal(sha256(patch.unpatch(patchedJupyter, patch.JUPYTER_HUNKS)), patch.JUPYTER_ORIGINAL_SHA256, 'tslab 1.0.22 dist/jupyter.js');
  });

  it('changes nothing tslab emits or reports (4 chapters + error cells)', { timeout: 600_000 }, () => {
    const createOriginal = originalConverter(patchedText, patchedTs, 'original');
    const createPatched = converterFrom(patchedText, 'patched');
    for (const chapter of ['00-setup.ipynb', '05-gradient-descent.ipynb', '07-momentum.ipynb', '09-real-networks.ipynb']) {
      const cells = [...codeCells(chapter), ...EXTRA];
      const original = run(createOriginal, cells);
      const patched = run(createPatched, cells);
      assert.equal(patched.length, cells.length);
      assert.deepEqual(differences(original, patched, cells), [], `${chapter}: patched converter differs from tslab's`);
      const withErrors = original.filter((r) => r.diagnostics.length > 0).length;
      assert.ok(withErrors >= 4, `${chapter}: the type-error, syntax-error, private-name and unknown-name cells report diagnostics (got ${withErrors})`);
      assert.ok(original.some((r) => r.hasToplevelAwait), `${chapter}: a top-level await cell is among the compared cells`);
      assert.match(patched[cells.length - EXTRA.length].declOutput ?? '', /declare function f/, 'declarations of a multi-declaration cell are exported');
    }
  });

  it('a broken patch fails the same comparison', { timeout: 300_000 }, () => {
    const mutations: [string, string, string][] = [
      // the fast path forgets the declarations that later cells need
      ['convertAlone drops declarations', 'declOutput += remainingDecls(program.getTypeChecker(), srcFile, declsFile);', 'declOutput += "";'],
      // the light builder loses the cell from its dependencies
      ['light builder without the cell', ': [sourceFile.fileName],', ': [],'],
    ];
    const cells = [...codeCells('00-setup.ipynb'), ...EXTRA.slice(0, 5)];
    const original = run(originalConverter(patchedText, patchedTs, 'original'), cells);
    for (const [name, from, to] of mutations) {
      assert.equal(patchedText.split(from).length, 2, `mutation "${name}" applies`);
      const create = converterFrom(patchedText.replace(from, to), `mutated-${mutations.findIndex((m) => m[0] === name)}`);
      let detected: string;
      try {
        detected = differences(original, run(create, cells), cells).join('; ');
      } catch (err) {
        detected = `throws ${(err as Error).message}`; // a converter that throws on a cell the original converts fails the comparison too
      }
      assert.ok(detected.length > 0, `the comparison detects the mutation "${name}"`);
    }
  });
});
