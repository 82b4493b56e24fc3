/**
 * The course library: import it in a notebook with `import { … } from "../lib"` (lib/ is compiled
 * from src/ by `npm install`, `npm start` and `npm test`; after editing src/, run `npm run build`
 * and restart the kernel).
 */
export * from './backend';
export * from './random';
export * from './figure';
export * from './objective';
export * from './optimizers/types';
export * from './show';
export * from './table';
export * from './env';
export * from './check';
export * from './objectives';
export * from './linalg';
