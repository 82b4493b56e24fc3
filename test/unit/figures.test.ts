import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  COLORS, PALETTE, PLOTLY_COLORS, seriesColor, roundSig, roundTo, decimalGrid, LEVEL_LINES, shadedContours, contourTrace,
  objectiveContour, pathTrace, pathEnds, lossCurve, logAxis, heatmapTrace, rateMapTrace,
} from '../../src/figures';
import { defineObjective } from '../../src/core/objective';
import { quadratic, rosenbrock } from '../../src/problems/catalog';
import { rateGrid } from '../../src/problems/momentum-analysis';
import { minimize } from '../../src/training/minimize';
import { sgd } from '../../src/optimizers';
import { figure } from '../../src/core/figure';
import { assertClose, assertNoLeak, setupBackend } from '../helpers';

before(setupBackend);

describe('palette', () => {
  it('names ten distinct colours; COLORS and PLOTLY_COLORS are orders of them', () => {
    const all = Object.values(PALETTE);
    assert.equal(new Set(all).size, 10);
    for (const c of [...COLORS, ...PLOTLY_COLORS]) assert.ok(all.includes(c), `${c} is not in PALETTE`);
    assert.equal(new Set(COLORS).size, COLORS.length);
    assert.deepEqual(COLORS.slice(0, 4), [PALETTE.blue, PALETTE.red, PALETTE.green, PALETTE.purple]);
    assert.equal(seriesColor(COLORS.length + 1), COLORS[1]);
    assert.throws(() => seriesColor(-1), /i must be an integer ≥ 0; got -1/);
  });

  it('PLOTLY_COLORS is the default colour order of the plotly.js the course ships', () => {
    const js = fs.readFileSync(path.join(require.resolve('plotly.js-dist-min'), '..', 'plotly.min.js'), 'utf8');
    assert.ok(js.includes(PLOTLY_COLORS.map((c) => JSON.stringify(c)).join(',')), 'plotly.min.js has no such colour list');
  });
});

describe('rounding', () => {
  it('roundSig keeps significant digits, roundTo decimals; grids of decimals contain their exact decimals', () => {
    assert.equal(roundSig(0.000123456, 3), 0.000123);
    assert.equal(roundSig(98765.4321, 2), 99000);
    assert.equal(roundTo(-0.25 + (1.5 * 7) / 60, 4), -0.075);
    assert.equal(roundTo(-1.00000000002, 4), -1);
    assert.ok(Number.isNaN(roundTo(NaN, 2)));
    const g = decimalGrid(-1, 1, 41, 4);
    assert.equal(g.length, 41);
    assert.equal(g[0], -1);
    assert.equal(g[40], 1);
    for (const a of [-0.5, 0, 0.05, 0.5, 0.95]) assert.notEqual(g.indexOf(a), -1, `${a} is not in the grid`);
    // without rounding 0.05·k is not found exactly in such a grid
    assert.equal(Array.from({ length: 41 }, (_, i) => -1 + (2 * i) / 40).indexOf(0.15), -1);
  });

  it('rejects bad digits, decimals and grid sizes, naming them', () => {
    assert.throws(() => roundSig(1, 0), /digits must be an integer in \[1, 100\]; got 0/);
    assert.throws(() => roundTo(1, 1.5), /decimals must be an integer in \[0, 15\]; got 1.5/);
    assert.throws(() => decimalGrid(0, 1, 1, 2), /n must be an integer ≥ 2; got 1/);
  });
});

