import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { figure } from '../../src/core/figure';
import { BINARY_MIN_LENGTH, FIGURE_DIGITS, PLOTLY_MIME, TypedArraySpec, compactNumbers, evenSteps, figureBundle, packTrace, scriptSafeJson, show, showTable, tableBundle, typedArraySpec } from '../../src/edge/show';
import { dataFrame } from '../../src/edge/table';

const fig = (caption = 'a caption', id = 'ch00-test-figure') =>
  figure({ id, caption, data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { height: 300 } });

describe('show / figureBundle', () => {
  it('returns one bundle with plotly JSON and a text caption outside a kernel; no HTML, no plotly.js', () => {
    const b = show(fig());
    assert.ok(b, 'outside a kernel show() returns the bundle');
    assert.deepEqual(Object.keys(b.data).sort(), [PLOTLY_MIME, 'text/plain'].sort());
    const plotly = b.data[PLOTLY_MIME] as { data: unknown[]; layout: Record<string, unknown> };
    assert.deepEqual(plotly.data, [{ type: 'scatter', x: [1, 2], y: [3, 4] }]);
    assert.equal(plotly.layout.height, 300);
    assert.equal(b.data['text/plain'], 'Figure ch00-test-figure: a caption');
    assert.deepEqual(b.metadata, { 'dl-optimization': { figure_id: 'ch00-test-figure', caption: 'a caption' } });
    assert.ok(JSON.stringify(b).length < 1000, 'a small figure makes a small bundle: nothing rides along');
  });

  it('every figure bundle is self-contained and the same size whatever was shown before (no library in the first one)', () => {
    const first = JSON.stringify(figureBundle(fig()));
    const second = JSON.stringify(figureBundle(fig()));
    assert.equal(first, second);
  });

  it('writes numbers with FIGURE_DIGITS significant digits, integers and strings untouched, typed arrays as arrays', () => {
    assert.equal(FIGURE_DIGITS, 5);
    assert.deepEqual(compactNumbers([0.9183752536773682, 1234567.891, -2.0000001, 3, 1e-12 / 3, 'x0.123456789']), [0.91838, 1234600, -2, 3, 3.3333e-13, 'x0.123456789']);
    assert.deepEqual(compactNumbers(new Float32Array([0.1, 2])), [0.1, 2]);
    const f = figure({ id: 'ch00-round', caption: 'c', data: [{ type: 'contour', z: [[Math.PI, Math.E]], x: new Float64Array([0.30000000000000004, 1]) as unknown as number[] }], layout: { height: 300, xaxis: { range: [-1 / 3, 1] } } });
    const plotly = figureBundle(f).data[PLOTLY_MIME] as { data: { z: number[][]; x: number[] }[]; layout: { xaxis: { range: number[] } } };
    assert.deepEqual(plotly.data[0].z, [[3.1416, 2.7183]]);
    assert.deepEqual(plotly.data[0].x, [0.3, 1]);
    assert.deepEqual(plotly.layout.xaxis.range, [-0.33333, 1]);
    assert.equal(f.data[0].z && (f.data[0].z as number[][])[0][0], Math.PI, 'the figure object itself is not changed');
  });

  it('writes long numeric arrays as plotly typed-array specs that decode to the same values (float32, int32, float64)', () => {
    const decode = (spec: TypedArraySpec): number[] => {
      const bytes = Buffer.from(spec.bdata, 'base64');
      const T = { i4: Int32Array, f4: Float32Array, f8: Float64Array }[spec.dtype];
      return Array.from(new T(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    };
    const xs = Array.from({ length: 40 }, (_, i) => -2 + 0.1 * i);
    const f4 = typedArraySpec(xs)!;
    assert.equal(f4.dtype, 'f4');
    assert.equal(f4.shape, '40');
    assert.deepEqual(decode(f4), Array.from(Float32Array.from(xs)));
    const ints = typedArraySpec(Array.from({ length: 50 }, (_, i) => i * 1000))!;
    assert.deepEqual([ints.dtype, decode(ints)[49]], ['i4', 49000]);
    const huge = typedArraySpec(Array.from({ length: 40 }, (_, i) => 10 ** (i * 2)))!;
    assert.equal(huge.dtype, 'f8', 'values beyond float32 stay float64');
    assert.equal(decode(huge)[39], 1e78);
    const grid = Array.from({ length: 5 }, (_, r) => Array.from({ length: 8 }, (_, c) => r * 10 + c + 0.5));
    const g = typedArraySpec(grid)!;
    assert.equal(g.shape, '5,8');
    assert.deepEqual(decode(g), grid.flat());
    assert.equal(typedArraySpec(xs.slice(0, BINARY_MIN_LENGTH - 1)), undefined, 'short arrays stay JSON');
    const gaps = typedArraySpec([...xs, null])!;
    assert.equal(gaps.dtype, 'f4', 'a gap needs a float type');
    assert.ok(Number.isNaN(decode(gaps)[40]) && decode(gaps)[0] === Math.fround(-2), 'null gaps become NaN (plotly draws a gap)');
    assert.equal(typedArraySpec(Array.from({ length: 40 }, () => null)), undefined, 'all gaps: no values to encode');
    assert.equal(typedArraySpec([...xs, 'a']), undefined, 'mixed arrays stay JSON');
    assert.equal(typedArraySpec([[1, 2], [3]]), undefined, 'ragged arrays stay JSON');
    const b = figureBundle(figure({ id: 'ch00-bin', caption: 'c', data: [{ type: 'scatter', x: xs, y: xs.map((x) => x * x), text: xs.map(String) }], layout: {}, frames: [{ name: 'f', data: [{ y: xs }] }] }));
    const p = b.data[PLOTLY_MIME] as { data: Record<string, unknown>[]; frames: { data: Record<string, unknown>[] }[] };
    assert.equal(p.data[0].x, undefined, 'an evenly spaced x becomes x0/dx');
    assert.deepEqual([p.data[0].x0, Math.abs((p.data[0].dx as number) - 0.1) < 1e-12], [-2, true]);
    assert.equal((p.data[0].y as TypedArraySpec).dtype, 'f4');
    assert.ok(Array.isArray(p.data[0].text), 'string arrays stay JSON');
    assert.equal((p.frames[0].data[0].y as TypedArraySpec).shape, '40', 'frames are encoded too');
    const wave = { type: 'scatter', y: xs.map((x) => Math.sin(x)) };
    const packed = JSON.stringify(figureBundle(figure({ id: 'ch00-wave', caption: 'c', data: [wave], layout: {} })).data[PLOTLY_MIME]).length;
    assert.ok(packed < 0.45 * JSON.stringify({ data: [wave], layout: {} }).length, `a 40-point sine: ${packed} bytes of JSON`);
  });

  it('evenSteps finds start + i·step sequences to float32 precision, and only where the trace type takes x0/dx', () => {
    const lin = Array.from({ length: 201 }, (_, i) => -2 + (4 * i) / 200);
    assert.deepEqual(evenSteps(lin), { start: -2, step: 0.02 });
    assert.ok(evenSteps(Array.from(Float32Array.from(lin))), 'float32-rounded linspace is still even');
    assert.equal(evenSteps(lin.map((x, i) => (i === 100 ? x + 1e-4 : x))), undefined, 'one point off by 1e-4 of a range of 4');
    assert.equal(evenSteps(lin.map((x) => x * x)), undefined);
    assert.equal(evenSteps(lin.slice(0, BINARY_MIN_LENGTH - 1)), undefined, 'short arrays stay literal');
    assert.equal(evenSteps(Array(20).fill(3)), undefined, 'a constant is not a step');
    const y = lin.map((x) => x * x);
    assert.deepEqual(Object.keys(packTrace({ type: 'scatter', x: lin, y })).sort(), ['dx', 'type', 'x0', 'y']);
    assert.deepEqual(Object.keys(packTrace({ x: lin, y })).sort(), ['dx', 'x0', 'y'], 'scatter is the default type');
    assert.deepEqual(Object.keys(packTrace({ type: 'scatter3d', x: lin, y, z: y })).sort(), ['type', 'x', 'y', 'z'], 'scatter3d has no x0/dx');
    const line = packTrace({ type: 'scatter', x: lin.map((m) => 2 * (1 + m)), y: lin });
    assert.ok('y' in line && 'x0' in line && !('x' in line), 'a straight line keeps y (its length) and packs x only');
    assert.deepEqual(Object.keys(packTrace({ type: 'contour', x: lin, y: lin, z: [y, y] })).sort(), ['dx', 'dy', 'type', 'x0', 'y0', 'z'], 'z sizes a contour');
    assert.ok('x' in packTrace({ type: 'scatter', x: lin, x0: 5, y }), 'an x0 the figure set is kept, and x with it');
  });

  it('keeps a caption containing </script><b> as data: plain text and metadata, never HTML', () => {
    const evil = 'x </script><b>bold</b> & "q"';
    const b = figureBundle(fig(evil));
    assert.equal(b.data['text/plain'], `Figure ch00-test-figure: ${evil}`);
    assert.equal((b.metadata['dl-optimization'] as { caption: string }).caption, evil);
    assert.ok(!Object.keys(b.data).some((m) => m.includes('html')), 'no HTML mime type');
    const json = scriptSafeJson({ caption: evil });
    assert.ok(!json.includes('</'), 'no closing tag inside script JSON');
    assert.deepEqual(JSON.parse(json), { caption: evil }, 'escaping is lossless');
  });

  it('puts frames and config into the plotly JSON (sliders work without a kernel)', () => {
    const f = figure({ ...fig(), frames: [{ name: 'a', data: [{ y: [5, 6] }] }], config: { scrollZoom: false } });
    const b = figureBundle(f);
    assert.deepEqual((b.data[PLOTLY_MIME] as { frames: unknown[] }).frames, [{ name: 'a', data: [{ y: [5, 6] }] }]);
    assert.deepEqual((b.data[PLOTLY_MIME] as { config: unknown }).config, { scrollZoom: false });
  });

  it('rejects what is not a figure, and figure() rejects bad ids and NaN data', () => {
    assert.throws(() => figureBundle(null as never), /show\(\) needs a Figure/);
    assert.throws(() => fig('c', 'Bad Id'), /figure id must look like/);
    assert.throws(
      () => figure({ id: 'ch00-nan', caption: 'c', data: [{ type: 'scatter', y: [1, NaN] }], layout: {} }),
      /data\[0\]\.y\[1\] = NaN is not finite/,
    );
  });
});

describe('showTable', () => {
  it('renders a polars DataFrame as an escaped HTML table with a text fallback', () => {
    const df = dataFrame({ name: ['<i>sgd</i>', 'adam'], loss: [0.5, 1e-5] });
    const b = showTable(df, { caption: 'final losses' });
    assert.ok(b);
    const html = b.data['text/html'] as string;
    assert.match(html, /<th>name<\/th><th>loss<\/th>/);
    assert.ok(html.includes('&lt;i&gt;sgd&lt;/i&gt;'), 'cell content is escaped');
    assert.ok(html.includes('1.0000e-5'), 'small numbers in exponent form');
    const text = b.data['text/plain'] as string;
    assert.match(text, /final losses/);
    assert.match(text, /adam/);
  });

  it('limits the rows shown and says how many there are', () => {
    const df = dataFrame({ k: Array.from({ length: 30 }, (_, i) => i) });
    const b = tableBundle(df, { maxRows: 5 });
    assert.equal((b.data['text/html'] as string).match(/<tr>/g)?.length, 6, 'header + 5 rows');
    assert.match(b.data['text/plain'] as string, /25 more rows \(30 in all\)/);
    assert.throws(() => tableBundle(df, { maxRows: 0 }), /maxRows must be a positive integer; got 0/);
  });

  it('dataFrame() rejects columns of different lengths, naming both', () => {
    assert.throws(() => dataFrame({ a: [1, 2], b: [1] }), /column "b" has 1 values; column "a" has 2/);
  });
});
