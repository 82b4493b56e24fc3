/**
 * The course site: build/site/NN-slug.html per chapter (from nbconvert's page in build/html) plus index.html
 * (table of contents). Works offline from file:// or any static server:
 *   - plotly.js is one file, build/site/plotly.min.js, loaded by every page that has a figure (nbconvert's page
 *     already refers to plotly.min.js next to it: scripts/templates/course);
 *   - math in markdown cells ($…$, $$…$$) is typeset by KaTeX (from npm) with its CSS and fonts in build/site/katex/;
 *   - headings keep nbconvert's ids (stable anchors), each figure div has id = figure id (#ch02-saddle-surface);
 *     retired figure ids and headings (docs/citations.json) keep an empty anchor under the heading that replaced them;
 *   - figures stay interactive (plotly, sliders from frames).
 *
 *   npx tsx scripts/site.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { Heading, decodeEntities, notebookHeadings, readNotebook, splitHtmlCells } from './figures';
import { HELP, parseFlags } from './args';
import { ROOT } from './jupyter';
import { escapeHtml } from '../src/edge/show';
import { LIVE_BUNDLE, LiveBundle, addLiveFigures, bundleLive } from './live-bundle';
import { LIVE_CSS } from '../src/figures/live/markup';
import { CITATIONS_FILE, keepRetiredAnchors, readCitations } from './citations';

export const SITE_TITLE = 'Optimization in Deep Learning';

export interface SitePage {
  chapter: string;
  file: string;
  title: string;
  headings: Heading[];
  figures: string[];
  /** Figures of the page that recompute live (issue 18). */
  live: string[];
  bytes: number;
  seconds: number;
}

export interface SiteOptions {
  /** nbconvert pages (build/html/NN-slug.html), in course order. */
  htmlFiles: string[];
  /** Executed notebooks by chapter (for heading/cell alignment); default: sibling notebooks/ of the html directory. */
  notebooksDir?: string;
  /** Output directory (default build/site). */
  outDir?: string;
  log?: (line: string) => void;
}

export interface SiteResult {
  outDir: string;
  pages: SitePage[];
  seconds: number;
  assetBytes: number;
  /** dl-optimization-core.js (the live figures' library bundle), once per site. */
  bundle: LiveBundle;
}

const SITE_CSS = `
.dlopt-nav{font:14px/1.4 system-ui,sans-serif;display:flex;gap:1.2em;flex-wrap:wrap;padding:.6em 1em;border-bottom:1px solid #ddd;background:#fafafa}
.dlopt-nav.bottom{border-top:1px solid #ddd;border-bottom:0;margin-top:2em}
.dlopt-nav a{color:#0b5cad;text-decoration:none}.dlopt-nav a:hover{text-decoration:underline}
.dlopt-nav .spacer{flex:1}
.dlopt-figure{scroll-margin-top:1em}
.katex-display{overflow-x:auto;overflow-y:hidden}
`;

// Typesets $…$ and $$…$$ in markdown cells (outputs may print dollar signs) and in the contents page.
const SITE_JS = `(function () {
  if (typeof window.renderMathInElement !== 'function') return;
  var opts = {
    delimiters: [
      { left: '$$', right: '$$', display: true },
      { left: '\\\\[', right: '\\\\]', display: true },
      { left: '$', right: '$', display: false },
      { left: '\\\\(', right: '\\\\)', display: false }
    ],
    throwOnError: false
  };
  var cells = document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown, .dlopt-math');
  for (var i = 0; i < cells.length; i++) window.renderMathInElement(cells[i], opts);
})();
`;

function nav(pages: { file: string; title: string }[], i: number, where: 'top' | 'bottom'): string {
  const prev = pages[i - 1];
  const next = pages[i + 1];
  return (
    `<nav class="dlopt-nav ${where}"><a href="index.html">☰ Contents</a>` +
    (prev ? `<a href="${escapeHtml(prev.file)}" rel="prev">← ${escapeHtml(prev.title)}</a>` : '') +
    `<span class="spacer"></span>` +
    (next ? `<a href="${escapeHtml(next.file)}" rel="next">${escapeHtml(next.title)} →</a>` : '') +
    `</nav>`
  );
}

/** Applies `fn` to the HTML of every markdown cell of an nbconvert (lab template) page. */
export function mapMarkdownCells(html: string, fn: (cell: string) => string): string {
  const { head, cells } = splitHtmlCells(html);
  return head + cells.map((c) => (c.type === 'markdown' ? fn(c.html) : c.html)).join('');
}

