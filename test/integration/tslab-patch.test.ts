/**
 * kernel/patch-tslab.js speeds up tslab's converter (one rebuild per cell, a light builder, one
 * declaration transform, an unchecked ES module → CommonJS step, a transpile-only conversion) and
 * tslab's TypeScript (structure reuse across cells, script target features computed once), makes an
 * idle kernel collect its garbage and answer inspect/complete asynchronously (jupyter.js), and starts
 * kernel/checked-executor.js (main.js). This checks that npm install applies it, that undoing its hunks
 * gives back tslab 1.0.22's converter.js, jupyter.js and main.js and
 * @tslab/typescript-for-tslab 5.0.4's typescript.js byte for byte,
 * and that it changes
 * nothing tslab produces: the original and patched converters emit the same JavaScript and
 * declarations and report the same diagnostics (messages and positions), top-level-await flags and
 * last-expression names for every code cell of four chapters plus cells with type errors, syntax
 * errors, declaration errors, top-level await and unusual syntax. The transpile-only conversion (what
 * the kernel runs while the cell is checked) must emit exactly the JavaScript, top-level-await flag
 * and last-expression name of tslab's converter for every code cell of all ten chapters and the same
 * extra cells, except one documented case. A deliberately broken patch must fail these comparisons.
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
  MAIN_FILE: string;
  MARKER_ALL: string;
  MARKER_UNCHECKED: string;
  MAIN_MARKER: string;
  JUPYTER_MARKER_ASYNC: string;
  MAIN_ORIGINAL_SHA256: string;
  MAIN_HUNKS: Hunk[];
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
  convertUnchecked(prev: string, src: string): Converted | undefined;
  convertDeclarations(prev: string, src: string): Converted;
  close(): void;
}
type CreateConverter = (options?: { transpileOnly?: boolean }) => Converter;

const dir = path.dirname(patch.FILE);
const written: string[] = [];
after(() => written.forEach((f) => fs.rmSync(f, { force: true })));

const TS_REQUIRE = 'require("@tslab/typescript-for-tslab")';

/** Loads a converter from `text`, written next to tslab's own (its requires resolve as tslab's do). */
function converterFrom(text: string, name: string): CreateConverter {
  const file = path.join(dir, `converter.${name}-for-test.js`);
  fs.writeFileSync(file, text);
  written.push(file);
  return (require(file) as { createConverter: CreateConverter }).createConverter;
}

