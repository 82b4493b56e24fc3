#!/usr/bin/env node
/**
 * Speeds up tslab 1.0.22's per-cell TypeScript step (the largest cost of running the course, measured
 * by `npm run bench`) without changing anything it emits or reports, and lets an idle kernel give back
 * its garbage and warm up the course library. Hunks 1-5 are in tslab's dist/converter.js:
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
 *  5. TypeScript (7.8 MB of JavaScript) required through a V8 code cache kept next to it, written
 *     once after the first cell: Node 20 has no module.enableCompileCache (Node 22 does).
 *  8. a transpile-only conversion, convertUnchecked (a converter made with { transpileOnly: true }):
 *     tslab's own emit (its transformers, its CommonJS step) from a program of two files, the cell and
 *     the previous cells' declarations, with no lib file and no import resolved, so that the kernel can
 *     run a cell while kernel/check-worker.js type-checks it (kernel/checked-executor.js). It emits
 *     tslab's JavaScript for every code cell of every chapter (the test compares them); a name imported
 *     only as a type (without `type`) is kept, as `undefined` at run time, where tslab elides it.
 *     A cell without imports, exports, enums, decorators or auto-accessors (after declarations without
 *     enums: 200 of the chapters' 210 cells) is emitted without TypeScript first checking it: at the
 *     ES2022 target its JavaScript asks the checker nothing that the check alone computes (which imports
 *     are used as values, const enum values). 0.73-0.78x the conversion time over the chapters' cells
 *     (node --import tsx bench/emit_without_check.ts).
 * And one hunk in tslab's TypeScript (@tslab/typescript-for-tslab 5.0.4, used by tslab alone):
 *  6. structure reuse across cells: TypeScript walks the whole file graph again (~840 files:
 *     findSourceFile, module and type-directive bookkeeping, ~60 ms a cell) whenever a changed file's
 *     import list differs. tslab's __prev__.d.ts changes its list on almost every cell only by
 *     repeating or re-ordering the same module names (each new `import("../lib").T` type), which
 *     changes no resolution and no file of the program; such a declaration file now keeps the old
 *     program's structure, with the include reasons that point at its imports remapped.
 *  9. getScriptTargetFeatures built once: TypeScript 5.0 rebuilt its map of every lib's features for
 *     each name or property it could not find (a checker without lib files, as in 8, misses every global).
 * And hunks in tslab's dist/jupyter.js:
 *  7. a full garbage collection once the kernel has been idle for a second after a cell, when the
 *     resident memory grew by 32 MB or more since the last one. V8 collects only when a cell
 *     allocates, so a kernel that finished a chapter kept ~150 MB of garbage for as long as it sat
 *     idle (chapter 09: 544 MB → 397 MB after a full collection). Cancelled when the next request starts.
 * 10. for kernel/checked-executor.js: each execute request is noted when it arrives (a cell sent before
 *     an earlier cell's late type errors were shown is not run), execute() gets the request, and
 *     inspect and complete requests are answered asynchronously (from the worker's program).
 * 12. a cell sent after a failed cell's reply runs: tslab aborted every execute request reaching it
 *     within 200 ms of a failure (to cancel the rest of a Run All), so a cell run right after an error or
 *     an interrupt was dropped without output. The request's send time (its header's date) now decides:
 *     sent before the failure, it is aborted as before; sent after, it runs.
 * 13. idle work: once no request has been in progress for 250 ms, the tasks the course library registered
 *     on globalThis (its warm-up, src/edge/warmup.ts) run one short unit per turn of the event loop, and stop
 *     when a request arrives. Run All never leaves the kernel idle, so only a student who reads gets them.
 * And in tslab's dist/main.js:
 * 11. the kernel starts kernel/checked-executor.js instead of tslab's executor (tslab's own for the
 *     JavaScript kernel, or when that file is absent); DLOPT_TYPECHECK=sync gives tslab's back.
 * test/integration/tslab-patch.test.ts checks that the original and patched converters emit the same
 * JavaScript and declarations and report the same diagnostics on every code cell of several chapters
 * and on error cells, that convertUnchecked emits convert's JavaScript on every code cell of all ten
 * chapters, and that the original is exactly what undoing these hunks gives back.
 *
 * Why exact-text hunks and not patch-package: the patch must be applied by the same `npm install`
 * that runs our postinstall (one more devDependency and a second postinstall hook for these hunks
 * buys nothing), it must refuse any tslab other than 1.0.22 and any converter.js that does not
 * contain the text it replaces (patch-package would apply fuzzily or fail the install), and the
 * equivalence test needs the original and patched texts side by side to rebuild the original.
 *
 * Applied by scripts/postinstall.js. Idempotent; a file patched by an earlier version of this patch
 * (e.g. hunk 1 alone, as on main) is upgraded: the hunks found are undone first.
 *   node kernel/patch-tslab.js           apply (or report that it is applied)
 *   node kernel/patch-tslab.js --check   exit 0 when applied, 1 when not
 */
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');

