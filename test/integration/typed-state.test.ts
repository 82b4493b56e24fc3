/**
 * Optimizer<Buffers> carries the names of the state buffers, so recording a buffer an optimizer does not
 * have is a compile error. This compiles small programs against src/ with the TypeScript API (strict, as
 * src/ is compiled) and checks which lines the compiler rejects, and why. (An integration test: it does not
 * depend on the tfjs backend, so it runs once; test/unit/minimize.test.ts has @ts-expect-error lines too.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** Compiles `body` (after imports of minimize, the optimizers and trainEpochs) and returns its errors as [line, message]. */
function compile(body: string): [number, string][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-typed-state-'));
  const file = path.join(dir, 'program.ts');
  const imports = [
    `import { minimize } from ${JSON.stringify(path.join(SRC, 'training', 'minimize'))};`,
    `import { trainEpochs } from ${JSON.stringify(path.join(SRC, 'training', 'train-epochs'))};`,
    `import { adam, sgd, newton, rmsprop, chain, scaleByAdam, scaleByLr, traceMomentum, type Optimizer } from ${JSON.stringify(path.join(SRC, 'optimizers'))};`,
    `declare const f: Parameters<typeof minimize>[0];`,
    `declare const mlpModel: Parameters<typeof trainEpochs>[0];`,
  ];
  fs.writeFileSync(file, [...imports, body].join('\n'));
  try {
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, esModuleInterop: true, types: [] });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => [d.file!.getLineAndCharacterOfPosition(d.start!).line + 1 - imports.length, ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('typed optimizer state (Optimizer<Buffers>)', () => {
  it('record accepts the buffers an optimizer has and rejects the others at compile time', () => {
    const errors = compile(
      [
        /* 1 */ `const a = minimize(f, adam(), { x0: [0], steps: 1, record: ['m', 'v', 'vmax'] });`,
        /* 2 */ `const m: number[][] = a.states!.m;`,
        /* 3 */ `minimize(f, adam(), { x0: [0], steps: 1, record: ['q'] });`,
        /* 4 */ `minimize(f, sgd({ lr: 0.1, momentum: 0.9 }), { x0: [0], steps: 1, record: ['v'] });`,
        /* 5 */ `minimize(f, rmsprop(), { x0: [0], steps: 1, record: ['m'] });`,
        /* 6 */ `minimize(f, newton(), { x0: [0], steps: 1, record: ['v'] });`,
        /* 7 */ `const c = chain(traceMomentum({ momentum: 0.9, buffer: 'b' }), scaleByAdam(), scaleByLr(0.1));`,
        /* 8 */ `minimize(f, c, { x0: [0], steps: 1, record: ['b', 'm'] });`,
        /* 9 */ `minimize(f, c, { x0: [0], steps: 1, record: ['u'] });`,
        /* 10 */ `const loose: Optimizer = adam();`,
        /* 11 */ `minimize(f, loose, { x0: [0], steps: 1, record: ['anything'] });`,
        /* 12 */ `const notRecorded = minimize(f, adam(), { x0: [0], steps: 1, record: ['m'] }).states!.v;`,
        /* 13 */ `const r = trainEpochs(mlpModel, adam(), { X: null as never, y: null as never, epochs: 1, seed: 0, keepState: true });`,
        /* 14 */ `const mState = r.state!.buffers.m;`,
        /* 15 */ `const qState = r.state!.buffers.q;`,
      ].join('\n'),
    );
    const lines = errors.map(([line]) => line);
    assert.deepEqual([...new Set(lines)].sort((x, y) => x - y), [3, 5, 6, 9, 12, 15], `errors: ${JSON.stringify(errors, null, 1)}`);
    const at = (line: number) => errors.filter(([l]) => l === line).map(([, m]) => m).join(' | ');
    assert.match(at(3), /"q"/);
    assert.match(at(3), /keyof AdamBuffers/);
    assert.match(at(5), /"m"/);
    assert.match(at(9), /"u"/);
    assert.match(at(12), /Property 'v' does not exist/);
    assert.match(at(15), /Property 'q' does not exist/);
  });
});
