/**
 * The page side of the live figures (bundled into the course site's dl-optimization-core.js): finds every
 * <div data-live-figure="<figure id>"> the site build wrote (./markup.ts), and on each change of one of its
 * controls recomputes the figure with renderLive (the library's objectives, optimizers and minimize, on tfjs
 * in the page) and redraws it with Plotly.react in place of the notebook's static figure.
 *
 * Backend: tfjs's `cpu` backend by default. For these figures (2-vectors, a few hundred steps, each step read
 * back to draw it) it measured fastest in Chromium: each tfjs op costs a fixed dispatch, the wasm backend adds a
 * call and a copy per op, and webgl a GPU read-back per step. `?backend=wasm` (or webgl) in the page's URL picks
 * another one: the wasm binary comes from dl-optimization-wasm.js next to this script (base64, turned into a
 * blob: URL, because Chromium does not fetch .wasm files from file://); a backend that fails falls back to cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { liveSpec } from './index';
import { sliderValue } from './markup';
import { clampParam, defaultParams, formatNumber, liveBase, renderLive, runCache } from './render';
import type { Control, LiveSpec, Params, PlotlyJson } from './types';

/** One redraw of a live figure, as measured in the page (performance.now). */
export interface LiveTiming {
  id: string;
  /** The control that triggered it ('reset', 'warm-up' or a control name). */
  control: string;
  /** Recompute + Plotly.react, ms. */
  ms: number;
  computeMs: number;
  drawMs: number;
  backend: string;
  /** The first redraw of this figure (the static figure is replaced). */
  first: boolean;
}

/** What the page exposes as window.dlopt.live: timings, the backend, and a promise that resolves when ready. */
export interface LiveRuntime {
  timings: LiveTiming[];
  backend: string;
  ready: Promise<void>;
  figures: Map<string, LiveFigure>;
}

/** A wired live figure (for tests and the console): its parameters and its last numbers. */
export interface LiveFigure {
  spec: LiveSpec;
  params: Params;
  numbers: Record<string, number | null> | undefined;
  /** Number of redraws so far. */
  redraws: number;
  /** Set the parameters (as the controls would) and redraw; resolves after the redraw. */
  set(changes: Params, control?: string): Promise<void>;
}

type PlotlyLike = {
  react(el: HTMLElement, fig: { data: unknown[]; layout: unknown; frames?: unknown[]; config?: unknown }): Promise<unknown>;
};
type Axis = { _offset: number; _length: number; p2d(px: number): number };

/** The script's own URL, to find dl-optimization-wasm.js next to it. */
const scriptSrc = typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : '';

export const DEFAULT_BACKEND = 'cpu';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
}

function blobUrl(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
}

