/**
 * The concordance: every slide of the five lectures (docs/concordance/slides.json) → the chapter sections and
 * figures that treat it (docs/concordance/chapters/NN-slug.json, one file per chapter), or why it is not covered
 * (docs/concordance/not-covered.json). `loadConcordance` reads and checks the data against the source notebooks
 * (every slide exists and is placed, every section is a heading of its chapter, every figure id is shown by it);
 * `concordanceHtml` makes the site page build/site/concordance.html, linking each slide to
 * <chapter>.html#<heading anchor> and #<figure id>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../src/edge/show';
import { markdownHeadings, readNotebook } from './figures';
import { ROOT } from './jupyter';
import { listNotebooks } from './run-notebooks';

export const CONCORDANCE_DIR = path.join(ROOT, 'docs', 'concordance');

/** A lecture and its slide titles, in order. */
export interface Lecture {
  id: string;
  file: string;
  title: string;
  titles_from: string;
  slides: string[];
}

/** Where a chapter treats a slide: the section (a heading's text in that chapter), figures, and how. */
export interface Treatment {
  lecture: string;
  slide: string;
  /** The text of a heading of the chapter (its site anchor follows from it). */
  section: string;
  figures?: string[];
  /** One sentence: what the chapter does with the slide (a correction, a rebuild of a lost figure, …). */
  note?: string;
}

export interface NotCovered {
  lecture: string;
  slide: string;
  reason: string;
}

/** One row of the concordance: a slide and everything that treats it. */
export interface ConcordanceRow {
  lecture: Lecture;
  slide: string;
  treatments: (Treatment & { chapter: string; anchor: string })[];
  notCovered?: string;
}

/** nbconvert's heading id (the site's anchors): spaces → '-', URL-quoted keeping ?/:@!$&'()*+,;=. */
function anchorOf(text: string): string {
  return encodeURIComponent(text.replace(/ /g, '-')).replace(/%(3F|2F|3A|40|24|26|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));
}

