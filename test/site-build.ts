/**
 * The build the browser and figure tests look at, made by the tests themselves (they must not depend on
 * notebooks.test.ts or `npm start` having run): notebooks/00-setup.ipynb plus the fixture
 * test/fixtures/notebooks/99-figures-fixture.ipynb (a slider figure, a 3D surface, math), executed and
 * taken through the figure and site stages into build/test-site/{notebooks,html,figures,site}.
 * Several test files share it: a lock directory serializes builders, and a stamp reuses a build whose
 * inputs (notebooks, lib/, scripts/, the kernel) did not change since.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/jupyter';
import { runNotebooks, NotebookResult } from '../scripts/run-notebooks';
import { exportFigures, FigureIndex } from '../scripts/figures';
import { buildSite, SiteResult } from '../scripts/site';

export const TEST_BUILD = path.join(ROOT, 'build', 'test-site');
export const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'notebooks', '99-figures-fixture.ipynb');
export const SETUP_NOTEBOOK = path.join(ROOT, 'notebooks', '00-setup.ipynb');

export interface TestBuild {
  dir: string;
  notebooks: NotebookResult[];
  figures: FigureIndex;
  site: SiteResult;
  /** Executed notebook paths. */
  executed: string[];
  reused: boolean;
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const f of fs.readdirSync(p)) if (f !== 'node_modules') m = Math.max(m, newestMtime(path.join(p, f)));
  return m;
}

function inputsMtime(): number {
  const inputs = [SETUP_NOTEBOOK, FIXTURE, path.join(ROOT, 'lib'), path.join(ROOT, 'scripts'), path.join(ROOT, 'kernel'), path.join(ROOT, 'test', 'site-build.ts'), path.join(ROOT, 'package-lock.json')];
  return Math.max(...inputs.map(newestMtime));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(lock: string, fn: () => Promise<T>, log: (l: string) => void): Promise<T> {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a process that died is taken over.
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      let alive = true;
      if (Number.isInteger(holder)) {
        try {
          process.kill(holder, 0);
        } catch {
          alive = false;
        }
      }
      if (!alive) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock} (held by pid ${holder})`);
      log(`waiting for another test process (pid ${holder}) building ${path.relative(ROOT, TEST_BUILD)} …`);
      await sleep(2000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds (or reuses) build/test-site: 00-setup + the fixture, executed, figures exported, site built. */
export async function ensureTestBuild(log: (l: string) => void = (l) => console.log(l)): Promise<TestBuild> {
  const stampFile = path.join(TEST_BUILD, 'stamp.json');
  return withLock(`${TEST_BUILD}.lock`, async () => {
    if (fs.existsSync(stampFile) && fs.statSync(stampFile).mtimeMs > inputsMtime()) {
      const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as TestBuild;
      if ([...stamp.executed, path.join(stamp.site.outDir, 'index.html'), path.join(TEST_BUILD, 'figures', 'index.json')].every((f) => fs.existsSync(f))) {
        log(`reusing ${path.relative(ROOT, TEST_BUILD)} (inputs unchanged since it was built)`);
        return { ...stamp, reused: true };
      }
    }
    fs.rmSync(TEST_BUILD, { recursive: true, force: true });
    const notebooks = await runNotebooks({ paths: [SETUP_NOTEBOOK, FIXTURE], outDir: TEST_BUILD, log });
    const failed = notebooks.filter((r) => !r.ok);
    if (failed.length) throw new Error(`test build: ${failed.map((r) => `${r.notebook} cell ${r.cell}: ${r.error}`).join('; ')}`);
    const executed = notebooks.map((r) => r.executed);
    const { index } = await exportFigures({
      notebooks: executed,
      htmlDir: path.join(TEST_BUILD, 'html'),
      outDir: path.join(TEST_BUILD, 'figures'),
      siteDir: path.join(TEST_BUILD, 'site'),
      log,
    });
    const site = buildSite({ htmlFiles: notebooks.map((r) => r.html), outDir: path.join(TEST_BUILD, 'site'), log });
    const build: TestBuild = { dir: TEST_BUILD, notebooks, figures: index, site, executed, reused: false };
    fs.writeFileSync(stampFile, JSON.stringify(build, null, 1));
    return build;
  }, log);
}
