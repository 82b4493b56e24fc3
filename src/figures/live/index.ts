/**
 * The live figures of the course site (see ./types.ts): every spec, by figure id, and what the page and the
 * site build need to use them.
 */
import type { LiveSpec } from './types';
import { ch02CriticalPoints, ch02QuadraticForms, ch02SaddleEscape } from './ch02';
import { ch03CliffPaths } from './ch03';
import { ch05ConditionNumberRates, ch05GdQuadratics, ch05LrSlider, ch05NewtonSaddle, ch05Preconditioning, ch05SteepestDirection } from './ch05';
import { ch06NoiseBall, ch06SaddleEscape } from './ch06';
import { ch08QuadraticPaths, ch08Rosenbrock } from './ch08';
import { ch07Explorer, ch07MilaDynamics, ch07MilaMomentum, ch07MilaMuSweep, ch07Nesterov, ch07RateHeatmap } from './ch07';

export * from './types';
export { defaultParams, withParams, renderLive, liveBase, mergeTrace, runCache, formatNumber, clampParam } from './render';
export { unpackTrace, unpackValue, decodeTyped } from './figure-json';
export { controlsHtml } from './markup';

/** Every live figure, in course order. */
export const LIVE_FIGURES: LiveSpec[] = [
  ch02CriticalPoints,
  ch02QuadraticForms,
  ch02SaddleEscape,
  ch03CliffPaths,
  ch05SteepestDirection,
  ch05GdQuadratics,
  ch05LrSlider,
  ch05ConditionNumberRates,
  ch05Preconditioning,
  ch05NewtonSaddle,
  ch06NoiseBall,
  ch06SaddleEscape,
  ch07Nesterov,
  ch07MilaMomentum,
  ch07MilaDynamics,
  ch07MilaMuSweep,
  ch07RateHeatmap,
  ch07Explorer,
  ch08QuadraticPaths,
  ch08Rosenbrock,
];

/** The live spec of a figure id, or undefined when the figure is static. */
export function liveSpec(id: string): LiveSpec | undefined {
  return LIVE_FIGURES.find((s) => s.id === id);
}
