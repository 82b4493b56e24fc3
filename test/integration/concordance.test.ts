/**
 * The concordance (docs/concordance): every slide title of the five lectures is either treated by a chapter
 * (its section is a heading of that chapter and its figures are shown there) or listed as not covered with a
 * reason; the site page links each treatment to an anchor that exists. The checker is also run on broken data.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONCORDANCE_DIR, concordanceHtml, loadConcordance } from '../../scripts/concordance';

describe('lectures → chapters concordance', () => {
  it('every slide of every lecture is placed; sections are headings, figures are shown by their chapter', () => {
    const { rows, problems } = loadConcordance();
    assert.deepEqual(problems, []);
    const lectures = new Set(rows.map((r) => r.lecture.id));
    assert.deepEqual([...lectures].sort(), ['000', '001', '002', '003', '004']);
    assert.ok(rows.length >= 100, `${rows.length} slides`);
    const treated = rows.filter((r) => r.treatments.length > 0).length;
    assert.ok(treated >= 0.8 * rows.length, `only ${treated} of ${rows.length} slides are treated by a chapter`);
  });

  it('the page links every treatment to its chapter#anchor and every figure to chapter#id', () => {
    const { rows } = loadConcordance();
    const html = concordanceHtml(rows, 'Test');
    for (const r of rows) for (const t of r.treatments) {
      assert.ok(html.includes(`href="${t.chapter}.html#${t.anchor.replace(/&/g, '&amp;').replace(/'/g, '&#39;')}"`), `no link for ${t.chapter} · ${t.section}`);
      for (const id of t.figures ?? []) assert.ok(html.includes(`href="${t.chapter}.html#${id}"`), `no link to ${id}`);
    }
  });

  it('catches an unknown slide, a section that is no heading, a figure not shown, and an unplaced slide', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-concordance-'));
    try {
      fs.mkdirSync(path.join(dir, 'chapters'));
      const slides = JSON.parse(fs.readFileSync(path.join(CONCORDANCE_DIR, 'slides.json'), 'utf8'));
      slides.lectures = [{ ...slides.lectures[1], slides: slides.lectures[1].slides.slice(0, 3) }];
      fs.writeFileSync(path.join(dir, 'slides.json'), JSON.stringify(slides));
      const [a, b] = slides.lectures[0].slides;
      fs.writeFileSync(
        path.join(dir, 'chapters', '00-setup.json'),
        JSON.stringify([
          { lecture: '001', slide: a, section: 'No such heading', figures: ['ch00-nope'] },
          { lecture: '001', slide: 'No such slide', section: 'No such heading' },
        ]),
      );
      fs.writeFileSync(path.join(dir, 'not-covered.json'), JSON.stringify([{ lecture: '001', slide: a, reason: 'x' }]));
      const { problems } = loadConcordance(dir);
      const text = problems.join('\n');
      assert.match(text, /"No such heading" is not a heading of 00-setup/);
      assert.match(text, /00-setup shows no figure ch00-nope/);
      assert.match(text, /lecture 001 has no slide "No such slide"/);
      assert.match(text, new RegExp(`slide ${JSON.stringify(b).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is neither treated`));
      assert.match(text, /also listed as not covered/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
