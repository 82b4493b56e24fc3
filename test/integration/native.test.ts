/**
 * scripts/native.ts (`npm run native`): the lock-file closure it puts back into node_modules, the
 * names it links, and — where it has run (CI runs it before npm test) — the built addon's linkage and
 * that tfjs-node loads the pinned TensorFlow.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TENSORFLOW, addonPath, depsLinks, linkageCheck, loadCheck, lockClosure } from '../../scripts/native';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node');

describe('npm run native: packages from package-lock.json', () => {
  it('resolves dependencies the way Node does (nested node_modules first) and names what is missing', () => {
    const lock = {
      'node_modules/a': { version: '1.0.0', dependencies: { b: '^1', c: '^2' }, optionalDependencies: { 'a-darwin': '1.0.0' } },
      'node_modules/a/node_modules/b': { version: '1.5.0', dependencies: { c: '^2' } },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/c': { version: '2.1.0', dependencies: {} },
    };
    // a's b is its nested 1.5.0, not the top-level 2.0.0; a-darwin (an optional package of another
    // platform, not in the lock) is not needed
    assert.deepEqual(lockClosure(lock, 'node_modules/a'), ['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/c']);
    const broken = { ...lock, 'node_modules/c': { version: '2.1.0', dependencies: { d: '1' } } };
    assert.throws(() => lockClosure(broken, 'node_modules/a'), /package-lock\.json does not resolve d \(needed by node_modules\/c\)/);
  });

  it('the real lock file: tfjs-node with node-pre-gyp (and its nested packages), each with an integrity hash', () => {
    const lock = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> }).packages;
    const closure = lockClosure(lock, 'node_modules/@tensorflow/tfjs-node');
    for (const p of ['node_modules/@tensorflow/tfjs-node', 'node_modules/@mapbox/node-pre-gyp', 'node_modules/@mapbox/node-pre-gyp/node_modules/rimraf', 'node_modules/google-protobuf', 'node_modules/@tensorflow/tfjs']) {
      assert.ok(closure.includes(p), `closure lacks ${p}`);
    }
    assert.equal(lock['node_modules/@tensorflow/tfjs-node'].version, '4.22.0');
    for (const p of closure) assert.match(lock[p].integrity ?? '', /^sha512-/, `${p} has no sha512 integrity in the lock`);
  });
});

describe('npm run native: libraries', () => {
  it('links the wheel libraries under the sonames, the link-time names and the names tfjs-node 4.22 checks', () => {
    const links = depsLinks();
    assert.equal(links['libtensorflow.so'], 'libtensorflow_cc.so.2');
    assert.equal(links['libtensorflow_framework.so'], 'libtensorflow_framework.so.2');
    assert.equal(links['libtensorflow.so.2.9.1'], 'libtensorflow_cc.so.2');
    for (const lib of TENSORFLOW.libs) {
      assert.ok(!path.isAbsolute(links[lib]), `${lib} must be a relative link (a moved checkout keeps working)`);
      assert.match(links[lib], new RegExp(`build/native/tensorflow-${TENSORFLOW.version.replace(/\./g, '\\.')}/lib/${lib.replace(/\./g, '\\.')}$`));
    }
  });

  it('tfjs-node here is either absent (npm ci without npm run native) or built against the pinned TensorFlow, linked and loading', () => {
    if (!fs.existsSync(PKG)) {
      const l = loadCheck();
      assert.equal(l.ok, false);
      assert.match(l.error ?? '', /Cannot find module '@tensorflow\/tfjs-node'/);
      return;
    }
    const stamp = JSON.parse(fs.readFileSync(path.join(PKG, 'deps', 'dl-optimization-native.json'), 'utf8')) as { tensorflow: string; sha256: string };
    assert.equal(stamp.tensorflow, TENSORFLOW.version);
    assert.equal(stamp.sha256, TENSORFLOW.sha256);
    assert.match(linkageCheck(addonPath()), /all napi_\*/);
    const l = loadCheck();
    assert.equal(l.ok, true, l.error);
    assert.equal(l.backend, 'tensorflow');
    assert.equal(l.tensorflow, TENSORFLOW.version);
  });
});
