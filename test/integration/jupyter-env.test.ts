/**
 * The course's Jupyter environment (jupyter/setup.js): the lock pins every package with hashes, .venv holds
 * exactly the lock, the kernel and both figure renderers are installed where Jupyter looks, and a machine
 * without Python gets one line that says what to install.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, ensureJupyter, venvPython } from '../../scripts/jupyter';

const LOCK = path.join(ROOT, 'jupyter', 'requirements.lock');
const norm = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** name → versions pinned in the lock (a name can have one version per Python range). */
function lockPins(): Map<string, Set<string>> {
  const pins = new Map<string, Set<string>>();
  const text = fs.readFileSync(LOCK, 'utf8');
  const entries = text.split(/\n(?=[A-Za-z0-9])/).filter((e) => /^[A-Za-z0-9]/.test(e));
  assert.ok(entries.length > 50, `only ${entries.length} entries in the lock`);
  for (const e of entries) {
    const m = /^([A-Za-z0-9._-]+)==([^\s;\\]+)/.exec(e);
    assert.ok(m, `lock entry without an exact version: ${e.split('\n')[0]}`);
    assert.match(e, /--hash=sha256:[0-9a-f]{64}/, `${m[1]} has no sha256 hash`);
    const set = pins.get(norm(m[1])) ?? new Set<string>();
    set.add(m[2]);
    pins.set(norm(m[1]), set);
  }
  return pins;
}

describe('the course Jupyter environment', () => {
  it('jupyter/requirements.lock pins every package to one version with sha256 hashes, requirements.in included', () => {
    const pins = lockPins();
    const wanted = fs
      .readFileSync(path.join(ROOT, 'jupyter', 'requirements.in'), 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean);
    for (const w of wanted) {
      const [name, version] = w.split('==');
      assert.ok(pins.has(norm(name)), `${name} from requirements.in is not in the lock`);
      if (version) assert.deepEqual([...pins.get(norm(name))!], [version], `${name} is locked at another version`);
    }
    for (const must of ['jupyterlab', 'notebook', 'nbclassic', 'nbclient', 'nbconvert', 'jupyter-kernel-test']) assert.ok(pins.has(must), `${must} missing`);
  });

  it('.venv holds exactly the lock (nothing else but pip), made by setup from this lock', () => {
    const python = ensureJupyter();
    assert.equal(python, venvPython(), 'the course runs on the project venv');
    const stamp = fs.readFileSync(path.join(ROOT, '.venv', 'dl-optimization-lock.sha256'), 'utf8').trim();
    const sha = crypto.createHash('sha256').update(fs.readFileSync(LOCK)).digest('hex');
    assert.equal(stamp, sha, '.venv was made from this lock');
    const r = spawnSync(python, ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const installed = JSON.parse(r.stdout) as { name: string; version: string }[];
    const pins = lockPins();
    const extra = installed.filter((p) => !['pip', 'setuptools'].includes(norm(p.name)) && !pins.has(norm(p.name)));
    assert.deepEqual(extra, [], 'packages in .venv that the lock does not list');
    const off = installed.filter((p) => pins.has(norm(p.name)) && !pins.get(norm(p.name))!.has(p.version));
    assert.deepEqual(off, [], 'packages at another version than the lock');
    assert.ok(installed.length > 60, `only ${installed.length} packages installed`);
  });

  it('the kernel and both figure renderers are installed in .venv and in build/jupyter', () => {
    for (const share of [path.join(ROOT, '.venv', 'share', 'jupyter'), path.join(ROOT, 'build', 'jupyter')]) {
      const kernel = JSON.parse(fs.readFileSync(path.join(share, 'kernels', 'dl-optimization', 'kernel.json'), 'utf8'));
      assert.equal(kernel.argv[1], path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'));
      const ext = path.join(share, 'labextensions', 'dl-optimization-figures');
      const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
      assert.equal(pkg.jupyterlab._build.mimeExtension, './mimeExtension', 'a mime renderer extension');
      assert.ok(fs.statSync(path.join(ext, pkg.jupyterlab._build.load)).size > 1000, 'the extension entry point is built');
      const chunks = fs.readdirSync(path.join(ext, 'static')).map((f) => fs.statSync(path.join(ext, 'static', f)).size);
      assert.ok(chunks.some((b) => b > 3e6), 'plotly.js is a chunk of the extension');
      assert.ok(fs.existsSync(path.join(share, 'nbextensions', 'dl-optimization', 'main.js')));
      assert.equal(fs.statSync(path.join(share, 'nbextensions', 'dl-optimization', 'plotly.min.js')).size, fs.statSync(require.resolve('plotly.js-dist-min/plotly.min.js')).size);
    }
    const conf = JSON.parse(fs.readFileSync(path.join(ROOT, '.venv', 'etc', 'jupyter', 'nbconfig', 'notebook.d', 'dl-optimization.json'), 'utf8'));
    assert.deepEqual(conf, { load_extensions: { 'dl-optimization/main': true } });
  });

  it('without Python (and no .venv yet) setup stops with one line that names what to install', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlopt-nopython-'));
    try {
      fs.cpSync(path.join(ROOT, 'jupyter'), path.join(dir, 'jupyter'), { recursive: true, filter: (src) => !src.includes(`${path.sep}lib`) });
      const r = spawnSync(process.execPath, [path.join(dir, 'jupyter', 'setup.js')], { encoding: 'utf8', env: { PATH: path.join(dir, 'no-such-dir'), HOME: dir } });
      assert.equal(r.status, 1);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
      assert.match(lines[0], /^\[dl-optimization\] Jupyter for the course needs Python ≥ 3\.10 with venv: .*(apt-get install -y python3 python3-venv|brew install python|python\.org)/);
      assert.ok(!fs.existsSync(path.join(dir, '.venv')), 'nothing half-made');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
