"""Executes notebooks on the course kernel and writes each executed .ipynb and its HTML.

Used by scripts/run-notebooks.ts:
  execute_notebook.py --batch [--timeout S] [--template-dir DIR]
      reads one JSON job per line on stdin, {"notebook": ..., "out": ..., "html": ..., "more": bool}, and prints
      one JSON result line per job as soon as it is done: one Python process for many notebooks, so that
      Python, nbclient and nbconvert are imported once (about 2 s of imports a process, most of it jsonschema's
      format checkers) rather than once per notebook. Every notebook still gets a fresh kernel; when the job
      says more will follow, the next notebook's kernel is started (in the same folder) while this one runs,
      so that it has booted, and its type checker has read tfjs's declarations, by the time it is needed.
      The HTML page of a notebook is exported by a second Python process while the next notebook runs: its
      result line comes as soon as the notebook has run, and an "exported" line once its page is written
      (stdin's end waits for the last page).
A result line is {"ok": true, "seconds": s, "cells": n} or
  {"ok": false, "cell": i, "error": "...", "source": "first line of the cell"}, plus "notebook";
  an exported line is {"exported": html, "notebook": ..., "ok": bool, "seconds": s} (and "error" when not ok).
tslab reports errors on stderr with an empty ename/evalue, so the error text is taken from the
failing cell's stderr/error outputs.
"""
import argparse
import concurrent.futures
import inspect
import json
import multiprocessing
import os
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jupyter_core.utils import run_sync


