/**
 * The environment report every notebook prints first, and `setup()` which produces it.
 * Edge module: reads package versions and file times (Node built-ins are fine here).
 */
import { BackendChoice, BackendReport, formatBackendReport, initBackend } from './backend';

/** Versions and backend of the running course, as printed in a notebook's first output. */
export interface EnvironmentReport {
  course: string;
  backend: BackendReport;
  versions: Record<string, string>;
  /** Source files newer than the compiled lib/ the notebook imports (edit → npm run build → restart kernel). */
  staleSources: string[];
  line: string;
}

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** Lists src/*.ts files modified after their compiled lib/*.js (so the notebook runs old code). */
export function staleSources(root: string): string[] {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const srcDir = path.join(root, 'src');
  const libDir = path.join(root, 'lib');
  if (!fs.existsSync(srcDir) || !fs.existsSync(libDir)) return [];
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = path.join(libDir, path.relative(srcDir, p)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs + 1 < fs.statSync(p).mtimeMs) stale.push(path.relative(root, p));
      }
    }
  };
  walk(srcDir);
  return stale;
}

/**
 * Initialises the tfjs backend (tfjs-node → wasm → cpu, or DLOPT_BACKEND) and prints one line:
 * course version, backend, and the versions of tfjs, plotly.js, nodejs-polars, tslab and Node.
 */
export async function setup(opts: { backend?: BackendChoice; quiet?: boolean } = {}): Promise<EnvironmentReport> {
  const path = require('path') as typeof import('path');
  const backend = await initBackend(opts.backend);
  const root = path.resolve(__dirname, '..', '..'); // src/edge or lib/edge → the project root
  const course = versionOf(root);
  const versions = {
    'plotly.js': versionOf('plotly.js-dist-min'),
    'nodejs-polars': versionOf('nodejs-polars'),
    tslab: versionOf('tslab'),
  };
  const stale = staleSources(root);
  const line =
    `dl-optimization ${course} · ${formatBackendReport(backend)} · ` +
    Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
  if (!opts.quiet) {
    console.log(line);
    if (stale.length) {
      console.log(`note: ${stale.join(', ')} changed after lib/ was built: run \`npm run build\` and restart the kernel to use the change`);
    }
  }
  return { course, backend, versions, staleSources: stale, line };
}
