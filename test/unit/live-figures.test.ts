/**
 * The pure parts of the live figures (src/figures/live): reading the notebooks' packed figure JSON back,
 * parameters (defaults, clamping, errors that name the control and the value), merging recomputed traces into
 * the static figure, the run cache, number formatting, the controls' HTML, and where the site build puts it.
 * The specs themselves are checked against the executed notebooks in test/integration/live-figures.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { packTrace } from '../../src/edge/show';
import {
  LIVE_FIGURES, clampParam, controlsHtml, defaultParams, formatNumber, liveBase, liveSpec, mergeTrace, renderLive, runCache, unpackTrace, withParams,
  type LiveSpec, type PlotlyJson,
} from '../../src/figures/live';
import { ch05LrSlider } from '../../src/figures/live/ch05';
import { addLiveFigures } from '../../scripts/live-bundle';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

describe('live figures: the notebooks’ packed figure JSON, read back', () => {
  it('unpackTrace inverts show’s packTrace: typed arrays (1D, 2D, gaps) and x0/dx', () => {
    const x = Array.from({ length: 12 }, (_, i) => -1 + 0.25 * i);
    const z = Array.from({ length: 9 }, (_, j) => x.map((v, i) => (i === 3 && j === 2 ? null : v * v - 0.1 * j)));
    const contour = unpackTrace(packTrace({ type: 'contour', x, y: x.slice(0, 9), z }));
    assert.equal(contour.x0, undefined, 'x0 was expanded');
    assertClose(contour.x as number[], x, 1e-12, 'contour x');
    assertClose(contour.y as number[], x.slice(0, 9), 1e-12, 'contour y');
    const zz = contour.z as (number | null)[][];
    assert.equal(zz.length, 9);
    assert.equal(zz[2][3], null, 'the gap stays a gap');
    assertClose(zz[4].filter((v): v is number => v !== null), z[4] as number[], 1e-6, 'z row 4 (float32)');
    const ys = x.map((v) => Math.exp(v) / 3);
    const path = unpackTrace(packTrace({ type: 'scatter', x: x.map((_, i) => i), y: ys }));
    assert.deepEqual(path.x, x.map((_, i) => i));
    assertClose(path.y as number[], ys, 1e-6, 'path y (float32)');
  });
});

describe('live figures: parameters', () => {
  it('defaults are the controls’ notebook values; withParams clamps into range and keeps the rest', () => {
    assert.deepEqual(defaultParams(ch05LrSlider), { lr: 0.1, lambda1: 10, x0: [1.5, 1.5] });
    assert.deepEqual(withParams(ch05LrSlider, { lr: 9, x0: [-10, 0.5] }), { lr: 0.25, lambda1: 10, x0: [-3, 0.5] });
    const log = LIVE_FIGURES.flatMap((s) => s.controls).find((c) => c.kind === 'range' && c.log)!;
    assert.equal(clampParam(log, 1e9), 10 ** (log as { max: number }).max, 'a log slider clamps in value units');
  });

  it('bad input: an error naming the control and the value', () => {
    assert.throws(() => withParams(ch05LrSlider, { eta: 0.1 }), /ch05-lr-slider: unknown control "eta" \(controls: lr, lambda1, x0\)/);
    assert.throws(() => withParams(ch05LrSlider, { lr: Number.NaN }), /lr must be a finite number; got NaN/);
    assert.throws(() => withParams(ch05LrSlider, { x0: [1, 'a'] as unknown as [number, number] }), /x0 must be a point \[x, y\] of finite numbers; got \[1,"a"\]/);
    const select = LIVE_FIGURES.flatMap((s) => s.controls).find((c) => c.kind === 'select')!;
    assert.throws(() => clampParam(select, 'nope'), new RegExp(`${select.name} must be one of .*; got "nope"`));
  });
});

describe('live figures: rendering', () => {
  const base: PlotlyJson = {
    data: [
      { type: 'contour', x0: 0, dx: 1, z: [[1, 2], [3, 4]], name: 'static' },
      { type: 'scatter', x0: 0, dx: 1, y: [1, 2, 3], line: { color: 'red' } },
    ],
    layout: { title: { text: 't' }, annotations: [{ text: 'a' }] },
  };
  const spec: LiveSpec = {
    id: 'ch99-test',
    chapter: '99-test',
    summary: 's',
    controls: [{ kind: 'range', name: 'k', label: 'k', min: 0, max: 4, step: 1, default: 1 }],
    numbers: [{ key: 'sum', label: 'Σ' }],
    computed: [1],
    compute: (p) => ({
      traces: { 1: { x: [0, 1], y: [p.k as number, 2 * (p.k as number)] }, 2: { type: 'scatter', y: [7] } },
      layout: { annotations: [{ text: `k = ${p.k}` }] },
      numbers: { sum: 3 * (p.k as number) },
    }),
  };

  it('merges recomputed traces over the static ones (their x0/dx dropped), appends new ones, patches the layout', () => {
    const out = renderLive(spec, base, withParams(spec, { k: 2 }));
    assert.deepEqual(out.data[0], base.data[0], 'an untouched trace stays the notebook’s');
    assert.deepEqual(out.data[1], { type: 'scatter', x: [0, 1], y: [2, 4], line: { color: 'red' } });
    assert.deepEqual(out.data[2], { type: 'scatter', y: [7] });
    assert.deepEqual(out.layout, { title: { text: 't' }, annotations: [{ text: 'k = 2' }] });
    assert.deepEqual(out.numbers, { sum: 6 });
    assert.deepEqual(mergeTrace({ x0: 1, dx: 2, y0: 3, dy: 4 }, { y: [1] }), { x0: 1, dx: 2, y: [1] });
  });

  it('rejects a trace index past the end and a missing number', () => {
    assert.throws(() => renderLive({ ...spec, compute: () => ({ traces: { 5: {} }, numbers: { sum: 0 } }) }, base, defaultParams(spec)), /ch99-test: trace index 5 is not in 0…2/);
    assert.throws(() => renderLive({ ...spec, compute: () => ({ traces: {}, numbers: {} }) }, base, defaultParams(spec)), /ch99-test: compute returned no number "sum"/);
  });

  it('the run cache computes a key once and forgets the oldest beyond its size', () => {
    const memo = runCache(2);
    let calls = 0;
    const get = (k: string) => memo(k, () => ++calls);
    assert.deepEqual([get('a'), get('a'), get('b'), get('c'), get('b'), get('a')], [1, 1, 2, 3, 2, 4]);
  });

  it('a spec recomputes without leaking tensors, and another parameter gives another figure', () => {
    const nb = { data: [{ type: 'contour' }, { type: 'scatter' }], layout: {} } as PlotlyJson;
    const b = liveBase(ch05LrSlider, nb);
    const at = (lr: number) => assertNoLeak(() => renderLive(ch05LrSlider, b, withParams(ch05LrSlider, { lr })), 'renderLive');
    const slow = at(0.05);
    const fast = at(0.15);
    // 30 steps of x ← (1 − ηλ)x on diag(10, 1) from (1.5, 1.5): the second coordinate is 1.5(1 − η)^30
    assertClose((slow.data[1].y as number[])[30], 1.5 * 0.95 ** 30, 1e-5, 'x₂ after 30 steps, η = 0.05');
    assertClose((fast.data[1].y as number[])[30], 1.5 * 0.85 ** 30, 1e-5, 'x₂ after 30 steps, η = 0.15');
    assertClose(slow.numbers.rate!, 0.95, 1e-12, 'ρ(0.05) = max(|1 − 0.5|, |1 − 0.05|)');
    assertClose(fast.numbers.rate!, 0.85, 1e-12, 'ρ(0.15) = max(|1 − 1.5|, |1 − 0.15|)');
  });

  it('formats numbers as the page shows them', () => {
    assert.deepEqual([formatNumber(null), formatNumber(153), formatNumber(0.974679, 4), formatNumber(4.4714e-23, 3), formatNumber(-0.25)], ['—', '153', '0.9747', '4.47e-23', '-0.25']);
  });
});

describe('live figures: page markup', () => {
  it('controlsHtml: one labelled input per control at the notebook’s value, an output per number', () => {
    const html = controlsHtml(ch05LrSlider);
    assert.match(html, /^<div class="dlopt-live" data-live-figure="ch05-lr-slider"/);
    assert.match(html, /<input type="range" id="ch05-lr-slider--lr" name="lr" min="0.005" max="0.25" step="0.005" value="0.1"/);
    assert.match(html, /<input type="number" id="ch05-lr-slider--x0-x" name="x0.x" step="any" min="-3" max="3" value="1.5"/);
    assert.equal((html.match(/<output data-number=/g) ?? []).length, ch05LrSlider.numbers.length);
    const logSpec = LIVE_FIGURES.find((s) => s.controls.some((c) => c.kind === 'range' && c.log))!;
    const c = logSpec.controls.find((x) => x.kind === 'range' && x.log)! as { name: string; default: number };
    assert.match(controlsHtml(logSpec), new RegExp(`name="${c.name}" [^>]*step="any" value="${+Math.log10(c.default).toPrecision(12)}" data-log="1"`));
  });

  it('addLiveFigures puts the controls inside the figure div, after its plot, only for figures with a spec', () => {
    const fig = (id: string) => `<div class="dlopt-figure" data-figure-id="${id}" id="${id}">\n<div class="dlopt-plot" style="width:100%;height:460px"></div>\n<p class="dlopt-caption">c</p></div>`;
    const page = `<main>${fig('ch05-lr-slider')}${fig('ch05-gd-1d')}</main>`;
    const out = addLiveFigures(page);
    assert.deepEqual(out.ids, ['ch05-lr-slider']);
    assert.ok(liveSpec('ch05-lr-slider') && !liveSpec('ch05-gd-1d'));
    const i = out.html.indexOf('data-live-figure="ch05-lr-slider"');
    assert.ok(i > out.html.indexOf('<div class="dlopt-plot"') && i < out.html.indexOf('<p class="dlopt-caption">'), 'between the plot and the caption');
    assert.ok(out.html.endsWith(`${fig('ch05-gd-1d')}</main>`), 'a static figure is left as it was');
  });
});