const ROOT = path.resolve(__dirname, '..');
const TSLAB = path.join(ROOT, 'node_modules', 'tslab');
const FILE = path.join(TSLAB, 'dist', 'converter.js');
const VERSION = '1.0.22';
const TS_PKG = path.join(ROOT, 'node_modules', '@tslab', 'typescript-for-tslab');
const TS_FILE = path.join(TS_PKG, 'lib', 'typescript.js');
const JUPYTER_FILE = path.join(TSLAB, 'dist', 'jupyter.js');
const MAIN_FILE = path.join(TSLAB, 'dist', 'main.js');
const TS_VERSION = '5.0.4';
/** Present once hunk 1 is applied (the previous version of this patch had hunk 1 only). */
const MARKER = '/* dl-optimization: one rebuild per cell */';
/** Present once every hunk is applied. */
const MARKER_ALL = '/* dl-optimization: light builder, one declaration transform, unchecked transpile */';
/** Present once the transpile-only conversion (convertUnchecked) is applied. */
const MARKER_UNCHECKED = '/* dl-optimization: transpile-only conversion */';
/** sha256 of tslab 1.0.22's dist/converter.js as published: what unpatch() must give back. */
const ORIGINAL_SHA256 = '2c671708872c2ad7c36db9f703e5917571e73a62c4cf67f5abad0bd02c56b832';
/** Present in typescript.js once hunk 6 is applied. */
const TS_MARKER = '/* dl-optimization: structure reuse across cells */';
/** Present in jupyter.js once hunk 7 is applied; sha256 of tslab 1.0.22's dist/jupyter.js as published. */
const JUPYTER_MARKER = '/* dl-optimization: idle garbage collection */';
const JUPYTER_ORIGINAL_SHA256 = '186ae73149b280330d965b087933efa9eea51187f319f4163b44ae06327aef5f';
/** Present in jupyter.js once the checked executor's hunks (request arrival, asynchronous inspect and complete) are applied. */
const JUPYTER_MARKER_ASYNC = '/* dl-optimization: checked executor */';
/** Present in jupyter.js once a cell sent after a failed one is no longer aborted. */
const JUPYTER_MARKER_AFTER_ERROR = '/* dl-optimization: a cell sent after an error runs */';
/** Present in jupyter.js once the kernel runs the library's idle tasks (its warm-up) while no request is in progress. */
const JUPYTER_MARKER_IDLE_WORK = '/* dl-optimization: idle work */';
/** Present in main.js once it starts the checked executor; sha256 of tslab 1.0.22's dist/main.js as published. */
const MAIN_MARKER = '/* dl-optimization: checked executor */';
const MAIN_ORIGINAL_SHA256 = 'e3b60b922e8ebf203b8f8c666598247f710ffb1b5ad3c145c8b74c5a27e11476';
/** sha256 of @tslab/typescript-for-tslab 5.0.4's lib/typescript.js as published. */
const TS_ORIGINAL_SHA256 = '133b2887f2b8ecada15442f6298de9802c4f68392bbbf9e9d374972eff9077ca';

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
    // main's version, before convertDeclarations
    previous: (patched) => [patched.replace('}, undefined, !!dlOptimizationDeclarationsOnly, getCustomTransformers(', '}, undefined, undefined, getCustomTransformers(')
      .replace('output: dlOptimizationDeclarationsOnly ? undefined : esModuleToCommonJSModule(output, transpileTarget),', 'output: esModuleToCommonJSModule(output, transpileTarget),')],
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
        }, undefined, !!dlOptimizationDeclarationsOnly, getCustomTransformers(program.getTypeChecker(), declsFile, keys, (name) => {
            lastExpressionVar = name;
        }));
        if (unexpected || emitted.emitSkipped || emitted.diagnostics.length > 0) {
            return undefined;
        }
        declOutput += remainingDecls(program.getTypeChecker(), srcFile, declsFile);
        return {
            output: dlOptimizationDeclarationsOnly ? undefined : esModuleToCommonJSModule(output, transpileTarget),
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
    name: 'V8 code cache for TypeScript',
    original: `const ts = __importStar(require("@tslab/typescript-for-tslab"));`,
    patched: `/* dl-optimization: V8 code cache for TypeScript */
let dlOptimizationWriteCodeCache = null;
/**
 * require() of TypeScript (7.8 MB of JavaScript) through a V8 code cache kept next to it
 * (typescript.js.dl-optimization.v8cache): compiling it cost 0.2-0.4 s of every kernel start, and
 * compiling the parser, binder and checker functions the first cell uses some more. The cache is
 * written once, a few seconds after the first cell, from the functions compiled by then; V8 rejects a
 * cache made by another V8 version or with other flags, and then it is written anew. Any failure
 * falls back to a plain require().
 */
function dlOptimizationRequireWithCodeCache(id) {
    const fs = require("fs");
    const vm = require("vm");
    const Module = require("module");
    let file;
    try {
        file = require.resolve(id);
        if (require.cache[file]) {
            return require(id);
        }
        const cacheFile = file + ".dl-optimization.v8cache";
        let cachedData;
        try {
            cachedData = fs.readFileSync(cacheFile);
        }
        catch (e) {
            cachedData = undefined;
        }
        const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData });
        const mod = new Module(file, module);
        mod.filename = file;
        mod.paths = Module._nodeModulePaths(path_1.default.dirname(file));
        require.cache[file] = mod;
        script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path_1.default.dirname(file));
        mod.loaded = true;
        if (cachedData === undefined || script.cachedDataRejected) {
            dlOptimizationWriteCodeCache = () => {
                try {
                    const tmp = cacheFile + "." + process.pid + ".tmp";
                    fs.writeFileSync(tmp, script.createCachedData());
                    fs.renameSync(tmp, cacheFile);
                }
                catch (e) {
                    // not writable: the next start compiles TypeScript again
                }
            };
        }
        return mod.exports;
    }
    catch (e) {
        if (file) {
            delete require.cache[file];
        }
        return require(id);
    }
}
const ts = __importStar(dlOptimizationRequireWithCodeCache("@tslab/typescript-for-tslab"));`,
  },
  {
    name: 'V8 code cache for TypeScript (written after the first cell)',
    original: `    function updateContent(decls, src) {
        const changed = declContent != decls || srcContent != src;`,
    patched: `    function updateContent(decls, src) {
        if (dlOptimizationWriteCodeCache) {
            setTimeout(dlOptimizationWriteCodeCache, 3000).unref();
            dlOptimizationWriteCodeCache = null;
        }
        const changed = declContent != decls || srcContent != src;`,
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
  {
    name: 'transpile-only conversion (options)',
    original: `        rootDir: cwd,
        outDir,`,
    patched: `        rootDir: cwd,
        outDir,
        // A transpile-only converter (convertUnchecked) reads no lib file and resolves no import.
        ...(options && options.transpileOnly ? { noLib: true, noResolve: true, types: [], declaration: false } : {}),`,
  },
  {
    name: 'transpile-only conversion (export)',
    original: `        convert,
        inspect,`,
    patched: `        convert,
        convertUnchecked,
        prepareUnchecked,
        convertDeclarations,
        inspect,`,
  },
  {
    name: 'transpile-only conversion (convertUnchecked)',
    original: `    function inspect(prevDecl, src, position) {`,
    patched: `    ${MARKER_UNCHECKED}
    /** The previous cells' declarations as convertUnchecked last parsed them: { text, file }. */
    var dlOptimizationUncheckedDecls;
    /** An empty module, added to each transpile-only program: see dlOptimizationEmitWithoutCheck. */
    var dlOptimizationEmptyModule;
    /** Syntax whose JavaScript depends on what only checking the whole cell computes (dlOptimizationEmitWithoutCheck). */
    var dlOptimizationCheckedSyntax;
    /**
     * Whether the cell's JavaScript can be emitted without first checking the whole cell. TypeScript's
     * emitter checks the file it emits (getEmitResolver) so that its questions find their answers
     * already computed; the transpile-only program, which has no lib, spends a third of its time there.
     * At the ES2022 target, only these answers come from that check and not from a lazy look-up: which
     * imported names are used as values (import elision), an enum member's constant value (const enum
     * inlining), decorators and auto-accessors. A cell with none of that syntax, after declarations with
     * no enum, emits the same JavaScript without the check (the equivalence test compares every
     * chapter's cells and a list of such constructs with tslab's convert).
     */
    function dlOptimizationEmitWithoutCheck(probe, prevDecl) {
        if (/\\benum\\b/.test(prevDecl)) {
            return false;
        }
        const kinds = dlOptimizationCheckedSyntax || (dlOptimizationCheckedSyntax = new Set([ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.ExportDeclaration, ts.SyntaxKind.ExportAssignment, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.Decorator, ts.SyntaxKind.AccessorKeyword]));
        const visit = (node) => kinds.has(node.kind) || !!(node.modifiers && node.modifiers.some((m) => kinds.has(m.kind))) || !!ts.forEachChild(node, visit);
        // the first statement is tslab's prefix (srcPrefix, an empty export)
        return !probe.statements.some((statement, i) => i > 0 && visit(statement));
    }
    /** Set while convertDeclarations runs: convertAlone emits declarations only. */
    var dlOptimizationDeclarationsOnly;
    /**
     * convert() for a cell that already ran from convertUnchecked: the same diagnostics, declarations,
     * top-level-await flag and dependencies, without the JavaScript (output undefined) when the cell
     * takes the one-declaration-transform path, where the JavaScript emit and CommonJS step are skipped.
     */
    function convertDeclarations(prevDecl, src) {
        dlOptimizationDeclarationsOnly = true;
        try {
            return convert(prevDecl, src);
        }
        finally {
            dlOptimizationDeclarationsOnly = false;
        }
    }
    /** A source file as the watch program's host creates it. */
    function dlOptimizationSourceFile(fileName, text, compilerOptions) {
        return ts.createSourceFile(fileName, text, {
            languageVersion: compilerOptions.target,
            setExternalModuleIndicator: ts.getSetExternalModuleIndicator(compilerOptions),
        });
    }
    /** The declarations file for \`prevDecl\`, parsed once per text (call it ahead of a cell to take the parse off its path). */
    function prepareUnchecked(prevDecl) {
        if (!dlOptimizationUncheckedDecls || dlOptimizationUncheckedDecls.text !== prevDecl) {
            dlOptimizationUncheckedDecls = { text: prevDecl, file: dlOptimizationSourceFile(declFilename, srcPrefix + prevDecl, builder.getProgram().getCompilerOptions()) };
        }
        return dlOptimizationUncheckedDecls.file;
    }
    /**
     * convert() without type checking, for a cell that runs while it is checked elsewhere (a converter
     * made with { transpileOnly: true }): the JavaScript of tslab's own emit (the same transformers and
     * CommonJS step) from a program of two files, the cell and the previous cells' declarations, with no
     * lib file and no import resolved. What tslab's emit asks the checker, which identifiers name a
     * declaration of an earlier cell (then \`exports.name\`) and which imports the cell uses as values,
     * is answered from those two files; an imported name that is only a type is therefore kept (as
     * \`undefined\` at run time) where tslab elides it. No diagnostics and no declarations: those come
     * from convert(). Returns undefined for a cell that needs convert(): one with a syntax error, one
     * importing a .ts or .js file of its own (tslab emits those files too), or anything unexpected.
     */
    function convertUnchecked(prevDecl, src) {
        const compilerOptions = builder.getProgram().getCompilerOptions();
        const probe = ts.createSourceFile(srcFilename, srcPrefix + src, ts.ScriptTarget.Latest, false);
        if (probe.parseDiagnostics.length > 0) {
            return undefined;
        }
        ts.bindSourceFile(probe, { target: transpileTarget, module: ts.ModuleKind.ESNext, allowJs: true });
        const keys = new Set();
        if (probe.locals) {
            probe.locals.forEach((_, key) => {
                keys.add(key);
            });
        }
        const declsFile = prepareUnchecked(prevDecl);
        const srcFile = dlOptimizationSourceFile(srcFilename, srcPrefix + (keys.size > 0 ? src + "\\nexport {" + Array.from(keys).join(", ") + "}" : src), compilerOptions);
        if (srcFile.parseDiagnostics.length > 0) {
            return undefined;
        }
        const files = new Map([[declFilename, declsFile], [srcFilename, srcFile]]);
        const withoutCheck = dlOptimizationEmitWithoutCheck(probe, prevDecl);
        if (withoutCheck) {
            dlOptimizationEmptyModule = dlOptimizationEmptyModule || dlOptimizationSourceFile((0, tspath_1.normalizeJoin)(cwd, "__tslab_empty__.ts"), "export {};", compilerOptions);
            files.set(dlOptimizationEmptyModule.fileName, dlOptimizationEmptyModule);
        }
        const program = ts.createProgram({
            rootNames: Array.from(files.keys()),
            options: compilerOptions,
            host: {
                getSourceFile: (fileName) => files.get(fileName),
                getDefaultLibFileName: () => "lib.d.ts",
                writeFile: () => {
                    throw new Error("writeFile must not be called");
                },
                getCurrentDirectory: () => cwd,
                getCanonicalFileName: (fileName) => fileName,
                useCaseSensitiveFileNames: () => true,
                getNewLine: () => "\\n",
                fileExists: (fileName) => files.has(fileName),
                readFile: () => undefined,
            },
        });
        for (const name of srcFile.imports) {
            if (ts.isExternalModuleNameRelative(name.text)) {
                const resolved = ts.resolveModuleName(name.text, srcFilename, Object.assign({}, compilerOptions, { noResolve: false }), sys).resolvedModule;
                if (resolved && !resolved.isExternalLibraryImport && isSrcDependency(resolved.resolvedFileName)) {
                    return undefined;
                }
            }
        }
        const checker = program.getTypeChecker();
        asMutable(srcFile).parent = declsFile;
        if (withoutCheck) {
            // the emitter's resolver, without checking the cell first (the empty module is all it checks)
            const getEmitResolver = checker.getEmitResolver;
            checker.getEmitResolver = (_file, cancellationToken) => getEmitResolver(dlOptimizationEmptyModule, cancellationToken);
        }
        // tslab learns that a cell awaits at its top level from the checker's diagnostic (1308).
        let hasToplevelAwait = false;
        if (/\\bawait\\b/.test(src)) {
            for (const d of program.getSemanticDiagnostics(srcFile)) {
                if (d.file === srcFile && isTopLevelAwaitDiagnostic(srcFile, d)) {
                    hasToplevelAwait = true;
                }
            }
        }
        let output;
        let lastExpressionVar;
        let unexpected = false;
        const emitted = program.emit(srcFile, (fileName, data) => {
            if (fileName === dstFilename) {
                output = data;
            }
            else {
                unexpected = true;
            }
        }, undefined, undefined, getCustomTransformers(checker, declsFile, keys, (name) => {
            lastExpressionVar = name;
        }));
        if (unexpected || emitted.emitSkipped || output === undefined) {
            return undefined;
        }
        return {
            output: esModuleToCommonJSModule(output, transpileTarget),
            declOutput: undefined,
            diagnostics: [],
            hasToplevelAwait,
            sideOutputs: undefined,
            lastExpressionVar,
        };
    }
    function inspect(prevDecl, src, position) {`,
    // before the emit without the cell's check (dlOptimizationEmitWithoutCheck)
    previous: (patched) => [
      patched
        .replace(/    \/\*\* An empty module[\s\S]*?\n    }\n(?=    \/\*\* Set while convertDeclarations)/, '')
        .replace(/        const withoutCheck = [\s\S]*?\n        }\n/, '')
        .replace('rootNames: Array.from(files.keys()),', 'rootNames: [declFilename, srcFilename],')
        .replace(/        if \(withoutCheck\) {\n[\s\S]*?\n        }\n/, ''),
    ],
  },
];

