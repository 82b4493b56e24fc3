/**
 * Live figures: a course figure that the site page recomputes in the browser when a reader moves a control.
 * A LiveSpec says, for one figure id, which controls the text's parameters get (their range and the
 * notebook's value as default), which numbers the page shows next to the plot, and how to recompute the
 * figure's traces from the controls with the library's own objectives, optimizers and `minimize`.
 *
 * The page starts from the notebook's figure (the static first frame); `renderLive` (./render.ts) merges what
 * `compute` returns into it. Browser-safe: no DOM here, no Node.
 */
import type { Trace } from '../../core/figure';

/** A plotly figure as JSON (what the notebook's `show` wrote: data, layout, optionally frames). */
export interface PlotlyJson {
  data: Trace[];
  layout: Record<string, unknown>;
  frames?: unknown[];
  config?: Record<string, unknown>;
}

/**
 * A slider; `default` lies on its grid min + k·step. With `log`, min/max/step are in log₁₀ units, the value (and
 * `default`) is 10^slider and the slider moves freely (step is what the tests move it by).
 */
export interface RangeControl {
  kind: 'range';
  name: string;
  /** What the slider sets, as the text writes it (e.g. "step size η"). */
  label: string;
  min: number;
  max: number;
  step: number;
  /** The notebook's value. */
  default: number;
  log?: boolean;
  /** Significant digits of the displayed value (default 3). */
  digits?: number;
}

/** A choice among named options. */
export interface SelectControl {
  kind: 'select';
  name: string;
  label: string;
  options: { value: string; label: string }[];
  default: string;
}

/** A point of a 2D subplot, set by clicking the plot (or typing its two coordinates). */
export interface PointControl {
  kind: 'point';
  name: string;
  label: string;
  /** The notebook's point. */
  default: [number, number];
  /** The subplot's axes (plotly names, default 'x' and 'y'). */
  xaxis?: string;
  yaxis?: string;
  /** Allowed box [[xlo, xhi], [ylo, yhi]]: a click or a typed value outside is clamped to it. */
  bounds: [[number, number], [number, number]];
}

export type Control = RangeControl | SelectControl | PointControl;
export type ParamValue = number | string | [number, number];
export type Params = Record<string, ParamValue>;

/** Where the executed notebook shows a number (for the test that live numbers match the notebook's). */
export type NotebookRef =
  /** A cell of a table shown with showTable: the table whose caption starts with `table`. */
  | { table: string; row: number | { column: string; equals: string }; column: string }
  /** The measured value of a ✓ check line whose label starts with `check`. */
  | { check: string }
  /** A number printed on stdout: the first capture group of `stdout`. */
  | { stdout: RegExp }
  /** A number read off the notebook's own figure data (unpacked: see ./figure-json.ts). */
  | { figure: (fig: PlotlyJson) => number | null; what: string };

/** A number the page shows next to the live figure. */
export interface LiveNumber {
  key: string;
  /** How the page names it (e.g. "rate ρ", "f(x₃₀)", "diverged at step"). */
  label: string;
  /** Significant digits shown (default 4); integers are shown as they are. */
  digits?: number;
  /** Where the notebook shows the same number for its parameters (the defaults). */
  ref?: NotebookRef;
  /** Relative tolerance of the notebook comparison (default 1e-4). */
  tol?: number;
  /** Absolute tolerance of the notebook comparison, for numbers that are zero up to float32 rounding (default 0). */
  atol?: number;
}

/** What compute returns: traces to merge into the figure, an optional layout patch, and the numbers. */
export interface LiveResult {
  /** By trace index: merged over the static trace (index < data.length) or appended as a new trace. */
  traces: Record<number, Trace>;
  /** Top-level layout keys to replace (e.g. annotations, axis ranges). */
  layout?: Record<string, unknown>;
  /** By LiveNumber.key; null = not defined for these parameters (e.g. no divergence). */
  numbers: Record<string, number | null>;
}

/** What compute may use besides the parameters. */
export interface LiveContext {
  /** Caches `make()` under `key` for the page's lifetime (runs shared by many parameter settings). */
  memo<T>(key: string, make: () => T): T;
  /** The figure as the page started it (after `prepare`). */
  base: PlotlyJson;
}

/** One live figure. */
export interface LiveSpec {
  /** The notebook's figure id (chNN-slug). */
  id: string;
  /** The notebook (file name without .ipynb) that shows the figure. */
  chapter: string;
  /** One sentence for the page: what the reader can change. */
  summary: string;
  controls: Control[];
  numbers: LiveNumber[];
  /**
   * Indices of the live figure's traces that compute() makes and that, at the defaults, are the notebook's
   * traces (`reference` maps them when `prepare` reorders the figure): the number-match test compares them.
   */
  computed: number[];
  /** Relative tolerance of the trace comparison at the defaults (default 1e-4). */
  traceTol?: number;
  /** Absolute tolerance of the trace comparison (default 0), for values the notebook rounded to a few decimals. */
  traceAtol?: number;
  /** The live figure's starting point from the notebook's (default: the notebook's figure as it is). */
  prepare?(notebook: PlotlyJson): PlotlyJson;
  /** The notebook's trace that live trace i reproduces at the defaults (default: notebook.data[i]). */
  reference?(notebook: PlotlyJson, i: number): Trace;
  /** Recomputes the figure for the parameters. */
  compute(params: Params, ctx: LiveContext): LiveResult;
}
