/**
 * Figure export and site build (scripts/figures.ts, scripts/site.ts) on the test build of test/site-build.ts
 * (00-setup + a fixture with a slider figure and a 3D surface):
 *   - a figure id shown twice anywhere fails, naming both places;
 *   - the index is complete: exactly the figures an independent scan of the executed notebooks finds, with
 *     chapter, the heading above the figure and links that exist in the site;
 *   - SVG and PNG files are real images of the right size, a 3D surface is not blank;
 *   - executed notebooks carry a static palette image/png per figure, and no output carries plotly.js or HTML;
 *   - nbconvert pages and site pages load one shared plotly.min.js at page level;
 *   - across the course's source notebooks no figure id literal is used by two chapters.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  collectFigures,
  htmlHeadings,
  markdownHeadings,
  nbconvertAnchor,
  notebookHeadings,
  readNotebook,
  splitHtmlCells,
  MIN_GL_COVERAGE,
} from '../../scripts/figures';
import { mapMarkdownCells, protectMathInHtml } from '../../scripts/site';
import { listNotebooks } from '../../scripts/run-notebooks';
import { ensureTestBuild, FIXTURE, TestBuild } from '../site-build';

let build: TestBuild;

before(async () => {
  build = await ensureTestBuild();
}, { timeout: 20 * 60_000 });

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  assert.ok(buf.subarray(0, 8).equals(PNG_MAGIC), 'not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function figureOutput(id: string, caption = 'c') {
  return {
    output_type: 'display_data',
    data: { 'application/vnd.plotly.v1+json': { data: [{ type: 'scatter', x: [1], y: [1] }], layout: {} }, 'text/plain': id },
    metadata: { 'dl-optimization': { figure_id: id, caption } },
  };
}

function writeTmpNotebook(dir: string, name: string, cells: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 4 }));
  return file;
}

describe('figure ids and headings (no browser)', () => {
  it('splitHtmlCells cuts an nbconvert page at its cells (the one splitter of figures.ts and site.ts)', () => {
    const head = '<html><body><div class="jp-Notebook">';
    const md = '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><h1 id="T">T</h1></div>';
    const code = '<div  class="jp-Cell jp-CodeCell jp-Notebook-cell"><pre>x</pre></div>';
    const raw = '<div class="jp-Cell jp-RawCell">r</div></div></body></html>';
    const page = head + md + code + raw;
    assert.deepEqual(splitHtmlCells(page), { head, cells: [{ type: 'markdown', html: md }, { type: 'code', html: code }, { type: 'raw', html: raw }] });
    assert.deepEqual(splitHtmlCells('<p>no cells</p>'), { head: '<p>no cells</p>', cells: [] });
    // the markdown cells only, the rest byte for byte
    assert.equal(mapMarkdownCells(page, (c) => c.toUpperCase()), head + md.toUpperCase() + code + raw);
  });

  it('a figure id shown in two notebooks fails the build, naming both notebooks, cells and headings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-figs-'));
    try {
      const a = writeTmpNotebook(dir, '02-a.ipynb', [
        { cell_type: 'markdown', source: '## Saddles', metadata: {} },
        { cell_type: 'code', source: 'show()', outputs: [figureOutput('ch02-saddle-surface')], metadata: {}, execution_count: 1 },
      ]);
      const b = writeTmpNotebook(dir, '03-b.ipynb', [
        { cell_type: 'markdown', source: '# Three\n\n## Again', metadata: {} },
        { cell_type: 'code', source: 'x', outputs: [], metadata: {}, execution_count: 1 },
        { cell_type: 'code', source: 'show()', outputs: [figureOutput('ch02-saddle-surface')], metadata: {}, execution_count: 2 },
      ]);
      assert.throws(
        () => collectFigures([a, b]),
        (err: Error) =>
          /duplicate figure id "ch02-saddle-surface"/.test(err.message) &&
          err.message.includes('02-a.ipynb cell 1 (under "Saddles")') &&
          err.message.includes('03-b.ipynb cell 2 (under "Again")'),
      );
      // The same id twice in one notebook fails too.
      const c = writeTmpNotebook(dir, '04-c.ipynb', [
        { cell_type: 'code', source: 's', outputs: [figureOutput('ch04-x'), figureOutput('ch04-x')], metadata: {}, execution_count: 1 },
      ]);
      assert.throws(() => collectFigures([c]), /duplicate figure id "ch04-x": 04-c.ipynb cell 0 and 04-c.ipynb cell 0/);
      // An id that cannot be a file name or an anchor is refused.
      const d = writeTmpNotebook(dir, '05-d.ipynb', [
        { cell_type: 'code', source: 's', outputs: [figureOutput('../ch05 x')], metadata: {}, execution_count: 1 },
      ]);
      assert.throws(() => collectFigures([d]), /figure id "\.\.\/ch05 x" in 05-d\.ipynb cell 0 is not usable/);
      // Distinct ids pass and keep course order.
      assert.deepEqual(collectFigures([a]).map((r) => [r.id, r.cell, r.heading?.text]), [['ch02-saddle-surface', 1, 'Saddles']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("nbconvertAnchor reproduces nbconvert's heading ids (spaces → '-', URL-quoted)", () => {
    assert.equal(nbconvertAnchor("00 · Setup: the course's toolchain on one page"), "00-%C2%B7-Setup:-the-course's-toolchain-on-one-page");
    assert.equal(nbconvertAnchor('Step size η: a slider figure'), 'Step-size-%CE%B7:-a-slider-figure');
    assert.equal(nbconvertAnchor('A (b), c=d?'), 'A-(b),-c=d?');
  });

  it('markdown headings (fallback) agree with the ids in the nbconvert pages of the test build', () => {
    for (const r of build.notebooks) {
      const nb = readNotebook(r.executed);
      const html = fs.readFileSync(r.html, 'utf8');
      const fromHtml = notebookHeadings(nb, html);
      const fromMd = notebookHeadings(nb);
      assert.ok(fromHtml.length >= 3, `${r.notebook}: headings found in the page`);
      assert.deepEqual(fromMd, fromHtml, `${r.notebook}: headings from markdown vs from the nbconvert page`);
    }
    assert.deepEqual(markdownHeadings('```\n# not a heading\n```\n## **Bold** `code` [link](x)'), [
      { level: 2, text: 'Bold code link', anchor: 'Bold-code-link', cell: -1 },
    ]);
    assert.deepEqual(htmlHeadings('<h3 id="a&amp;b">A &amp; B<a class="anchor-link" href="#a&amp;b">¶</a></h3>'), [
      { level: 3, text: 'A & B', anchor: 'a&b', cell: -1 },
    ]);
  });
});

describe('figure export of the test build', () => {
  it('index.json lists exactly the figures of the executed notebooks, in course order, with chapter and heading', () => {
    const scanned: { id: string; notebook: string; cell: number }[] = [];
    for (const file of build.executed) {
      readNotebook(file).cells.forEach((c, i) => {
        for (const o of c.outputs ?? []) {
          const id = (o.metadata?.['dl-optimization'] as { figure_id?: string } | undefined)?.figure_id;
          if (id) scanned.push({ id, notebook: path.basename(file), cell: i });
        }
      });
    }
    const index = JSON.parse(fs.readFileSync(path.join(build.dir, 'figures', 'index.json'), 'utf8')) as TestBuild['figures'];
    assert.deepEqual(index.figures.map((f) => ({ id: f.id, notebook: f.notebook, cell: f.cell })), scanned);
    assert.ok(scanned.length >= 3);
    const byId = new Map(index.figures.map((f) => [f.id, f]));
    assert.equal(byId.get('ch00-tanh-derivative')?.heading?.text, 'An interactive figure');
    assert.equal(byId.get('ch99-slider-sine')?.heading?.text, 'Step size η: a slider figure');
    assert.equal(byId.get('ch99-saddle-surface')?.heading?.anchor, 'A-saddle-surface');
    assert.equal(byId.get('ch99-slider-sine')?.chapter, '99-figures-fixture');
    assert.equal(byId.get('ch99-slider-sine')?.chapterTitle, '99 · Figure fixture for the build tests');
    assert.equal(byId.get('ch99-slider-sine')?.interactive, true);
    assert.equal(byId.get('ch99-saddle-surface')?.site, '99-figures-fixture.html#ch99-saddle-surface');
    const html = fs.readFileSync(path.join(build.dir, 'figures', 'index.html'), 'utf8');
    for (const f of index.figures) {
      assert.ok(html.includes(`id="${f.id}"`) && html.includes(f.link), `figures/index.html lacks ${f.id}`);
      // The links resolve: the site page exists and carries both ids.
      const page = fs.readFileSync(path.join(build.dir, 'figures', f.link.split('#')[0]), 'utf8');
      assert.ok(page.includes(`id="${f.id}"`), `${f.site}: no element with id ${f.id}`);
      assert.ok(f.heading && page.includes(`id="${f.heading.anchor}"`), `${f.siteHeading}: no heading with that id`);
    }
  });

  it('every figure has an SVG from plotly and PNGs at 2× (slides) and 1× (notebook) of its layout size', () => {
    for (const f of build.figures.figures) {
      const dir = path.join(build.dir, 'figures');
      const svg = fs.readFileSync(path.join(dir, f.svg), 'utf8');
      assert.match(svg, /^<svg[^>]*class="main-svg"/, `${f.svg} is not plotly's SVG`);
      assert.match(svg, new RegExp(`width="${f.width}" height="${f.height}"`));
      assert.deepEqual(pngSize(fs.readFileSync(path.join(dir, f.png))), { width: 2 * f.width, height: 2 * f.height });
      assert.deepEqual(pngSize(fs.readFileSync(path.join(dir, f.thumbnail))), { width: f.width, height: f.height });
      assert.ok(fs.statSync(path.join(dir, f.png)).size > 10_000, `${f.png} is suspiciously small`);
    }
  });

  it('the 3D surface was rendered through WebGL and is not blank', () => {
    const s = build.figures.figures.find((f) => f.id === 'ch99-saddle-surface');
    assert.ok(s?.is3d);
    assert.ok(s.glCoverage && s.glCoverage.length === 1 && s.glCoverage[0] >= MIN_GL_COVERAGE, `coverage ${s.glCoverage}`);
    const svg = fs.readFileSync(path.join(build.dir, 'figures', s.svg), 'utf8');
    assert.match(svg, /<image[^>]+href="data:image\/png;base64,/, 'the 3D scene is embedded in the SVG as a WebGL snapshot');
  });

  it('executed notebooks carry a static palette image/png per figure, no plotly.js and no HTML; source stays output-free', () => {
    for (const file of build.executed) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /plotly\.js v\d|plotly\.min\.js|Plotly\.newPlot/, `${path.basename(file)}: an output carries plotly.js or code that needs it`);
      for (const c of readNotebook(file).cells) {
        for (const o of c.outputs ?? []) {
          const id = (o.metadata?.['dl-optimization'] as { figure_id?: string } | undefined)?.figure_id;
          if (!id) continue;
          const png = Buffer.from(String(o.data?.['image/png']), 'base64');
          const f = build.figures.figures.find((x) => x.id === id)!;
          assert.deepEqual(pngSize(png), { width: f.width, height: f.height }, `${id}: image/png of the figure's size`);
          assert.equal(png[25], 3, `${id}: the static image/png is a palette PNG (IHDR colour type 3)`);
          assert.deepEqual(Object.keys(o.data ?? {}).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/plain'], `${id}: the bundle's mime types`);
        }
      }
      // The budget of issue 13: a chapter's executed copy (PNG fallbacks included) stays under 440 KB.
      assert.ok(fs.statSync(file).size < 440e3, `${path.basename(file)} is ${fs.statSync(file).size} bytes`);
    }
    const fixture = readNotebook(FIXTURE);
    assert.ok(fixture.cells.every((c) => (c.outputs ?? []).length === 0), 'the fixture source notebook gained outputs');
  });

  it('nbconvert pages draw their figures with one page-level plotly.min.js next to them', () => {
    for (const r of build.notebooks) {
      const html = fs.readFileSync(r.html, 'utf8');
      const figures = (html.match(/<div class="dlopt-figure"[^>]*\sid="/g) ?? []).length;
      assert.ok(figures >= 1, `${path.basename(r.html)} shows no figure`);
      assert.equal(html.split('<script src="plotly.min.js"></script>').length - 1, 1, `${path.basename(r.html)}: plotly.min.js loaded once`);
      assert.doesNotMatch(html, /plotly\.js v\d/, `${path.basename(r.html)} inlines plotly.js`);
      assert.equal(fs.statSync(path.join(path.dirname(r.html), 'plotly.min.js')).size, fs.statSync(require.resolve('plotly.js-dist-min/plotly.min.js')).size);
    }
  });

  it('site pages load the shared plotly.min.js once, inline no copy and are small', () => {
    const site = build.site.outDir;
    assert.ok(fs.statSync(path.join(site, 'plotly.min.js')).size > 1e6);
    assert.ok(fs.existsSync(path.join(site, 'katex', 'katex.min.css')));
    assert.ok(fs.readdirSync(path.join(site, 'katex', 'fonts')).some((f) => f.endsWith('.woff2')));
    for (const p of build.site.pages) {
      const html = fs.readFileSync(path.join(site, p.file), 'utf8');
      assert.doesNotMatch(html, /plotly\.js v\d/, `${p.file} inlines plotly.js`);
      assert.equal(html.split('<script src="plotly.min.js"></script>').length - 1, 1, `${p.file}: plotly.min.js referenced once`);
      assert.ok(html.length < 1.5e6, `${p.file} is ${html.length} bytes`);
      assert.ok(!/<(script|img|iframe)\b[^>]*\ssrc="(https?:)?\/\/|<link\b[^>]*\shref="(https?:)?\/\//.test(html), `${p.file} loads a remote script, image or stylesheet`);
    }
    // Math in raw HTML blocks (e.g. <details>) keeps its '<' (nbconvert does not escape it there): the site escapes it.
    assert.equal(
      protectMathInHtml('For $\\sum_{k<K}\\varepsilon_k$, $$a<b$$, $x < y$ but $5 <b>bold</b> $6'),
      'For $\\sum_{k&lt;K}\\varepsilon_k$, $$a&lt;b$$, $x < y$ but $5 <b>bold</b> $6',
    );
    const page = '<body><div class="jp-Cell jp-MarkdownCell x">$a<b$</div><div class="jp-Cell jp-CodeCell x">$a<b$</div></body>';
    assert.equal(mapMarkdownCells(page, protectMathInHtml), page.replace('$a<b$</div><div class="jp-Cell jp-Code', '$a&lt;b$</div><div class="jp-Cell jp-Code'));
  });
});

describe('course notebooks', () => {
  it('no figure id literal is used by two chapters (static scan of the source notebooks)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const file of listNotebooks()) {
      const name = path.basename(file);
      const ids = new Set<string>();
      for (const c of readNotebook(file).cells) {
        if (c.cell_type !== 'code') continue;
        const code = Array.isArray(c.source) ? c.source.join('') : c.source;
        for (const m of code.matchAll(/\bid\s*:\s*["'`](ch\d\d-[a-z0-9-]+)["'`]/g)) ids.add(m[1]);
      }
      for (const id of ids) {
        const prev = owner.get(id);
        if (prev) clashes.push(`${id} in ${prev} and ${name}`);
        else owner.set(id, name);
      }
    }
    assert.deepEqual(clashes, []);
  });
});
