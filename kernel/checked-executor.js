/**
 * The course kernel's executor: a cell runs as soon as it is transpiled, while a worker thread
 * type-checks it (kernel/check-worker.js). tslab (1.0.22) type-checks every cell before running it,
 * 0.1-0.5 s a cell and seconds for the first one; here the critical path is a transpile-only conversion
 * of the cell (tslab's own emit from a two-file program: the cell and the previous cells'
 * declarations, kernel/patch-tslab.js hunk "transpile-only conversion"), a few milliseconds.
 * Started by tslab's dist/main.js (hunk "checked executor") in place of tslab's executor, which it wraps
 * (tslab's executor still runs the JavaScript, prints diagnostics and the last expression's value).
 *
 * Type errors, DLOPT_TYPECHECK (the kernel's environment):
 *  - fast (default): the cell runs right away. If its check has finished when it ends, its type
 *    errors are printed in the cell and the cell fails, as with tslab. Otherwise the reply goes out and
 *    the errors are printed into the same cell when the check ends (stderr, with that cell's parent
 *    header: JupyterLab and Notebook show them under it). The next cell waits for that check; if type
 *    errors were shown after the next cell's request arrived (Run All, or a quick Shift+Enter), that
 *    cell is not run and fails with a one-line explanation, so nothing runs on top of an error the
 *    student has not seen, and a Run All stops there.
 *  - strict: the cell runs right away but its outputs are held until its check ends; then they are
 *    sent, or, on type errors, dropped and the errors printed: the cell fails with exactly tslab's
 *    message and outputs. For headless runs (nbclient stops listening when a cell's reply and idle
 *    status are in), where a late message would be lost: scripts/run-notebooks.ts sets it.
 *  - sync: tslab's own executor (check, then run), in the main thread.
 * A cell with a syntax error, one importing a .ts/.js file of its own, a `//%module` cell (and every
 * cell after one) and one whose transpiled JavaScript does not compile are converted by the worker
 * first and run only without errors (tslab's behaviour). In every mode, a cell's declarations reach
 * the next cells only when it ran without error and its check found none (tslab's rule).
 * Inspect and complete requests are answered by the worker from the same program as the checks.
 * DLOPT_TYPECHECK_VERIFY=1 (set by hand, e.g. for a student's notebook that behaves oddly) compares the
 * JavaScript that ran with what tslab's converter emits for the cell and reports any difference in the
 * cell; test/integration/tslab-patch.test.ts makes that comparison for every chapter's cells.
 */
'use strict';
const path = require('path');
const util = require('util');
const vm = require('vm');
const { Worker } = require('worker_threads');

const MODES = ['fast', 'strict', 'sync'];
/** The kernel's own stderr (its log), before tslab points process.stderr.write at a cell. */
const kernelLog = process.stderr.write.bind(process.stderr);

/** DLOPT_TYPECHECK, checked: fast (default), strict or sync. */
function typecheckMode(env = process.env) {
  const raw = env.DLOPT_TYPECHECK;
  if (raw === undefined || raw === '') return 'fast';
  const mode = raw.trim().toLowerCase();
  if (!MODES.includes(mode)) throw new Error(`DLOPT_TYPECHECK must be one of ${MODES.join(', ')}; got ${JSON.stringify(raw)}`);
  return mode;
}

/** A diagnostic line exactly as tslab's executor prints it (printDiagnostics). */
function diagnosticLine(d) {
  return util.format('%s%d:%d - %s', d.fileName ? d.fileName + ' ' : '', d.start.line + 1, d.start.character + 1, d.messageText);
}

/** The check worker's nice value in fast mode (DLOPT_CHECK_NICE overrides; 0 = the kernel's priority). */
const CHECK_NICE = /^-?\d+$/.test(process.env.DLOPT_CHECK_NICE || '') ? Number(process.env.DLOPT_CHECK_NICE) : 10;

const REFUSED =
  'Not run: type errors were found in an earlier cell after it had run (they are shown under it), and this cell was sent before they were. Fix that cell, or run this one again.';

/**
 * The worker thread and its job queue; `run` answers a job's result or rejects with its error. `nice`:
 * the worker's priority (0 keeps the kernel's).
 */
