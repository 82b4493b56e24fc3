/**
 * The course library: import it in a notebook with `import { … } from "../lib"` (lib/ is compiled
 * from src/ by `npm install`, `npm start` and `npm test`; after editing src/, run `npm run build`
 * and restart the kernel).
 */
export * from './backend';
export * from './random';
export * from './figure';
export * from './objective';
export * from './optimizers';
export * from './minimize';
export * from './data';
// Schedules share names with initializers (constant); they live under `schedules`.
export * as schedules from './schedules';
export type { Schedule } from './schedules';
export * from './show';
export * from './table';
export * from './env';
export * from './check';
export * from './objectives';
export * from './linalg';
export * from './mlp';
export * from './probe';
export * from './clip';
// Initializers have generic names (constant, zeros, normal, sparse); they live under `init`, and the
// registry helpers are re-exported by name.
export * as init from './init';
export { INITIALIZERS, INIT_NAMES, getInitializer, initWeights } from './init';
export type { InitName, InitOptions } from './init';
export * from './surrogates';
export * from './early-stopping';
export * from './polynomial';
export * from './symmetry';
export * from './landscape';
export * from './cliff';
export * as ops from './ops';
export * from './regression';
export * from './momentum-analysis';
export * from './datasets';
export * from './loss-landscape';
export * from './progress';
export * from './fit';
