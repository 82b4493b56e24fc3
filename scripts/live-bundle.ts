/**
 * The live figures on the course site (issue 18): the library's browser side bundled once per site, and the
 * live controls written into the chapter pages.
 *   - build/site/dl-optimization-core.js: src/live.ts (the browser entry core … training, the live figure specs
 *     of src/figures/live and the page script) with tfjs-core, its cpu and webgl backends and the wasm backend's
 *     JS, as one IIFE (global `dlopt`) that works from file:// (no module loading, no fetch);
 *   - build/site/dl-optimization-wasm.js: the wasm backend's binaries as base64 (loaded only with ?backend=wasm:
 *     Chromium does not fetch .wasm files from file://, so the page turns these into blob: URLs);
 *   - addLiveFigures: in a chapter page, a <div data-live-figure="<figure id>"> with the figure's controls inside
 *     each figure div that has a live spec (the figure div keeps its id, so #figure-id links still land on it).
 *
 *   npx tsx scripts/live-bundle.ts [outDir]     bundles into outDir (default build/site) and prints the sizes
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './jupyter';
import { controlsHtml, liveSpec } from '../src/figures/live';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const esbuild = require('esbuild') as typeof import('esbuild');

export const LIVE_BUNDLE = 'dl-optimization-core.js';
export const LIVE_WASM = 'dl-optimization-wasm.js';

export interface LiveBundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  wasmFile: string;
  wasmBytes: number;
  seconds: number;
  /** Every input file of the bundle (relative to the repository), for checks. */
  inputs: string[];
}

/**
 * `@tensorflow/tfjs` in the bundle = what @tensorflow/tfjs's own index loads of tfjs-core (with its gradients and
 * chained ops) and its cpu and webgl backends: the library uses nothing of tfjs's layers, converter or data packages
 * (its ops and tf.train are all tfjs-core's), which saves ~0.35 MB.
 */
const TFJS_SHIM = [
  "import '@tensorflow/tfjs-core';",
  "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
  "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
  "export * from '@tensorflow/tfjs-core';",
  "export * from '@tensorflow/tfjs-backend-cpu';",
  "export * from '@tensorflow/tfjs-backend-webgl';",
  '',
].join('\n');

/** Bundles src/live.ts into outDir/dl-optimization-core.js and writes outDir/dl-optimization-wasm.js. */
export function bundleLive(outDir: string): LiveBundle {
  const t0 = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  const shimDir = path.join(ROOT, 'build', '.live-bundle');
  fs.mkdirSync(shimDir, { recursive: true });
  const shim = path.join(shimDir, 'tfjs.js');
  fs.writeFileSync(shim, TFJS_SHIM);
  const file = path.join(outDir, LIVE_BUNDLE);
  const r = esbuild.buildSync({
    entryPoints: [path.join(ROOT, 'src', 'live.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'dlopt',
    target: 'es2020',
    minify: true,
    metafile: true,
    outfile: file,
    alias: { '@tensorflow/tfjs': shim },
    nodePaths: [path.join(ROOT, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const text = fs.readFileSync(file);
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const b64 = (name: string) => fs.readFileSync(path.join(wasmDir, 'dist', name)).toString('base64');
  const wasmFile = path.join(outDir, LIVE_WASM);
  fs.writeFileSync(
    wasmFile,
    `/* tfjs-backend-wasm binaries (Apache-2.0), base64, for dl-optimization-core.js with ?backend=wasm */\n` +
      `window.DLOPT_WASM = ${JSON.stringify({ simd: b64('tfjs-backend-wasm-simd.wasm'), plain: b64('tfjs-backend-wasm.wasm') })};\n`,
  );
  return {
    file,
    bytes: text.length,
    gzipBytes: zlib.gzipSync(text, { level: 9 }).length,
    wasmFile,
    wasmBytes: fs.statSync(wasmFile).size,
    seconds: (Date.now() - t0) / 1000,
    inputs: Object.keys(r.metafile.inputs),
  };
}

/**
 * Puts the live controls into a chapter page: inside every <div class="dlopt-figure" … id="<id>"> with a live spec,
 * right after its plot. Returns the page and the ids it made live.
 */
export function addLiveFigures(html: string): { html: string; ids: string[] } {
  const ids: string[] = [];
  const out = html.replace(/(<div class="dlopt-figure"[^>]*\sid="([^"]+)"[^>]*>\s*<div class="dlopt-plot"[^>]*><\/div>)/g, (whole, head: string, id: string) => {
    const spec = liveSpec(id);
    if (!spec) return whole;
    ids.push(id);
    return `${head}\n${controlsHtml(spec)}`;
  });
  return { html: out, ids };
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'build', 'site'));
  const b = bundleLive(outDir);
  console.log(`${path.relative(ROOT, b.file)}: ${(b.bytes / 1e6).toFixed(3)} MB (${(b.gzipBytes / 1e6).toFixed(3)} MB gzip), ${path.relative(ROOT, b.wasmFile)}: ${(b.wasmBytes / 1e6).toFixed(3)} MB, in ${b.seconds.toFixed(1)} s`);
}