/** Hunk 6, in @tslab/typescript-for-tslab's lib/typescript.js. */
const TS_HUNKS = [
  {
    name: 'structure reuse across cells (helpers)',
    original: `  function createProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics) {`,
    patched: `  ${TS_MARKER}
  /** Keys of a file's imports that module resolution depends on: the name and its resolution mode. */
  function dlOptimizationImportKeys(file) {
    return file.imports.map((name, index) => (name.kind === 79 /* Identifier */ ? "i:" + name.escapedText : "s:" + name.text) + "\\0" + getModeForResolutionAtIndex(file, index));
  }
  /**
   * Whether a changed declaration file whose import list differs from the old one still names the same
   * modules with the same modes (only repeated or re-ordered: tslab's __prev__.d.ts after a cell). Then
   * every resolution and every file of the program stay as they were, and the old structure is kept;
   * the include reasons that point into its import list are remapped (dlOptimizationRemapImportReasons).
   * Not when the old program has file-processing diagnostics or an options diagnostic with a location
   * or a message chain: those explain files by listing their include reasons, and remapping merges the
   * reasons of repeated imports. (tslab's own options always draw one plain message: noImplicitUseStrict
   * is deprecated.)
   */
  function dlOptimizationSameImportNames(oldProgram, oldFile, newFile) {
    var _a;
    if (!newFile.isDeclarationFile || !oldFile.imports || !newFile.imports) {
      return false;
    }
    if (((_a = oldProgram.getFileProcessingDiagnostics()) == null ? void 0 : _a.length) || oldProgram.getOptionsDiagnostics().some((d) => d.file || d.relatedInformation || typeof d.messageText !== "string")) {
      return false;
    }
    const before = new Set(dlOptimizationImportKeys(oldFile));
    const after = new Set(dlOptimizationImportKeys(newFile));
    return before.size === after.size && [...before].every((key) => after.has(key));
  }
  /** The old program's include reasons, with those that point at an import of a file kept by dlOptimizationSameImportNames re-pointed at the first import of the same module in the new file. */
  function dlOptimizationRemapImportReasons(reasons, modifiedSourceFiles) {
    const remap = new Map();
    for (const { oldFile, newFile } of modifiedSourceFiles) {
      if (oldFile.imports && newFile.imports && !arrayIsEqualTo(dlOptimizationImportKeys(oldFile), dlOptimizationImportKeys(newFile))) {
        const newKeys = dlOptimizationImportKeys(newFile);
        remap.set(newFile.path, dlOptimizationImportKeys(oldFile).map((key) => newKeys.indexOf(key)));
      }
    }
    if (remap.size === 0) {
      return reasons;
    }
    const remapped = createMultiMap();
    reasons.forEach((list, path) => {
      const seen = new Set();
      for (const reason of list) {
        const indices = reason.kind === 3 /* Import */ ? remap.get(reason.file) : void 0;
        if (!indices) {
          remapped.add(path, reason);
          continue;
        }
        const index = indices[reason.index];
        if (index < 0) {
          throw new Error("dl-optimization: an import reason has no import of the same module");
        }
        if (!seen.has(reason.file + "\\0" + index)) {
          seen.add(reason.file + "\\0" + index);
          remapped.add(path, { ...reason, index });
        }
      }
    });
    return remapped;
  }
  function createProgram(rootNamesOrOptions, _options, _host, _oldProgram, _configFileParsingDiagnostics) {`,
  },
  {
    name: 'structure reuse across cells (import comparison)',
    original: `            collectExternalModuleReferences(newSourceFile);
            if (!arrayIsEqualTo(oldSourceFile.imports, newSourceFile.imports, moduleNameIsEqualTo)) {
              structureIsReused = 1 /* SafeModules */;`,
    patched: `            collectExternalModuleReferences(newSourceFile);
            if (!arrayIsEqualTo(oldSourceFile.imports, newSourceFile.imports, moduleNameIsEqualTo) && !dlOptimizationSameImportNames(oldProgram, oldSourceFile, newSourceFile)) {
              structureIsReused = 1 /* SafeModules */;`,
  },
  {
    name: 'structure reuse across cells (include reasons)',
    original: `      fileReasons = oldProgram.getFileIncludeReasons();
      fileProcessingDiagnostics = oldProgram.getFileProcessingDiagnostics();`,
    patched: `      fileReasons = dlOptimizationRemapImportReasons(oldProgram.getFileIncludeReasons(), modifiedSourceFiles);
      fileProcessingDiagnostics = oldProgram.getFileProcessingDiagnostics();`,
  },
  {
    name: 'script target features computed once',
    original: `  function getScriptTargetFeatures() {
    return new Map(Object.entries({`,
    patched: `  /* dl-optimization: script target features computed once */
  var dlOptimizationScriptTargetFeatures;
  /**
   * The features of each lib target, for the "do you need to change your target library?" hint of a
   * name or property that is not found. TypeScript 5.0 built this map (hundreds of arrays) anew on
   * every call: a checker without lib files (tslab's transpile-only conversion) calls it for each
   * global it cannot find. Callers only read it.
   */
  function getScriptTargetFeatures() {
    return dlOptimizationScriptTargetFeatures || (dlOptimizationScriptTargetFeatures = dlOptimizationComputeScriptTargetFeatures());
  }
  function dlOptimizationComputeScriptTargetFeatures() {
    return new Map(Object.entries({`,
  },
];

