/**
 * The live figures of the course site (see ./types.ts): every spec, by figure id, and what the page and the
 * site build need to use them.
 */
import type { LiveSpec } from './types';
import { ch05LrSlider } from './ch05';

export * from './types';
export { defaultParams, withParams, renderLive, liveBase, mergeTrace, runCache, formatNumber, clampParam } from './render';
export { unpackTrace, unpackValue, decodeTyped } from './figure-json';
export { controlsHtml } from './markup';

/** Every live figure, in course order. */
export const LIVE_FIGURES: LiveSpec[] = [ch05LrSlider];

/** The live spec of a figure id, or undefined when the figure is static. */
export function liveSpec(id: string): LiveSpec | undefined {
  return LIVE_FIGURES.find((s) => s.id === id);
}
