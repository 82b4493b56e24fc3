/**
 * The course site's script (bundled by scripts/live-bundle.ts into build/site/dl-optimization-core.js, global
 * `dlopt`): the browser entry (src/browser.ts: core … training), the live figure specs (src/figures/live), and
 * the page side that runs them. Loading it starts the live figures of the page (window.dlopt.live).
 */
export * from './browser';
export * from './figures/live';
export { chooseBackend, startLiveFigures, DEFAULT_BACKEND, type LiveRuntime, type LiveTiming, type LiveFigure } from './figures/live/page';
import { startLiveFigures, type LiveRuntime } from './figures/live/page';

/** The live figures of this page (undefined outside a browser). */
export const live: LiveRuntime | undefined = typeof document === 'undefined' ? undefined : startLiveFigures();