/** Hunk 7, in tslab's dist/jupyter.js. */
const JUPYTER_HUNKS = [
  {
    name: 'idle garbage collection',
    // main had it decide on the RSS, which now counts the worker's heap too
    previous: (patched) => [patched.split('heapAfterLast').join('rssAfterLast')
      .replace('require("v8").getHeapStatistics().used_heap_size < this.rssAfterLast', 'process.memoryUsage.rss() < this.rssAfterLast')
      .replace('this.rssAfterLast = require("v8").getHeapStatistics().used_heap_size;', 'this.rssAfterLast = process.memoryUsage.rss();')
      .replace(`    /**
     * After a cell: a full collection once the kernel has been idle for a second, if this thread's heap
     * grew by 32 MB since the last one (its own heap: the process's RSS also counts the type-check
     * worker, which collects its own garbage).
     */`, '    /** After a cell: a full collection once the kernel has been idle for a second, if the RSS grew by 32 MB since the last one. */')],
    original: `const util_2 = require("./util");
const utf8Decoder = new util_1.TextDecoder();`,
    patched: `const util_2 = require("./util");
const utf8Decoder = new util_1.TextDecoder();
${JUPYTER_MARKER}
const dlOptimizationIdleGc = {
    timer: null,
    heapAfterLast: 0,
    gc: undefined,
    /**
     * After a cell: a full collection once the kernel has been idle for a second, if this thread's heap
     * grew by 32 MB since the last one (its own heap: the process's RSS also counts the type-check
     * worker, which collects its own garbage).
     */
    schedule() {
        this.cancel();
        this.timer = setTimeout(() => {
            this.timer = null;
            if (require("v8").getHeapStatistics().used_heap_size < this.heapAfterLast + 32 * 1024 * 1024) {
                return;
            }
            if (this.gc === undefined) {
                try {
                    require("v8").setFlagsFromString("--expose-gc");
                    this.gc = require("vm").runInNewContext("gc");
                }
                catch (e) {
                    this.gc = null;
                }
            }
            if (typeof this.gc === "function") {
                this.gc();
            }
            this.heapAfterLast = require("v8").getHeapStatistics().used_heap_size;
        }, 1000);
        this.timer.unref();
    },
    cancel() {
        if (this.timer) {
            clearTimeout(this.timer);
            this.timer = null;
        }
    },
};`,
  },
  {
    name: 'idle garbage collection (execute)',
    original: `    async handleExecute(req, writeStream, writeDisplayData) {
        let status = "ok";
        let count = null;
        try {`,
    patched: `    async handleExecute(req, writeStream, writeDisplayData) {
        let status = "ok";
        let count = null;
        dlOptimizationIdleGc.cancel();
        try {`,
  },
  {
    name: 'idle garbage collection (after execute)',
    original: `                this.execQueue.reset(200);
            }
        }
        return {
            status: status,`,
    patched: `                this.execQueue.reset(200);
            }
        }
        dlOptimizationIdleGc.schedule();
        return {
            status: status,`,
  },
  {
    name: 'checked executor (request arrival)',
    original: `        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);`,
    patched: `        ${JUPYTER_MARKER_ASYNC}
        // The checked executor (kernel/checked-executor.js) notes when each request arrived: a cell
        // queued before an earlier cell's type errors were shown is not run.
        if (this.handler.executor && this.handler.executor.noteExecuteRequest) {
            this.handler.executor.noteExecuteRequest(msg.content);
        }
        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);`,
  },
  {
    name: 'checked executor (request passed to execute)',
    original: `        let ok = await this.executor.execute(req.code);`,
    patched: `        let ok = await this.executor.execute(req.code, req);`,
  },
  {
    name: 'a cell sent after an error runs (send time)',
    original: `        reply.header.msg_type = "execute_reply";`,
    patched: `        reply.header.msg_type = "execute_reply";
        ${JUPYTER_MARKER_AFTER_ERROR}
        // when the client sent the request, by its clock (NaN when the header has no date)
        msg.content.dlOptimizationSentAt = Date.parse(msg.header.date);`,
  },
  {
    name: 'a cell sent after an error runs (error time)',
    original: `                status = "error";
                count = e;`,
    patched: `                status = "error";
                count = e;
                this.dlOptimizationErrorAt = Date.now();`,
  },
  {
    name: 'a cell sent after an error runs (queue)',
    original: `            count = await this.execQueue.add(() => this.handleExecuteImpl(req, writeStream, writeDisplayData));`,
    patched: `            if (this.dlOptimizationErrorAt !== undefined && req.dlOptimizationSentAt >= this.dlOptimizationErrorAt) {
                // Sent after the failure (the student saw the error and runs a cell): it runs. Dates have
                // millisecond precision, so the same millisecond counts as after.
                // tslab aborts every request that reaches it within 200 ms of a failure, to cancel the rest
                // of a Run All; a cell run right after an error (or an interrupt) was aborted too, with no
                // output. Requests sent before the failure are still aborted. A new queue, after whatever
                // the old one holds: tslab's delayed reset of the old one would let a later cell overtake.
                const before = this.execQueue.prev.then(() => undefined, () => undefined);
                this.execQueue = new util_2.TaskQueue();
                this.execQueue.prev = before;
                this.dlOptimizationErrorAt = undefined;
            }
            count = await this.execQueue.add(() => this.handleExecuteImpl(req, writeStream, writeDisplayData));`,
  },
  {
    name: 'asynchronous inspect (handler)',
    original: `    handleInspect(req) {
        const info = this.executor.inspect(req.code, req.cursor_pos);`,
    patched: `    async handleInspect(req) {
        // The checked executor answers from its worker's program, asynchronously.
        const info = await this.executor.inspect(req.code, req.cursor_pos);`,
  },
  {
    name: 'asynchronous complete (handler)',
    original: `    handleComplete(req) {
        const info = this.executor.complete(req.code, req.cursor_pos);`,
    patched: `    async handleComplete(req) {
        const info = await this.executor.complete(req.code, req.cursor_pos);`,
  },
  {
    name: 'asynchronous inspect and complete (server)',
    original: `                case "inspect_request":
                    this.handleInspect(sock, msg);
                    break;
                case "complete_request":
                    this.handleComplete(sock, msg);
                    break;`,
    patched: `                case "inspect_request":
                    await this.handleInspect(sock, msg);
                    break;
                case "complete_request":
                    await this.handleComplete(sock, msg);
                    break;`,
  },
  {
    name: 'asynchronous inspect and complete (replies)',
    original: `    handleInspect(sock, msg) {
        const reply = msg.createReply();
        reply.header.msg_type = "inspect_reply";
        reply.content = this.handler.handleInspect(msg.content);
        reply.signAndSend(this.connInfo.key, sock);
    }
    handleComplete(sock, msg) {
        const reply = msg.createReply();
        reply.header.msg_type = "complete_reply";
        reply.content = this.handler.handleComplete(msg.content);`,
    patched: `    async handleInspect(sock, msg) {
        const reply = msg.createReply();
        reply.header.msg_type = "inspect_reply";
        reply.content = await this.handler.handleInspect(msg.content);
        reply.signAndSend(this.connInfo.key, sock);
    }
    async handleComplete(sock, msg) {
        const reply = msg.createReply();
        reply.header.msg_type = "complete_reply";
        reply.content = await this.handler.handleComplete(msg.content);`,
  },
  {
    name: 'idle work',
    original: `/**
 * The process-wide global variable to hold the last valid
 * writeDisplayData. This is used from the display public API.
 */`,
    patched: `${JUPYTER_MARKER_IDLE_WORK}
const dlOptimizationIdleWork = {
    active: 0,
    timer: null,
    immediate: null,
    /**
     * Once no request has been in progress for 250 ms, the idle tasks that the course library registered
     * (src/edge/warmup.ts: its warm-up) run one short unit per turn of the event loop, until they are done
     * or a request arrives; a task that cannot run yet ("later") is tried again at the next idle moment.
     * A request that arrives during a unit waits for that unit (tens of ms when cold, a few ms warm).
     */
    busy() {
        this.active++;
        this.cancel();
    },
    idle() {
        this.active = Math.max(0, this.active - 1);
        if (this.active > 0) {
            return;
        }
        this.cancel();
        this.timer = setTimeout(() => {
            this.timer = null;
            this.next();
        }, 250);
        this.timer.unref();
    },
    next() {
        const tasks = globalThis[Symbol.for("dl-optimization.idleTasks")];
        if (this.active > 0 || !Array.isArray(tasks) || tasks.length === 0) {
            return;
        }
        // no idle collection between units: one after them, when due (hunk 7)
        dlOptimizationIdleGc.cancel();
        let step;
        try {
            step = tasks[0].step();
        }
        catch (e) {
            step = "done";
        }
        if (step !== "more" && step !== "later") {
            tasks.shift();
        }
        if (step === "later" || tasks.length === 0) {
            dlOptimizationIdleGc.schedule();
            return;
        }
        // referenced: an unreferenced immediate would wait for the next socket event to run
        this.immediate = setImmediate(() => {
            this.immediate = null;
            this.next();
        });
    },
    cancel() {
        if (this.timer) {
            clearTimeout(this.timer);
            this.timer = null;
        }
        if (this.immediate) {
            clearImmediate(this.immediate);
            this.immediate = null;
        }
    },
};
/**
 * The process-wide global variable to hold the last valid
 * writeDisplayData. This is used from the display public API.
 */`,
  },
  {
    name: 'idle work (request)',
    original: `        let terminated = false;
        this.publishStatus("busy", msg);`,
    patched: `        let terminated = false;
        dlOptimizationIdleWork.busy();
        this.publishStatus("busy", msg);`,
  },
  {
    name: 'idle work (reply)',
    original: `        finally {
            this.publishStatus("idle", msg);
        }`,
    patched: `        finally {
            this.publishStatus("idle", msg);
            dlOptimizationIdleWork.idle();
        }`,
  },
];

