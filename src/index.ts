/**
 * The course library for notebooks: `import { … } from "../lib"` (lib/ is compiled from src/ by
 * `npm install`, `npm start` and `npm test`; after editing src/, run `npm run build` and restart the kernel).
 * Everything of the browser entry (src/browser.ts: core, problems, optimizers, nets, training, figures)
 * plus the edge: the backend chooser, the environment report, show() and tables, checks, progress bars, MNIST,
 * and the warm-up the course kernel runs while idle.
 */
export * from './browser';
export * from './edge/backend';
export * from './edge/env';
export * from './edge/show';
export * from './edge/table';
export * from './edge/check';
export * from './edge/progress';
export * from './edge/mnist';
export * from './edge/warmup';

// the warm-up the course kernel runs while the student reads (src/edge/warmup.ts; DLOPT_WARMUP=0: off)
import { registerWarmUp } from './edge/warmup';
registerWarmUp();
