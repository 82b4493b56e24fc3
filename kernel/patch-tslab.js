#!/usr/bin/env node
/**
 * Speeds up tslab 1.0.22's per-cell TypeScript step (the largest cost of running the course, measured
 * by `npm run bench`) without changing anything it emits or reports. Four hunks in dist/converter.js:
 *
 *  1. one program rebuild per cell instead of two: tslab rebuilt the program once only to learn the
 *     cell's top-level names (the binder's `locals`); the cell is parsed and bound alone for that;
 *  2. a light builder: tslab's watch program wrapped every program in an "emit and semantic
 *     diagnostics" builder, whose state is rebuilt on every cell by resolving every import of every
 *     file (~840 once tfjs is imported), only so that tslab can ask which .ts/.js files a cell depends
 *     on. The light builder answers that question from the program (the cell alone, when the program
 *     has no other .ts/.js file) and builds the real builder state only when there are such files;
 *  3. the declaration transform once per cell instead of twice: getPreEmitDiagnostics runs it to
 *     collect declaration diagnostics, then the emit runs it again. When the cell has no other
 *     diagnostics, the emit comes first and its (identical) declaration diagnostics are used; when
 *     anything at all is reported, tslab's own path runs;
 *  4. the ES module → CommonJS step (ts.transpileModule of each emitted cell) without type-checking the
 *     JavaScript it converts: transpileModule's check only feeds diagnostics it discards, and for
 *     JavaScript files no emit decision depends on it (imports are never elided in .js, the target is
 *     ES2022 so nothing is down-levelled).
 * test/integration/tslab-patch.test.ts checks that the original and patched converters emit the same
 * JavaScript and declarations and report the same diagnostics on every code cell of several chapters
 * and on error cells, and that the original is exactly what undoing these hunks gives back.
 *
 * Why exact-text hunks and not patch-package: the patch must be applied by the same `npm install`
 * that runs our postinstall (one more devDependency and a second postinstall hook for four hunks
 * buys nothing), it must refuse any tslab other than 1.0.22 and any converter.js that does not
 * contain the text it replaces (patch-package would apply fuzzily or fail the install), and the
 * equivalence test needs the original and patched texts side by side to rebuild the original.
 *
 * Applied by scripts/postinstall.js. Idempotent; a converter with only hunk 1 (the previous version of
 * this patch) is upgraded.
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
/** Present once hunk 1 is applied (the previous version of this patch had hunk 1 only). */
const MARKER = '/* dl-optimization: one rebuild per cell */';
/** Present once every hunk is applied. */
const MARKER_ALL = '/* dl-optimization: light builder, one declaration transform, unchecked transpile */';
/** sha256 of tslab 1.0.22's dist/converter.js as published: what unpatch() must give back. */
const ORIGINAL_SHA256 = '2c671708872c2ad7c36db9f703e5917571e73a62c4cf67f5abad0bd02c56b832';

