/**
 * The course library for notebooks: `import { … } from "../lib"` (lib/ is compiled from src/ by
 * `npm install`, `npm start` and `npm test`; after editing src/, run `npm run build` and restart the kernel).
 * Everything of the browser entry (src/browser.ts: core, problems, optimizers, nets, training, figures)
 * plus the edge: the backend chooser, the environment report, show() and tables, checks, progress bars, MNIST.
 */
export * from './browser';
export * from './edge/backend';
export * from './edge/env';
export * from './edge/show';
export * from './edge/table';
export * from './edge/check';
export * from './edge/progress';
export * from './edge/mnist';
