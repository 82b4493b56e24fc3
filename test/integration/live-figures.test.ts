/**
 * Live figures (src/figures/live) against the executed chapters, in Node on tfjs's cpu backend (the page's
 * default): for the notebook's parameters (every control at its default), the traces a spec recomputes are the
 * notebook's traces and every number the page shows is the number the notebook shows (a ✓ check line, a table
 * cell, or its figure data, as each spec's NotebookRef says); and each control, moved on its own, changes the
 * figure. The same renderLive runs in the page (test/integration/live-site.test.ts checks the page's numbers
 * against these).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { LIVE_FIGURES, defaultParams, liveBase, renderLive, unpackTrace, withParams, type PlotlyJson } from '../../src/figures/live';
import type { Trace } from '../../src/core/figure';
import { describeRef, ensureChapters, notebookNumber, readChapter, type ExecutedChapter } from '../live-notebooks';
import { alternativeValue, compareTraces, dataSignature } from '../live-values';

const chapters = new Map<string, ExecutedChapter>();

before(async () => {
  // the page's default backend; DLOPT_LIVE_BACKEND=wasm compares on the backend the notebooks ran on here
  await tf.setBackend(process.env.DLOPT_LIVE_BACKEND ?? 'cpu');
  const where = await ensureChapters([...new Set(LIVE_FIGURES.map((s) => s.chapter))]);
  for (const [c, dir] of where) chapters.set(c, readChapter(dir, c));
}, { timeout: 40 * 60_000 });

describe('live figures recompute the notebook (Node, tfjs cpu)', () => {
  it('every live figure is a figure of its chapter, ids unique, controls with their defaults in range', () => {
    const ids = LIVE_FIGURES.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'a figure id has two live specs');
    for (const spec of LIVE_FIGURES) {
      const ch = chapters.get(spec.chapter);
      assert.ok(ch, `${spec.chapter} was not loaded`);
      assert.ok(ch.figures.has(spec.id), `${spec.chapter} shows no figure ${spec.id}`);
      assert.ok(spec.id.startsWith(`ch${spec.chapter.slice(0, 2)}-`), `${spec.id} is not a chapter ${spec.chapter.slice(0, 2)} id`);
      assert.ok(spec.controls.length > 0 && spec.numbers.length > 0, `${spec.id} has no controls or no numbers`);
      for (const c of spec.controls) {
        if (c.kind === 'range') {
          const v = c.log ? Math.log10(c.default) : c.default;
          assert.ok(c.min <= v && v <= c.max && c.step > 0, `${spec.id}.${c.name}: default ${c.default} outside [${c.min}, ${c.max}]`);
          // a range input snaps its value to min + k·step: the notebook's value must be one of those
          const k = (v - c.min) / c.step;
          assert.ok(c.log || Math.abs(k - Math.round(k)) < 1e-6, `${spec.id}.${c.name}: default ${c.default} is not on the slider's grid ${c.min} + k·${c.step}`);
        } else if (c.kind === 'point') {
          assert.ok(c.bounds.every(([lo, hi], i) => lo <= c.default[i] && c.default[i] <= hi), `${spec.id}.${c.name}: default outside its bounds`);
        } else assert.ok(c.options.some((o) => o.value === c.default), `${spec.id}.${c.name}: default is not an option`);
      }
    }
  });

  for (const spec of LIVE_FIGURES) {
    it(`${spec.id}: at the notebook's parameters the recomputed traces and numbers are the notebook's`, () => {
      const ch = chapters.get(spec.chapter)!;
      const notebook = ch.figures.get(spec.id)!;
      const tensors = tf.memory().numTensors;
      const out = renderLive(spec, liveBase(spec, notebook), defaultParams(spec));
      assert.equal(tf.memory().numTensors, tensors, `${spec.id}: renderLive left tensors behind`);
      assert.ok(spec.computed.length > 0, `${spec.id} declares no computed trace`);
      for (const i of spec.computed) {
        const ref: Trace = spec.reference ? spec.reference(notebook, i) : notebook.data[i];
        assert.ok(ref, `${spec.id}: the notebook's figure has no trace ${i}`);
        const diff = compareTraces(out.data[i], unpackTrace(ref), spec.traceTol ?? 1e-4, spec.traceAtol ?? 0);
        assert.equal(diff, undefined, `${spec.id} trace ${i}: ${diff}`);
      }
      const refs = spec.numbers.filter((n) => n.ref);
      assert.ok(refs.length > 0, `${spec.id}: no number is compared with the notebook`);
      for (const n of spec.numbers) {
        const v = out.numbers[n.key];
        assert.ok(v === null || Number.isFinite(v), `${spec.id}: ${n.key} = ${v}`);
        if (!n.ref) continue;
        const expected = notebookNumber(ch, n.ref, spec.id);
        const where = `${spec.id}: ${n.label} (${n.key}) vs the notebook's ${describeRef(n.ref)}`;
        if (expected === null || v === null) assert.equal(v, expected, where);
        else {
          const tol = n.tol ?? 1e-4;
          assert.ok(Math.abs(v - expected) <= Math.max(tol * Math.abs(expected), n.atol ?? 0), `${where}: ${v} vs ${expected} (relative tolerance ${tol}, absolute ${n.atol ?? 0})`);
        }
      }
    });

    it(`${spec.id}: each control on its own changes the figure`, () => {
      const notebook = chapters.get(spec.chapter)!.figures.get(spec.id)! as PlotlyJson;
      const base = liveBase(spec, notebook);
      const first = renderLive(spec, base, defaultParams(spec)).data;
      const all = (data: Trace[]) => data.map((_, i) => i);
      const before = dataSignature(first, all(first));
      for (const c of spec.controls) {
        const after = renderLive(spec, base, withParams(spec, { [c.name]: alternativeValue(c) }));
        assert.notEqual(dataSignature(after.data, all(after.data)), before, `${spec.id}: moving ${c.name} to ${JSON.stringify(alternativeValue(c))} left the plotted data unchanged`);
        for (const [k, v] of Object.entries(after.numbers)) assert.ok(v === null || Number.isFinite(v), `${spec.id} with ${c.name} moved: ${k} = ${v}`);
      }
    });
  }
});
