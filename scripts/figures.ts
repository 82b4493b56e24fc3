/**
 * Figure export: every figure that any executed notebook shows (a display_data whose metadata carries
 * {'dl-optimization': {figure_id, caption}}) becomes
 *   build/figures/<id>.svg         Plotly.toImage(fig, {format: 'svg'}) in headless Chromium (3D via SwiftShader WebGL)
 *   build/figures/<id>.png         that SVG rasterized at scale 2 (what Plotly.toImage({format: 'png', scale: 2}) does)
 *   build/figures/small/<id>.png   the same at scale 1 with a 64-colour palette: thumbnail, and the static image/png
 *                                  added to the figure's display bundle in the executed notebook (GitHub, front ends
 *                                  without a plotly renderer)
 *   build/figures/index.json|html  id, caption, chapter, the heading the figure sits under, links into the site
 * One browser renders all figures; a figure whose spec did not change since the last export is reused.
 * A figure id shown twice anywhere in the course fails, naming both places.
 *
 *   npx tsx scripts/figures.ts [--force]   (exports from build/notebooks/*.ipynb whose source notebook exists)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HELP, parseFlags } from './args';
import { launchChromium } from './browser';
import { ROOT } from './jupyter';
import { median } from '../bench/stats';
import { PLOTLY_MIME, escapeHtml } from '../src/edge/show';

/** Bumped when the rendering below changes, so cached images are redone. */
const EXPORT_VERSION = 2;
/**
 * Colours of the 1× PNG (the static fallback inside executed notebooks, for viewers without a plotly renderer):
 * a 64-colour palette is 4.6× smaller than the truecolour image (72 figures: 5.65 → 1.22 MB); text stays sharp,
 * smooth colour scales show bands. The 2× PNG and the SVG for slides stay full colour.
 */
export const FALLBACK_PNG_COLORS = 64;
const DEFAULT_WIDTH = 900;
const DEFAULT_HEIGHT = 450;
/** A 3D scene whose WebGL snapshot has fewer non-background pixels than this is called blank. */
export const MIN_GL_COVERAGE = 0.02;
const GL3D_TYPES = new Set(['surface', 'mesh3d', 'scatter3d', 'cone', 'streamtube', 'isosurface', 'volume']);
const WEBGL_TYPES = new Set([...GL3D_TYPES, 'scattergl', 'splom', 'parcoords', 'scatterpolargl', 'heatmapgl']);

// ───────────────────────────── notebooks and their HTML ─────────────────────────────

interface NbOutput {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
}
export interface Notebook {
  cells: NbCell[];
  metadata?: Record<string, unknown>;
  [k: string]: unknown;
}

/** A heading of a markdown cell: its level, plain text and the id nbconvert gave it (the #anchor). */
export interface Heading {
  level: number;
  text: string;
  anchor: string;
  cell: number;
}

const src = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : s ?? '');

/** Reads an .ipynb file. */
export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

/** Writes an .ipynb the way nbformat does (indent 1, UTF-8, trailing newline). */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes HTML character references (&amp; &#183; &#x27; …). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** nbconvert's heading id: spaces → '-', then URL-quoted keeping ?/:@!$&'()*+,;= (nbconvert.filters.strings). */
export function nbconvertAnchor(text: string): string {
  return encodeURIComponent(text.replace(/ /g, '-')).replace(/%(3F|2F|3A|40|24|26|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));
}

/** Headings (with ids) in an HTML fragment, in document order. */
export function htmlHeadings(html: string, cell = -1): Heading[] {
  const out: Heading[] = [];
  const re = /<h([1-6])\b([^>]*)>([\s\S]*?)<\/h\1>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const id = /\bid="([^"]*)"/.exec(m[2]) ?? /\bid='([^']*)'/.exec(m[2]);
    if (!id) continue;
    const inner = m[3].replace(/<a\b[^>]*class="anchor-link"[^>]*>[\s\S]*?<\/a>/gi, '');
    const text = decodeEntities(inner.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
    out.push({ level: Number(m[1]), text, anchor: decodeEntities(id[1]), cell });
  }
  return out;
}

