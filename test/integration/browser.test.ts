/**
 * The built site in headless Chromium (Debian's, through playwright-core), opened from file:// with no network:
 * every figure is drawn by plotly (its SVG is in the DOM), math is typeset by KaTeX, the console has no errors,
 * nothing but file: URLs is requested, the 3D surface is drawn by WebGL, a slider changes the plot, and the
 * table of contents and #figure-id links land on existing ids. Screenshots go to build/test-site/screenshots/.
 * The pages come from test/site-build.ts (00-setup + a fixture with a slider and a surface).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, recordingPage, type RecordedPage } from '../../scripts/browser';
import { ensureTestBuild, TestBuild } from '../site-build';

let build: TestBuild;
let browser: Browser;
let shots: string;
/** Pages opened by the first test, kept open for the interaction tests (loading plotly.js takes seconds). */
const opened = new Map<string, Opened>();
/** Every element id on each chapter page, for checking the links of index.html. */
const idsOnPage = new Map<string, Set<string>>();

before(async () => {
  build = await ensureTestBuild();
  shots = path.join(build.dir, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
}, { timeout: 20 * 60_000 });

after(async () => {
  for (const o of opened.values()) await o.page.close().catch(() => undefined);
  await browser?.close();
});

type Opened = RecordedPage;

/** Opens a site page from disk, recording console errors, page errors and every request URL. */
async function open(file: string, hash = ''): Promise<Opened> {
  const rec = await recordingPage(browser);
  const { page } = rec;
  await page.goto(`file://${path.join(build.site.outDir, file)}${hash}`, { waitUntil: 'load', timeout: 60_000 });
  return rec;
}

/** Waits until every .dlopt-figure has plotly's SVG (or times out) and returns the per-figure state. */
async function figuresDrawn(page: Page): Promise<{ id: string; svg: number; gl: number }[]> {
  await page
    .waitForFunction(
      () => Array.from(document.querySelectorAll('.dlopt-figure')).every((f) => f.querySelector('.dlopt-plot .main-svg')),
      undefined,
      { timeout: 30_000 },
    )
    .catch(() => undefined);
  return page.$$eval('.dlopt-figure', (figs) =>
    figs.map((f) => ({ id: f.id, svg: f.querySelectorAll('.dlopt-plot .main-svg').length, gl: f.querySelectorAll('.gl-container canvas').length })),
  );
}

/** Share of strongly coloured pixels in a PNG (decoded by the browser). */
async function colourfulShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
    return n / (d.length / 4);
  }, png.toString('base64'));
}

/** The fixture page as the first test left it (or freshly opened when that test did not get so far). */
async function fixturePage(): Promise<Opened> {
  const file = '99-figures-fixture.html';
  let o = opened.get(file);
  if (!o) {
    o = await open(file);
    opened.set(file, o);
    await figuresDrawn(o.page);
  }
  return o;
}

function assertOffline(o: Opened, file: string): void {
  const external = o.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
  assert.deepEqual(external, [], `${file} requested non-file URLs`);
  assert.deepEqual(o.errors, [], `${file} logged console errors`);
}