describe('contours', () => {
  it('objectiveContour: z[j][i] = f(x_i, y_j) on an n × n grid over the box, in the LEVEL_LINES style', () => {
    const f = quadratic([[1, 0], [0, 49]]);
    const t = assertNoLeak(() => objectiveContour(f, [-2, 2], [-1, 1], { n: 21 }), 'objectiveContour');
    const x = t.x as number[];
    const y = t.y as number[];
    const z = t.z as number[][];
    assert.equal(t.type, 'contour');
    assert.equal(x.length, 21);
    assert.equal(z.length, 21);
    assertClose([x[0], x[20], y[0], y[20]], [-2, 2, -1, 1], 1e-12, 'box corners');
    for (const [i, j] of [[0, 0], [3, 17], [10, 10], [20, 5]]) {
      assertClose(z[j][i], 0.5 * (x[i] ** 2 + 49 * y[j] ** 2), 1e-4 * (1 + z[j][i]), `z[${j}][${i}]`);
    }
    for (const [k, v] of Object.entries(LEVEL_LINES)) assert.deepEqual(t[k], v, `style ${k}`);
  });

  it('objectiveContour with log: z = log10(f + 1e-4) (or the floor given); the minimum of Rosenbrock is the lowest level', () => {
    const r = rosenbrock();
    const plain = objectiveContour(r, [-2, 2], [-1, 3], { n: 41 });
    const logged = objectiveContour(r, [-2, 2], [-1, 3], { n: 41, log: true });
    const floored = objectiveContour(r, [-2, 2], [-1, 3], { n: 41, log: 1 });
    const zp = plain.z as number[][];
    const zl = logged.z as number[][];
    const zf = floored.z as number[][];
    zp.forEach((row, j) => row.forEach((v, i) => {
      assertClose(zl[j][i], Math.log10(v + 1e-4), 1e-12, `log z[${j}][${i}]`);
      assertClose(zf[j][i], Math.log10(v + 1), 1e-12, `floored z[${j}][${i}]`);
    }));
    // (1, 1) is grid point i = 30, j = 20 on these boxes; it holds the smallest value
    const x = logged.x as number[];
    const y = logged.y as number[];
    assertClose([x[30], y[20]], [1, 1], 1e-6, 'grid point (1, 1)');
    assert.equal(Math.min(...zl.flat()), zl[20][30]);
  });

  it('a log contour of a function that goes negative fails, naming the point and the floor', () => {
    const saddle = defineObjective({ name: 'x² − y²', dim: 2, fn: (v) => { const [a, b] = tf.unstack(v); return a.square().sub(b.square()); } });
    assert.throws(() => objectiveContour(saddle, [-1, 1], [-1, 1], { n: 5, log: true }), /f \+ floor = -0\.7499 ≤ 0 at \(-0\.5, -1\); pass a larger floor/);
    assert.throws(() => objectiveContour(saddle, [-1, 1], [-1, 1], { n: 1 }), /n must be an integer ≥ 2; got 1/);
    assert.throws(() => objectiveContour(saddle, [-1, 1], [-1, 1], { log: -1 }), /log must be true, false or a floor ≥ 0; got -1/);
  });

  it('contourTrace keeps a grid as given and checks its shape; shadedContours is a filled reversed scale', () => {
    const grid = { x: [0, 1, 2], y: [0, 1], z: [[1, 2, 3], [4, 5, 6]] };
    const t = contourTrace(grid, shadedContours({ colorscale: 'Blues', ncontours: 7, opacity: 0.4 }));
    assert.deepEqual([t.x, t.y, t.z], [grid.x, grid.y, grid.z]);
    assert.deepEqual([t.colorscale, t.ncontours, t.opacity, t.reversescale, t.showscale], ['Blues', 7, 0.4, true, false]);
    assert.throws(() => contourTrace({ x: [0, 1], y: [0, 1], z: [[1, 2, 3], [4, 5, 6]] }), /grid.z\[0\] must have one value per x value \(2\); got 3/);
    assert.throws(() => contourTrace({ x: [0, 1, 2], y: [0], z: [[1, 2, 3], [4, 5, 6]] }), /one row per y value \(1\); got 2 rows/);
    assert.throws(() => shadedContours({ opacity: 2 }), /opacity must be in \[0, 1\]; got 2/);
  });
});

describe('trajectories', () => {
  it('pathTrace starts at x0 and ends at x_K of a real run; every keeps the last point; figure() accepts it', () => {
    const f = quadratic([[1, 0], [0, 10]]);
    const run = minimize(f, sgd({ lr: 0.05 }), { x0: [-2, 1], steps: 23 });
    const t = pathTrace(run.points, { name: 'gd', color: PALETTE.red, width: 1.5, markerSize: 3 });
    const x = t.x as number[];
    const y = t.y as number[];
    assert.deepEqual([x[0], y[0]], [-2, 1]);
    assert.deepEqual([x[x.length - 1], y[y.length - 1]], run.points[23]);
    assert.equal(x.length, 24);
    assert.deepEqual(t.line, { color: PALETTE.red, width: 1.5 });
    assert.deepEqual(t.marker, { color: PALETTE.red, size: 3 });
    const thin = pathTrace(run.points, { name: 'gd', color: 'black', mode: 'lines', every: 5 });
    assert.deepEqual(thin.x, [0, 5, 10, 15, 20, 23].map((k) => run.points[k][0]));
    assert.equal(thin.marker, undefined);
    assert.deepEqual(thin.line, { color: 'black' });
    assert.doesNotThrow(() => figure({ id: 'ch99-path', caption: 'a path', data: [objectiveContour(f, [-2, 2], [-1, 1]), t], layout: {} }));
  });

  it('pathTrace draws the coordinates asked for and merges extra attributes; pathEnds marks x_0 and x_K', () => {
    const pts = [[0, 1, 2], [3, 4, 5], [6, 7, 8]];
    const t = pathTrace(pts, { name: 'p', color: 'red', dims: [2, 0], extra: { xaxis: 'x2', showlegend: false } });
    assert.deepEqual([t.x, t.y, t.xaxis, t.showlegend], [[2, 5, 8], [0, 3, 6], 'x2', false]);
    const e = pathEnds(pts, { name: 'ends', color: 'red' });
    assert.deepEqual([e.x, e.y], [[0, 6], [1, 7]]);
    assert.deepEqual((e.marker as { symbol: string[] }).symbol, ['circle-open', 'x']);
    assert.throws(() => pathTrace([], { name: 'p', color: 'red' }), /points must be a non-empty array/);
    assert.throws(() => pathTrace(pts, { name: 'p', color: 'red', dims: [0, 3] }), /points\[0\] must have at least 4 coordinates/);
    assert.throws(() => pathTrace(pts, { name: 'p', color: 'red', every: 0 }), /every must be a positive integer; got 0/);
  });
});