/** In tslab's dist/main.js: the kernel starts the checked executor (kernel/checked-executor.js). */
const MAIN_HUNKS = [
  {
    name: 'checked executor (loader)',
    original: `const jupyter_1 = require("./jupyter");
class ConverterSetImpl {`,
    patched: `const jupyter_1 = require("./jupyter");
${MAIN_MARKER}
/**
 * The executor of the course kernel: kernel/checked-executor.js of the checkout whose node_modules
 * holds this tslab runs each cell as soon as it is transpiled while a worker thread type-checks it.
 * tslab's own executor (check, then run) for the JavaScript kernel or without that file.
 */
function dlOptimizationCreateExecutor(convs, jsKernel, console) {
    const checked = path_1.default.join(__dirname, "..", "..", "..", "kernel", "checked-executor.js");
    if (!jsKernel && fs_1.default.existsSync(checked)) {
        return require(checked).createExecutor(process.cwd(), convs, console);
    }
    convs.node; // Warm the converter for Node.js
    return (0, executor_1.createExecutor)(process.cwd(), convs, console);
}
class ConverterSetImpl {`,
  },
  {
    name: 'checked executor (start)',
    original: `    const convs = new ConverterSetImpl(jsKernel);
    convs.node; // Warm the converter for Node.js
    const executor = (0, executor_1.createExecutor)(process.cwd(), convs, {`,
    patched: `    const convs = new ConverterSetImpl(jsKernel);
    const executor = dlOptimizationCreateExecutor(convs, jsKernel, {`,
  },
];