/** Markdown headings of one cell's source, with the id nbconvert would give them (fallback when no HTML). */
export function markdownHeadings(markdown: string, cell = -1): Heading[] {
  const out: Heading[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[2]
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__|\*|_|`)/g, '')
      .replace(/<[^>]+>/g, '')
      .trim();
    out.push({ level: m[1].length, text, anchor: nbconvertAnchor(text), cell });
  }
  return out;
}

/**
 * An nbconvert (lab template) page cut at its cells: `head` is everything before the first cell, then each
 * cell from its `<div class="jp-Cell jp-…Cell">` up to the next cell (the last one to the end of the page),
 * with its type in lower case (markdown, code, raw). head + every cell's html is the page again.
 */
export function splitHtmlCells(html: string): { head: string; cells: { type: string; html: string }[] } {
  const re = /<div\s+class="jp-Cell\s+jp-(\w+?)Cell\b/g;
  const starts: { type: string; at: number }[] = [];
  for (let m = re.exec(html); m; m = re.exec(html)) starts.push({ type: m[1].toLowerCase(), at: m.index });
  return {
    head: html.slice(0, starts.length ? starts[0].at : html.length),
    cells: starts.map((s, i) => ({ type: s.type, html: html.slice(s.at, i + 1 < starts.length ? starts[i + 1].at : html.length) })),
  };
}

/**
 * Headings of every markdown cell of a notebook. Ids are read from the nbconvert HTML page when its cells
 * line up with the notebook's (so anchors are exactly the page's); otherwise computed from the markdown.
 */
export function notebookHeadings(nb: Notebook, html?: string): Heading[] {
  const cells = html ? splitHtmlCells(html).cells : [];
  const types = nb.cells.filter((c) => c.cell_type !== 'raw').map((c) => c.cell_type);
  const aligned = cells.length === types.length && cells.every((c, i) => c.type === types[i]);
  const out: Heading[] = [];
  let k = 0;
  nb.cells.forEach((c, i) => {
    if (c.cell_type === 'raw') return;
    const chunk = aligned ? cells[k++] : undefined;
    if (c.cell_type !== 'markdown') return;
    // Only the cell's own rendered markdown, not anything after it.
    out.push(...(chunk ? htmlHeadings(chunk.html, i) : markdownHeadings(src(c.source), i)));
  });
  return out;
}

// ───────────────────────────── figures in executed notebooks ─────────────────────────────

/** A plotly figure spec as stored in the bundle. */
export interface PlotlySpec {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  frames?: unknown[];
  config?: Record<string, unknown>;
}

/** One figure of the course and where it is. */
export interface FigureRecord {
  id: string;
  caption: string;
  /** Executed notebook file name, e.g. 02-critical-points.ipynb. */
  notebook: string;
  /** Notebook stem = chapter, e.g. 02-critical-points. */
  chapter: string;
  /** The chapter's title (its first level-1 heading). */
  chapterTitle: string;
  /** Index of the code cell that shows the figure, and of the output within that cell. */
  cell: number;
  output: number;
  /** The last markdown heading before the figure's cell (null when the figure precedes every heading). */
  heading: { level: number; text: string; anchor: string } | null;
  /** Links relative to the site root: the figure itself (#id) and its heading. */
  site: { page: string; href: string; headingHref: string | null };
  width: number;
  height: number;
  webgl: boolean;
  is3d: boolean;
  traceTypes: string[];
  hasFrames: boolean;
  hash: string;
  spec: PlotlySpec;
}

/** What collectFigures needs to find a notebook's HTML page (for heading ids). */
export interface CollectOptions {
  htmlDir?: string;
}

function plotlyVersion(): string {
  return (require('plotly.js-dist-min/package.json') as { version: string }).version;
}

function figureHash(spec: PlotlySpec, width: number, height: number): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ v: EXPORT_VERSION, plotly: plotlyVersion(), width, height, spec }));
  return h.digest('hex').slice(0, 16);
}

function where(r: { notebook: string; cell: number; heading: { text: string } | null }): string {
  return `${r.notebook} cell ${r.cell}${r.heading ? ` (under "${r.heading.text}")` : ''}`;
}

/**
 * Lists the figures of executed notebooks in course order (notebook, cell, output).
 * Throws when a figure id appears twice anywhere, naming both places.
 */
export function collectFigures(notebookFiles: string[], opts: CollectOptions = {}): FigureRecord[] {
  const records: FigureRecord[] = [];
  const seen = new Map<string, FigureRecord>();
  for (const file of notebookFiles) {
    const nb = readNotebook(file);
    const chapter = path.basename(file, '.ipynb');
    const htmlFile = opts.htmlDir ? path.join(opts.htmlDir, `${chapter}.html`) : undefined;
    const html = htmlFile && fs.existsSync(htmlFile) ? fs.readFileSync(htmlFile, 'utf8') : undefined;
    const headings = notebookHeadings(nb, html);
    const chapterTitle = headings.find((h) => h.level === 1)?.text ?? chapter;
    nb.cells.forEach((cell, i) => {
      (cell.outputs ?? []).forEach((o, j) => {
        const meta = o.metadata?.['dl-optimization'] as { figure_id?: string; caption?: string } | undefined;
        if (!meta?.figure_id) return;
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(meta.figure_id)) {
          throw new Error(`figure id ${JSON.stringify(meta.figure_id)} in ${chapter}.ipynb cell ${i} is not usable as a file name or #anchor`);
        }
        const spec = o.data?.[PLOTLY_MIME] as PlotlySpec | undefined;
        if (!spec || !Array.isArray(spec.data)) {
          throw new Error(`figure ${meta.figure_id} in ${chapter}.ipynb cell ${i} has no ${PLOTLY_MIME} data`);
        }
        const before = headings.filter((h) => h.cell < i);
        const h = before.length ? before[before.length - 1] : null;
        const layout = spec.layout ?? {};
        const width = typeof layout.width === 'number' ? layout.width : DEFAULT_WIDTH;
        const height = typeof layout.height === 'number' ? layout.height : DEFAULT_HEIGHT;
        const traceTypes = [...new Set(spec.data.map((t) => String(t.type ?? 'scatter')))];
        const page = `${chapter}.html`;
        const rec: FigureRecord = {
          id: meta.figure_id,
          caption: meta.caption ?? '',
          notebook: `${chapter}.ipynb`,
          chapter,
          chapterTitle,
          cell: i,
          output: j,
          heading: h ? { level: h.level, text: h.text, anchor: h.anchor } : null,
          site: { page, href: `${page}#${meta.figure_id}`, headingHref: h ? `${page}#${h.anchor}` : null },
          width,
          height,
          webgl: traceTypes.some((t) => WEBGL_TYPES.has(t)),
          is3d: traceTypes.some((t) => GL3D_TYPES.has(t)),
          traceTypes,
          hasFrames: Array.isArray(spec.frames) && spec.frames.length > 0,
          hash: figureHash(spec, width, height),
          spec,
        };
        const prev = seen.get(rec.id);
        if (prev) throw new Error(`duplicate figure id "${rec.id}": ${where(prev)} and ${where(rec)}`);
        seen.set(rec.id, rec);
        records.push(rec);
      });
    });
  }
  return records;
}