def error_text(cell, exc):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
            parts.append("\n".join(out.get("traceback", [])))
    text = "".join(p for p in parts if p).strip()
    if not text and exc is not None:
        text = str(exc).strip()
    return text or "error without message"


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def has_figures(nb):
    return any(PLOTLY_MIME in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


_exporters = {}


def notebook_html(nb, template_dir=None):
    """The nbconvert page of an executed notebook; course figures (the plotly mime type) come first in the
    display priority, so the course template draws them with the page's one plotly.js."""
    exporter = _exporters.get(template_dir)
    if exporter is None:
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        kwargs = {}
        if template_dir:
            kwargs = {"extra_template_basedirs": [os.path.dirname(template_dir)], "template_name": os.path.basename(template_dir)}
        priority = HTMLExporter().default_config.NbConvertBase.display_data_priority
        config = Config()
        config.NbConvertBase.display_data_priority = [PLOTLY_MIME] + [m for m in priority if m != PLOTLY_MIME]
        exporter = _exporters[template_dir] = HTMLExporter(config=config, **kwargs)
    body, _ = exporter.from_notebook_node(nb, resources={"dlopt_figures": has_figures(nb)})
    return body


def export_page(executed, html, template_dir):
    """Writes the page of an executed notebook (read back from disk); returns the seconds it took. Runs in the
    exporting process."""
    t0 = time.time()
    nb = nbformat.read(executed, as_version=4)
    body = notebook_html(nb, template_dir)
    os.makedirs(os.path.dirname(os.path.abspath(html)), exist_ok=True)
    with open(html, "w", encoding="utf-8") as f:
        f.write(body)
    return round(time.time() - t0, 3)


def lower_priority():
    """On a machine with few cores the page waits, not the kernel (its cells and its type checks): the exporting
    process is niced where the OS has nice (not on Windows)."""
    if hasattr(os, "nice"):
        os.nice(10)


class PageExporter:
    """One process that exports pages one after another while this one runs the next notebook (nbconvert's
    export is ~1.3 s of Python a chapter, and a kernel runs in its own process). Spawned, not forked: this
    process holds ZMQ sockets and an event loop."""

    def __init__(self, template_dir, emit):
        self.template_dir = template_dir
        self.emit = emit
        self.pool = None

    def submit(self, notebook, executed, html):
        if self.pool is None:
            self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                               initializer=lower_priority)
        future = self.pool.submit(export_page, executed, html, self.template_dir)

        def done(f):
            line = {"exported": html, "notebook": notebook}
            try:
                line.update(ok=True, seconds=f.result())
            except Exception as exc:  # noqa: BLE001 -- reported on the page's line
                line.update(ok=False, seconds=0, error="%s: %s" % (type(exc).__name__, exc))
            self.emit(line)

        future.add_done_callback(done)

    def close(self):
        """Waits for every page (their lines are emitted first)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None


class SpareKernel:
    """A kernel started ahead of the notebook that will use it: (kernel name, folder) → its manager, unused yet."""

    def __init__(self):
        self.key = None
        self.km = None

    def start(self, kernel, cwd):
        self.discard()
        starter = NotebookClient(nbformat.v4.new_notebook(), kernel_name=kernel, resources={"metadata": {"path": cwd}})
        starter.km = starter.create_kernel_manager()
        starter.start_new_kernel()  # launches the process; does not wait for it to answer
        self.key, self.km = (kernel, cwd), starter.km

    def take(self, kernel, cwd):
        """The spare kernel when it was started for this kernel and folder and is alive, else None (and it is shut down)."""
        km, key = self.km, self.key
        self.key = self.km = None
        if km is None:
            return None
        if key == (kernel, cwd) and settled(km.is_alive()):
            return km
        shutdown(km)
        return None

    def discard(self):
        if self.km is not None:
            shutdown(self.km)
        self.key = self.km = None


def settled(value):
    """What a kernel manager's call returns, awaited when it is a coroutine (nbclient's managers are asynchronous)."""
    if not inspect.isawaitable(value):
        return value

    async def wait():
        return await value

    return run_sync(wait)()


def shutdown(km):
    """Shuts a kernel down as nbclient does (a shutdown request, then a kill after its grace period)."""
    try:
        if settled(km.is_alive()):
            settled(km.shutdown_kernel(now=False))
    except RuntimeError:
        pass
    finally:
        settled(km.cleanup_resources())


def execute(notebook, out, kernel, timeout, spare, more):
    """Runs one notebook in a fresh kernel (the spare one when it was started for it) and writes the executed
    copy; with `more`, starts the next notebook's kernel meanwhile."""
    nb = nbformat.read(notebook, as_version=4)
    cwd = os.path.dirname(os.path.abspath(notebook))
    km = spare.take(kernel, cwd)
    client = NotebookClient(
        nb,
        km=km,
        kernel_name=kernel,
        timeout=timeout,
        resources={"metadata": {"path": cwd}},
        allow_errors=False,
        record_timing=True,
    )
    t0 = time.time()
    result = {"ok": True}
    failed_cell = None
    phases = {"spare_kernel": km is not None}
    try:
        # a kernel passed in is not the client's to shut down: it is shut down below, as nbclient would
        with client.setup_kernel(cleanup_kc=True):
            # As nbclient's execute() does: the notebook records the kernel's language_info, so a front end
            # that connects the same kernel later finds nothing to change (and does not mark it modified).
            info = client.wait_for_reply(client.kc.kernel_info()) or {}
            if "language_info" in info.get("content", {}):
                nb.metadata["language_info"] = info["content"]["language_info"]
            phases["kernel_start"] = round(time.time() - t0, 3)
            if more:
                spare.start(kernel, cwd)
            for index, cell in enumerate(nb.cells):
                failed_cell = index
                client.execute_cell(cell, index)
            failed_cell = None
            phases["cells"] = round(time.time() - t0 - phases["kernel_start"], 3)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        cell = nb.cells[failed_cell] if failed_cell is not None else {}
        kind = "timeout after %ss" % timeout if isinstance(exc, CellTimeoutError) else (
            "kernel died" if isinstance(exc, DeadKernelError) else "error")
        result = {
            "ok": False,
            "cell": failed_cell,
            "kind": kind,
            "error": error_text(cell, exc)[:4000],
            "source": (cell.get("source", "").splitlines() or [""])[0][:200],
        }
    result["seconds"] = round(time.time() - t0, 3)
    result["cells"] = len(nb.cells)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    nbformat.write(nb, out)
    # seconds: kernel start, cells, kernel shutdown; phases: where they went
    result["phases"] = phases
    return result


def batch(args):
    """One result line per job line of stdin, and an exported line per page; a job that cannot be run is
    reported, and the next one runs."""
    ok = True
    lock = threading.Lock()

    def emit(line):
        with lock:
            print(json.dumps(line), flush=True)

    spare = SpareKernel()
    pages = PageExporter(args.template_dir, emit)
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            job = {}
            try:
                job = json.loads(line)
                result = execute(job["notebook"], job["out"], args.kernel, args.timeout, spare=spare, more=bool(job.get("more")))
            except Exception as exc:  # noqa: BLE001 -- reported on the job's line, the batch goes on
                result = {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc), "seconds": 0, "cells": 0}
            result["notebook"] = job.get("notebook")
            ok = ok and result["ok"]
            if result["ok"] and job.get("html"):
                pages.submit(job["notebook"], job["out"], job["html"])
            emit(result)
    finally:
        spare.discard()
        pages.close()
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", action="store_true", required=True, help="read JSON jobs from stdin, one per line (the only mode)")
    ap.add_argument("--kernel", default="dl-optimization")
    ap.add_argument("--timeout", type=int, default=300, help="per-cell timeout in seconds")
    ap.add_argument("--template-dir", help="nbconvert template directory (templates/course)")
    return batch(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