/** The patched files: tslab's converter (HUNKS), tslab's TypeScript (TS_HUNKS), tslab's kernel (JUPYTER_HUNKS) and its start (MAIN_HUNKS). */
const TARGETS = [
  { name: 'tslab dist/converter.js', file: FILE, pkg: TSLAB, version: VERSION, marker: MARKER_ALL, sha256: ORIGINAL_SHA256, hunks: HUNKS },
  { name: '@tslab/typescript-for-tslab lib/typescript.js', file: TS_FILE, pkg: TS_PKG, version: TS_VERSION, marker: TS_MARKER, sha256: TS_ORIGINAL_SHA256, hunks: TS_HUNKS },
  { name: 'tslab dist/jupyter.js', file: JUPYTER_FILE, pkg: TSLAB, version: VERSION, marker: JUPYTER_MARKER, sha256: JUPYTER_ORIGINAL_SHA256, hunks: JUPYTER_HUNKS },
  { name: 'tslab dist/main.js', file: MAIN_FILE, pkg: TSLAB, version: VERSION, marker: MAIN_MARKER, sha256: MAIN_ORIGINAL_SHA256, hunks: MAIN_HUNKS },
];

// Kept for callers of the previous version (hunk 1 alone).
const ORIGINAL = HUNKS[0].original;
const PATCHED = HUNKS[0].patched;

