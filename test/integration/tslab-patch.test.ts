/**
 * kernel/patch-tslab.js makes tslab rebuild its program once per cell instead of twice. This checks that
 * the patch is applied by npm install, and that it changes nothing tslab produces: the original
 * converter (rebuilt from the patched file) and the patched one emit the same JavaScript, the same
 * declarations and the same diagnostics for every code cell of three chapters, plus cells with
 * type errors, syntax errors and no declarations.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/jupyter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const patch = require('../../kernel/patch-tslab.js') as { FILE: string; MARKER: string; ORIGINAL: string; PATCHED: string };

interface Converted {
  output?: string;
  declOutput?: string;
  diagnostics: { messageText: string; start?: number }[];
}
interface Converter {
  convert(prev: string, src: string): Converted;
  close(): void;
}

const unpatchedFile = path.join(path.dirname(patch.FILE), 'converter.unpatched-for-test.js');
after(() => fs.rmSync(unpatchedFile, { force: true }));

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

describe('tslab patch (one program rebuild per cell)', () => {
  it('is applied to node_modules/tslab by npm install', () => {
    assert.ok(fs.readFileSync(patch.FILE, 'utf8').includes(patch.MARKER), `${patch.FILE} is not patched: run npm install`);
  });

  it('changes nothing tslab emits or reports', { timeout: 240_000 }, () => {
    const patchedText = fs.readFileSync(patch.FILE, 'utf8');
    assert.ok(patchedText.includes(patch.PATCHED), 'converter.js does not contain the patch verbatim');
    fs.writeFileSync(unpatchedFile, patchedText.replace(patch.PATCHED, patch.ORIGINAL));
    const load = (file: string) => (require(file) as { createConverter: () => Converter }).createConverter;
    const cells = [
      ...codeCells('00-setup.ipynb'),
      ...codeCells('05-gradient-descent.ipynb'),
      'const a = 1; let b: string = "x"; function f(x: number) { return x + a; } class K {} type T = number; interface I { n: T }',
      'const n: number = "not a number";',
      'const broken = (;',
      '1 + 1',
      'f(2) + b.length',
    ];
    const original = run(load(unpatchedFile), cells);
    const patched = run(load(patch.FILE), cells);
    assert.equal(patched.length, cells.length);
    let withDiagnostics = 0;
    cells.forEach((src, i) => {
      const o = original[i];
      const p = patched[i];
      assert.equal(p.output, o.output, `cell ${i}: emitted JavaScript differs\n${src.slice(0, 200)}`);
      assert.equal(p.declOutput, o.declOutput, `cell ${i}: declarations differ`);
      assert.deepEqual(p.diagnostics.map((d) => [d.messageText, d.start]), o.diagnostics.map((d) => [d.messageText, d.start]), `cell ${i}: diagnostics differ`);
      if (o.diagnostics.length) withDiagnostics++;
    });
    assert.ok(withDiagnostics >= 2, 'the type-error and syntax-error cells produced diagnostics in both');
    assert.match(patched[cells.length - 5].declOutput ?? '', /declare function f/, 'declarations of a multi-declaration cell are exported');
  });
});
