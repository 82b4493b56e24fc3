import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { figure } from '../../src/figure';
import { PLOTLY_MIME, PLOTLY_SCRIPT_MARKER, figureBundle, resetPlotlySession, scriptSafeJson, show, showTable, tableBundle } from '../../src/show';
import { dataFrame } from '../../src/table';

const fig = (caption = 'a caption', id = 'ch00-test-figure') =>
  figure({ id, caption, data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { height: 300 } });

describe('show / figureBundle', () => {
  beforeEach(() => resetPlotlySession());

  it('returns one bundle with plotly JSON, HTML and a text caption outside a kernel', () => {
    const b = show(fig());
    assert.ok(b, 'outside a kernel show() returns the bundle');
    assert.deepEqual(Object.keys(b.data).sort(), [PLOTLY_MIME, 'text/html', 'text/plain'].sort());
    const plotly = b.data[PLOTLY_MIME] as { data: unknown[]; layout: Record<string, unknown> };
    assert.deepEqual(plotly.data, [{ type: 'scatter', x: [1, 2], y: [3, 4] }]);
    assert.equal(plotly.layout.height, 300);
    assert.equal(b.data['text/plain'], 'Figure ch00-test-figure: a caption');
    assert.match(b.data['text/html'] as string, /data-figure-id="ch00-test-figure"/);
  });

  it('inlines plotly.js in the first figure of a session only, and never fetches it from a CDN', () => {
    const first = figureBundle(fig()).data['text/html'] as string;
    const second = figureBundle(fig('again', 'ch00-second')).data['text/html'] as string;
    assert.ok(first.includes(PLOTLY_SCRIPT_MARKER), 'first figure carries the library');
    assert.ok(first.length > 1_000_000, `first figure HTML is ${first.length} bytes: the library is inlined`);
    assert.ok(!second.includes(PLOTLY_SCRIPT_MARKER), 'second figure does not repeat the library');
    assert.ok(second.length < 10_000, `second figure HTML is ${second.length} bytes`);
    assert.doesNotMatch(second, /<script[^>]+src=/i, 'no external script');
    assert.doesNotMatch(first.slice(0, 300), /cdn/i);
  });

  it('makes a caption containing </script><b> inert in HTML and in the embedded JSON', () => {
    const evil = 'x </script><b>bold</b> & "q"';
    const html = figureBundle(fig(evil), { includePlotly: false }).data['text/html'] as string;
    assert.ok(!html.includes('<b>bold</b>'), 'raw tag must not survive');
    assert.ok(html.includes('x &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;'), 'caption is HTML-escaped');
    // exactly the two script elements we wrote: the JSON spec and the loader
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2);
    const json = scriptSafeJson({ caption: evil });
    assert.ok(!json.includes('</'), 'no closing tag inside script JSON');
    assert.deepEqual(JSON.parse(json), { caption: evil }, 'escaping is lossless');
  });

  it('puts frames into both the plotly JSON and the HTML spec (sliders work without a kernel)', () => {
    const f = figure({ ...fig(), frames: [{ name: 'a', data: [{ y: [5, 6] }] }] });
    const b = figureBundle(f, { includePlotly: false });
    assert.deepEqual((b.data[PLOTLY_MIME] as { frames: unknown[] }).frames, [{ name: 'a', data: [{ y: [5, 6] }] }]);
    assert.match(b.data['text/html'] as string, /"frames":\[\{"name":"a"/);
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
