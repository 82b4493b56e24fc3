/**
 * The type checker of the course kernel, in a worker thread (started by kernel/checked-executor.js):
 * tslab's own converter (patched by kernel/patch-tslab.js), which keeps TypeScript's program of the
 * cells' declarations, lib and every imported declaration file. The kernel's main thread runs each cell
 * from a transpile-only conversion as soon as it arrives; this thread converts the same cell the way
 * tslab always has (type check, declarations for the next cells, JavaScript) and answers inspect and
 * complete requests from the same program. Jobs are answered one at a time, in the order they come.
 *
 * Messages in:  { id, kind: 'convert', prevDecl, src, output }   output: also emit the JavaScript
 *               { id, kind: 'inspect' | 'complete', prevDecl, src, position }
 *               { id, kind: 'addModule', name, src, meta }
 * Messages out: { id, result } or { id, error }; once, { ready: true, ms } when the converter exists.
 * workerData: { converter: path of tslab's converter.js, prefetch: a cell to convert once at start,
 *              nice: this thread's nice value (0: the kernel's) }.
 */
'use strict';
const { parentPort, workerData } = require('worker_threads');
const v8 = require('v8');
const vm = require('vm');

const started = performance.now();
// A nice value for this thread alone: on Linux a thread's nice value is its own (setpriority on the
// calling thread), so the kernel's main thread, which runs the cells, keeps its priority.
if (workerData.nice) {
  try {
    require('os').setPriority(workerData.nice);
  } catch (err) {
    // not permitted or not supported here: the check runs at the kernel's priority
  }
}
// eslint-disable-next-line import/no-dynamic-require
const { createConverter } = require(workerData.converter);
const conv = createConverter({ isJS: false, isBrowser: false });
parentPort.postMessage({ ready: true, ms: performance.now() - started });
// Read ahead what a course notebook's first cell imports (tfjs, the course library: ~800 declaration
// files, most of the first check's cost) while the kernel waits for or runs that cell: the first check
// then reuses those files (TypeScript reuses an unchanged file of the previous program). The result is
// discarded; every conversion depends only on its own prevDecl and src.
if (workerData.prefetch) {
  try {
    conv.convertDeclarations('', workerData.prefetch);
  } catch (err) {
    // nothing to read ahead (e.g. no tfjs here)
  }
}

/**
 * A full collection once this thread has been idle for two seconds after a job, when its heap grew by
 * 32 MB since the last one: each cell leaves the previous program and checker behind, and V8 collects
 * only when the thread allocates again (the main thread does the same after one second in tslab's
 * jupyter.js, hunk 7; later here, so that the two do not compete for the CPU when the next cell comes).
 */
const idleGc = {
  timer: null,
  heapAfterLast: 0,
  gc: undefined,
  schedule() {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (v8.getHeapStatistics().used_heap_size < this.heapAfterLast + 32 * 1024 * 1024) return;
      if (this.gc === undefined) {
        try {
          v8.setFlagsFromString('--expose-gc');
          this.gc = vm.runInNewContext('gc');
        } catch (e) {
          this.gc = null;
        }
      }
      if (typeof this.gc === 'function') this.gc();
      this.heapAfterLast = v8.getHeapStatistics().used_heap_size;
    }, 2000);
    this.timer.unref();
  },
  cancel() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  },
};

function run(m) {
  switch (m.kind) {
    case 'convert': {
      // the kernel already runs the cell's JavaScript: only diagnostics and declarations, unless asked
      const r = m.output ? conv.convert(m.prevDecl, m.src) : conv.convertDeclarations(m.prevDecl, m.src);
      return {
        diagnostics: r.diagnostics,
        declOutput: r.declOutput,
        hasToplevelAwait: r.hasToplevelAwait,
        lastExpressionVar: r.lastExpressionVar,
        sideOutputs: r.sideOutputs,
        output: r.output,
      };
    }
    case 'inspect':
      return conv.inspect(m.prevDecl, m.src, m.position);
    case 'complete': {
      // `original` (TypeScript's completion info) is not needed by the kernel and need not be cloneable
      const r = conv.complete(m.prevDecl, m.src, m.position);
      return { start: r.start, end: r.end, candidates: r.candidates };
    }
    case 'addModule':
      return conv.addModule(m.name, m.src, m.meta);
    default:
      throw new Error(`check-worker: unknown job kind ${JSON.stringify(m.kind)}`);
  }
}

parentPort.on('message', (m) => {
  idleGc.cancel();
  let reply;
  try {
    reply = { id: m.id, result: run(m) };
  } catch (err) {
    reply = { id: m.id, error: err && err.stack ? String(err.stack) : String(err) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (err) {
    // a result that cannot be cloned is reported rather than lost
    parentPort.postMessage({ id: m.id, error: `check-worker: cannot send the result of ${m.kind}: ${err.message}` });
  }
  idleGc.schedule();
});