// ───────────────────────────── rendering in Chromium ─────────────────────────────

/** What the page returns for one figure. */
interface Rendered {
  svg: string;
  png1: string;
  png2: string;
  gl: number[];
  ms: number;
}

// Runs in the page: Plotly.toImage → SVG; the SVG rasterized at scale 1 and 2 exactly as plotly's own
// svgToImg does for format 'png'; for WebGL snapshots embedded in the SVG, the share of pixels that
// differ from the snapshot's corner (background) pixel, to catch a blank 3D scene.
const PAGE_EXPORTER = `
window.__dloptExport = async function (fig, width, height, measureGl) {
  var t0 = performance.now();
  var svg = await window.Plotly.toImage({ data: fig.data, layout: fig.layout || {}, frames: fig.frames || [], config: fig.config || {} },
    { format: 'svg', width: width, height: height, imageDataOnly: true });
  var img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  await img.decode();
  function raster(scale) {
    var c = document.createElement('canvas'); c.width = width * scale; c.height = height * scale;
    c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
    return c.toDataURL('image/png').slice('data:image/png;base64,'.length);
  }
  var gl = [];
  if (measureGl) {
    var doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    var ims = doc.querySelectorAll('image');
    for (var k = 0; k < ims.length; k++) {
      var href = ims[k].getAttribute('xlink:href') || ims[k].getAttribute('href') || '';
      if (href.indexOf('data:image/') !== 0) continue;
      var im = new Image(); im.src = href; await im.decode();
      var c = document.createElement('canvas'); c.width = im.naturalWidth; c.height = im.naturalHeight;
      var ctx = c.getContext('2d', { willReadFrequently: true }); ctx.drawImage(im, 0, 0);
      var d = ctx.getImageData(0, 0, c.width, c.height).data, n = 0;
      for (var p = 0; p < d.length; p += 4) {
        if (Math.abs(d[p] - d[0]) + Math.abs(d[p + 1] - d[1]) + Math.abs(d[p + 2] - d[2]) + Math.abs(d[p + 3] - d[3]) > 24) n++;
      }
      gl.push(n / (d.length / 4));
    }
  }
  return { svg: svg, png2: raster(2), png1: raster(1), gl: gl, ms: performance.now() - t0 };
};`;

