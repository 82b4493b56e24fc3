import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar, renderProgress } from '../../src/edge/progress';
import type { DisplayBundle } from '../../src/edge/show';

describe('renderProgress', () => {
  it('draws round(width·value/total) full blocks, the percentage and the count', () => {
    assert.equal(renderProgress(5, 10, { width: 10 }), '█████░░░░░  50% 5/10');
    assert.equal(renderProgress(0, 3, { width: 6, label: 'fit' }), 'fit  ░░░░░░   0% 0/3');
    assert.equal(renderProgress(3, 3, { width: 6 }), '██████ 100% 3/3');
    // 1/3 of 6 = 2 blocks; 33%
    assert.equal(renderProgress(1, 3, { width: 6 }), '██░░░░  33% 1/3');
  });

  it('adds elapsed time, the estimated time left elapsed·(total − value)/value, and a status', () => {
    assert.equal(renderProgress(1, 4, { width: 4, elapsedMs: 2000, info: 'adam' }), '█░░░  25% 1/4 · 2.0 s · ~6.0 s left · adam');
    // no estimate before the first unit nor after the last
    assert.equal(renderProgress(0, 4, { width: 4, elapsedMs: 500 }), '░░░░   0% 0/4 · 0.5 s');
    assert.equal(renderProgress(4, 4, { width: 4, elapsedMs: 125000 }), '████ 100% 4/4 · 2 min 5 s');
  });

  it('rejects bad input naming it', () => {
    assert.throws(() => renderProgress(1, 0), /total must be a positive integer; got 0/);
    assert.throws(() => renderProgress(11, 10), /value must be a number in \[0, 10\]; got 11/);
    assert.throws(() => renderProgress(NaN, 10), /value must be a number in \[0, 10\]; got NaN/);
    assert.throws(() => renderProgress(1, 10, { width: 0 }), /width must be a positive integer; got 0/);
  });
});

describe('progressBar', () => {
  /** A fake display handle and clock. */
  function harness() {
    const shown: DisplayBundle[] = [];
    let t = 1000;
    return {
      shown,
      advance: (ms: number) => (t += ms),
      handle: { update: (b: DisplayBundle | string) => void shown.push(b as DisplayBundle) },
      now: () => t,
    };
  }

  it('redraws one handle, at most every minIntervalMs, always the first and the last state', () => {
    const h = harness();
    const bar = progressBar(10, { label: 'train', width: 10, minIntervalMs: 100, handle: h.handle, now: h.now });
    bar.update(1, 'epoch 1'); // first: drawn
    h.advance(50);
    bar.update(2, 'epoch 2'); // 50 ms later: skipped
    h.advance(60);
    bar.tick('epoch 3'); // 110 ms after the last draw: drawn
    h.advance(10);
    bar.finish('done'); // final: drawn even though only 10 ms passed
    assert.equal(bar.draws, 3);
    assert.equal(h.shown.length, 3);
    assert.equal(bar.value, 10);
    assert.match(String(h.shown[1].data['text/plain']), /^train {2}███░░░░░░░ {2}30% 3\/10 · 0\.1 s · ~0\.3 s left · epoch 3$/);
    const last = h.shown[2];
    assert.match(String(last.data['text/plain']), /100% 10\/10 · 0\.1 s · done$/);
    assert.match(String(last.data['text/html']), /<progress value="10" max="10"/);
    assert.deepEqual(last.metadata['dl-optimization'], { progress: 100 });
  });

  it('escapes the label in HTML and rejects bad values', () => {
    const h = harness();
    const bar = progressBar(2, { label: '<b>x</b>', handle: h.handle, now: h.now });
    bar.update(1);
    assert.ok(String(h.shown[0].data['text/html']).includes('&lt;b&gt;x&lt;/b&gt;'));
    assert.ok(!String(h.shown[0].data['text/html']).includes('<b>x'));
    assert.throws(() => bar.update(3), /value must be a number in \[0, 2\]; got 3/);
    assert.throws(() => progressBar(0), /total must be a positive integer; got 0/);
    assert.throws(() => progressBar(3, { minIntervalMs: -1 }), /minIntervalMs must be a finite number ≥ 0; got -1/);
  });

  it('works with the default display handle outside a kernel (sends nothing, text() still reports)', () => {
    const bar = progressBar(4, { width: 4 });
    bar.update(2, 'half');
    assert.match(bar.text(), /^██░░ {2}50% 2\/4 · .* · half$/);
  });
});