const HUNKS = [
  {
    name: 'one program rebuild per cell',
    original: `    function convert(prevDecl, src) {
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
        }`,
    patched: `    function convert(prevDecl, src) {
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
        let srcFile = builder.getSourceFile(srcFilename);`,
  },
  {
    name: 'light builder',
    original: `function createConverter(options) {
    const cwd = ts.sys.getCurrentDirectory();`,
    patched: `${MARKER_ALL}
/** What tslab keeps of a program's dependencies (getAllSrcDependencies' filter). */
function isSrcDependency(fileName) {
    return fileName.endsWith(".js") || (fileName.endsWith(".ts") && !fileName.endsWith(".d.ts"));
}
/**
 * The watch program's createProgram: a plain program behind the part of the BuilderProgram interface
 * that tslab and the watch program use. tslab only asks the builder for its program, source files,
 * emit (the builder's emit of one file with custom transformers is exactly the program's emit) and
 * getAllDependencies, which it filters to .ts/.js files. Building the builder's state (references of
 * every file, resolved through the checker) is what cost ~60 ms a cell; it is built here only when
 * the program has .ts/.js files besides the cell, or a missing one, where the answer needs it.
 */
function createLightBuilder(rootNames, compilerOptions, host, oldBuilder, configFileParsingDiagnostics, projectReferences) {
    const program = ts.createProgram({
        rootNames,
        options: compilerOptions,
        host,
        oldProgram: oldBuilder && oldBuilder.getProgramOrUndefined(),
        configFileParsingDiagnostics,
        projectReferences,
    });
    // The builder created the checker here too (before tslab sets the cell's parent).
    program.getTypeChecker();
    const srcFiles = program.getSourceFiles().filter((f) => isSrcDependency(f.fileName));
    const missingSrc = program.getMissingFilePaths().some((p) => isSrcDependency(p));
    const state = srcFiles.length > 1 || missingSrc ? ts.BuilderState.create(program, undefined, false) : undefined;
    return {
        getProgram: () => program,
        getProgramOrUndefined: () => program,
        releaseProgram: () => { },
        getCompilerOptions: () => program.getCompilerOptions(),
        getSourceFile: (fileName) => program.getSourceFile(fileName),
        getSourceFiles: () => program.getSourceFiles(),
        emit: (targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, customTransformers) => program.emit(targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, customTransformers),
        // Without other .ts/.js files, what tslab keeps of the builder's answer is the file itself.
        getAllDependencies: (sourceFile) => state ? ts.BuilderState.getAllDependencies(state, program, sourceFile) : [sourceFile.fileName],
    };
}
function createConverter(options) {
    const cwd = ts.sys.getCurrentDirectory();`,
  },
  {
    name: 'light builder (watch host)',
    original: `    }, sys, null, function (d) {
        console.log(d.messageText);`,
    patched: `    }, sys, createLightBuilder, function (d) {
        console.log(d.messageText);`,
  },
  {
    name: 'one declaration transform per cell',
    original: `        asMutable(srcFile).parent = declsFile;
        const diag = convertDiagnostics(getPreEmitDiagnosticsWithDependencies(builder, srcFile));`,
    patched: `        asMutable(srcFile).parent = declsFile;
        const converted = convertAlone(srcFile, declsFile, keys);
        if (converted) {
            return converted;
        }
        const diag = convertDiagnostics(getPreEmitDiagnosticsWithDependencies(builder, srcFile));`,
  },
  {
    name: 'one declaration transform per cell (convertAlone)',
    original: `    function getTypeRoots() {`,
    patched: `    /**
     * convert() for a cell that depends on no other .ts/.js file and gets no diagnostic: the same
     * result as the general path, with the declaration transform run once (by the emit, whose
     * diagnostics are the declaration diagnostics getPreEmitDiagnostics would have collected with a
     * second run of the same transform). Returns undefined whenever anything is reported or anything
     * unexpected is emitted; convert() then takes tslab's own path.
     */
    function convertAlone(srcFile, declsFile, keys) {
        const deps = getAllSrcDependencies(builder, srcFile);
        if (deps.length !== 1 || deps[0] !== srcFilename) {
            return undefined;
        }
        const program = builder.getProgram();
        const diag = convertDiagnostics(ts.sortAndDeduplicateDiagnostics([
            ...program.getConfigFileParsingDiagnostics(),
            ...program.getOptionsDiagnostics(),
            ...program.getGlobalDiagnostics(),
            ...program.getSyntacticDiagnostics(srcFile),
            ...program.getSemanticDiagnostics(srcFile),
        ]));
        if (diag.diagnostics.length > 0) {
            return undefined;
        }
        let output;
        let declOutput;
        let lastExpressionVar;
        let unexpected = false;
        const emitted = builder.emit(srcFile, (fileName, data) => {
            if (fileName === dstFilename) {
                output = data;
            }
            else if (fileName === dstDeclFilename) {
                declOutput = data;
            }
            else {
                unexpected = true;
            }
        }, undefined, undefined, getCustomTransformers(program.getTypeChecker(), declsFile, keys, (name) => {
            lastExpressionVar = name;
        }));
        if (unexpected || emitted.emitSkipped || emitted.diagnostics.length > 0) {
            return undefined;
        }
        declOutput += remainingDecls(program.getTypeChecker(), srcFile, declsFile);
        return {
            output: esModuleToCommonJSModule(output, transpileTarget),
            declOutput,
            diagnostics: diag.diagnostics,
            hasToplevelAwait: diag.hasToplevelAwait,
            sideOutputs: undefined,
            lastExpressionVar,
        };
    }
    function getTypeRoots() {`,
  },
  {
    name: 'unchecked transpile',
    original: `function esModuleToCommonJSModule(js, target) {
    let out = ts.transpileModule(js, {`,
    patched: `function esModuleToCommonJSModule(js, target) {
    let out = transpileModuleUnchecked(js, {`,
  },
  {
    name: 'unchecked transpile (transpileModuleUnchecked)',
    original: `exports.esModuleToCommonJSModule = esModuleToCommonJSModule;`,
    patched: `exports.esModuleToCommonJSModule = esModuleToCommonJSModule;
/**
 * ts.transpileModule of TypeScript 5.0 (@tslab/typescript-for-tslab) for a .js input without
 * reportDiagnostics, step by step, except that the emit resolver does not type-check the file first
 * (skipTypeChecking() is true for a file marked hasNoDefaultLib under skipDefaultLibCheck; for a .js
 * file that flag only changes diagnostics and the emit of .d.ts files). The check produced only
 * diagnostics that transpileModule discards.
 */
function transpileModuleUnchecked(input, transpileOptions) {
    const options = ts.fixupCompilerOptions(transpileOptions.compilerOptions, []);
    const defaultOptions = ts.getDefaultCompilerOptions();
    for (const key in defaultOptions) {
        if (Object.prototype.hasOwnProperty.call(defaultOptions, key) && options[key] === undefined) {
            options[key] = defaultOptions[key];
        }
    }
    if (options.verbatimModuleSyntax || !transpileOptions.fileName.endsWith(".js")) {
        throw new Error("transpileModuleUnchecked is for .js files without verbatimModuleSyntax");
    }
    for (const option of ts.transpileOptionValueCompilerOptions) {
        options[option.name] = option.transpileOptionValue;
    }
    options.suppressOutputPathCheck = true;
    options.allowNonTsExtensions = true;
    options.skipDefaultLibCheck = true;
    const inputFileName = transpileOptions.fileName;
    let outputText;
    const compilerHost = {
        getSourceFile: (fileName) => (fileName === ts.normalizePath(inputFileName) ? sourceFile : undefined),
        writeFile: (name, text) => {
            if (!name.endsWith(".map")) {
                outputText = text;
            }
        },
        getDefaultLibFileName: () => "lib.d.ts",
        useCaseSensitiveFileNames: () => false,
        getCanonicalFileName: (fileName) => fileName,
        getCurrentDirectory: () => "",
        getNewLine: () => ts.getNewLineCharacter(options),
        fileExists: (fileName) => fileName === inputFileName,
        readFile: () => "",
        directoryExists: () => true,
        getDirectories: () => [],
    };
    const sourceFile = ts.createSourceFile(inputFileName, input, {
        languageVersion: ts.getEmitScriptTarget(options),
        impliedNodeFormat: ts.getImpliedNodeFormatForFile(ts.toPath(inputFileName, "", compilerHost.getCanonicalFileName), undefined, compilerHost, options),
        setExternalModuleIndicator: ts.getSetExternalModuleIndicator(options),
    });
    sourceFile.hasNoDefaultLib = true;
    const program = ts.createProgram([inputFileName], options, compilerHost);
    program.emit(undefined, undefined, undefined, undefined, transpileOptions.transformers);
    if (outputText === undefined) {
        throw new Error("transpileModuleUnchecked: no output");
    }
    return { outputText, diagnostics: [] };
}`,
  },
];