describe('loss curves and log axes', () => {
  it('lossCurve plots v_k against k, with a floor or gaps for a log axis, every k-th value, or a given x', () => {
    const v = [1, 0.1, 0, -0.5, 1e-40, 0.2];
    assert.deepEqual(lossCurve(v, { name: 'f' }).x, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(lossCurve(v, { name: 'f', floor: 1e-30 }).y, [1, 0.1, 1e-30, 1e-30, 1e-30, 0.2]);
    assert.deepEqual(lossCurve(v, { name: 'f', gaps: true }).y, [1, 0.1, null, null, 1e-40, 0.2]);
    const every = lossCurve(v, { name: 'f', every: 2, x: [10, 11, 12, 13, 14, 15], color: 'red' });
    assert.deepEqual([every.x, every.y, every.line], [[10, 12, 14], [1, 0, 1e-40], { color: 'red' }]);
    assert.deepEqual(lossCurve(v, { name: 'f', width: 2, dash: 'dot' }).line, { width: 2, dash: 'dot' });
    assert.equal(lossCurve(v, { name: 'f' }).line, undefined);
    assert.throws(() => lossCurve(v, { name: 'f', x: [1, 2] }), /x must have one entry per value \(6\); got 2/);
    assert.throws(() => lossCurve(v, { name: 'f', floor: 0 }), /floor must be a number > 0; got 0/);
  });

  it('logAxis is a log axis with powers of ten and a title', () => {
    assert.deepEqual(logAxis('f(x_t)', { range: [-30, 2] }), { title: { text: 'f(x_t)' }, type: 'log', exponentformat: 'power', range: [-30, 2] });
  });
});

describe('heat maps and rate maps', () => {
  it('rateMapTrace leaves exactly the diverging cells (ρ ≥ 1) blank and keeps every other rate', () => {
    const lrs = Array.from({ length: 68 }, (_, i) => 0.00125 * (i + 1));
    const mus = Array.from({ length: 53 }, (_, j) => 0.01875 * j);
    const rates = rateGrid([1, 49], lrs, mus);
    const t = rateMapTrace(lrs, mus, rates);
    const z = t.z as (number | null)[][];
    let blank = 0;
    rates.forEach((row, j) => row.forEach((r, i) => {
      if (r >= 1) { assert.equal(z[j][i], null); blank++; } else assert.equal(z[j][i], r);
    }));
    assert.ok(blank > 0 && blank < 68 * 53, `${blank} blank cells`);
    // Polyak's optimum (1/16, 9/16) is the grid point i = 49, j = 30, with ρ* = 0.75
    assertClose(z[30][49] as number, 0.75, 1e-9, 'ρ at (1/16, 9/16)');
    assert.equal(Math.min(...z.flat().filter((v): v is number => v !== null)), z[30][49]);
    assert.equal(rateMapTrace(lrs, mus, rates, { limit: 0.8 }).z instanceof Array, true);
    assert.ok((rateMapTrace(lrs, mus, rates, { limit: 0.8 }).z as (number | null)[][]).flat().every((v) => v === null || v < 0.8));
    assert.throws(() => rateMapTrace(lrs.slice(1), mus, rates), /x must have one entry per column of rates \(68\); got 67/);
  });

  it('heatmapTrace puts row j at y_j and column i at x_i, and checks the shapes', () => {
    const t = heatmapTrace([[1, 2], [3, 4], [5, 6]], { x: ['a', 'b'], y: [0, 1, 2], style: { colorscale: 'RdBu', zmid: 0 } });
    assert.deepEqual([t.type, t.x, t.y, t.colorscale, t.zmid], ['heatmap', ['a', 'b'], [0, 1, 2], 'RdBu', 0]);
    assert.equal(heatmapTrace([[1]]).x, undefined);
    assert.throws(() => heatmapTrace([[1, 2], [3]]), /z\[1\] must have 2 values like the first row; got 1/);
    assert.throws(() => heatmapTrace([[1, 2]], { y: [0, 1] }), /y must have one entry per row \(1\); got 2/);
  });
});
