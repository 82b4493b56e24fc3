/**
 * Figure ids and heading anchors are citations (lecturers' slides link to them): docs/citations.json lists every
 * one, and the chapters must still have each (or keep its anchor as a retired one on the site), and nothing new
 * goes unlisted. The chapters' figure ids come from executed notebooks (the notebook suite's, or executed here).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { citationProblems, currentCitations, keepRetiredAnchors, readCitations, withNewCitations, type Citations } from '../../scripts/citations';
import { nbconvertAnchor } from '../../scripts/figures';
import { ensureChapters } from '../live-notebooks';
import { listNotebooks } from '../../scripts/run-notebooks';

const committed: Citations = {
  figures: { 'ch02-a': '02-x', 'ch02-b': '02-x', 'ch03-c': '03-y' },
  headings: { '02-x': ['Saddles', 'Old heading'], '03-y': ['Cliffs'] },
  retired: {},
};

describe('citations (docs/citations.json)', () => {
  it('flags a cited figure or heading that is gone, a moved figure and anything new; a retired anchor is accepted', () => {
    const now = { figures: { 'ch02-a': '02-x', 'ch03-c': '02-x', 'ch02-new': '02-x' }, headings: { '02-x': ['Saddles', 'New heading'], '03-y': ['Cliffs'] } };
    const problems = citationProblems(committed, now);
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.ok(problems.some((p) => /figure ch02-b \(02-x\) is cited but no longer shown/.test(p)));
    assert.ok(problems.some((p) => /figure ch03-c moved from 03-y to 02-x/.test(p)));
    assert.ok(problems.some((p) => /heading "Old heading" of 02-x is cited \(#Old-heading\)/.test(p)));
    assert.ok(problems.some((p) => /new figure ch02-new \(02-x\)/.test(p)));
    assert.ok(problems.some((p) => /new heading "New heading" of 02-x/.test(p)));
    // retiring ch02-b and the old heading under "Saddles", and listing the new ones, leaves only the move
    const fixed = withNewCitations(
      { ...committed, retired: { 'ch02-b': { chapter: '02-x', under: 'Saddles', why: 'merged into ch02-a' }, 'Old-heading': { chapter: '02-x', under: 'New heading', why: 'renamed' } } },
      now,
    );
    assert.deepEqual(citationProblems(fixed, now), ['figure ch03-c moved from 03-y to 02-x: its citations point at 03-y.html#ch03-c; keep it in 03-y or retire it there']);
    // --write never removes: the old heading stays listed after the chapter's own
    assert.deepEqual(fixed.headings['02-x'], ['Saddles', 'New heading', 'Old heading']);
    // a retired anchor whose heading is gone is flagged
    assert.match(citationProblems({ ...fixed, retired: { 'ch02-b': { chapter: '02-x', under: 'Gone', why: '' } } }, now).join('\n'), /retired anchor #ch02-b is kept under "Gone"/);
  });

  it('keeps a retired anchor on the page right after the heading it lives under', () => {
    const page = '<h2 id="Saddles">Saddles<a class="anchor-link" href="#Saddles">¶</a></h2><p>text</p>';
    const out = keepRetiredAnchors(page, '02-x', { 'ch02-b': { chapter: '02-x', under: 'Saddles', why: 'merged "into" a' }, 'ch09-z': { chapter: '09-z', under: 'Elsewhere', why: '' } });
    assert.equal(out, '<h2 id="Saddles">Saddles<a class="anchor-link" href="#Saddles">¶</a></h2><span id="ch02-b" class="dlopt-retired-anchor" title="merged &quot;into&quot; a"></span><p>text</p>');
    assert.throws(() => keepRetiredAnchors(page, '02-x', { 'ch02-b': { chapter: '02-x', under: 'Nowhere', why: '' } }), /retired anchor #ch02-b: 02-x's page has no heading "Nowhere"/);
  });

  it('every cited figure id and heading of docs/citations.json is in the chapters, and every one of theirs is cited', { timeout: 60 * 60_000 }, async () => {
    const chapters = listNotebooks().map((f) => path.basename(f, '.ipynb'));
    const where = await ensureChapters(chapters);
    const executed = chapters.map((c) => path.join(where.get(c)!, 'notebooks', `${c}.ipynb`));
    const now = currentCitations(executed);
    const list = readCitations();
    assert.ok(Object.keys(list.figures).length >= 70, `docs/citations.json lists only ${Object.keys(list.figures).length} figure ids`);
    assert.deepEqual(citationProblems(list, now), []);
    // anchors are unique within a chapter (nbconvert would suffix a repeated heading's id, breaking its citation)
    for (const [ch, hs] of Object.entries(now.headings)) {
      const anchors = hs.map(nbconvertAnchor);
      assert.equal(new Set(anchors).size, anchors.length, `${ch} has two headings with the same anchor: ${anchors.filter((a, i) => anchors.indexOf(a) !== i).join(', ')}`);
    }
  });
});