/** A page with plotly.js loaded that renders figures; requests other than data:/about: are refused. */
export async function exporterPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  const refused: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')) return route.continue();
    refused.push(url);
    return route.abort();
  });
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ path: require.resolve('plotly.js-dist-min/plotly.min.js') });
  await page.addScriptTag({ content: PAGE_EXPORTER });
  return page;
}

async function renderOne(page: Page, rec: FigureRecord, timeoutMs: number): Promise<Rendered> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([
      page.evaluate(
        ([fig, w, h, gl]) => (window as unknown as { __dloptExport: (...a: unknown[]) => Promise<Rendered> }).__dloptExport(fig, w, h, gl),
        [rec.spec, rec.width, rec.height, rec.webgl] as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ───────────────────────────── the stage ─────────────────────────────

/** One entry of build/figures/index.json. */
export interface FigureIndexEntry {
  id: string;
  caption: string;
  chapter: string;
  chapterTitle: string;
  notebook: string;
  cell: number;
  heading: { level: number; text: string; anchor: string } | null;
  /** Link into the site, relative to the site root (page#figure-id) and to the figures directory. */
  site: string;
  siteHeading: string | null;
  link: string;
  headingLink: string | null;
  svg: string;
  png: string;
  thumbnail: string;
  width: number;
  height: number;
  traceTypes: string[];
  is3d: boolean;
  interactive: boolean;
  /** Share of non-background pixels in each WebGL snapshot (3D figures; > MIN_GL_COVERAGE means not blank). */
  glCoverage?: number[];
  hash: string;
  /** Seconds the export took in the browser (0 when reused from the previous export). */
  seconds: number;
  cached: boolean;
}

export interface FigureIndex {
  generated: string;
  plotly: string;
  siteRoot: string;
  figures: FigureIndexEntry[];
}

export interface ExportOptions {
  /** Executed notebooks (build/notebooks/*.ipynb). */
  notebooks: string[];
  /** Where nbconvert's HTML pages are (for heading ids); default: sibling html/ of the notebooks' directory. */
  htmlDir?: string;
  /** Output directory (default build/figures). */
  outDir?: string;
  /** The site directory, for the links in index.html (default build/site). */
  siteDir?: string;
  /** Add image/png to each figure's display bundle in the executed notebooks (default true). */
  injectPng?: boolean;
  /** Re-render even when the cached export matches (default false). */
  force?: boolean;
  /** Per-figure time limit (default 120 s). */
  timeoutSeconds?: number;
  log?: (line: string) => void;
  /** Reuse an already launched browser. */
  browser?: Browser;
}

export interface ExportResult {
  index: FigureIndex;
  records: FigureRecord[];
  rendered: number;
  cached: number;
  seconds: number;
  browserSeconds: number;
  /** Executed notebooks after the PNGs were added: file → bytes. */
  notebookBytes: Record<string, number>;
}

const rel = (from: string, to: string) => path.relative(from, to).split(path.sep).join('/');

/** Renders every figure to SVG + PNG, writes index.json/html and adds image/png to the executed notebooks. */
export async function exportFigures(opts: ExportOptions): Promise<ExportResult> {
  const t0 = Date.now();
  const log = opts.log ?? ((l: string) => console.log(l));
  const outDir = path.resolve(opts.outDir ?? path.join(ROOT, 'build', 'figures'));
  const htmlDir = opts.htmlDir ?? (opts.notebooks[0] ? path.join(path.dirname(path.dirname(opts.notebooks[0])), 'html') : undefined);
  const siteDir = path.resolve(opts.siteDir ?? path.join(path.dirname(outDir), 'site'));
  const timeoutMs = (opts.timeoutSeconds ?? 120) * 1000;
  const records = collectFigures(opts.notebooks, { htmlDir });
  fs.mkdirSync(path.join(outDir, 'small'), { recursive: true });

  const indexFile = path.join(outDir, 'index.json');
  const previous = new Map<string, FigureIndexEntry>();
  if (fs.existsSync(indexFile)) {
    try {
      for (const e of (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as FigureIndex).figures) previous.set(e.id, e);
    } catch {
      /* a broken index is rebuilt */
    }
  }
  const files = (id: string) => ({ svg: path.join(outDir, `${id}.svg`), png: path.join(outDir, `${id}.png`), small: path.join(outDir, 'small', `${id}.png`) });
  const reusable = (r: FigureRecord) => {
    const p = previous.get(r.id);
    const f = files(r.id);
    return !opts.force && p && p.hash === r.hash && fs.existsSync(f.svg) && fs.existsSync(f.png) && fs.existsSync(f.small) ? p : undefined;
  };
  const todo = records.filter((r) => !reusable(r));
  log(`figures: ${records.length} in ${opts.notebooks.length} notebook(s); ${todo.length} to render, ${records.length - todo.length} unchanged`);

  let browser = opts.browser;
  let browserSeconds = 0;
  const entries: FigureIndexEntry[] = [];
  let page: Page | undefined;
  try {
    if (todo.length) {
      const tb = Date.now();
      browser = browser ?? (await launchChromium());
      page = await exporterPage(browser);
      browserSeconds = (Date.now() - tb) / 1000;
      log(`  browser with plotly.js ${plotlyVersion()} ready in ${browserSeconds.toFixed(1)} s`);
    }
    for (const r of records) {
      const f = files(r.id);
      const old = reusable(r);
      let seconds = 0;
      let gl: number[] | undefined = old?.glCoverage;
      if (!old) {
        const ts = Date.now();
        let out: Rendered;
        try {
          out = await renderOne(page!, r, timeoutMs);
        } catch (err) {
          throw new Error(`figure ${r.id} (${where(r)}) failed to render: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        }
        seconds = (Date.now() - ts) / 1000;
        if (r.is3d) {
          gl = out.gl;
          const worst = out.gl.length ? Math.min(...out.gl) : 0;
          if (!(worst >= MIN_GL_COVERAGE)) {
            throw new Error(`figure ${r.id} (${where(r)}): its 3D scene rendered blank (WebGL snapshot coverage ${out.gl.map((g) => g.toFixed(3)).join(', ') || 'none'}); is WebGL (SwiftShader) available in Chromium?`);
          }
        }
        fs.writeFileSync(f.svg, out.svg);
        fs.writeFileSync(f.png, Buffer.from(out.png2, 'base64'));
        fs.writeFileSync(f.small, palettePng(Buffer.from(out.png1, 'base64')));
        log(`  ${r.id.padEnd(34)} ${r.chapter}  ${r.is3d ? '3D' : '2D'}${r.hasFrames ? '+frames' : ''}  ${seconds.toFixed(2)} s` +
          `  svg ${(out.svg.length / 1024).toFixed(0)} KB, png ${(fs.statSync(f.png).size / 1024).toFixed(0)} KB` +
          (gl ? `, WebGL coverage ${gl.map((g) => (g * 100).toFixed(1) + '%').join(', ')}` : ''));
      }
      entries.push({
        id: r.id,
        caption: r.caption,
        chapter: r.chapter,
        chapterTitle: r.chapterTitle,
        notebook: r.notebook,
        cell: r.cell,
        heading: r.heading,
        site: r.site.href,
        siteHeading: r.site.headingHref,
        link: `${rel(outDir, siteDir)}/${r.site.href}`,
        headingLink: r.site.headingHref ? `${rel(outDir, siteDir)}/${r.site.headingHref}` : null,
        svg: `${r.id}.svg`,
        png: `${r.id}.png`,
        thumbnail: `small/${r.id}.png`,
        width: r.width,
        height: r.height,
        traceTypes: r.traceTypes,
        is3d: r.is3d,
        interactive: r.hasFrames,
        ...(gl ? { glCoverage: gl.map((g) => Number(g.toFixed(4))) } : {}),
        hash: r.hash,
        seconds: old ? old.seconds : seconds,
        cached: !!old,
      });
    }
  } finally {
    if (page) await page.close().catch(() => undefined);
    if (browser && !opts.browser) await browser.close().catch(() => undefined);
  }

  // Images of figures that no notebook shows any more go away.
  const keep = new Set(records.map((r) => r.id));
  for (const dir of [outDir, path.join(outDir, 'small')]) {
    for (const f of fs.readdirSync(dir)) {
      const m = /^(.*)\.(svg|png)$/.exec(f);
      if (m && !keep.has(m[1])) fs.rmSync(path.join(dir, f));
    }
  }

  const index: FigureIndex = { generated: new Date().toISOString(), plotly: plotlyVersion(), siteRoot: rel(outDir, siteDir), figures: entries };
  fs.writeFileSync(indexFile, JSON.stringify(index, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'index.html'), indexHtml(index));

  const notebookBytes: Record<string, number> = {};
  if (opts.injectPng ?? true) {
    for (const file of opts.notebooks) {
      const n = addStaticImages(file, (id) => fs.readFileSync(files(id).small).toString('base64'));
      notebookBytes[path.basename(file)] = fs.statSync(file).size;
      if (n) log(`  ${path.basename(file)}: image/png added to ${n} figure(s); ${(notebookBytes[path.basename(file)] / 1e6).toFixed(2)} MB`);
    }
  }
  const rendered = entries.filter((e) => !e.cached);
  const times = rendered.map((e) => e.seconds);
  const medianSeconds = times.length ? median(times) : 0;
  const seconds = (Date.now() - t0) / 1000;
  log(`figures: ${entries.length} in ${path.relative(ROOT, outDir) || outDir} (${rendered.length} rendered, median ${medianSeconds.toFixed(2)} s per figure; ${entries.length - rendered.length} unchanged) in ${seconds.toFixed(1)} s`);
  return { index, records, rendered: rendered.length, cached: entries.length - rendered.length, seconds, browserSeconds, notebookBytes };
}

/** The same picture as an 8-bit palette PNG of FALLBACK_PNG_COLORS colours (UPNG's quantizer). */
export function palettePng(png: Buffer, colors = FALLBACK_PNG_COLORS): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const UPNG = require('upng-js') as {
    decode(b: ArrayBuffer): { width: number; height: number };
    toRGBA8(img: unknown): ArrayBuffer[];
    encode(frames: ArrayBuffer[], w: number, h: number, colors: number): ArrayBuffer;
  };
  const img = UPNG.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer);
  return Buffer.from(UPNG.encode(UPNG.toRGBA8(img), img.width, img.height, colors));
}

/** Adds image/png (base64 from `png(id)`) to every figure bundle of an executed notebook; returns how many. */
export function addStaticImages(file: string, png: (id: string) => string): number {
  const nb = readNotebook(file);
  let n = 0;
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const meta = o.metadata?.['dl-optimization'] as { figure_id?: string } | undefined;
      if (!meta?.figure_id || !o.data) continue;
      o.data['image/png'] = png(meta.figure_id);
      n++;
    }
  }
  if (n) writeNotebook(file, nb);
  return n;
}

/** build/figures/index.html: every figure with its thumbnail, caption, chapter, heading and links. */
export function indexHtml(index: FigureIndex): string {
  const chapters = [...new Set(index.figures.map((f) => f.chapter))];
  const sections = chapters
    .map((ch) => {
      const figs = index.figures.filter((f) => f.chapter === ch);
      const rows = figs
        .map(
          (f) =>
            `<tr id="${escapeHtml(f.id)}"><td><a href="${escapeHtml(f.png)}"><img src="${escapeHtml(f.thumbnail)}" alt="${escapeHtml(f.caption)}" loading="lazy"></a></td>` +
            `<td><code>${escapeHtml(f.id)}</code><p>${escapeHtml(f.caption)}</p>` +
            `<p class="meta">${f.heading ? `under <a href="${escapeHtml(f.headingLink ?? '')}">${escapeHtml(f.heading.text)}</a> · ` : ''}` +
            `<a href="${escapeHtml(f.link)}">interactive</a> · <a href="${escapeHtml(f.svg)}">SVG</a> · <a href="${escapeHtml(f.png)}">PNG</a>` +
            `${f.is3d ? ' · 3D' : ''}${f.interactive ? ' · slider/animation' : ''}</p></td></tr>`,
        )
        .join('\n');
      return `<h2>${escapeHtml(figs[0].chapterTitle)} <small>(${escapeHtml(ch)})</small></h2>\n<table>\n${rows}\n</table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Figures — Optimization in Deep Learning</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.6em;vertical-align:top}
img{width:320px;border:1px solid #eee}code{font-size:95%}.meta{color:#555;font-size:90%}
</style></head><body>
<h1>Figures</h1>
<p>${index.figures.length} figures, exported with plotly.js ${escapeHtml(index.plotly)} (SVG, and PNG at 2× for slides).
Machine-readable: <a href="index.json">index.json</a>. Course site: <a href="${escapeHtml(index.siteRoot)}/index.html">contents</a>.</p>
${sections}
</body></html>
`;
}

/** The executed notebooks whose source notebook still exists (stale copies of removed chapters are ignored). */
export function executedNotebooks(buildDir = path.join(ROOT, 'build')): string[] {
  const dir = path.join(buildDir, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && fs.existsSync(path.join(ROOT, 'notebooks', f)))
    .sort()
    .map((f) => path.join(dir, f));
}

const USAGE = `npx tsx scripts/figures.ts [--force]   exports every figure of build/notebooks/*.ipynb to build/figures
  --force      re-render every figure, also those whose spec did not change
  -h, --help   print this and exit`;

if (require.main === module) {
  Promise.resolve()
    .then(() => {
      const { values } = parseFlags(process.argv.slice(2), { force: { type: 'boolean' }, help: HELP }, USAGE);
      if (values.help) return console.log(USAGE);
      return exportFigures({ notebooks: executedNotebooks(), force: values.force ?? false }).then(() => undefined);
    })
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(`[dl-optimization] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
