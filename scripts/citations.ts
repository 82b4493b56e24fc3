/**
 * Figure ids and heading anchors are citations: lecturers' slides link to site/NN-slug.html#ch05-lr-slider
 * and #Heading-text. docs/citations.json is the committed list of every figure id (→ its chapter) and every
 * heading (per chapter, as written; the anchor is nbconvert's id of that text). test/integration/citations.test.ts
 * holds it: a figure id or heading that disappears from the chapters fails the test unless it is moved to
 * `retired`, which keeps its anchor on the site (an empty element placed under the heading that now treats the
 * subject); a new id or heading fails until it is added here (`npx tsx scripts/citations.ts --write`), so every
 * change to the cited names is a reviewed line in a diff.
 *
 *   npx tsx scripts/citations.ts            lists the differences between docs/citations.json and the chapters
 *   npx tsx scripts/citations.ts --write    adds new figure ids and headings to docs/citations.json (never removes)
 */
import fs from 'node:fs';
import path from 'node:path';
import { collectFigures, nbconvertAnchor, notebookHeadings, readNotebook } from './figures';
import { listNotebooks } from './run-notebooks';
import { HELP, parseFlags } from './args';
import { ROOT } from './jupyter';
import { escapeHtml } from '../src/core/html';

export const CITATIONS_FILE = path.join(ROOT, 'docs', 'citations.json');

/** A figure id or heading anchor that is no longer in its chapter but keeps its anchor on the site. */
export interface RetiredAnchor {
  chapter: string;
  /** The heading (exact text) under which the anchor is kept: where the subject is treated now. */
  under: string;
  why: string;
}

export interface Citations {
  /** Figure id → chapter (notebook name without .ipynb). */
  figures: Record<string, string>;
  /** Chapter → its headings' texts in order. */
  headings: Record<string, string[]>;
  /** Anchor (a figure id, or nbconvert's id of a heading) → where it is kept. */
  retired: Record<string, RetiredAnchor>;
}

/** Every heading of a notebook's markdown cells, as written. */
export function chapterHeadings(file: string): string[] {
  return notebookHeadings(readNotebook(file)).map((h) => h.text);
}

/** The figure ids (from executed notebooks) and headings (from the sources) the chapters have now. */
export function currentCitations(executed: string[], sources: string[] = listNotebooks()): Omit<Citations, 'retired'> {
  const figures: Record<string, string> = {};
  for (const rec of collectFigures(executed)) figures[rec.id] = rec.chapter;
  const headings: Record<string, string[]> = {};
  for (const file of sources) headings[path.basename(file, '.ipynb')] = chapterHeadings(file);
  return { figures, headings };
}

export function readCitations(file = CITATIONS_FILE): Citations {
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Citations>;
  return { figures: c.figures ?? {}, headings: c.headings ?? {}, retired: c.retired ?? {} };
}

/**
 * What differs between the committed list and the chapters, one sentence each: a cited id or heading gone
 * without being retired, a retired anchor whose heading is gone (or that is in use again), a new id or heading
 * not yet listed. `chapters` limits the comparison to those chapters (a partial run).
 */
export function citationProblems(committed: Citations, now: Omit<Citations, 'retired'>, chapters?: string[]): string[] {
  const inScope = (ch: string) => !chapters || chapters.includes(ch);
  const problems: string[] = [];
  const nowAnchors = new Map<string, Set<string>>();
  for (const [ch, hs] of Object.entries(now.headings)) nowAnchors.set(ch, new Set(hs.map(nbconvertAnchor)));
  for (const [id, ch] of Object.entries(committed.figures)) {
    if (!inScope(ch) || now.figures[id] === ch) continue;
    if (committed.retired[id]) continue;
    problems.push(now.figures[id] ? `figure ${id} moved from ${ch} to ${now.figures[id]}: its citations point at ${ch}.html#${id}; keep it in ${ch} or retire it there` : `figure ${id} (${ch}) is cited but no longer shown; show it again or move it to "retired" with the heading that keeps its anchor`);
  }
  for (const [ch, hs] of Object.entries(committed.headings)) {
    if (!inScope(ch)) continue;
    const have = nowAnchors.get(ch);
    if (!have) {
      problems.push(`chapter ${ch} is cited but its notebook is gone`);
      continue;
    }
    for (const h of hs) if (!have.has(nbconvertAnchor(h)) && !committed.retired[nbconvertAnchor(h)]) problems.push(`heading "${h}" of ${ch} is cited (#${nbconvertAnchor(h)}) but no longer in the chapter; restore it or retire its anchor`);
  }
  for (const [anchor, r] of Object.entries(committed.retired)) {
    if (!inScope(r.chapter)) continue;
    if (!nowAnchors.get(r.chapter)?.has(nbconvertAnchor(r.under))) problems.push(`retired anchor #${anchor} is kept under "${r.under}", which ${r.chapter} no longer has`);
    if (now.figures[anchor] || nowAnchors.get(r.chapter)?.has(anchor)) problems.push(`#${anchor} is retired but in use again in ${r.chapter}; remove it from "retired"`);
  }
  for (const [id, ch] of Object.entries(now.figures)) if (inScope(ch) && !(id in committed.figures)) problems.push(`new figure ${id} (${ch}) is not in docs/citations.json; add it (npx tsx scripts/citations.ts --write)`);
  for (const [ch, hs] of Object.entries(now.headings)) {
    if (!inScope(ch)) continue;
    const listed = new Set((committed.headings[ch] ?? []).map(nbconvertAnchor));
    for (const h of hs) if (!listed.has(nbconvertAnchor(h))) problems.push(`new heading "${h}" of ${ch} is not in docs/citations.json; add it (npx tsx scripts/citations.ts --write)`);
  }
  return problems;
}

