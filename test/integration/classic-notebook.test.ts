/**
 * A source notebook in classic Jupyter Notebook 6 (Debian's jupyter-notebook), driven through its UI in
 * headless Chromium: Cell → Run All on the course kernel, then every figure must be drawn in the output area
 * (plotly's SVG), no cell may show an error or stderr, and nothing may be fetched from outside localhost.
 * The notebook is a copy of notebooks/00-setup.ipynb (DLOPT_CLASSIC_NOTEBOOK=NN picks another) placed at the
 * same depth under build/classic-test/ with lib/ linked next to it, so `import … from "../lib"` resolves and
 * the committed notebook can never be saved with outputs. The server runs on a free 127.0.0.1 port with a
 * random token and is shut down at the end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser';
import { ROOT, courseKernelEnv, findJupyterPython } from '../../scripts/jupyter';
import { listNotebooks } from '../../scripts/run-notebooks';

const WORK = path.join(ROOT, 'build', 'classic-test');
const SHOTS = path.join(ROOT, 'build', 'test-site', 'screenshots');
const choice = process.env.DLOPT_CLASSIC_NOTEBOOK ?? '00';
const source = listNotebooks([choice])[0];
const python = findJupyterPython(['notebook']);
const version = python ? spawnSync(python, ['-c', 'import notebook; print(notebook.__version__)'], { encoding: 'utf8' }).stdout.trim() : '';
const skip = !python
  ? 'classic Notebook is not installed (apt-get install jupyter-notebook)'
  : !/^[56]\./.test(version)
    ? `notebook ${version} is not classic Notebook 6`
    : !source
      ? `no notebook matches ${choice}`
      : false;

let server: ChildProcess | undefined;
let serverLog = '';
let browser: Browser | undefined;
let base = '';
let token = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`jupyter-notebook exited (${server.exitCode}):\n${serverLog.slice(-2000)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`jupyter-notebook did not answer within ${ms / 1000} s:\n${serverLog.slice(-2000)}`);
}

before(async () => {
  if (skip) return;
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(path.join(WORK, 'notebooks'), { recursive: true });
  fs.copyFileSync(source, path.join(WORK, 'notebooks', path.basename(source)));
  fs.symlinkSync(path.join(ROOT, 'lib'), path.join(WORK, 'lib'), 'dir');
  const port = await freePort();
  token = crypto.randomBytes(16).toString('hex');
  base = `http://127.0.0.1:${port}`;
  const env = { ...courseKernelEnv(), JUPYTER_CONFIG_DIR: path.join(WORK, '.jupyter-config'), BROWSER: 'true' };
  server = spawn(
    python!,
    [
      '-m', 'notebook', '--no-browser', '--allow-root', `--port=${port}`, '--ip=127.0.0.1', '--NotebookApp.port_retries=0',
      `--NotebookApp.token=${token}`, `--notebook-dir=${WORK}`,
    ],
    { cwd: WORK, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout!.on('data', (d) => (serverLog += d));
  server.stderr!.on('data', (d) => (serverLog += d));
  await waitForServer(`${base}/api/status?token=${token}`, 60_000);
  browser = await launchChromium();
}, { timeout: 3 * 60_000 });

after(async () => {
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    // Kernels first (through the REST API), then the server itself; SIGKILL if it lingers.
    try {
      const sessions = (await (await fetch(`${base}/api/sessions?token=${token}`)).json()) as { id: string }[];
      for (const s of sessions) await fetch(`${base}/api/sessions/${s.id}?token=${token}`, { method: 'DELETE' });
    } catch {
      /* the server may already be going */
    }
    const exited = new Promise<void>((r) => server!.once('exit', () => r()));
    server.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!killed) server.kill('SIGKILL');
  }
  fs.rmSync(WORK, { recursive: true, force: true });
}, { timeout: 60_000 });

describe('classic Jupyter Notebook 6 runs a source notebook on the course kernel', { skip }, () => {
  it(`${source ? path.basename(source) : '?'}: Cell → Run All draws every figure in the output area, no errors`, { timeout: 5 * 60_000 }, async () => {
    const page: Page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith('about:') && !u.startsWith('ws://127.0.0.1')) external.push(u);
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    try {
      await page.goto(`${base}/notebooks/notebooks/${path.basename(source!)}?token=${token}`, { timeout: 60_000 });
      // The notebook is loaded and its kernel (dl-optimization) is up; never autosave the copy.
      await page.waitForFunction(
        () => {
          const J = (window as unknown as { Jupyter?: { notebook?: { _fully_loaded?: boolean; kernel?: { is_connected(): boolean } } } }).Jupyter;
          return !!J?.notebook?._fully_loaded && !!J.notebook.kernel?.is_connected();
        },
        undefined,
        { timeout: 90_000 },
      );
      const kernelName = await page.evaluate(() => {
        const J = (window as unknown as { Jupyter: { notebook: { set_autosave_interval(n: number): void; kernel: { name: string } } } }).Jupyter;
        J.notebook.set_autosave_interval(0);
        return J.notebook.kernel.name;
      });
      assert.equal(kernelName, 'dl-optimization');
      await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 90_000 });

      // Cell → Run All, through the menu as a reader would.
      await page.click('#celllink');
      await page.click('#run_all_cells > a');
      await page.waitForFunction(() => document.querySelectorAll('.cell.running').length > 0 || document.querySelectorAll('.output_area').length > 0, undefined, { timeout: 30_000 });
      await page.waitForFunction(() => document.querySelectorAll('.cell.running').length === 0, undefined, { timeout: 4 * 60_000, polling: 500 });
      await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 30_000 });

      const state = await page.evaluate(() => {
        const cells = Array.from(document.querySelectorAll('.cell.code_cell'));
        return {
          code: cells.length,
          withOutput: cells.filter((c) => c.querySelector('.output_area')).length,
          errors: Array.from(document.querySelectorAll('.output_area .output_error, .output_area .output_stderr')).map((e) => (e.textContent ?? '').slice(0, 300)),
          figures: Array.from(document.querySelectorAll('.output_area .dlopt-figure')).map((f) => ({ id: f.id, svg: f.querySelectorAll('.dlopt-plot .main-svg').length })),
          text: Array.from(document.querySelectorAll('.output_area .output_text')).map((e) => e.textContent ?? '').join('\n'),
        };
      });
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `classic-${path.basename(source!, '.ipynb')}.png`), fullPage: true });

      const src = fs.readFileSync(source!, 'utf8');
      const shows = (src.match(/show\(figure\(/g) ?? []).length;
      assert.deepEqual(state.errors, [], 'cells show errors or stderr');
      assert.ok(state.figures.length >= Math.max(1, shows), `expected ≥ ${Math.max(1, shows)} figures in the output area; found ${state.figures.length}`);
      for (const f of state.figures) assert.ok(f.svg >= 1, `figure ${f.id} was not drawn by plotly in classic Notebook`);
      assert.match(state.text, /^dl-optimization \S+ · backend \w+/m, 'the environment report is printed');
      assert.ok(state.text.includes('✓ '), 'the checks printed');
      assert.deepEqual(pageErrors, [], 'page errors');
      assert.deepEqual(external, [], 'requests outside the local notebook server');
    } finally {
      await page.close();
    }
  });
});