/** The original text of a fully patched file (every hunk undone); `hunks` defaults to the converter's. */
function unpatch(text, hunks = HUNKS) {
  let out = text;
  for (const h of [...hunks].reverse()) {
    if (out.split(h.patched).length !== 2) throw new Error(`the file does not contain hunk "${h.name}" exactly once`);
    out = out.replace(h.patched, h.original);
  }
  return out;
}

function targetState(t) {
  if (!fs.existsSync(t.file)) return { ok: false, why: `${t.file} does not exist` };
  const version = JSON.parse(fs.readFileSync(path.join(t.pkg, 'package.json'), 'utf8')).version;
  let text = fs.readFileSync(t.file, 'utf8');
  if (t.hunks.every((h) => text.split(h.patched).length === 2)) return { ok: true, applied: true, text };
  if (version !== t.version) return { ok: false, why: `${t.name} is version ${version}, the patch is for ${t.version}` };
  // an earlier version of this patch (e.g. hunk 1 alone, or main's) may be applied: undo the hunks found, newest first
  for (const h of [...t.hunks].reverse()) {
    const found = [h.patched, ...(h.previous ? h.previous(h.patched) : [])].find((p) => text.split(p).length === 2);
    if (found) text = text.replace(found, h.original);
  }
  // hunks apply in order (a later one may replace text an earlier one wrote): each must find its text exactly once
  let out = text;
  for (const h of t.hunks) {
    if (out.split(h.original).length !== 2) return { ok: false, why: `${t.name} does not contain the text hunk "${h.name}" replaces exactly once` };
    out = out.replace(h.original, h.patched);
  }
  return { ok: true, applied: false, text };
}

