/**
 * The core/edge boundary, enforced: the browser entry (src/browser.ts — core, problems, optimizers, nets,
 * training, figures) bundles with esbuild for `platform: "browser"` and type-checks without Node's types
 * (tsconfig.core.json), so no Node built-in, polars, tslab, `process`, `require` or `Buffer` can creep into it.
 * Each check is also run on a deliberately broken entry, to show it would catch the breach. And no module
 * imports from a higher layer (core → problems, optimizers → nets → training → figures → edge).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/jupyter';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const esbuild = require('esbuild') as typeof import('esbuild');

const ENTRY = path.join(ROOT, 'src', 'browser.ts');
const FORBIDDEN = /^(node:|fs$|path$|os$|child_process$|crypto$|url$|util$|module$|worker_threads$|nodejs-polars|tslab|@tensorflow\/tfjs-node)/;

interface BundleCheck {
  errors: string[];
  inputs: string[];
  bytes: number;
}

/**
 * Bundles `entry` for the browser (our code only when packagesExternal; else with tfjs and ml-matrix) and lists
 * every forbidden import made by a module of `ours` (src/ by default).
 */
async function bundleForBrowser(entry: string, packagesExternal = true, ours = [path.join(ROOT, 'src')]): Promise<BundleCheck> {
  const seen: string[] = [];
  try {
    const r = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      ...(packagesExternal ? { packages: 'external' as const } : {}),
      plugins: [
        {
          name: 'forbid-edge',
          setup(build) {
            // Our modules only: tfjs's own Node-platform code is mapped away by its package.json "browser" field.
            build.onResolve({ filter: /.*/ }, (args) => {
              const mine = ours.some((d) => args.importer.startsWith(d + path.sep));
              if (mine && FORBIDDEN.test(args.path)) seen.push(`${args.path} (imported by ${path.relative(ROOT, args.importer)})`);
              return undefined;
            });
          },
        },
      ],
    });
    return { errors: seen, inputs: Object.keys(r.metafile.inputs), bytes: r.outputFiles[0].text.length };
  } catch (err) {
    const e = err as { errors?: { text: string }[] };
    return { errors: [...seen, ...(e.errors ?? [{ text: String(err) }]).map((x) => x.text)], inputs: [], bytes: 0 };
  }
}

function typecheckCore(extraFile?: { name: string; text: string }): { ok: boolean; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-core-tsc-'));
  try {
    const config = path.join(dir, 'tsconfig.json');
    const include = [path.join(ROOT, 'src', 'browser.ts')];
    if (extraFile) {
      const f = path.join(dir, extraFile.name);
      fs.writeFileSync(f, extraFile.text);
      include.push(f);
    }
    fs.writeFileSync(config, JSON.stringify({ extends: path.join(ROOT, 'tsconfig.core.json'), compilerOptions: { rootDir: '/' }, include }));
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], { encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the browser entry (src/browser.ts) stays free of the edge', () => {
  it('bundles for the browser with no Node built-in, polars, tslab or tfjs-node, and none of src/edge', async () => {
    const r = await bundleForBrowser(ENTRY);
    assert.deepEqual(r.errors, []);
    const ours = r.inputs.filter((f) => f.startsWith('src/'));
    assert.ok(ours.length >= 25, `only ${ours.length} modules bundled`);
    assert.deepEqual(ours.filter((f) => f.startsWith('src/edge/')), [], 'edge modules in the browser bundle');
    for (const layer of ['core', 'problems', 'optimizers', 'nets', 'training']) assert.ok(ours.some((f) => f.startsWith(`src/${layer}/`)), `no ${layer} module bundled`);
  });

  it('bundles with its dependencies (tfjs, ml-matrix) into one browser file', async () => {
    const r = await bundleForBrowser(ENTRY, false);
    assert.deepEqual(r.errors, []);
    assert.ok(r.inputs.some((f) => f.includes('@tensorflow/tfjs-core')), 'tfjs is bundled');
    assert.ok(r.bytes > 1e6, `bundle of ${r.bytes} bytes`);
  });

  it('would fail if a core module imported fs, polars or an edge module (checked on a deliberately broken module)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-boundary-'));
    try {
      const leak = (name: string, text: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, `${text}\nexport * from ${JSON.stringify(ENTRY.replace(/\.ts$/, ''))};\n`);
        return f;
      };
      const fsLeak = await bundleForBrowser(leak('fs-leak.ts', `import fs from 'fs'; export const x = fs;`), true, [dir]);
      assert.ok(fsLeak.errors.some((e) => e.startsWith('fs ')), `fs not caught: ${JSON.stringify(fsLeak.errors)}`);
      const polars = await bundleForBrowser(leak('polars-leak.ts', `export { DataFrame } from 'nodejs-polars';`), true, [dir]);
      assert.ok(polars.errors.some((e) => e.startsWith('nodejs-polars ')), `polars not caught: ${JSON.stringify(polars.errors)}`);
      // an edge module re-exported by a core module drags polars in: caught through the edge module's own import
      const edge = await bundleForBrowser(leak('edge-leak.ts', `export { probeFrame } from ${JSON.stringify(path.join(ROOT, 'src', 'edge', 'table'))};`));
      assert.ok(edge.inputs.some((f) => f.startsWith('src/edge/')), 'the edge module is in the bundle');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('type-checks without Node types (tsconfig.core.json), and would fail on process, require or Buffer', () => {
    const clean = typecheckCore();
    assert.ok(clean.ok, clean.out);
    const leak = typecheckCore({ name: 'leak.ts', text: `export const a = process.env.HOME; export const b = require('fs'); export const c = Buffer.from('x');\n` });
    assert.equal(leak.ok, false);
    for (const name of ['process', 'require', 'Buffer']) assert.match(leak.out, new RegExp(`Cannot find name '${name}'`));
  });
});

describe('layers: no module imports from a higher layer', () => {
  it('core → problems, optimizers → nets → training → figures → edge', () => {
    const rank: Record<string, number> = { core: 0, problems: 1, optimizers: 1, nets: 2, training: 3, figures: 4, edge: 5 };
    const upward: string[] = [];
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const files = walk(path.join(ROOT, 'src')).filter((f) => path.relative(path.join(ROOT, 'src'), f).includes(path.sep));
    assert.ok(files.length > 30);
    for (const f of files) {
      const from = path.relative(path.join(ROOT, 'src'), f).split(path.sep)[0];
      assert.ok(from in rank, `${path.relative(ROOT, f)} is in no layer folder`);
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(f), m[1])).split(path.sep)[0];
        if (target in rank && target !== from && rank[target] >= rank[from]) upward.push(`${path.relative(ROOT, f)} imports ${m[1]} (${from} → ${target})`);
      }
    }
    assert.deepEqual(upward, []);
  });
});
