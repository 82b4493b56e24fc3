/**
 * `npm start`, the main job, in three stages:
 *   1. notebooks: executes every notebook into build/notebooks (executed .ipynb) and build/html (nbconvert page);
 *   2. figures:   every figure any executed notebook shows → build/figures/<id>.svg|png (plotly.js in headless
 *                 Chromium), build/figures/index.json|html, and a static image/png in each figure's bundle;
 *   3. site:      build/site, one page per chapter + index.html, offline (plotly.js and KaTeX served as files).
 * Each stage prints what it works on and how long it took. A notebook that fails is reported and the build
 * fails, but the other chapters still go through stages 2 and 3.
 *
 *   npm start [-- name-filter ...]      e.g. `npm start -- 02` re-executes only 02-*.ipynb; figures and site
 *                                       are always made from every executed chapter in build/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HELP, parseFlags } from './args';
import { ROOT } from './jupyter';
import { runNotebooks } from './run-notebooks';
import { executedNotebooks, exportFigures } from './figures';
import { builtPages, buildSite } from './site';

const say = (line: string) => console.log(`[dl-optimization] ${line}`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

const USAGE = `npm start [-- name-filter ...]   notebooks, figures and site into build/
  name-filter ...   re-execute only the notebooks whose file name contains one of these (default: all);
                    figures and site are always made from every executed chapter in build/
  -h, --help        print this and exit`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const { values, positionals: filters } = parseFlags(process.argv.slice(2), { help: HELP }, USAGE, true);
  if (values.help) return console.log(USAGE);
  const build = path.join(ROOT, 'build');

  say('stage 1/3: notebooks');
  const results = await runNotebooks({ filters });
  const failed = results.filter((r) => !r.ok);
  const t1 = Date.now();

  // Chapters whose last run failed are left out of the figures and the site (their executed copy is partial).
  const failedNames = new Set(failed.map((r) => r.notebook));
  const notebooks = executedNotebooks(build).filter((f) => !failedNames.has(path.basename(f)));
  say(`stage 2/3: figures from ${notebooks.length} executed notebook(s)`);
  const figures = await exportFigures({ notebooks, log: (l) => console.log(l) });
  const t2 = Date.now();

  say('stage 3/3: site');
  const pages = builtPages(build).filter((f) => !failedNames.has(path.basename(f).replace(/\.html$/, '.ipynb')));
  const site = buildSite({ htmlFiles: pages, log: (l) => console.log(l) });
  const t3 = Date.now();

  const sizes = Object.entries(figures.notebookBytes).map(([f, b]) => `${f} ${mb(b)}`);
  if (sizes.length) say(`executed notebooks (with PNGs): ${sizes.join(', ')}`);
  say(
    `stages: notebooks ${((t1 - t0) / 1000).toFixed(1)} s, figures ${((t2 - t1) / 1000).toFixed(1)} s, site ${((t3 - t2) / 1000).toFixed(1)} s`,
  );
  const outputs = ['build/notebooks', 'build/html', 'build/figures', 'build/site'].filter((d) => fs.existsSync(path.join(ROOT, d)));
  say(`build ${failed.length ? `FAILED (${failed.map((r) => r.notebook).join(', ')})` : 'done'} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${outputs.join(', ')}`);
  say(`open build/site/index.html (chapters) and build/figures/index.html (${figures.index.figures.length} figures, ${site.pages.length} pages)`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(`[dl-optimization] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
