"""Executes one notebook on the course kernel and writes the executed .ipynb and its HTML.

Used by scripts/run-notebooks.ts (one process per notebook). Prints one JSON line on stdout:
  {"ok": true, "seconds": s, "cells": n}  or
  {"ok": false, "cell": i, "error": "...", "source": "first line of the cell"}
tslab reports errors on stderr with an empty ename/evalue, so the error text is taken from the
failing cell's stderr/error outputs.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


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


def notebook_html(nb, template_dir=None):
    """The nbconvert page of an executed notebook; course figures (the plotly mime type) come first in the
    display priority, so the course template draws them with the page's one plotly.js."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    kwargs = {}
    if template_dir:
        kwargs = {"extra_template_basedirs": [os.path.dirname(template_dir)], "template_name": os.path.basename(template_dir)}
    priority = HTMLExporter().default_config.NbConvertBase.display_data_priority
    config = Config()
    config.NbConvertBase.display_data_priority = [PLOTLY_MIME] + [m for m in priority if m != PLOTLY_MIME]
    exporter = HTMLExporter(config=config, **kwargs)
    body, _ = exporter.from_notebook_node(nb, resources={"dlopt_figures": has_figures(nb)})
    return body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--out", required=True, help="executed .ipynb path")
    ap.add_argument("--html", help="HTML output path")
    ap.add_argument("--kernel", default="dl-optimization")
    ap.add_argument("--timeout", type=int, default=300, help="per-cell timeout in seconds")
    ap.add_argument("--template-dir", help="nbconvert template directory (templates/course)")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
        allow_errors=False,
        record_timing=True,
    )
    t0 = time.time()
    result = {"ok": True}
    failed_cell = None
    try:
        with client.setup_kernel():
            # As nbclient's execute() does: the notebook records the kernel's language_info, so a front end
            # that connects the same kernel later finds nothing to change (and does not mark it modified).
            info = client.wait_for_reply(client.kc.kernel_info()) or {}
            if "language_info" in info.get("content", {}):
                nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(nb.cells):
                failed_cell = index
                client.execute_cell(cell, index)
            failed_cell = None
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        cell = nb.cells[failed_cell] if failed_cell is not None else {}
        kind = "timeout after %ss" % args.timeout if isinstance(exc, CellTimeoutError) else (
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
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    nbformat.write(nb, args.out)
    if args.html and result["ok"]:
        body = notebook_html(nb, args.template_dir)
        os.makedirs(os.path.dirname(os.path.abspath(args.html)), exist_ok=True)
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(body)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