const read = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The headings (text) and figure ids (from `id: "chNN-…"` literals) of a source notebook. */
export function chapterFacts(file: string): { headings: Set<string>; figures: Set<string> } {
  const nb = readNotebook(file);
  const headings = new Set<string>();
  const figures = new Set<string>();
  for (const c of nb.cells) {
    const src = Array.isArray(c.source) ? c.source.join('') : c.source;
    if (c.cell_type === 'markdown') for (const h of markdownHeadings(src)) headings.add(h.text);
    if (c.cell_type === 'code') for (const m of src.matchAll(/\bid\s*:\s*["'`](ch\d\d-[a-z0-9-]+)["'`]/g)) figures.add(m[1]);
  }
  return { headings, figures };
}

/**
 * Reads the concordance and checks it; returns the rows (one per slide, in lecture order) and the problems found
 * (an unknown lecture or slide, a section that is no heading of its chapter, a figure the chapter does not show, a
 * slide placed nowhere, or both treated and "not covered").
 */
export function loadConcordance(dir = CONCORDANCE_DIR): { rows: ConcordanceRow[]; problems: string[] } {
  const { lectures } = read<{ lectures: Lecture[] }>(path.join(dir, 'slides.json'));
  const problems: string[] = [];
  const key = (l: string, s: string) => `${l}\u0000${s}`;
  const rows = new Map<string, ConcordanceRow>();
  for (const lecture of lectures) for (const slide of lecture.slides) rows.set(key(lecture.id, slide), { lecture, slide, treatments: [] });
  const byLecture = new Map(lectures.map((l) => [l.id, l] as const));
  const place = (where: string, lecture: string, slide: string): ConcordanceRow | undefined => {
    if (!byLecture.has(lecture)) problems.push(`${where}: lecture ${JSON.stringify(lecture)} is not in slides.json`);
    const row = rows.get(key(lecture, slide));
    if (!row && byLecture.has(lecture)) problems.push(`${where}: lecture ${lecture} has no slide ${JSON.stringify(slide)}`);
    return row;
  };
  const chaptersDir = path.join(dir, 'chapters');
  const notebooks = new Map(listNotebooks().map((f) => [path.basename(f, '.ipynb'), f] as const));
  for (const f of fs.existsSync(chaptersDir) ? fs.readdirSync(chaptersDir).filter((x) => x.endsWith('.json')).sort() : []) {
    const chapter = path.basename(f, '.json');
    const nb = notebooks.get(chapter);
    if (!nb) {
      problems.push(`chapters/${f}: there is no notebooks/${chapter}.ipynb`);
      continue;
    }
    const facts = chapterFacts(nb);
    read<Treatment[]>(path.join(chaptersDir, f)).forEach((t, i) => {
      const where = `chapters/${f}[${i}]`;
      const row = place(where, t.lecture, t.slide);
      if (!facts.headings.has(t.section)) problems.push(`${where}: ${JSON.stringify(t.section)} is not a heading of ${chapter}`);
      for (const id of t.figures ?? []) if (!facts.figures.has(id)) problems.push(`${where}: ${chapter} shows no figure ${id}`);
      row?.treatments.push({ ...t, chapter, anchor: anchorOf(t.section) });
    });
  }
  const notCoveredFile = path.join(dir, 'not-covered.json');
  for (const [i, n] of (fs.existsSync(notCoveredFile) ? read<NotCovered[]>(notCoveredFile) : []).entries()) {
    const row = place(`not-covered.json[${i}]`, n.lecture, n.slide);
    if (!row) continue;
    if (!n.reason?.trim()) problems.push(`not-covered.json[${i}]: give the reason`);
    if (row.notCovered !== undefined) problems.push(`not-covered.json[${i}]: lecture ${n.lecture} slide ${JSON.stringify(n.slide)} listed twice`);
    row.notCovered = n.reason;
  }
  for (const row of rows.values()) {
    const label = `lecture ${row.lecture.id} slide ${JSON.stringify(row.slide)}`;
    if (row.treatments.length === 0 && row.notCovered === undefined) problems.push(`${label} is neither treated by a chapter nor listed in not-covered.json`);
    if (row.treatments.length > 0 && row.notCovered !== undefined) problems.push(`${label} is treated by ${row.treatments.map((t) => t.chapter).join(', ')} and also listed as not covered`);
  }
  return { rows: [...rows.values()], problems };
}

/** The site page: per lecture, each slide → chapter sections and figures (links into the site), or why not covered. */
export function concordanceHtml(rows: ConcordanceRow[], title: string): string {
  const lectures = [...new Map(rows.map((r) => [r.lecture.id, r.lecture] as const)).values()];
  const body = lectures
    .map((l) => {
      const items = rows
        .filter((r) => r.lecture.id === l.id)
        .map((r) => {
          const where = r.treatments
            .map(
              (t) =>
                `<a href="${escapeHtml(t.chapter)}.html#${escapeHtml(t.anchor)}">${escapeHtml(t.chapter)} · ${escapeHtml(t.section)}</a>` +
                (t.figures?.length ? ` (${t.figures.map((id) => `<a href="${escapeHtml(t.chapter)}.html#${escapeHtml(id)}"><code>${escapeHtml(id)}</code></a>`).join(', ')})` : '') +
                (t.note ? ` — ${escapeHtml(t.note)}` : ''),
            )
            .join('<br>');
          const cell = where || `<span class="nc">not covered: ${escapeHtml(r.notCovered ?? '')}</span>`;
          return `<tr><td class="dlopt-math">${escapeHtml(r.slide)}</td><td>${cell}</td></tr>`;
        })
        .join('\n');
      return `<h2 id="lecture-${escapeHtml(l.id)}">${escapeHtml(l.title)}</h2>\n<p class="src">${escapeHtml(l.file)}; slide titles: ${escapeHtml(l.titles_from)}</p>\n<table>\n<tr><th>slide</th><th>where the course treats it</th></tr>\n${items}\n</table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lectures → chapters — ${escapeHtml(title)}</title>
<link rel="stylesheet" href="katex/katex.min.css">
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
td:first-child{width:38%}.nc{color:#8a5a00}.src{color:#666;font-size:85%}
</style></head><body>
<p><a href="index.html">☰ Contents</a></p>
<h1>Lectures → chapters</h1>
<p>Every slide of the five lectures the course follows, and the chapter sections and figures that treat it (or why
it is not covered). Figures link to their id on the chapter page.</p>
${body}
<script src="katex/katex.min.js"></script>
<script src="katex/contrib/auto-render.min.js"></script>
<script src="site.js"></script>
</body></html>
`;
}
