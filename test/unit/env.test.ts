import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup } from '../../src/edge/env';

describe('setup (the environment report every notebook prints first)', () => {
  it("names the course's own version (read from the project root, two levels above src/edge)", async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    const r = await setup({ quiet: true });
    assert.match(r.line, new RegExp(`^dl-optimization ${version.replace(/\./g, '\\.')} · backend \\w+`));
    assert.ok(Array.isArray(r.staleSources));
  });
});