/** Sets tfjs's backend: the URL's ?backend=, else DEFAULT_BACKEND; cpu when the wanted one fails. */
export async function chooseBackend(): Promise<string> {
  const wanted = new URLSearchParams(location.search).get('backend') ?? DEFAULT_BACKEND;
  try {
    if (wanted === 'wasm') {
      const w = window as unknown as { DLOPT_WASM?: { simd: string; plain: string } };
      if (!w.DLOPT_WASM) await loadScript(new URL('dl-optimization-wasm.js', scriptSrc || location.href).href);
      const bin = w.DLOPT_WASM;
      if (!bin) throw new Error('dl-optimization-wasm.js did not define the wasm binaries');
      const simd = blobUrl(bin.simd);
      // No threads: they need a cross-origin-isolated page, which file:// is not.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      setWasmPaths({ 'tfjs-backend-wasm.wasm': blobUrl(bin.plain), 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm-threaded-simd.wasm': simd });
    }
    if (wanted !== 'cpu' && (await tf.setBackend(wanted))) {
      await tf.ready();
      return tf.getBackend();
    }
    if (wanted !== 'cpu') throw new Error(`tf.setBackend('${wanted}') returned false`);
  } catch (err) {
    console.warn(`[dl-optimization] backend ${wanted} unavailable (${err instanceof Error ? err.message : String(err)}); using cpu`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

function axisOf(layout: Record<string, unknown>, name: string): Axis | undefined {
  const m = /^([xy])(\d*)$/.exec(name);
  return m ? (layout[`${m[1]}axis${m[2]}`] as Axis | undefined) : undefined;
}

function now(): number {
  return performance.now();
}

/** Wires one live block: controls → parameters → renderLive → Plotly.react. */
function wire(el: HTMLElement, runtime: LiveRuntime, Plotly: PlotlyLike): LiveFigure | undefined {
  const id = el.dataset.liveFigure ?? '';
  const spec = liveSpec(id);
  const figEl = el.closest('.dlopt-figure');
  const plotEl = figEl?.querySelector<HTMLElement>('.dlopt-plot');
  const jsonEl = figEl?.querySelector('script[type="application/vnd.plotly.v1+json"]');
  const status = el.querySelector<HTMLElement>('[data-live-status]');
  if (!spec || !plotEl || !jsonEl) {
    console.error(`[dl-optimization] live figure ${id}: ${!spec ? 'no spec in this bundle' : 'its figure or plot is missing'}`);
    return undefined;
  }
  const notebook = JSON.parse(jsonEl.textContent ?? '{}') as PlotlyJson;
  const base = liveBase(spec, notebook);
  const config = Object.assign({ responsive: true }, notebook.config ?? {});
  const memo = runCache();
  let params = defaultParams(spec);
  let pending: string | undefined;
  let running = false;
  let waiters: (() => void)[] = [];

  const fig: LiveFigure = {
    spec,
    get params() {
      return params;
    },
    numbers: undefined,
    redraws: 0,
    set(changes, control = 'api') {
      for (const [k, v] of Object.entries(changes)) {
        const c = spec.controls.find((x) => x.name === k);
        if (!c) throw new Error(`${id}: no control ${k}`);
        params = { ...params, [k]: clampParam(c, v) };
      }
      showParams();
      return request(control);
    },
  };

  const input = (name: string) => el.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(name)}"]`);
  const showNumbers = (numbers: Record<string, number | null>) => {
    fig.numbers = numbers;
    for (const out of Array.from(el.querySelectorAll<HTMLOutputElement>('output[data-number]'))) {
      const v = numbers[out.dataset.number ?? ''];
      out.value = formatNumber(v ?? null, Number(out.dataset.digits ?? 4));
      out.dataset.value = v === null || v === undefined ? '' : String(v);
    }
  };
  const showParams = () => {
    for (const c of spec.controls) {
      const v = params[c.name];
      if (c.kind === 'range') {
        const inp = input(c.name);
        if (inp) inp.value = String(sliderValue(c, v as number));
        const out = el.querySelector<HTMLOutputElement>(`output[data-value-of="${CSS.escape(c.name)}"]`);
        if (out) out.value = formatNumber(v as number, c.digits ?? 3);
      } else if (c.kind === 'select') {
        const inp = input(c.name);
        if (inp) inp.value = v as string;
      } else {
        const [x, y] = v as [number, number];
        const ix = input(`${c.name}.x`);
        const iy = input(`${c.name}.y`);
        if (ix) ix.value = String(+x.toPrecision(4));
        if (iy) iy.value = String(+y.toPrecision(4));
      }
    }
  };

  const run = async (): Promise<void> => {
    const control = pending ?? 'api';
    pending = undefined;
    const done = waiters;
    waiters = [];
    try {
      const t0 = now();
      const out = renderLive(spec, base, params, memo);
      const t1 = now();
      await Plotly.react(plotEl, { data: out.data, layout: out.layout, frames: [], config });
      const t2 = now();
      runtime.timings.push({ id, control, ms: t2 - t0, computeMs: t1 - t0, drawMs: t2 - t1, backend: runtime.backend, first: fig.redraws === 0 });
      fig.redraws++;
      showNumbers(out.numbers);
      el.dataset.state = 'live';
      if (status) status.textContent = `Recomputed in the page in ${(t2 - t0).toFixed(0)} ms (tfjs ${runtime.backend}).`;
    } catch (err) {
      el.dataset.state = 'error';
      if (status) status.textContent = `Could not recompute: ${err instanceof Error ? err.message : String(err)}`;
      console.error(`[dl-optimization] live figure ${id}:`, err);
    } finally {
      done.forEach((f) => f());
      if (pending !== undefined) requestAnimationFrame(() => void run());
      else running = false;
    }
  };
  const request = (control: string): Promise<void> =>
    new Promise((resolve) => {
      pending = control;
      waiters.push(resolve);
      if (!running) {
        running = true;
        void runtime.ready.then(() => requestAnimationFrame(() => void run()));
      }
    });

  const controlOf = (name: string): Control | undefined => spec.controls.find((c) => c.name === name);
  for (const c of spec.controls) {
    if (c.kind === 'range') {
      input(c.name)?.addEventListener('input', (e) => {
        const raw = Number((e.target as HTMLInputElement).value);
        void fig.set({ [c.name]: c.log ? 10 ** raw : raw }, c.name);
      });
    } else if (c.kind === 'select') {
      input(c.name)?.addEventListener('change', (e) => void fig.set({ [c.name]: (e.target as HTMLSelectElement).value }, c.name));
    } else {
      for (const axis of ['x', 'y']) {
        input(`${c.name}.${axis}`)?.addEventListener('change', () => {
          const x = Number(input(`${c.name}.x`)?.value);
          const y = Number(input(`${c.name}.y`)?.value);
          if (Number.isFinite(x) && Number.isFinite(y)) void fig.set({ [c.name]: [x, y] }, c.name);
        });
      }
    }
  }
  el.querySelector('[data-live-reset]')?.addEventListener('click', () => {
    params = defaultParams(spec);
    showParams();
    void request('reset');
  });

  // A click on the plot (a press and release without a drag, so plotly's zoom box still works) sets the point
  // control whose subplot contains it.
  const points = spec.controls.filter((c): c is Extract<Control, { kind: 'point' }> => c.kind === 'point');
  if (points.length) {
    let down: { x: number; y: number } | undefined;
    plotEl.addEventListener('pointerdown', (e) => (down = { x: e.clientX, y: e.clientY }), true);
    document.addEventListener('pointerup', (e) => {
      const start = down;
      down = undefined;
      if (!start || Math.hypot(e.clientX - start.x, e.clientY - start.y) > 4) return;
      const layout = (plotEl as unknown as { _fullLayout?: Record<string, unknown> })._fullLayout;
      if (!layout) return;
      const rect = plotEl.getBoundingClientRect();
      for (const c of points) {
        const xa = axisOf(layout, c.xaxis ?? 'x');
        const ya = axisOf(layout, c.yaxis ?? 'y');
        if (!xa || !ya) continue;
        const px = e.clientX - rect.left - xa._offset;
        const py = e.clientY - rect.top - ya._offset;
        if (px < 0 || px > xa._length || py < 0 || py > ya._length) continue;
        if (controlOf(c.name)) void fig.set({ [c.name]: [xa.p2d(px), ya.p2d(py)] }, c.name);
        return;
      }
    });
  }

  // The notebook's numbers for the notebook's parameters, computed (not drawn: the static figure stays) once the
  // figure comes into view; this also warms up the code paths before the first interaction.
  const warm = () => {
    void runtime.ready.then(() => {
      if (fig.numbers || fig.redraws) return;
      try {
        const t0 = now();
        const out = renderLive(spec, base, defaultParams(spec), memo);
        runtime.timings.push({ id, control: 'warm-up', ms: now() - t0, computeMs: now() - t0, drawMs: 0, backend: runtime.backend, first: false });
        if (!fig.redraws) showNumbers(out.numbers);
      } catch (err) {
        console.error(`[dl-optimization] live figure ${id}:`, err);
      }
    });
  };
  if (new URLSearchParams(location.search).get('warm') !== '0') {
    if (typeof IntersectionObserver === 'function') {
      const io = new IntersectionObserver((entries) => {
        if (entries.some((x) => x.isIntersecting)) {
          io.disconnect();
          setTimeout(warm, 0);
        }
      });
      io.observe(el);
    } else setTimeout(warm, 0);
  }
  return fig;
}

/** Starts the live figures of the page (once, when the bundle loads; waits for the document when still loading). */
export function startLiveFigures(): LiveRuntime {
  const runtime: LiveRuntime = { timings: [], backend: 'pending', ready: Promise.resolve(), figures: new Map() };
  let markReady: () => void = () => undefined;
  runtime.ready = new Promise<void>((resolve) => (markReady = resolve));
  const start = () => {
    const blocks = Array.from(document.querySelectorAll<HTMLElement>('[data-live-figure]'));
    if (!blocks.length) {
      runtime.backend = 'none';
      markReady();
      return;
    }
    void chooseBackend().then((b) => {
      runtime.backend = b;
      markReady();
    });
    const Plotly = (window as unknown as { Plotly?: PlotlyLike }).Plotly;
    if (!Plotly) {
      for (const el of blocks) {
        el.dataset.state = 'error';
        const s = el.querySelector('[data-live-status]');
        if (s) s.textContent = 'plotly.min.js did not load: it belongs next to this page.';
      }
      return;
    }
    for (const el of blocks) {
      const f = wire(el, runtime, Plotly);
      if (f) runtime.figures.set(f.spec.id, f);
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
  return runtime;
}
