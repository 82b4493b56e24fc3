/**
 * The course's colours: one named palette (the "tab10" colours plotly and matplotlib use), the order in
 * which the chapters colour their series, and plotly's own default order. No chapter types a hex code.
 */

/** The ten named colours. */
export const PALETTE = {
  blue: '#1f77b4',
  orange: '#ff7f0e',
  green: '#2ca02c',
  red: '#d62728',
  purple: '#9467bd',
  brown: '#8c564b',
  pink: '#e377c2',
  grey: '#7f7f7f',
  olive: '#bcbd22',
  cyan: '#17becf',
} as const;

/** A colour of the palette. */
export type PaletteColor = (typeof PALETTE)[keyof typeof PALETTE];

const P = PALETTE;

/** The course's series order: the i-th method of a comparison is drawn in COLORS[i] (blue, red, green, purple, …). */
export const COLORS: readonly PaletteColor[] = [P.blue, P.red, P.green, P.purple, P.orange, P.brown, P.pink, P.cyan, P.grey];

/** plotly's default order (what plotly picks for the i-th trace when no colour is given). */
export const PLOTLY_COLORS: readonly PaletteColor[] = [P.blue, P.orange, P.green, P.red, P.purple, P.brown, P.pink, P.grey, P.olive, P.cyan];

/** The i-th series colour, cycling: COLORS[i mod 9]. */
export function seriesColor(i: number): PaletteColor {
  if (!Number.isInteger(i) || i < 0) throw new Error(`i must be an integer ≥ 0; got ${i}`);
  return COLORS[i % COLORS.length];
}