describe('course site in headless Chromium (offline, file://)', () => {
  it('every chapter page draws all its figures, typesets its math, logs no error and requests only file: URLs', async () => {
    assert.ok(build.site.pages.length >= 2);
    for (const p of build.site.pages) {
      const o = await open(p.file);
      try {
        const figs = await figuresDrawn(o.page);
        const expected = build.figures.figures.filter((f) => f.chapter === p.chapter).map((f) => f.id);
        assert.deepEqual(figs.map((f) => f.id), expected, `${p.file}: figure divs (id = figure id) vs the figure index`);
        for (const f of figs) assert.ok(f.svg >= 1, `${p.file}: figure ${f.id} has no plotly SVG (not drawn)`);
        const math = await o.page.$$eval('.jp-MarkdownCell .katex', (els) => els.length);
        const mathErrors = await o.page.$$eval('.katex-error', (els) => els.map((e) => e.getAttribute('title') ?? e.textContent));
        const rawDollars = await o.page.$$eval('.jp-MarkdownCell .jp-RenderedMarkdown', (cells) =>
          cells
            .map((c) => {
              const copy = c.cloneNode(true) as HTMLElement;
              copy.querySelectorAll('.katex, code, pre').forEach((e) => e.remove());
              return copy.textContent ?? '';
            })
            .filter((t) => t.includes('$')),
        );
        assert.ok(math > 0, `${p.file}: no KaTeX math in markdown cells`);
        assert.deepEqual(mathErrors, [], `${p.file}: KaTeX could not typeset`);
        assert.deepEqual(rawDollars, [], `${p.file}: markdown still shows $…$ source`);
        const scripts = await o.page.$$eval('script[src]', (s) => s.map((e) => e.getAttribute('src')));
        assert.equal(scripts.filter((s) => s === 'plotly.min.js').length, 1, `${p.file}: plotly.min.js referenced once`);
        assert.equal(await o.page.$$eval('script[data-dlopt-plotly-library]', (s) => s.length), 0, `${p.file}: inlined plotly.js left`);
        await o.page.screenshot({ path: path.join(shots, p.file.replace(/\.html$/, '.png')), fullPage: true });
        assertOffline(o, p.file);
        idsOnPage.set(p.file, new Set(await o.page.$$eval('[id]', (els) => els.map((e) => e.id))));
        opened.set(p.file, o);
      } catch (err) {
        await o.page.close();
        throw err;
      }
    }
  });

  it('the 3D surface is drawn by WebGL (its canvas region is not blank)', async () => {
    const o = await fixturePage();
    {
      const figs = await figuresDrawn(o.page);
      const surface = figs.find((f) => f.id === 'ch99-saddle-surface');
      assert.ok(surface && surface.gl >= 1, 'ch99-saddle-surface has no WebGL canvas');
      await o.page.locator('#ch99-saddle-surface').scrollIntoViewIfNeeded();
      await o.page.waitForTimeout(300);
      // Only the WebGL canvas's region (the colour bar beside it is SVG and colourful by itself).
      const box = await o.page.locator('#ch99-saddle-surface .gl-container canvas').first().boundingBox();
      assert.ok(box && box.width > 50 && box.height > 50, `the WebGL canvas has no size: ${JSON.stringify(box)}`);
      const shot = await o.page.screenshot({ clip: box, path: path.join(shots, 'ch99-saddle-surface-webgl.png') });
      const share = await colourfulShare(o.page, shot);
      assert.ok(share > 0.05, `the WebGL scene looks blank: ${(share * 100).toFixed(2)}% coloured pixels`);
      assertOffline(o, '99-figures-fixture.html');
    }
  });

  it('moving the slider of ch99-slider-sine replaces the plotted curve', async () => {
    const o = await fixturePage();
    {
      const fig = o.page.locator('#ch99-slider-sine');
      await fig.scrollIntoViewIfNeeded();
      const line = fig.locator('.scatterlayer .trace path.js-line').first();
      const before = await line.getAttribute('d');
      const active = () => o.page.evaluate(() => (document.querySelector('#ch99-slider-sine .js-plotly-plot') as unknown as { _fullLayout: { sliders: { active: number }[] } })._fullLayout.sliders[0].active);
      assert.equal(await active(), 0);
      await fig.screenshot({ path: path.join(shots, 'ch99-slider-sine-before.png') });
      const rail = await fig.locator('.slider-rail-rect').first().boundingBox();
      assert.ok(rail, 'the slider rail is not on the page');
      // Drag the grip along the rail to the last step, as a reader would.
      await o.page.mouse.move(rail.x + 4, rail.y + rail.height / 2);
      await o.page.mouse.down();
      await o.page.mouse.move(rail.x + rail.width * 0.99, rail.y + rail.height / 2, { steps: 8 });
      await o.page.mouse.up();
      await o.page.waitForFunction((d) => document.querySelector('#ch99-slider-sine .scatterlayer .trace path.js-line')?.getAttribute('d') !== d, before, { timeout: 10_000 });
      const afterD = await line.getAttribute('d');
      assert.notEqual(afterD, before, 'the curve did not change');
      assert.equal(await active(), 4, 'the slider should sit on its last step (k = 5)');
      // The "current value" caption is one of the slider's text labels.
      const labels = await fig.locator('text.slider-label').allTextContents();
      assert.ok(labels.includes('k = 5'), `slider caption should read "k = 5"; labels: ${labels.join(' | ')}`);
      await fig.screenshot({ path: path.join(shots, 'ch99-slider-sine-after.png') });
      assertOffline(o, '99-figures-fixture.html');
    }
  });

  it('index.html links every chapter, section and figure to an existing id; #figure-id scrolls to the figure', async () => {
    const o = await open('index.html');
    let links: string[];
    try {
      links = await o.page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      assertOffline(o, 'index.html');
    } finally {
      await o.page.close();
    }
    for (const p of build.site.pages) assert.ok(links.includes(p.file), `index.html does not link ${p.file}`);
    for (const f of build.figures.figures) assert.ok(links.includes(f.site), `index.html does not link ${f.site}`);
    assert.ok(idsOnPage.size > 0, 'the chapter pages were not loaded by the first test');
    const missing: string[] = [];
    for (const l of links.filter((x) => x.includes('#'))) {
      const [file, id] = l.split('#');
      const ids = idsOnPage.get(file);
      // As a browser resolves a fragment: the id as written, else percent-decoded.
      if (!ids || (!ids.has(id) && !ids.has(decodeURIComponent(id)))) missing.push(l);
    }
    assert.deepEqual(missing, [], 'links in index.html to anchors that do not exist');
    // Following #ch99-saddle-surface scrolls to the figure.
    const o3 = await fixturePage();
    await o3.page.evaluate(() => window.scrollTo(0, 0));
    await o3.page.evaluate(() => {
      location.hash = '#ch99-saddle-surface';
    });
    await o3.page.waitForFunction(() => window.scrollY > 0, undefined, { timeout: 5000 }).catch(() => undefined);
    // The figure's top is at the top of the window, or as near as the end of the page allows.
    const pos = await o3.page.evaluate(() => ({
      top: document.getElementById('ch99-saddle-surface')!.getBoundingClientRect().top,
      scrollY: window.scrollY,
      maxScroll: document.documentElement.scrollHeight - window.innerHeight,
    }));
    assert.ok(pos.scrollY > 0 && pos.top >= 0 && (pos.top < 40 || pos.scrollY >= pos.maxScroll - 1), `#ch99-saddle-surface did not scroll to the figure: ${JSON.stringify(pos)}`);
  });
});