// Kept for callers of the previous version (hunk 1 alone).
const ORIGINAL = HUNKS[0].original;
const PATCHED = HUNKS[0].patched;

/** The original converter.js text from a fully patched one (every hunk undone). */
function unpatch(text) {
  let out = text;
  for (const h of [...HUNKS].reverse()) {
    if (!out.includes(h.patched)) throw new Error(`converter.js does not contain hunk "${h.name}" verbatim`);
    out = out.replace(h.patched, h.original);
  }
  return out;
}

function state() {
  if (!fs.existsSync(FILE)) return { ok: false, why: `${FILE} does not exist` };
  const version = JSON.parse(fs.readFileSync(path.join(TSLAB, 'package.json'), 'utf8')).version;
  let text = fs.readFileSync(FILE, 'utf8');
  if (text.includes(MARKER_ALL)) return { ok: true, applied: true, text };
  if (version !== VERSION) return { ok: false, why: `tslab is ${version}, the patch is for ${VERSION}` };
  // the previous version of this patch applied hunk 1 only: start from the original text
  if (text.includes(MARKER)) text = text.replace(HUNKS[0].patched, HUNKS[0].original);
  for (const h of HUNKS) {
    if (text.split(h.original).length !== 2) return { ok: false, why: `converter.js does not contain the text hunk "${h.name}" replaces exactly once` };
  }
  return { ok: true, applied: false, text };
}

function patchedText(original) {
  let out = original;
  for (const h of HUNKS) out = out.replace(h.original, h.patched);
  return out;
}

/** Applies the patch; returns what happened ('applied', 'already', or the reason it was left out). */
function apply() {
  const s = state();
  if (!s.ok) return s.why;
  if (s.applied) return 'already';
  fs.writeFileSync(FILE, patchedText(s.text));
  return 'applied';
}

function main() {
  if (process.argv.includes('--check')) {
    const s = state();
    process.exit(s.ok && s.applied ? 0 : 1);
  }
  const r = apply();
  if (r === 'already') console.log('[dl-optimization] tslab patch (kernel/patch-tslab.js) is applied');
  else if (r === 'applied') console.log(`[dl-optimization] patched tslab's converter: ${HUNKS.map((h) => h.name).filter((n) => !n.includes('(')).join(', ')} (kernel/patch-tslab.js)`);
  else console.log(`[dl-optimization] tslab left unpatched (${r}): cells type-check 2-3x more slowly`);
}

module.exports = { FILE, MARKER, MARKER_ALL, ORIGINAL_SHA256, HUNKS, ORIGINAL, PATCHED, apply, state, unpatch, main };

if (require.main === module) main();
