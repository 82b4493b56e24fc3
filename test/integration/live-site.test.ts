/**
 * The live figures on the course site, in headless Chromium from file:// with no network: the site is built
 * (scripts/site.ts: one dl-optimization-core.js bundle, the controls written into the pages) from the executed
 * chapters that have live figures (test/live-notebooks.ts: those of the notebook suite, which runs first). For
 * every live figure: its <div data-live-figure> sits inside the figure div (whose id, the citation anchor, is
 * unchanged); the numbers the page computes for the notebook's parameters are the ones Node computes (and so,
 * by live-figures.test.ts, the notebook's); moving each control through the page (a slider, a select, a click on
 * the plot) changes the plotted data and shows the numbers Node computes for the same parameters; no console
 * error, no request but file:, data: and blob:. Screenshots go to build/test-live/screenshots/. Also: the wasm
 * backend from file:// (blob: URL), a page served over http, and the time from a change to the redrawn plot
 * (reported, not asserted).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, recordingPage, type RecordedPage } from '../../scripts/browser';
import { buildSite, type SiteResult } from '../../scripts/site';
import { LIVE_BUNDLE } from '../../scripts/live-bundle';
import { LIVE_FIGURES, liveBase, renderLive, withParams, type Control, type LiveSpec, type Params } from '../../src/figures/live';
import { ensureChapters, readChapter, LIVE_TEST_BUILD, type ExecutedChapter } from '../live-notebooks';
import { alternativeValue } from '../live-values';

let browser: Browser;
let site: SiteResult;
let shots: string;
const chapters = new Map<string, ExecutedChapter>();
const pages = new Map<string, Opened>();
const timings: { id: string; control: string; ms: number; computeMs: number; drawMs: number; first: boolean; backend: string }[] = [];

type Opened = RecordedPage;

before(async () => {
  await tf.setBackend('cpu');
  const chapterNames = [...new Set(LIVE_FIGURES.map((s) => s.chapter))].sort();
  const where = await ensureChapters(chapterNames);
  for (const [c, dir] of where) chapters.set(c, readChapter(dir, c));
  site = buildSite({ htmlFiles: chapterNames.map((c) => chapters.get(c)!.html), outDir: path.join(LIVE_TEST_BUILD, 'site'), log: () => undefined });
  shots = path.join(LIVE_TEST_BUILD, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
}, { timeout: 40 * 60_000 });

after(async () => {
  for (const o of pages.values()) await o.page.close().catch(() => undefined);
  await browser?.close();
});

async function open(url: string): Promise<Opened> {
  const rec = await recordingPage(browser);
  const { page } = rec;
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { dlopt?: { live?: { backend: string } } }).dlopt?.live?.backend !== 'pending', undefined, { timeout: 60_000 });
  return rec;
}

async function chapterPage(chapter: string): Promise<Opened> {
  let o = pages.get(chapter);
  if (!o) {
    o = await open(`file://${path.join(site.outDir, `${chapter}.html`)}`);
    pages.set(chapter, o);
  }
  return o;
}

function assertClean(o: Opened, where: string, allowed = ['file:', 'data:', 'blob:']): void {
  assert.deepEqual(o.errors, [], `${where}: console errors`);
  const external = o.requests.filter((u) => !allowed.some((a) => u.startsWith(a)));
  assert.deepEqual(external, [], `${where}: requests other than ${allowed.join(' ')}`);
}

/** What the page shows for a live figure: its parameters, its numbers (full precision) and its plotted data. */
function pageState(page: Page, id: string) {
  return page.evaluate((fid) => {
    const w = window as unknown as { dlopt: { live: { figures: Map<string, { params: unknown; redraws: number }> } } };
    const f = w.dlopt.live.figures.get(fid)!;
    const block = document.querySelector(`[data-live-figure="${fid}"]`)!;
    const numbers: Record<string, number | null> = {};
    block.querySelectorAll<HTMLOutputElement>('output[data-number]').forEach((o) => {
      numbers[o.dataset.number!] = o.dataset.value === undefined ? NaN : o.dataset.value === '' ? null : Number(o.dataset.value);
    });
    const gd = document.querySelector(`#${CSS.escape(fid)} .dlopt-plot`) as unknown as { data: Record<string, unknown>[] };
    const data = JSON.stringify(gd.data.map((t) => [t.x, t.y, t.z]));
    return { params: f.params, redraws: f.redraws, numbers, data, state: (block as HTMLElement).dataset.state };
  }, id);
}

