/**
 * The numbers each notebook must assert (by the label of its check(...) call), one JSON file per
 * notebook in test/notebook-checks/NN-slug.json. The notebook test fails when a label's "✓ label" line is
 * missing, so a chapter cannot quietly stop checking a lecture number.
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, 'notebook-checks');

export const REQUIRED_CHECKS: Record<string, string[]> = Object.fromEntries(
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [path.basename(f, '.json'), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as string[]]),
);
