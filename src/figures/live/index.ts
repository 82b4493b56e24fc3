/**
 * The live figures of the course site (see ./types.ts): every spec, by figure id, and what the page and the
 * site build need to use them.
 */
import type { LiveSpec } from './types';
import { ch05ConditionNumberRates, ch05GdQuadratics, ch05LrSlider, ch05NewtonSaddle, ch05Preconditioning, ch05SteepestDirection } from './ch05';

export * from './types';
export { defaultParams, withParams, renderLive, liveBase, mergeTrace, runCache, formatNumber, clampParam } from './render';
export { unpackTrace, unpackValue, decodeTyped } from './figure-json';
export { controlsHtml } from './markup';

/** Every live figure, in course order. */
export const LIVE_FIGURES: LiveSpec[] = [
  ch05SteepestDirection,
  ch05GdQuadratics,
  ch05LrSlider,
  ch05ConditionNumberRates,
  ch05Preconditioning,
  ch05NewtonSaddle,
];

/** The live spec of a figure id, or undefined when the figure is static. */
export function liveSpec(id: string): LiveSpec | undefined {
  return LIVE_FIGURES.find((s) => s.id === id);
}