/** The committed list with the chapters' new ids and headings added (nothing removed, order kept). */
export function withNewCitations(committed: Citations, now: Omit<Citations, 'retired'>): Citations {
  const figures = { ...committed.figures };
  for (const [id, ch] of Object.entries(now.figures)) if (!(id in figures)) figures[id] = ch;
  const headings: Record<string, string[]> = {};
  for (const ch of [...new Set([...Object.keys(committed.headings), ...Object.keys(now.headings)])].sort()) {
    const old = committed.headings[ch] ?? [];
    // the chapter's current order, then cited headings it no longer has (they fail the check until retired)
    const current = now.headings[ch] ?? [];
    const currentAnchors = new Set(current.map(nbconvertAnchor));
    headings[ch] = [...current, ...old.filter((h) => !currentAnchors.has(nbconvertAnchor(h)))];
  }
  return { figures, headings, retired: committed.retired };
}

/**
 * An nbconvert page with the chapter's retired anchors kept: `<span id="anchor" class="dlopt-retired-anchor">`
 * right after the heading each is kept under, so #anchor still scrolls to where the subject is treated.
 */
export function keepRetiredAnchors(html: string, chapter: string, retired: Record<string, RetiredAnchor>): string {
  let out = html;
  for (const [anchor, r] of Object.entries(retired)) {
    if (r.chapter !== chapter) continue;
    const id = nbconvertAnchor(r.under);
    const re = new RegExp(`(<h[1-6]\\b[^>]*\\bid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>[\\s\\S]*?</h[1-6]>)`);
    if (!re.test(out)) throw new Error(`retired anchor #${anchor}: ${chapter}'s page has no heading "${r.under}" (#${id}) to keep it under`);
    out = out.replace(re, `$1<span id="${escapeHtml(anchor)}" class="dlopt-retired-anchor" title="${escapeHtml(r.why)}"></span>`);
  }
  return out;
}

const USAGE = `npx tsx scripts/citations.ts [--write]   compares docs/citations.json with the chapters (executed notebooks in build/notebooks)
  --write      add the chapters' new figure ids and headings to docs/citations.json (never removes one)
  -h, --help   print this and exit`;

if (require.main === module) {
  const { values } = parseFlags(process.argv.slice(2), { write: { type: 'boolean' }, help: HELP }, USAGE);
  if (values.help) {
    console.log(USAGE);
  } else {
    const executed = listNotebooks().map((f) => path.join(ROOT, 'build', 'notebooks', path.basename(f)));
    const missing = executed.filter((f) => !fs.existsSync(f));
    if (missing.length) {
      console.error(`citations: run the chapters first (npm start or npx tsx scripts/run-notebooks.ts); missing ${missing.map((f) => path.basename(f)).join(', ')}`);
      process.exit(1);
    }
    const committed = fs.existsSync(CITATIONS_FILE) ? readCitations() : { figures: {}, headings: {}, retired: {} };
    const now = currentCitations(executed);
    if (values.write) {
      const next = withNewCitations(committed, now);
      fs.writeFileSync(CITATIONS_FILE, JSON.stringify(next, null, 1) + '\n');
      console.log(`citations: ${Object.keys(next.figures).length} figure ids, ${Object.values(next.headings).reduce((n, h) => n + h.length, 0)} headings, ${Object.keys(next.retired).length} retired anchors in ${path.relative(ROOT, CITATIONS_FILE)}`);
    }
    const problems = citationProblems(values.write ? readCitations() : committed, now);
    for (const p of problems) console.log(`  ${p}`);
    if (!values.write) console.log(problems.length ? `citations: ${problems.length} difference(s)` : 'citations: docs/citations.json matches the chapters');
    process.exitCode = problems.length && !values.write ? 1 : 0;
  }
}
