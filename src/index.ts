/**
 * The course library: import it in a notebook with `import { … } from "../lib"` (lib/ is compiled
 * from src/ by `npm install`, `npm start` and `npm test`; after editing src/, run `npm run build`
 * and restart the kernel).
 */
export * from './edge/backend';
export * from './core/random';
export * from './core/figure';
export * from './core/objective';
export * from './optimizers';
export * from './training/minimize';
export * from './problems/synthetic-data';
// Schedules share names with initializers (constant); they live under `schedules`.
export * as schedules from './core/schedules';
export type { Schedule } from './core/schedules';
export * from './edge/show';
export * from './edge/table';
export * from './edge/env';
export * from './edge/check';
export * from './problems/catalog';
export * from './core/linalg';
export * from './nets/mlp';
export * from './nets/probe';
export * from './optimizers/clip';
// Initializers have generic names (constant, zeros, normal, sparse); they live under `init`, and the
// registry helpers are re-exported by name.
export * as init from './nets/init';
export { INITIALIZERS, INIT_NAMES, getInitializer, initWeights } from './nets/init';
export type { InitName, InitOptions } from './nets/init';
export * from './problems/surrogates';
export * from './training/early-stopping';
export * from './problems/polynomial';
export * from './nets/symmetry';
export * from './problems/local-geometry';
export * from './problems/cliff';
export * as ops from './core/ops';
export * from './problems/regression';
export * from './problems/momentum-analysis';
export * from './edge/mnist';
export * from './nets/loss-landscape';
export * from './edge/progress';
export * from './training/fit';
