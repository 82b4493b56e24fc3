/**
 * The compact figure JSON that show() sends (typed arrays, x0/dx for evenly spaced coordinates, rounded
 * numbers: src/edge/show.ts) is drawn by plotly.js exactly like the figure written out in full: for each figure
 * below, both are plotted in headless Chromium and plotly's computed data (calcdata: every point's x and y, every
 * z cell, gaps included) must agree to float32 precision, trace by trace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/browser';
import { exporterPage } from '../../scripts/figures';
import { figure, type Figure } from '../../src/core/figure';
import { PLOTLY_MIME, figureBundle } from '../../src/edge/show';

const lin = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const mu = lin(0, 0.98, 50);
const grid = lin(-2, 2, 41);
const z = grid.map((y) => grid.map((x) => (x * x - y * y > 3 ? null : Math.fround(x * x + 3 * y * y + 0.1 * x * y))));

const FIGURES: Figure[] = [
  figure({
    id: 'ch99-straight-line',
    caption: 'both coordinates evenly spaced (a stability limit η = 2(1 + μ)/λ)',
    data: [{ type: 'scatter', mode: 'lines', x: mu.map((m) => (2 * (1 + m)) / 49), y: mu }],
    layout: {},
  }),
  figure({
    id: 'ch99-contour-gaps',
    caption: 'a contour on an even grid with gaps, and a path',
    data: [
      { type: 'contour', x: grid, y: grid, z, ncontours: 12 },
      { type: 'scatter', mode: 'lines+markers', x: lin(1.5, 0, 30).map((v) => v * Math.cos(v)), y: lin(1.5, 0, 30) },
    ],
    layout: {},
  }),
  figure({
    id: 'ch99-log-gaps',
    caption: 'a loss curve with a gap on a log axis, index on x',
    data: [{ type: 'scatter', x: lin(0, 199, 200), y: lin(0, 199, 200).map((k) => (k === 120 ? null : Math.exp(-k / 30) + 1e-9)) }],
    layout: { yaxis: { type: 'log' } },
  }),
  figure({
    id: 'ch99-heatmap',
    caption: 'a heatmap of rates with unstable cells left out',
    data: [{ type: 'heatmap', x: lin(0.001, 0.08, 40), y: lin(0, 0.99, 30), z: lin(0, 0.99, 30).map((m) => lin(0.001, 0.08, 40).map((e) => (e > 0.04 * (1 + m) ? null : 1 - e * (1 - m)))) }],
    layout: {},
  }),
  figure({
    id: 'ch99-frames',
    caption: 'a slider over frames',
    data: [{ type: 'scatter', x: grid, y: grid.map((x) => x * x) }],
    layout: { sliders: [{ steps: [0.5, 1, 2].map((a) => ({ method: 'animate', label: String(a), args: [[`a${a}`], { mode: 'immediate', frame: { duration: 0, redraw: true } }] })) }] },
    frames: [0.5, 1, 2].map((a) => ({ name: `a${a}`, data: [{ y: grid.map((x) => a * x * x) }] })),
  }),
  figure({
    id: 'ch99-surface',
    caption: 'a 3D surface and a 3D path',
    data: [
      { type: 'surface', x: grid, y: grid, z: grid.map((y) => grid.map((x) => x * x - y * y)) },
      { type: 'scatter3d', mode: 'lines', x: lin(0, 1, 20), y: lin(0, 1, 20), z: lin(0, 1, 20).map((t) => t * t) },
    ],
    layout: {},
  }),
];

let browser: Browser;
let page: Page;

before(async () => {
  browser = await launchChromium();
  page = await exporterPage(browser);
}, { timeout: 60_000 });

after(async () => {
  await browser?.close().catch(() => undefined);
});

/**
 * In the page: plots a figure (then shows its last frame, if any) and returns plotly's calcdata reduced to
 * numbers: per trace the x/y(/z) of every point, or the x, y and z of a grid. (A string, so that the test
 * runner's transpiler adds nothing to the code the page runs.)
 */
const CALCDATA = `async (spec) => {
  var el = document.createElement('div');
  el.style.cssText = 'width:600px;height:400px';
  document.body.appendChild(el);
  await Plotly.newPlot(el, { data: spec.data, layout: Object.assign({}, spec.layout, { width: 600, height: 400 }), frames: spec.frames || [] });
  if (spec.frames && spec.frames.length) {
    await Plotly.animate(el, [spec.frames[spec.frames.length - 1].name], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } });
  }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function flat(v) {
    if (!v || typeof v.length !== 'number') return [];
    var out = [];
    for (var i = 0; i < v.length; i++) {
      if (v[i] && typeof v[i] === 'object') out = out.concat(flat(v[i])); else out.push(num(v[i]));
    }
    return out;
  }
  var result = el.calcdata.map(function (trace) {
    var first = trace[0];
    if (first && 'z' in first && first.z && typeof first.z === 'object') return { n: trace.length, values: flat(first.x).concat(flat(first.y), flat(first.z)) };
    var values = [];
    trace.forEach(function (p) { values.push(num(p.x), num(p.y), num(p.z)); });
    return { n: trace.length, values: values };
  });
  Plotly.purge(el);
  el.remove();
  return result;
}`;

async function computed(spec: unknown): Promise<{ n: number; values: (number | null)[] }[]> {
  const fn = await page.evaluateHandle(CALCDATA);
  try {
    return (await fn.evaluate((f, s) => (f as unknown as (x: unknown) => Promise<unknown>)(s), spec)) as { n: number; values: (number | null)[] }[];
  } finally {
    await fn.dispose();
  }
}

describe('the compact figure JSON draws like the full one (plotly.js in Chromium)', () => {
  for (const fig of FIGURES) {
    it(`${fig.id}: ${fig.caption}`, { timeout: 60_000 }, async () => {
      const full = JSON.parse(JSON.stringify({ data: fig.data, layout: fig.layout, frames: fig.frames }));
      const packed = figureBundle(fig).data[PLOTLY_MIME];
      assert.ok(JSON.stringify(packed).length < JSON.stringify(full).length, 'the bundle is smaller than the full JSON');
      const [a, b] = [await computed(full), await computed(packed)];
      assert.equal(b.length, a.length, 'same number of traces');
      a.forEach((ta, i) => {
        const tb = b[i];
        assert.ok(ta.n > 0, `trace ${i} draws something in full`);
        assert.equal(tb.n, ta.n, `trace ${i}: number of points`);
        assert.equal(tb.values.length, ta.values.length, `trace ${i}: number of values`);
        ta.values.forEach((v, k) => {
          const w = tb.values[k];
          if (v === null || w === null) assert.equal(w, v, `trace ${i} value ${k}: gap in one only`);
          else assert.ok(Math.abs(w - v) <= 1e-6 * Math.max(1, Math.abs(v)), `trace ${i} value ${k}: ${w} vs ${v}`);
        });
      });
    });
  }
});
