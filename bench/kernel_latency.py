"""Kernel latency of the course kernel, measured over the Jupyter protocol (jupyter_client).

For each of --runs fresh kernels: cold start (start_kernel → first result of a cell that imports tfjs
and computes tanh'(4) by tf.grad), then --cells trivial cells (`1 + 1`), a cell importing tfjs and a
cell importing the course library. Prints one JSON object: medians and minima in milliseconds.
Run with JUPYTER_PATH pointing at build/jupyter (bench/run.ts does).
"""
import argparse
import json
import os
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel


def run_cell(kc, code, timeout=120):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    ms = (time.perf_counter() - t0) * 1000
    if reply["content"]["status"] != "ok":
        raise RuntimeError("cell failed: %r" % code)
    return ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cells", type=int, default=5)
    ap.add_argument("--lib", required=True, help="path of the compiled course library (lib/)")
    ap.add_argument("--kernel", default="dl-optimization")
    ap.add_argument("--cwd", required=True, help="kernel working directory (notebooks/), where imports resolve")
    args = ap.parse_args()
    first, trivial, tfjs_import, lib_import = [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=60, cwd=args.cwd)
        try:
            run_cell(kc, 'import * as tf0 from "@tensorflow/tfjs"; tf0.grad((x: any) => tf0.tanh(x))(tf0.scalar(4)).dataSync()[0]')
            first.append((time.perf_counter() - t0) * 1000)
            for _ in range(args.cells):
                trivial.append(run_cell(kc, "1 + 1"))
            tfjs_import.append(run_cell(kc, 'import * as tf1 from "@tensorflow/tfjs"; tf1.version.tfjs'))
            lib_import.append(run_cell(kc, 'import * as course from "%s"; Object.keys(course).length' % args.lib))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    summary = lambda xs: {"median_ms": round(statistics.median(xs), 1), "min_ms": round(min(xs), 1), "n": len(xs)}
    print(json.dumps({
        "cold_start_to_first_result": summary(first),
        "trivial_cell": summary(trivial),
        "cell_importing_tfjs_warm": summary(tfjs_import),
        "cell_importing_course_library": summary(lib_import),
    }))


if __name__ == "__main__":
    sys.exit(main())
