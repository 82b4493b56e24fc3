/**
 * `npm start`, the main job: executes every notebook into build/ (executed .ipynb + HTML).
 * Later stages (figure export, site) hang off this file.
 */
import { runNotebooks } from './run-notebooks';

async function main(): Promise<void> {
  const t0 = Date.now();
  const results = await runNotebooks({ filters: process.argv.slice(2) });
  const failed = results.filter((r) => !r.ok);
  console.log(`[dl-optimization] build ${failed.length ? 'FAILED' : 'done'} in ${((Date.now() - t0) / 1000).toFixed(1)} s: build/notebooks, build/html`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(`[dl-optimization] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
