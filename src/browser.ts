/**
 * The browser entry of the course library: everything numeric (core, problems, optimizers, nets, training)
 * and the figure builders, with no Node built-in, no polars, no tslab and no `process` (package.json
 * exports it as "dl-optimization/core"; the course site bundles it to run figures live in the page).
 * tsconfig.core.json type-checks it without Node's types, and test/integration/boundary.test.ts bundles it
 * with esbuild for the browser: an edge import in any of these modules fails both.
 */
export * from './core/random';
export * from './core/figure';
export * from './core/objective';
export * from './core/linalg';
export * as ops from './core/ops';
export * as schedules from './core/schedules';
export type { Schedule } from './core/schedules';
export * from './problems/catalog';
export * from './problems/cliff';
export * from './problems/surrogates';
export * from './problems/polynomial';
export * from './problems/local-geometry';
export * from './problems/momentum-analysis';
export * from './problems/regression';
export * from './problems/synthetic-data';
export * from './optimizers';
export * from './optimizers/clip';
export * from './nets/mlp';
export * from './nets/losses';
export * as init from './nets/init';
export { INITIALIZERS, INIT_NAMES, getInitializer, initWeights } from './nets/init';
export type { InitName, InitOptions } from './nets/init';
export * from './nets/probe';
export * from './nets/symmetry';
export * from './nets/loss-landscape';
export * from './training/batches';
export * from './training/step';
export * from './training/loop';
export * from './training/minimize';
export * from './training/fit-regression';
export * from './training/train-epochs';
export * from './training/fit';
export * from './training/early-stopping';
export * from './figures';
