/**
 * `npm test`: the unit suites for src/ on the tensorflow (when tfjs-node loads; a line says so when
 * it does not), wasm and cpu backends, then the integration suites (notebook execution, kernel
 * protocol, repository rules). Each run is `node --test`; the last line sums them up as
 * "N passed, N failed".
 *
 *   npx tsx scripts/test.ts            everything
 *   npx tsx scripts/test.ts --unit     unit suites only (every backend)
 *   DLOPT_NOTEBOOKS=00,02 npm test     execute only the notebooks whose names contain 00 or 02
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HELP, parseFlags } from './args';

const ROOT = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs
    .readdirSync(abs)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

interface Counts {
  label: string;
  pass: number;
  fail: number;
  skipped: number;
  code: number;
  seconds: number;
}

function runNodeTest(label: string, testFiles: string[], env: NodeJS.ProcessEnv): Promise<Counts> {
  console.log(`\n## ${label}: ${testFiles.length} file(s)`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...testFiles], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      buf += d.toString();
    });
    child.on('close', (code) => {
      const num = (k: string) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(buf)?.[1] ?? 0);
      resolve({ label, pass: num('pass'), fail: num('fail') + num('cancelled'), skipped: num('skipped'), code: code ?? 1, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

/** Why @tensorflow/tfjs-node does not load (in a child process), or undefined when it does. */
function tensorflowMissing(): string | undefined {
  const r = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return r.status === 0 ? undefined : ((r.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? 'require failed').trim();
}

const USAGE = `npx tsx scripts/test.ts [--unit]   the unit suites on every backend, then the integration suites
  --unit       unit suites only
  -h, --help   print this and exit`;

async function main(): Promise<void> {
  const { values } = parseFlags(process.argv.slice(2), { unit: { type: 'boolean' }, help: HELP }, USAGE);
  if (values.help) return console.log(USAGE);
  const unitOnly = values.unit ?? false;
  const unit = files('test/unit');
  const runs: Counts[] = [];
  const noTensorflow = tensorflowMissing();
  if (noTensorflow) console.log(`\n## unit tests on tensorflow: not run, @tensorflow/tfjs-node does not load (${noTensorflow}); npm run native builds it`);
  else runs.push(await runNodeTest('unit tests on tensorflow (tfjs-node)', unit, { DLOPT_BACKEND: 'node' }));
  runs.push(await runNodeTest('unit tests on wasm', unit, { DLOPT_BACKEND: 'wasm' }));
  runs.push(await runNodeTest('unit tests on cpu', unit, { DLOPT_BACKEND: 'cpu' }));
  // DLOPT_FAST=1: chapter 09 trains on fewer images and epochs (npm start runs it in full).
  // The notebook suite runs on its own, first: it writes build/notebooks, whose executed copies the JupyterLab
  // suite opens (node --test orders the files of one run itself).
  const fast = { DLOPT_FAST: process.env.DLOPT_FAST ?? '1' };
  const notebooks = path.join('test', 'integration', 'notebooks.test.ts');
  if (!unitOnly) {
    runs.push(await runNodeTest('integration: every notebook headless', [notebooks], fast));
    runs.push(await runNodeTest('integration: JupyterLab, kernel, site, figures, repository', files('test/integration').filter((f) => f !== notebooks), fast));
  }
  console.log('\n## summary');
  if (noTensorflow) console.log(`#   unit tests on tensorflow: not run (@tensorflow/tfjs-node does not load: ${noTensorflow})`);
  for (const r of runs) console.log(`#   ${r.label}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped (${r.seconds.toFixed(1)} s)`);
  const pass = runs.reduce((s, r) => s + r.pass, 0);
  const fail = runs.reduce((s, r) => s + r.fail, 0);
  const bad = runs.some((r) => r.code !== 0) || fail > 0;
  // The plain closing line CI reads.
  console.log(`${pass} passed, ${bad && fail === 0 ? 1 : fail} failed`);
  process.exit(bad ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