/** tslab's own converter on tslab's own TypeScript: both files with every hunk undone. */
function originalConverter(converterText: string, tsText: string, name: string): CreateConverter {
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
  const out: Converted[] = [];
  let prev = '';
  // the converter resolves imports from the working directory it was created in, as the kernel does from notebooks/
  const cwd = process.cwd();
  process.chdir(path.join(ROOT, 'notebooks'));
  const conv = createConverter();
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

/**
 * Cells whose JavaScript depends on TypeScript's check of the cell (import elision, const enum values):
 * the transpile-only conversion emits them after checking the cell, and every other cell without it.
 * Run as their own sequence (the enum declared here keeps every later cell on the checked path).
 */
const CHECK_DEPENDENT = [
  'import { sgd } from "../lib"; const o8 = sgd({ lr: 0.1 }); o8.name',
  'import { quadratic as q8 } from "../lib";',
  'import * as lib8 from "../lib"; type O8 = lib8.Optimizer; const s8 = lib8.sgd;',
  'import { minimize as m8 } from "../lib"; type M8 = typeof m8; let mm8: M8 | undefined;',
  'import def8 from "fs"; def8.existsSync("x")',
  'export { sgd as sgd8 } from "../lib";',
  'class Acc { accessor v = 1 } new Acc().v',
  'function dec(t: any, c: any) { return t } class Dd { @dec m() {} } new Dd()',
  'namespace NS8 { export const v = 1; } NS8.v',
  'function args8() { return arguments.length } args8()',
  'class B8 { m() { return 1 } } class D8 extends B8 { m() { return super.m() + 1 } static s = D8.name } new D8().m()',
  'export default 5;',
  'const enum Dir { Up = 1, Down = Up * 2 } const d8 = Dir.Down; d8',
  'const d9 = Dir.Up + 1; d9',
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

/** Cells where convertUnchecked (given tslab's declarations of the cells before) emits other JavaScript than convert. */
function transpileOnlyDifferences(create: CreateConverter, cells: string[]): { differences: string[]; compared: number; syntaxErrors: number; typeErrorsEmitted: number } {
  const cwd = process.cwd();
  process.chdir(path.join(ROOT, 'notebooks'));
  const full = create();
  const light = create({ transpileOnly: true });
  const decls = create();
  const out = { differences: [] as string[], compared: 0, syntaxErrors: 0, typeErrorsEmitted: 0 };
  const checked = (r: Converted) => JSON.stringify([r.declOutput, r.diagnostics, r.hasToplevelAwait]);
  try {
    let prev = '';
    cells.forEach((src, i) => {
      const f = full.convert(prev, src);
      // what the kernel's checker computes for a cell that already ran: the same, without the JavaScript
      const d = decls.convertDeclarations(prev, src);
      if (checked(d) !== checked(f)) out.differences.push(`cell ${i} (convertDeclarations): ${src.slice(0, 80).replace(/\n/g, ' ')}`);
      let l: Converted | undefined;
      try {
        l = light.convertUnchecked(prev, src);
      } catch (err) {
        out.differences.push(`cell ${i} throws ${(err as Error).message}`);
        return;
      }
      if (f.diagnostics.length > 0) {
        if (l === undefined) out.syntaxErrors++;
        else out.typeErrorsEmitted++;
        return;
      }
      prev = f.declOutput ?? prev;
      out.compared++;
      const same = l !== undefined && l.output === f.output && l.hasToplevelAwait === f.hasToplevelAwait && l.lastExpressionVar === f.lastExpressionVar && l.diagnostics.length === 0;
      if (!same) out.differences.push(`cell ${i}: ${src.slice(0, 80).replace(/\n/g, ' ')}`);
    });
  } finally {
    process.chdir(cwd);
    full.close();
    light.close();
    decls.close();
  }
  return out;
}

describe('tslab patch (kernel/patch-tslab.js)', () => {
  const patchedText = fs.readFileSync(patch.FILE, 'utf8');
  const patchedTs = fs.readFileSync(patch.TS_FILE, 'utf8');
  const patchedJupyter = fs.readFileSync(patch.JUPYTER_FILE, 'utf8');
  const patchedMain = fs.readFileSync(patch.MAIN_FILE, 'utf8');
  const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

  it('is applied to node_modules by npm install', () => {
    assert.ok(patchedText.includes(patch.MARKER_ALL), `${patch.FILE} is not fully patched: run npm install`);
    assert.ok(patchedTs.includes(patch.TS_MARKER), `${patch.TS_FILE} is not patched: run npm install`);
    for (const h of patch.HUNKS) assert.equal(patchedText.split(h.patched).length, 2, `hunk "${h.name}" is not in converter.js exactly once`);
    for (const h of patch.TS_HUNKS) assert.equal(patchedTs.split(h.patched).length, 2, `hunk "${h.name}" is not in typescript.js exactly once`);
    assert.ok(patchedJupyter.includes(patch.JUPYTER_MARKER), `${patch.JUPYTER_FILE} is not patched: run npm install`);
    for (const h of patch.JUPYTER_HUNKS) assert.equal(patchedJupyter.split(h.patched).length, 2, `hunk "${h.name}" is not in jupyter.js exactly once`);
    assert.ok(patchedText.includes(patch.MARKER_UNCHECKED), 'converter.js has the transpile-only conversion');
    assert.ok(patchedJupyter.includes(patch.JUPYTER_MARKER_ASYNC), 'jupyter.js notes request arrivals and answers inspect/complete asynchronously');
    assert.ok(patchedMain.includes(patch.MAIN_MARKER), `${patch.MAIN_FILE} is not patched: run npm install`);
    for (const h of patch.MAIN_HUNKS) assert.equal(patchedMain.split(h.patched).length, 2, `hunk "${h.name}" is not in main.js exactly once`);
  });

  it('undoing its hunks gives back the published files byte for byte', () => {
    assert.equal(sha256(patch.unpatch(patchedText)), patch.ORIGINAL_SHA256, 'tslab 1.0.22 dist/converter.js');
    assert.equal(sha256(patch.unpatch(patchedTs, patch.TS_HUNKS)), patch.TS_ORIGINAL_SHA256, '@tslab/typescript-for-tslab 5.0.4 lib/typescript.js');
    assert.equal(sha256(patch.unpatch(patchedJupyter, patch.JUPYTER_HUNKS)), patch.JUPYTER_ORIGINAL_SHA256, 'tslab 1.0.22 dist/jupyter.js');
    assert.equal(sha256(patch.unpatch(patchedMain, patch.MAIN_HUNKS)), patch.MAIN_ORIGINAL_SHA256, 'tslab 1.0.22 dist/main.js');
  });

  it('the transpile-only conversion emits what tslab emits, the declarations-only one declares and reports what it does (every code cell of all ten chapters + extra cells)', { timeout: 900_000 }, () => {
    const create = converterFrom(patchedText, 'patched');
    const chapters = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
    assert.equal(chapters.length, 10, 'ten chapters');
    let compared = 0;
    for (const chapter of chapters) {
      const cells = [...codeCells(chapter), ...(chapter.startsWith('00') ? EXTRA : [])];
      const diffs = transpileOnlyDifferences(create, cells);
      assert.deepEqual(diffs.differences, [], `${chapter}: convertUnchecked differs from tslab's convert`);
      compared += diffs.compared;
      if (chapter.startsWith('00')) {
        assert.equal(diffs.syntaxErrors, 1, 'the syntax-error cell is left to convert() (convertUnchecked returns undefined)');
        assert.ok(diffs.typeErrorsEmitted >= 3, 'cells with type errors are transpiled all the same (they run while checked)');
      }
    }
    assert.ok(compared >= 150, `compared ${compared} cells`);
    const dependent = transpileOnlyDifferences(create, CHECK_DEPENDENT);
    assert.deepEqual(dependent.differences, [], 'cells whose JavaScript depends on the check: convertUnchecked differs from tslab\'s convert');
    assert.equal(dependent.compared, CHECK_DEPENDENT.length, 'every check-dependent cell compiles and is compared');
  });

  it('the one documented difference: a name imported only as a type is kept', { timeout: 300_000 }, () => {
    const create = converterFrom(patchedText, 'patched');
    const cells = ['import { Figure } from "../lib";', 'import { figure, type Figure as F } from "../lib"; const g: F | undefined = undefined; g'];
    const cwd = process.cwd();
    process.chdir(path.join(ROOT, 'notebooks'));
    const full = create();
    const light = create({ transpileOnly: true });
    try {
      const f0 = full.convert('', cells[0]);
      const l0 = light.convertUnchecked('', cells[0])!;
      assert.deepEqual(f0.diagnostics, [], 'the course library exports the type Figure');
      assert.doesNotMatch(f0.output ?? '', /require/, 'tslab elides an import of a type');
      assert.match(l0.output ?? '', /require\("\.\.\/lib"\)/, 'the transpile-only conversion keeps it (the type is undefined at run time)');
      const f1 = full.convert(f0.declOutput ?? '', cells[1]);
      const l1 = light.convertUnchecked(f0.declOutput ?? '', cells[1])!;
      assert.equal(l1.output, f1.output, 'with `type`, both elide the type');
    } finally {
      process.chdir(cwd);
      full.close();
      light.close();
    }
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
      assert.deepEqual(original.slice(0, cells.length - EXTRA.length).filter((r) => r.diagnostics.length > 0).map((r) => r.diagnostics[0].messageText), [], `${chapter}: every code cell compiles without diagnostics`);
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
    // the transpile-only conversion without the link that lets the checker see earlier cells' names
    const unlinked = patchedText.replace('        const checker = program.getTypeChecker();\n        asMutable(srcFile).parent = declsFile;', '        const checker = program.getTypeChecker();');
    assert.notEqual(unlinked, patchedText, 'the transpile-only mutation applies');
    const broken = transpileOnlyDifferences(converterFrom(unlinked, 'mutated-unchecked'), codeCells('00-setup.ipynb'));
    assert.ok(broken.differences.length > 0, 'the comparison detects a transpile-only conversion that loses earlier cells\' names');
    // the transpile-only conversion emitting every cell without checking it, imports and enums included
    const header = '    function dlOptimizationEmitWithoutCheck(probe, prevDecl) {\n';
    const unguarded = patchedText.replace(header, `${header}        return true;\n`);
    assert.notEqual(unguarded, patchedText, 'the emit-without-check mutation applies');
    const elided = transpileOnlyDifferences(converterFrom(unguarded, 'mutated-unguarded'), CHECK_DEPENDENT);
    assert.ok(elided.differences.length >= 6, `the comparison detects imports elided and const enums not inlined (${elided.differences.length} cells differ)`);
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
