#!/usr/bin/env node
/**
 * Speeds up tslab 1.0.22's per-cell TypeScript step (the largest cost of running the course, measured
 * by `npm run bench`: half or more of every chapter's headless time).
 *
 * tslab's convert() rebuilds the whole program twice per cell: once to learn the cell's top-level
 * names (srcFile.locals, filled by the binder) and once more with `export { those names }` appended.
 * Each rebuild re-creates a builder program over ~830 declaration files once tfjs is imported. The
 * names only need the binder, so this patch parses and binds the cell on its own (the same parser and
 * binder, on the same text tslab compiles: its "export {};" prefix + the cell) and rebuilds once.
 *
 * Applied by scripts/postinstall.js to node_modules/tslab/dist/converter.js. It checks the exact text it
 * replaces and the tslab version; anything else leaves tslab untouched and says so. Idempotent.
 *   node kernel/patch-tslab.js           apply (or report that it is applied)
 *   node kernel/patch-tslab.js --check   exit 0 when applied, 1 when not
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const TSLAB = path.join(ROOT, 'node_modules', 'tslab');
const FILE = path.join(TSLAB, 'dist', 'converter.js');
const VERSION = '1.0.22';
const MARKER = '/* dl-optimization: one rebuild per cell */';

const ORIGINAL = `    function convert(prevDecl, src) {
        updateContent(prevDecl, src);
        let declsFile = builder.getSourceFile(declFilename);
        let srcFile = builder.getSourceFile(srcFilename);
        const locals = srcFile.locals;
        const keys = new Set();
        if (locals) {
            locals.forEach((_, key) => {
                keys.add(key);
            });
        }
        if (keys.size > 0) {
            // Export all local variables.
            // TODO: Disallow "export" in the input.
            const suffix = "\\nexport {" + Array.from(keys).join(", ") + "}";
            updateContent(prevDecl, src + suffix);
            declsFile = builder.getSourceFile(declFilename);
            srcFile = builder.getSourceFile(srcFilename);
        }`;

const PATCHED = `    function convert(prevDecl, src) {
        ${MARKER}
        // The cell's top-level names come from parsing and binding the cell alone (what the first
        // of tslab's two program rebuilds was for); then the program is rebuilt once.
        const probe = ts.createSourceFile(srcFilename, srcPrefix + src, ts.ScriptTarget.Latest, false);
        ts.bindSourceFile(probe, { target: transpileTarget, module: ts.ModuleKind.ESNext, allowJs: true });
        const keys = new Set();
        if (probe.locals) {
            probe.locals.forEach((_, key) => {
                keys.add(key);
            });
        }
        // Export all local variables.
        updateContent(prevDecl, keys.size > 0 ? src + "\\nexport {" + Array.from(keys).join(", ") + "}" : src);
        let declsFile = builder.getSourceFile(declFilename);
        let srcFile = builder.getSourceFile(srcFilename);`;

function state() {
  if (!fs.existsSync(FILE)) return { ok: false, why: `${FILE} does not exist` };
  const version = JSON.parse(fs.readFileSync(path.join(TSLAB, 'package.json'), 'utf8')).version;
  const text = fs.readFileSync(FILE, 'utf8');
  if (text.includes(MARKER)) return { ok: true, applied: true, text };
  if (version !== VERSION) return { ok: false, why: `tslab is ${version}, the patch is for ${VERSION}` };
  if (!text.includes(ORIGINAL)) return { ok: false, why: 'converter.js does not contain the text the patch replaces' };
  return { ok: true, applied: false, text };
}

/** Applies the patch; returns what happened ('applied', 'already', or the reason it was left out). */
function apply() {
  const s = state();
  if (!s.ok) return s.why;
  if (s.applied) return 'already';
  fs.writeFileSync(FILE, s.text.replace(ORIGINAL, PATCHED));
  return 'applied';
}

function main() {
  const s = state();
  if (process.argv.includes('--check')) process.exit(s.ok && s.applied ? 0 : 1);
  if (!s.ok) {
    console.log(`[dl-optimization] tslab left unpatched (${s.why}): cells type-check twice as slowly`);
    return;
  }
  if (s.applied) {
    console.log('[dl-optimization] tslab patch (one program rebuild per cell) is applied');
    return;
  }
  fs.writeFileSync(FILE, s.text.replace(ORIGINAL, PATCHED));
  console.log('[dl-optimization] patched tslab: one program rebuild per cell instead of two (kernel/patch-tslab.js)');
}

module.exports = { FILE, MARKER, ORIGINAL, PATCHED, apply, state, main };

if (require.main === module) main();