/** Whether every file can be (or is) patched; `applied` when all are. */
function state() {
  const states = TARGETS.map(targetState);
  const bad = states.find((s) => !s.ok);
  if (bad) return bad;
  return { ok: true, applied: states.every((s) => s.applied), states };
}

function patchedText(original, hunks) {
  let out = original;
  for (const h of hunks) out = out.replace(h.original, h.patched);
  return out;
}

/** Applies the patch to both files or to neither; returns 'applied', 'already', or the reason it was left out. */
function apply() {
  const s = state();
  if (!s.ok) return s.why;
  if (s.applied) return 'already';
  TARGETS.forEach((t, i) => {
    if (!s.states[i].applied) fs.writeFileSync(t.file, patchedText(s.states[i].text, t.hunks));
  });
  return 'applied';
}

const USAGE = `node kernel/patch-tslab.js [--check]
  (no flag)    apply the patch to node_modules/tslab (or report that it is applied)
  --check      change nothing; exit 0 when the patch is applied, 1 when not
  -h, --help   print this and exit`;

/** Applies the patch; \`argv\` (util.parseArgs) may ask for --check or --help instead. postinstall calls main() with none. */
function main(argv = []) {
  let values;
  try {
    ({ values } = util.parseArgs({ args: argv, options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    if (String(err.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`kernel/patch-tslab.js: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  if (values.help) return console.log(USAGE);
  if (values.check) {
    const s = state();
    process.exit(s.ok && s.applied ? 0 : 1);
  }
  const r = apply();
  if (r === 'already') console.log('[dl-optimization] tslab patch (kernel/patch-tslab.js) is applied');
  else if (r === 'applied') console.log(`[dl-optimization] patched tslab: ${[...HUNKS, ...TS_HUNKS, ...JUPYTER_HUNKS, ...MAIN_HUNKS].map((h) => h.name.replace(/ \(.*\)$/, '')).filter((n, i, a) => a.indexOf(n) === i).join(', ')} (kernel/patch-tslab.js)`);
  else console.log(`[dl-optimization] tslab left unpatched (${r}): cells type-check 2-3x more slowly`);
}

module.exports = { FILE, TS_FILE, JUPYTER_FILE, MAIN_FILE, MARKER, MARKER_ALL, MARKER_UNCHECKED, TS_MARKER, JUPYTER_MARKER, JUPYTER_MARKER_ASYNC, JUPYTER_MARKER_IDLE_WORK, MAIN_MARKER, ORIGINAL_SHA256, TS_ORIGINAL_SHA256, JUPYTER_ORIGINAL_SHA256, MAIN_ORIGINAL_SHA256, HUNKS, TS_HUNKS, JUPYTER_HUNKS, MAIN_HUNKS, TARGETS, ORIGINAL, PATCHED, apply, state, unpatch, main };

if (require.main === module) main(process.argv.slice(2));