/**
 * Escapes '<' inside $…$ / $$…$$ where the browser would take it for a tag (`$\sum_{k<K}$`). nbconvert escapes
 * math in plain markdown, but passes raw HTML blocks (e.g. <details>) through as they are. Spans that contain
 * '>' are left alone (they might be real markup between two dollar signs).
 */
export function protectMathInHtml(cell: string): string {
  return cell.replace(/\$\$[\s\S]+?\$\$|\$(?:\\\$|[^$\n])+?\$/g, (span) => (span.includes('>') ? span : span.replace(/<(?=[A-Za-z\/!?])/g, '&lt;')));
}

/** Turns nbconvert's page into a site page (KaTeX, navigation, title; its figures use the shared plotly.min.js). */
export function sitePage(html: string, pages: { file: string; title: string }[], i: number, scripts: string[] = []): string {
  const stripped = mapMarkdownCells(html, protectMathInHtml);
  const head = `<link rel="stylesheet" href="katex/katex.min.css">\n<link rel="stylesheet" href="site.css">\n`;
  const tail = `${nav(pages, i, 'bottom')}\n<script src="katex/katex.min.js"></script>\n<script src="katex/contrib/auto-render.min.js"></script>\n<script src="site.js"></script>\n${scripts.map((s) => `<script src="${escapeHtml(s)}"></script>\n`).join('')}`;
  let out = stripped.replace(/<title>[\s\S]*?<\/title>/i, `<title>${escapeHtml(pages[i].title)} — ${escapeHtml(SITE_TITLE)}</title>`);
  if (!/<\/head>/i.test(out) || !/<body\b[^>]*>/i.test(out) || !/<\/body>/i.test(out)) throw new Error(`${pages[i].file}: not a whole HTML page`);
  out = out.replace(/<\/head>/i, `${head}</head>`);
  out = out.replace(/<body\b[^>]*>/i, (m) => `${m}\n${nav(pages, i, 'top')}`);
  const close = out.lastIndexOf('</body>');
  return out.slice(0, close) + tail + out.slice(close);
}

function copyAssets(outDir: string): number {
  let bytes = 0;
  const copy = (from: string, to: string) => {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    bytes += fs.statSync(to).size;
  };
  copy(require.resolve('plotly.js-dist-min/plotly.min.js'), path.join(outDir, 'plotly.min.js'));
  const katex = path.dirname(require.resolve('katex/dist/katex.min.js'));
  copy(path.join(katex, 'katex.min.css'), path.join(outDir, 'katex', 'katex.min.css'));
  copy(path.join(katex, 'katex.min.js'), path.join(outDir, 'katex', 'katex.min.js'));
  copy(path.join(katex, 'contrib', 'auto-render.min.js'), path.join(outDir, 'katex', 'contrib', 'auto-render.min.js'));
  for (const f of fs.readdirSync(path.join(katex, 'fonts'))) copy(path.join(katex, 'fonts', f), path.join(outDir, 'katex', 'fonts', f));
  for (const [name, text] of [['site.css', SITE_CSS + LIVE_CSS], ['site.js', SITE_JS]] as const) {
    fs.writeFileSync(path.join(outDir, name), text);
    bytes += text.length;
  }
  return bytes;
}

