/**
 * The course's figure renderer for JupyterLab 4 and Notebook 7.
 *
 * A course figure is one display_data output: `application/vnd.plotly.v1+json` ({data, layout, frames?,
 * config?}), a plain-text caption, and metadata {"dl-optimization": {figure_id, caption}}. This mime renderer
 * draws the plotly JSON with the same plotly.js (plotly.js-dist-min) as the kernel side and the course site.
 * It is declared `safe`, so it draws in untrusted notebooks too (notebooks from git, CI or a classmate): the
 * figure is data, and plotly.js only renders it. Unlike the plotly wheel's renderer it never writes anything
 * back into the output (no PNG snapshot, so opening a notebook does not mark it modified), never mutates the
 * model's JSON, and draws the interactive figure even when the output also carries a static image/png.
 * plotly.js is loaded once per page, on the first figure, as a chunk of this extension: no output carries it.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

export const MIME_TYPE = 'application/vnd.plotly.v1+json';
const DEFAULT_HEIGHT = 450;

/** The part of plotly.js this renderer uses. */
interface PlotlyApi {
  react(root: HTMLElement, figure: Record<string, unknown>): Promise<unknown>;
  purge(root: HTMLElement): void;
  Plots: { resize(root: HTMLElement): Promise<unknown> | void };
}

interface FigureSpec {
  data?: unknown[];
  layout?: Record<string, unknown>;
  frames?: unknown[];
  config?: Record<string, unknown>;
}

interface FigureMeta {
  figure_id?: string;
  caption?: string;
}

let plotly: Promise<PlotlyApi> | undefined;

/** plotly.js, imported once per page (a lazily loaded chunk of this extension). */
function loadPlotly(): Promise<PlotlyApi> {
  if (!plotly) {
    plotly = import('plotly.js-dist-min').then((m: unknown) => {
      const mod = m as { default?: PlotlyApi } & PlotlyApi;
      return mod.default && typeof mod.default.react === 'function' ? mod.default : mod;
    });
  }
  return plotly;
}

/** Draws one figure; redraws its width when the output area is resized. */
export class FigureRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly plot: HTMLDivElement;
  private readonly caption: HTMLParagraphElement;
  private readonly observer: ResizeObserver;
  private lastWidth = 0;
  private drawn = false;

  constructor(private readonly mimeType: string) {
    super();
    this.addClass('dlopt-figure');
    this.plot = document.createElement('div');
    this.plot.className = 'dlopt-plot';
    this.caption = document.createElement('p');
    this.caption.className = 'dlopt-caption';
    this.caption.style.cssText = 'font-size:90%;color:var(--jp-ui-font-color1,#444);margin:.3em 0 0';
    this.node.append(this.plot, this.caption);
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.node);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    // A deep copy: plotly.js writes into the objects it is given, and the model's JSON is what gets saved.
    const spec = JSON.parse(JSON.stringify(model.data[this.mimeType] ?? {})) as FigureSpec;
    const meta = ((model.metadata ?? {})['dl-optimization'] ?? {}) as FigureMeta;
    const layout = spec.layout ?? {};
    const height = typeof layout.height === 'number' ? layout.height : DEFAULT_HEIGHT;
    layout.height = height;
    this.plot.style.minHeight = `${height}px`;
    if (meta.figure_id) this.node.dataset.figureId = meta.figure_id;
    this.caption.textContent = '';
    if (meta.figure_id || meta.caption) {
      const label = document.createElement('b');
      label.textContent = meta.figure_id ? `Figure ${meta.figure_id}. ` : '';
      this.caption.append(label, document.createTextNode(meta.caption ?? ''));
    }
    try {
      const Plotly = await loadPlotly();
      await Plotly.react(this.plot, {
        data: spec.data ?? [],
        layout,
        frames: spec.frames ?? [],
        config: { responsive: true, ...(spec.config ?? {}) },
      });
      this.drawn = true;
      this.node.dataset.drawn = 'true';
      this.lastWidth = this.plot.clientWidth;
    } catch (err) {
      this.node.dataset.drawn = 'error';
      this.plot.style.minHeight = '';
      this.plot.textContent = `This figure could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Re-lays the plot out when the output's width changed (window resize, side panel, a cell scrolled into view). */
  private resize(): void {
    if (!this.drawn || !plotly) return;
    const width = this.plot.clientWidth;
    if (width === 0 || width === this.lastWidth) return;
    this.lastWidth = width;
    void plotly.then((Plotly) => Plotly.Plots.resize(this.plot));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.observer.disconnect();
    if (this.drawn && plotly) void plotly.then((Plotly) => Plotly.purge(this.plot));
    super.dispose();
  }
}

/** Renders the plotly mime type; `safe`, so untrusted notebooks draw too. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: (options) => new FigureRenderer(options.mimeType),
};

const extension: IRenderMime.IExtension = {
  id: 'dl-optimization-figures:renderer',
  rendererFactory,
  // Lower than every built-in renderer (HTML 50, images 90), so the figure wins over an image/png fallback.
  rank: 1,
  dataType: 'json',
};

export default extension;