function startWorker(log, nice) {
  const lib = path.join(path.resolve(__dirname, '..'), 'lib');
  const worker = new Worker(path.join(__dirname, 'check-worker.js'), {
    workerData: {
      converter: require.resolve('tslab/dist/converter'),
      // what a chapter's first cell imports, read ahead by the worker
      prefetch: `import * as tf from "@tensorflow/tfjs";\nimport * as course from ${JSON.stringify(lib.replace(/\\/g, '/'))};\n`,
      nice,
    },
    stdout: true,
    stderr: true,
  });
  worker.stdout.on('data', (d) => log(`[dl-optimization check worker] ${d}`));
  worker.stderr.on('data', (d) => log(`[dl-optimization check worker] ${d}`));
  worker.unref();
  const pending = new Map();
  let nextId = 1;
  let dead = null;
  const fail = (err) => {
    if (!dead) {
      dead = err;
      log(`[dl-optimization] the type-check worker stopped (${err.message}); cells are checked in the main thread from now on\n`);
    }
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m) => {
    if (m.ready) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return {
    get dead() {
      return dead;
    },
    run(job) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...job, id });
      });
    },
    close() {
      dead = dead || new Error('closed');
      return worker.terminate();
    },
  };
}

/**
 * tslab's executor interface ({ execute, inspect, complete, locals, reset, interrupt, close }), with
 * execute(src, req) taking the request (for its arrival, noted by noteExecuteRequest) and inspect and
 * complete returning promises (tslab's jupyter.js awaits them, hunk "asynchronous inspect").
 */