function assertNumbers(spec: LiveSpec, shown: Record<string, number | null>, expected: Record<string, number | null>, where: string, tol: number): void {
  for (const n of spec.numbers) {
    const a = shown[n.key];
    const e = expected[n.key];
    if (e === null || a === null) assert.equal(a, e, `${where}: ${n.key}`);
    else assert.ok(Math.abs(a - e) <= tol * Math.abs(e) + 1e-12, `${where}: ${n.key} = ${a} in the page, ${e} in Node`);
  }
}

/** Moves one control through the page's own UI and waits for the redraw. */
async function moveControl(page: Page, spec: LiveSpec, c: Control): Promise<void> {
  const v = alternativeValue(c);
  const block = page.locator(`[data-live-figure="${spec.id}"]`);
  const redraws = (await pageState(page, spec.id)).redraws;
  if (c.kind === 'range') {
    const slider = c.log ? Math.log10(v as number) : (v as number);
    await block.locator(`input[name="${c.name}"]`).evaluate((el, s) => {
      (el as HTMLInputElement).value = String(s);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, slider);
  } else if (c.kind === 'select') {
    await block.locator(`select[name="${c.name}"]`).selectOption(v as string);
  } else {
    // a real click at the pixel of the point, on the subplot of the control
    const [x, y] = v as [number, number];
    const px = await page.evaluate(
      ({ id, xaxis, yaxis, x, y }) => {
        const gd = document.querySelector(`#${CSS.escape(id)} .dlopt-plot`) as unknown as HTMLElement & { _fullLayout: Record<string, { _offset: number; d2p(v: number): number }> };
        const xa = gd._fullLayout[xaxis.replace(/^x/, 'xaxis')];
        const ya = gd._fullLayout[yaxis.replace(/^y/, 'yaxis')];
        const r = gd.getBoundingClientRect();
        return { x: r.left + xa._offset + xa.d2p(x), y: r.top + ya._offset + ya.d2p(y) };
      },
      { id: spec.id, xaxis: c.xaxis ?? 'x', yaxis: c.yaxis ?? 'y', x, y },
    );
    await page.mouse.click(px.x, px.y);
  }
  await page.waitForFunction(
    ([id, n]) => (window as unknown as { dlopt: { live: { figures: Map<string, { redraws: number }> } } }).dlopt.live.figures.get(id as string)!.redraws > (n as number),
    [spec.id, redraws] as const,
    { timeout: 60_000 },
  );
}

describe('live figures on the course site (headless Chromium, file://, offline)', () => {
  it(`${LIVE_BUNDLE}: one bundle for the site, tfjs-core once, nothing of Node, tfjs-node or the edge`, () => {
    const b = site.bundle;
    assert.ok(fs.existsSync(b.file) && fs.existsSync(b.wasmFile));
    assert.ok(b.bytes > 3e5, `bundle of ${b.bytes} bytes`);
    const cores = new Set(b.inputs.filter((f) => /@tensorflow\/tfjs-core\/dist\/index\.js$/.test(f)));
    assert.equal(cores.size, 1, `tfjs-core bundled ${cores.size} times`);
    assert.deepEqual(b.inputs.filter((f) => f.startsWith('src/edge/') || /tfjs-node|nodejs-polars|tslab/.test(f)), []);
    for (const p of site.pages) {
      const html = fs.readFileSync(path.join(site.outDir, p.file), 'utf8');
      assert.equal((html.match(new RegExp(`<script src="${LIVE_BUNDLE}">`, 'g')) ?? []).length, p.live.length ? 1 : 0, `${p.file}: the bundle is loaded once`);
    }
    console.log(`# ${LIVE_BUNDLE}: ${(b.bytes / 1e6).toFixed(3)} MB raw, ${(b.gzipBytes / 1e6).toFixed(3)} MB gzip; dl-optimization-wasm.js ${(b.wasmBytes / 1e6).toFixed(3)} MB (loaded only with ?backend=wasm)`);
  });

  it('every live figure has its controls inside its figure div, and every page loads without error', async () => {
    for (const p of site.pages) {
      const expected = LIVE_FIGURES.filter((s) => s.chapter === p.chapter).map((s) => s.id);
      assert.deepEqual(p.live.slice().sort(), expected.slice().sort(), `${p.file}: live figures`);
      const o = await chapterPage(p.chapter);
      const blocks = await o.page.$$eval('[data-live-figure]', (els) =>
        els.map((e) => ({ id: e.getAttribute('data-live-figure'), parent: e.closest('.dlopt-figure')?.id, inputs: e.querySelectorAll('input, select').length })),
      );
      for (const b of blocks) {
        assert.equal(b.parent, b.id, `${p.file}: the live block ${b.id} is not inside the figure div with id ${b.id}`);
        assert.ok(b.inputs > 0, `${p.file}: ${b.id} has no controls`);
      }
      assert.deepEqual(blocks.map((b) => b.id).sort(), expected.slice().sort());
      assert.equal(await o.page.evaluate(() => (window as unknown as { dlopt: { live: { backend: string } } }).dlopt.live.backend), 'cpu');
      assertClean(o, p.file);
    }
  });

  for (const spec of LIVE_FIGURES) {
    it(`${spec.id}: the page's numbers are Node's; each control, moved in the page, changes the plot`, async () => {
      const o = await chapterPage(spec.chapter);
      const { page } = o;
      const notebook = chapters.get(spec.chapter)!.figures.get(spec.id)!;
      const base = liveBase(spec, notebook);
      const fig = page.locator(`#${spec.id}`);
      await fig.scrollIntoViewIfNeeded();
      // the notebook's parameters: numbers appear once the figure is in view (computed, not drawn)
      await page.waitForFunction((id) => document.querySelector(`[data-live-figure="${id}"] output[data-number]`)?.getAttribute('data-value') !== null, spec.id, { timeout: 60_000 });
      const start = await pageState(page, spec.id);
      assert.equal(start.redraws, 0, 'the static figure was replaced before any interaction');
      assertNumbers(spec, start.numbers, renderLive(spec, base, withParams(spec)).numbers, `${spec.id} at the notebook's parameters`, 1e-9);
      await fig.screenshot({ path: path.join(shots, `${spec.id}-static.png`) });
      let data = start.data;
      for (const c of spec.controls) {
        await moveControl(page, spec, c);
        const now = await pageState(page, spec.id);
        assert.equal(now.state, 'live', `${spec.id}: after moving ${c.name} the block is ${now.state}`);
        assert.notEqual(now.data, data, `${spec.id}: moving ${c.name} did not change the plotted data`);
        data = now.data;
        const expected = renderLive(spec, base, withParams(spec, now.params as Params)).numbers;
        assertNumbers(spec, now.numbers, expected, `${spec.id} after moving ${c.name} to ${JSON.stringify((now.params as Params)[c.name])}`, 1e-9);
      }
      await fig.screenshot({ path: path.join(shots, `${spec.id}-live.png`) });
      timings.push(...(await page.evaluate((id) => (window as unknown as { dlopt: { live: { timings: { id: string }[] } } }).dlopt.live.timings.filter((t) => t.id === id), spec.id)) as typeof timings);
      assertClean(o, `${spec.id} (${spec.chapter}.html)`);
      // the figure id is still the anchor of the figure
      assert.equal(await page.evaluate((id) => document.getElementById(id)?.classList.contains('dlopt-figure'), spec.id), true);
    });
  }

  it('the wasm backend runs from file:// (blob: URL) and gives the numbers of the cpu backend', async () => {
    const spec = LIVE_FIGURES.find((s) => s.id === 'ch05-lr-slider')!;
    const o = await open(`file://${path.join(site.outDir, `${spec.chapter}.html`)}?backend=wasm`);
    try {
      assert.equal(await o.page.evaluate(() => (window as unknown as { dlopt: { live: { backend: string } } }).dlopt.live.backend), 'wasm');
      await o.page.locator(`#${spec.id}`).scrollIntoViewIfNeeded();
      for (const c of spec.controls.filter((x) => x.kind === 'range')) await moveControl(o.page, spec, c);
      const now = await pageState(o.page, spec.id);
      const notebook = chapters.get(spec.chapter)!.figures.get(spec.id)!;
      assertNumbers(spec, now.numbers, renderLive(spec, liveBase(spec, notebook), withParams(spec, now.params as Params)).numbers, `${spec.id} on wasm`, 1e-5);
      assertClean(o, `${spec.chapter}.html?backend=wasm`);
      assert.ok(o.requests.some((u) => u.startsWith('blob:')), 'the wasm binary was not loaded from a blob: URL');
    } finally {
      await o.page.close();
    }
  });

  it('works from a static http server too', async () => {
    const server = http.createServer((req, res) => {
      const rel = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
      if (rel === 'favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const file = path.join(site.outDir, rel);
      if (!file.startsWith(site.outDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const spec = LIVE_FIGURES.find((s) => s.id === 'ch05-condition-number-rates')!;
    const o = await open(`${origin}/${spec.chapter}.html?warm=0`);
    try {
      await o.page.locator(`#${spec.id}`).scrollIntoViewIfNeeded();
      await moveControl(o.page, spec, spec.controls[0]);
      const t = (await o.page.evaluate(() => (window as unknown as { dlopt: { live: { timings: typeof timings } } }).dlopt.live.timings)).filter((x) => x.id === spec.id);
      assert.equal(t.length, 1);
      console.log(`# cold first interaction (no warm-up) of ${spec.id} (a 200-step 2D run) over http: ${t[0].ms.toFixed(1)} ms (compute ${t[0].computeMs.toFixed(1)} + Plotly.react ${t[0].drawMs.toFixed(1)})`);
      assertClean(o, `${origin}/${spec.chapter}.html`, [origin, 'data:', 'blob:']);
    } finally {
      await o.page.close();
      server.close();
    }
  });

  it('a 200-step 2D run (ch05-condition-number-rates, κ): wall-clock and renderer CPU time per change (reported)', async () => {
    const spec = LIVE_FIGURES.find((s) => s.id === 'ch05-condition-number-rates')!;
    const cdp = await browser.newBrowserCDPSession();
    const cpu = async () =>
      ((await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] }).processInfo
        .filter((p) => p.type === 'renderer')
        .reduce((s, p) => s + p.cpuTime, 0);
    const o = await open(`file://${path.join(site.outDir, `${spec.chapter}.html`)}`);
    try {
      await o.page.locator(`#${spec.id}`).scrollIntoViewIfNeeded();
      await o.page.waitForFunction((id) => document.querySelector(`[data-live-figure="${id}"] output[data-number]`)?.getAttribute('data-value') !== null, spec.id, { timeout: 60_000 });
      const cpuMs: number[] = [];
      for (let i = 0; i < 10; i++) {
        const c0 = await cpu();
        // a κ not seen before: the 200 steps are recomputed, not taken from the run cache
        await o.page.evaluate(([id, k]) => (window as unknown as { dlopt: { live: { figures: Map<string, { set(p: object, c: string): Promise<void> }> } } }).dlopt.live.figures.get(id as string)!.set({ kappa: k }, 'kappa'), [spec.id, 12 + 7.3 * i] as const);
        cpuMs.push(((await cpu()) - c0) * 1000);
      }
      const t = (await o.page.evaluate(() => (window as unknown as { dlopt: { live: { timings: typeof timings } } }).dlopt.live.timings)).filter((x) => x.id === spec.id && x.control === 'kappa');
      assert.equal(t.length, 10);
      const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
      console.log(
        `# 200-step 2D run, 10 changes of κ: first ${t[0].ms.toFixed(0)} ms (compute ${t[0].computeMs.toFixed(0)} + Plotly.react ${t[0].drawMs.toFixed(0)}); ` +
          `median ${med(t.map((x) => x.ms)).toFixed(0)} ms (compute ${med(t.map((x) => x.computeMs)).toFixed(0)}, draw ${med(t.map((x) => x.drawMs)).toFixed(0)}), worst ${Math.max(...t.map((x) => x.ms)).toFixed(0)} ms; ` +
          `renderer CPU per change median ${med(cpuMs).toFixed(0)} ms (10 ms ticks); load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
      );
      fs.writeFileSync(path.join(LIVE_TEST_BUILD, 'timings-200-steps.json'), JSON.stringify({ timings: t, cpuMs }, null, 1));
      assertClean(o, `${spec.chapter}.html (200-step runs)`);
    } finally {
      await o.page.close();
      await cdp.detach();
    }
  });

  it('reports the time from a change to the redrawn figure (performance.now around recompute + Plotly.react)', () => {
    assert.ok(timings.length >= LIVE_FIGURES.length, 'no timings were collected');
    const med = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
    };
    const redraws = timings.filter((t) => t.control !== 'warm-up');
    const first = redraws.filter((t) => t.first);
    const fmt = (v: number[]) => `median ${med(v).toFixed(1)} ms, worst ${Math.max(...v).toFixed(1)} ms (n = ${v.length})`;
    console.log(`# live redraws, first interaction per figure: ${fmt(first.map((t) => t.ms))}`);
    console.log(`# live redraws, all interactions: ${fmt(redraws.map((t) => t.ms))}; compute ${fmt(redraws.map((t) => t.computeMs))}`);
    for (const spec of LIVE_FIGURES) {
      const mine = redraws.filter((t) => t.id === spec.id);
      if (mine.length) console.log(`#   ${spec.id}: ${mine.map((t) => `${t.control} ${t.ms.toFixed(0)} (${t.computeMs.toFixed(0)}+${t.drawMs.toFixed(0)})`).join(', ')} ms`);
    }
    const out = path.join(LIVE_TEST_BUILD, 'timings.json');
    fs.writeFileSync(out, JSON.stringify(timings, null, 1));
  });
});