/** The table of contents: every chapter with its sections (h2) and figures. */
export function tocHtml(pages: SitePage[]): string {
  const items = pages
    .map((p) => {
      const sections = p.headings
        .filter((h) => h.level === 2)
        .map((h) => `<li><a href="${escapeHtml(p.file)}#${escapeHtml(h.anchor)}">${escapeHtml(h.text)}</a></li>`)
        .join('');
      const figs = p.figures.map((id) => `<a href="${escapeHtml(p.file)}#${escapeHtml(id)}"><code>${escapeHtml(id)}</code></a>`).join(', ');
      return (
        `<li class="chapter"><a href="${escapeHtml(p.file)}"><b>${escapeHtml(p.title)}</b></a>` +
        (sections ? `<ul>${sections}</ul>` : '') +
        (figs ? `<p class="figs">Figures: ${figs}</p>` : '') +
        `</li>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(SITE_TITLE)}</title>
<link rel="stylesheet" href="katex/katex.min.css">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
ul.toc{list-style:none;padding:0}ul.toc>li{margin:0 0 1em}.figs{font-size:85%;color:#555;margin:.2em 0 0 1.5em}
</style></head><body>
<h1>${escapeHtml(SITE_TITLE)}</h1>
<p>The executed chapters of the course, with interactive figures (plotly) and math (KaTeX); everything is served
from this directory, nothing is fetched from the network.</p>
<ul class="toc dlopt-math">
${items}
</ul>
<script src="katex/katex.min.js"></script>
<script src="katex/contrib/auto-render.min.js"></script>
<script src="site.js"></script>
</body></html>
`;
}

/** Builds build/site from nbconvert pages: one page per chapter, index.html, plotly.min.js, katex/. */
export function buildSite(opts: SiteOptions): SiteResult {
  const t0 = Date.now();
  const log = opts.log ?? ((l: string) => console.log(l));
  const outDir = path.resolve(opts.outDir ?? path.join(ROOT, 'build', 'site'));
  fs.mkdirSync(outDir, { recursive: true });
  const assetBytes = copyAssets(outDir);
  const bundle = bundleLive(outDir);
  // anchors of retired figures and headings stay on their pages (docs/citations.json)
  const retired = fs.existsSync(CITATIONS_FILE) ? readCitations().retired : {};
  const sources = opts.htmlFiles.map((file) => {
    const chapter = path.basename(file, '.html');
    const html = keepRetiredAnchors(fs.readFileSync(file, 'utf8'), chapter, retired);
    const nbFile = path.join(opts.notebooksDir ?? path.join(path.dirname(path.dirname(file)), 'notebooks'), `${chapter}.ipynb`);
    const headings = fs.existsSync(nbFile)
      ? notebookHeadings(readNotebook(nbFile), html)
      : [];
    const title = headings.find((h) => h.level === 1)?.text ?? chapter;
    const figures = [...html.matchAll(/<div class="dlopt-figure"[^>]*\sid="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
    return { chapter, file: `${chapter}.html`, title, html, headings, figures };
  });
  const pages: SitePage[] = sources.map((s, i) => {
    const ts = Date.now();
    const live = addLiveFigures(s.html);
    const page = sitePage(live.html, sources, i, live.ids.length ? [LIVE_BUNDLE] : []);
    const target = path.join(outDir, s.file);
    fs.writeFileSync(target, page);
    const seconds = (Date.now() - ts) / 1000;
    log(`  site/${s.file}  ${(page.length / 1e6).toFixed(2)} MB (was ${(s.html.length / 1e6).toFixed(2)} MB)  ${s.figures.length} figure(s)${live.ids.length ? ` (${live.ids.length} live)` : ''}  ${seconds.toFixed(2)} s`);
    return { chapter: s.chapter, file: s.file, title: s.title, headings: s.headings, figures: s.figures, live: live.ids, bytes: page.length, seconds };
  });
  fs.writeFileSync(path.join(outDir, 'index.html'), tocHtml(pages));
  // Pages of chapters that no longer exist go away.
  const keep = new Set(['index.html', ...pages.map((p) => p.file)]);
  for (const f of fs.readdirSync(outDir)) if (f.endsWith('.html') && !keep.has(f)) fs.rmSync(path.join(outDir, f));
  const seconds = (Date.now() - t0) / 1000;
  log(`site: ${pages.length} page(s) + index.html in ${path.relative(ROOT, outDir) || outDir}, shared assets ${(assetBytes / 1e6).toFixed(1)} MB (plotly.js, KaTeX), in ${seconds.toFixed(1)} s`);
  log(`site: ${LIVE_BUNDLE} ${(bundle.bytes / 1e6).toFixed(2)} MB (${(bundle.gzipBytes / 1e6).toFixed(2)} MB gzip) for ${pages.reduce((n, p) => n + p.live.length, 0)} live figure(s), bundled in ${bundle.seconds.toFixed(1)} s`);
  return { outDir, pages, seconds, assetBytes, bundle };
}

/** nbconvert pages in build/html whose source notebook exists, in course order. */
export function builtPages(buildDir = path.join(ROOT, 'build')): string[] {
  const dir = path.join(buildDir, 'html');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.html') && fs.existsSync(path.join(ROOT, 'notebooks', f.replace(/\.html$/, '.ipynb'))))
    .sort()
    .map((f) => path.join(dir, f));
}

const USAGE = `npx tsx scripts/site.ts   builds build/site from the nbconvert pages in build/html
  -h, --help   print this and exit`;

if (require.main === module) {
  try {
    const { values } = parseFlags(process.argv.slice(2), { help: HELP }, USAGE);
    if (values.help) console.log(USAGE);
    else buildSite({ htmlFiles: builtPages() });
  } catch (err) {
    console.error(`[dl-optimization] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