function createExecutor(rootDir, convs, console, opts = {}) {
  const mode = opts.mode || typecheckMode();
  const tslabExecutor = require('tslab/dist/executor');
  if (mode === 'sync') {
    convs.node; // eslint-disable-line no-unused-expressions -- warms the converter, as tslab does
    return tslabExecutor.createExecutor(rootDir, convs, console);
  }
  const verify = opts.verify ?? process.env.DLOPT_TYPECHECK_VERIFY === '1';
  const log = opts.log || kernelLog;
  const { createConverter } = require('tslab/dist/converter');
  const { getCodeMetadata } = require('tslab/dist/metadata');
  const jupyter = require('tslab/dist/jupyter');

  // In fast mode the cell's reply does not wait for its check, so the check yields the CPU to the cells
  // (on two cores it slowed a running cell by about a fifth); in strict mode the reply waits for it.
  const worker = startWorker(log, mode === 'fast' ? CHECK_NICE : 0);
  const light = createConverter({ transpileOnly: true });

  /** Declarations of the cells run so far without error (tslab's prevDecl). */
  let committed = '';
  /** Settles (never rejects) once the last cell's check has been handled. */
  let outstanding = Promise.resolve();
  /** How many times type errors were printed into a cell after its reply, and the last ones. */
  let shownLate = 0;
  let lastLate = [];
  /** Every cell from a `//%module` cell on is converted by the worker first. */
  let sequential = false;
  /** The conversion tslab's executor takes for the cell it is running. */
  let next;
  let interrupted = null;
  let interruptWaits;
  const resetInterrupt = () => {
    interruptWaits = new Promise((_, reject) => {
      interrupted = reject;
    });
    interruptWaits.catch(() => undefined);
  };
  resetInterrupt();
  /** Waits for `p` unless the kernel is interrupted first (then rejects). */
  const interruptible = (p) => Promise.race([p, interruptWaits]);
  /**
   * Rejects when an interrupt (SIGINT) came while the cell was being converted; called just before its
   * code runs. From then on only vm's watchdog sees a SIGINT, so one that reached the process just
   * before would be lost and an endless loop could not be stopped. Two turns of the event loop pass
   * its poll phase, where the signal is read.
   */
  const interruptsHandled = () => interruptible(new Promise((resolve) => setImmediate(() => setImmediate(resolve))));

  const inner = tslabExecutor.createExecutor(
    rootDir,
    {
      node: {
        convert() {
          const r = next;
          next = undefined;
          if (!r) throw new Error('checked executor: no conversion for the cell');
          return r;
        },
      },
      get browser() {
        return convs.browser;
      },
      close() {},
    },
    console,
  );

  /** tslab's converter in the worker; in the main thread once the worker has stopped. */
  function full(job) {
    if (!worker.dead) return worker.run(job);
    const conv = convs.node;
    switch (job.kind) {
      case 'convert':
        return Promise.resolve(conv.convert(job.prevDecl, job.src));
      case 'inspect':
        return Promise.resolve(conv.inspect(job.prevDecl, job.src, job.position));
      case 'complete':
        return Promise.resolve(conv.complete(job.prevDecl, job.src, job.position));
      case 'addModule':
        return Promise.resolve(conv.addModule(job.name, job.src, job.meta));
      default:
        return Promise.reject(new Error(`unknown job ${job.kind}`));
    }
  }

  function commit(declOutput) {
    committed = declOutput || '';
    // parse the new declarations now, while the student reads, rather than in the next cell
    setImmediate(() => {
      try {
        light.prepareUnchecked(committed);
      } catch (err) {
        log(`[dl-optimization] prepareUnchecked: ${err.message}\n`);
      }
    });
  }

  /** The transpile-only conversion, or undefined when the cell needs tslab's converter first. */
  function fastConversion(src) {
    let r;
    try {
      r = light.convertUnchecked(committed, src);
    } catch (err) {
      log(`[dl-optimization] convertUnchecked failed, the cell is converted by the checker first: ${err.stack || err}\n`);
      return undefined;
    }
    if (!r) return undefined;
    // what tslab's executor will run; a SyntaxError here (an error TypeScript reports as a grammar
    // error, e.g. a redeclared let) means the cell must not run: tslab's converter reports it.
    const prefix = r.hasToplevelAwait ? '(async function(exports, require) { ' : '(function(exports, require) { ';
    try {
      new vm.Script(prefix + r.output + '\n})(__tslab__.exports, __tslab__.require)'); // eslint-disable-line no-new
    } catch (err) {
      return undefined;
    }
    return r;
  }

  /** tslab's path: the worker converts (type check included), then tslab's executor runs it or prints the diagnostics. */
  async function convertThenRun(src) {
    const r = await interruptible(full({ kind: 'convert', prevDecl: committed, src, output: true }));
    await interruptsHandled();
    next = r;
    const ok = await inner.execute(src);
    if (ok && r.diagnostics.length === 0) commit(r.declOutput);
    return ok;
  }

  /** Output of the running cell held back until its check ends (strict mode). */
  function holdOutputs() {
    const real = { out: process.stdout.write, err: process.stderr.write, display: jupyter.lastWriteDisplayData };
    const held = [];
    const out = (chunk, encoding) => (held.push(() => real.out(chunk, encoding)), true);
    const err = (chunk, encoding) => (held.push(() => real.err(chunk, encoding)), true);
    const display = (data, update) => held.push(() => real.display(data, update));
    process.stdout.write = out;
    process.stderr.write = err;
    jupyter.lastWriteDisplayData = display;
    const restore = () => {
      if (process.stdout.write === out) process.stdout.write = real.out;
      if (process.stderr.write === err) process.stderr.write = real.err;
      if (jupyter.lastWriteDisplayData === display) jupyter.lastWriteDisplayData = real.display;
    };
    return {
      send() {
        restore();
        for (const f of held.splice(0)) f();
      },
      drop() {
        restore();
        held.length = 0;
      },
    };
  }

  async function execute(src, req) {
    const seenAtArrival = req && typeof req.dlOptimizationShownLate === 'number' ? req.dlOptimizationShownLate : shownLate;
    const cellStderr = process.stderr.write;
    try {
      await interruptible(outstanding);
    } catch (err) {
      console.error(err);
      return false;
    }
    if (shownLate > seenAtArrival) {
      // the errors again, for a client that stopped listening to the earlier cell (a headless run)
      console.error([REFUSED, ...lastLate.map((line) => `  ${line}`)].join('\n'));
      return false;
    }
    const meta = getCodeMetadata(src);
    if (meta.module) {
      // a module for later cells' imports: registered in the worker's program (tslab's addModule)
      sequential = true;
      try {
        for (const d of await interruptible(full({ kind: 'addModule', name: meta.module, src, meta }))) console.error(diagnosticLine(d));
      } catch (err) {
        console.error(err);
        return false;
      }
      return true;
    }
    if (meta.mode === 'browser') return inner.execute(src);
    const fast = sequential || worker.dead ? undefined : fastConversion(src);
    if (!fast) {
      try {
        return await convertThenRun(src);
      } catch (err) {
        console.error(err);
        return false;
      }
    }
    try {
      await interruptsHandled();
    } catch (err) {
      console.error(err);
      return false;
    }
    const prevDecl = committed;
    let check = null; // { result } or { error } once the worker answers
    const checked = full({ kind: 'convert', prevDecl, src, output: verify }).then(
      (result) => (check = { result }),
      (error) => (check = { error }),
    );
    const held = mode === 'strict' ? holdOutputs() : null;
    next = fast;
    let ok;
    try {
      ok = await inner.execute(src);
    } catch (err) {
      ok = false;
      console.error(err);
    }
    // let a check that ended while the cell ran be delivered
    await new Promise((resolve) => setImmediate(resolve));
    if (mode === 'strict' && !check) {
      try {
        await interruptible(checked);
      } catch (err) {
        held.send();
        console.error(err);
        outstanding = checked;
        return false;
      }
    }
    /** What the check says about the cell: true when it may stand (no type errors). */
    const judge = (late) => {
      if (check.error) {
        if (!closed) log(`[dl-optimization] type check failed: ${check.error.stack || check.error}\n`);
        return true;
      }
      const r = check.result;
      if (verify && r.diagnostics.length === 0 && r.output !== fast.output) {
        const msg = 'dl-optimization: the transpile-only JavaScript differs from tslab\'s for this cell';
        log(`[${msg}]\n--- ran\n${fast.output}\n--- tslab\n${r.output}\n`);
        (late ? cellStderr : process.stderr.write)(msg + '\n');
      }
      if (r.diagnostics.length > 0) return false;
      return true;
    };
    if (check) {
      const clean = judge(false);
      if (held) (clean ? held.send : held.drop)();
      if (!clean) {
        for (const d of check.result.diagnostics) console.error(diagnosticLine(d));
        return false;
      }
      if (ok && !check.error) commit(check.result.declOutput);
      return ok;
    }
    // fast mode, the check still running: reply now, report into this cell when it ends
    outstanding = checked.then(() => {
      const clean = judge(true);
      if (!clean) {
        const lines = check.result.diagnostics.map(diagnosticLine);
        for (const line of lines) cellStderr(line + '\n');
        log(`[dl-optimization] type errors shown after the cell ran:\n${lines.join('\n')}\n`);
        if (ok) {
          shownLate++;
          lastLate = lines;
        }
      } else if (ok && !check.error) {
        commit(check.result.declOutput);
      }
    });
    return ok;
  }

  function noteExecuteRequest(req) {
    if (req && typeof req === 'object') req.dlOptimizationShownLate = shownLate;
  }

  async function inspect(src, position) {
    if (getCodeMetadata(src).mode === 'browser') return convs.browser.inspect(committed, src, position);
    await outstanding;
    return full({ kind: 'inspect', prevDecl: committed, src, position });
  }

  async function complete(src, position) {
    if (getCodeMetadata(src).mode === 'browser') return convs.browser.complete(committed, src, position);
    await outstanding;
    return full({ kind: 'complete', prevDecl: committed, src, position });
  }

  function interrupt() {
    inner.interrupt();
    interrupted(new Error('Interrupted asynchronously'));
    resetInterrupt();
  }

  function reset() {
    committed = '';
    inner.reset();
  }

  let closed = false;
  function close() {
    closed = true;
    worker.close();
    convs.close();
  }

  return { execute, inspect, complete, locals: inner.locals, reset, interrupt, close, noteExecuteRequest, mode };
}

module.exports = { createExecutor, typecheckMode, diagnosticLine, MODES, REFUSED };
