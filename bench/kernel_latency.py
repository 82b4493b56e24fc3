"""Kernel latency and memory, side by side over the Jupyter protocol (jupyter_client).

  kernel_latency.py cells   --kernels A,B,... --runs N --reps K --lib LIB --cwd DIR
  kernel_latency.py chapter --kernels A,B,... --cwd DIR NOTEBOOK...

`cells`: for each of N rounds, one fresh kernel of each kind in turn (the order alternates between
rounds, so neither side always runs on the warmer machine): cold start (start_kernel -> the result of a
first cell that computes tanh'(4) by autodiff), then K repetitions of three cells in interleaved order:
a trivial cell (`k + 1`), a declaration cell (a function and a const) and a course-like cell (50 steps
of gradient descent on a 2-D quadratic, then a plotly figure of the losses). With --pause P, each of
those cells is sent P seconds after the previous reply (a student reading the output: the course
kernel type-checks a cell after replying, so a pause lets that check end), and each repetition then
runs three more such cells back to back, as Run All sends them (keys trivial_b2b, ...). Every repetition changes a
literal or a name, so no kernel can answer from its previous cell (tslab skips its rebuild when a
cell's text repeats). Kernel kinds: a name starting with "torch" is an ipykernel with PyTorch and
gets the Python twin of each cell; any other is a course (tslab) kernel.

`chapter`: for each notebook, one fresh kernel of each kind in turn runs every code cell in order;
reports each cell's latency, the chapter total, one fixed real cell (the first that calls show(...))
and the kernel's resident memory (VmRSS) right after the last cell and after 3 s idle (what a kernel
holds while the student reads; the patched tslab collects garbage after 1 s idle).

Prints one JSON object. Kernel specs come from JUPYTER_PATH (bench/run.ts sets it).
"""
import argparse
import json
import os
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

COURSE_FIRST = 'import * as tf0 from "@tensorflow/tfjs"; tf0.grad((x: any) => tf0.tanh(x))(tf0.scalar(4)).dataSync()[0]'
TORCH_FIRST = "import torch\nx0 = torch.tensor(4.0, requires_grad=True)\ntorch.tanh(x0).backward()\nx0.grad.item()"


def course_cells(lib, k):
    return {
        "setup": 'import { minimize, quadratic, sgd, figure } from "%s";' % lib,
        "trivial": "%d + 1" % k,
        "declaration": "function sq%d(x: number): number {\n  return x * x;\n}\nconst c%d = sq%d(%d);" % (k, k, k, k),
        "course_like": (
            "const run%d = minimize(quadratic([[1, 0], [0, 10]]), sgd({ lr: 0.05 }), { x0: [1, 1], steps: 50 });\n"
            "const fig%d = figure({ id: \"ch00-bench-%d\", caption: \"50 gradient steps on a quadratic\",\n"
            "  data: [{ type: \"scatter\", mode: \"lines\", x: run%d.losses.map((_, i) => i), y: run%d.losses }], layout: {} });\n"
            "run%d.losses[run%d.losses.length - 1]" % (k, k, k, k, k, k, k)
        ),
    }


def torch_cells(k):
    return {
        "setup": "import torch",
        "trivial": "%d + 1" % k,
        "declaration": "def sq%d(x: float) -> float:\n    return x * x\nc%d = sq%d(%d)" % (k, k, k, k),
        "course_like": (
            "H{k} = torch.tensor([[1.0, 0.0], [0.0, 10.0]])\n"
            "x{k} = torch.tensor([1.0, 1.0], requires_grad=True)\n"
            "opt{k} = torch.optim.SGD([x{k}], lr=0.05)\n"
            "losses{k} = []\n"
            "for _ in range(50):\n"
            "    opt{k}.zero_grad()\n"
            "    f = 0.5 * x{k} @ H{k} @ x{k}\n"
            "    f.backward()\n"
            "    opt{k}.step()\n"
            "    losses{k}.append(f.item())\n"
            "fig{k} = {{\"data\": [{{\"type\": \"scatter\", \"mode\": \"lines\", \"x\": list(range(len(losses{k}))), \"y\": losses{k}}}], \"layout\": {{}}}}\n"
            "losses{k}[-1]"
        ).format(k=k),
    }


def run_cell(kc, code, timeout=600):
    """Milliseconds from execute_request to execute_reply; raises when the cell fails."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    ms = (time.perf_counter() - t0) * 1000
    if reply["content"]["status"] != "ok":
        raise RuntimeError("cell failed (%s): %r" % (reply["content"].get("ename", "?"), code[:200]))
    return ms


def rss_mb(km):
    """Resident memory of the kernel process (VmRSS), MB."""
    pid = km.provisioner.process.pid
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start(kernel, cwd, env_extra=None):
    km = KernelManager(kernel_name=kernel)
    env = dict(os.environ, **(env_extra or {}))
    km.start_kernel(cwd=cwd, env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def summary(xs):
    return {"median_ms": round(statistics.median(xs), 2), "min_ms": round(min(xs), 2), "n": len(xs), "values_ms": [round(x, 1) for x in xs]}


def bench_cells(args):
    kernels = args.kernels.split(",")
    kinds = ("trivial", "declaration", "course_like")
    data = {k: {"cold_start_to_first_result": [], "setup": [], "rss_mb_after": [], **{kind: [] for kind in kinds}, **({kind + "_b2b": [] for kind in kinds} if args.pause else {})} for k in kernels}
    for r in range(args.runs):
        order = kernels if r % 2 == 0 else list(reversed(kernels))
        for kernel in order:
            torch = kernel.startswith("torch")
            t0 = time.perf_counter()
            km, kc = start(kernel, args.cwd)
            try:
                run_cell(kc, TORCH_FIRST if torch else COURSE_FIRST)
                d = data[kernel]
                d["cold_start_to_first_result"].append((time.perf_counter() - t0) * 1000)
                time.sleep(args.pause)
                d["setup"].append(run_cell(kc, torch_cells(0)["setup"] if torch else course_cells(args.lib, 0)["setup"]))
                for i in range(args.reps):
                    k = 1000 * r + i + 1
                    cells = torch_cells(k) if torch else course_cells(args.lib, k)
                    for kind in kinds:
                        time.sleep(args.pause)  # the student reads the previous output
                        d[kind].append(run_cell(kc, cells[kind]))
                    if args.pause:
                        # the same kinds of cells again, each sent as soon as the previous one replied (Run All)
                        cells = torch_cells(k + 500) if torch else course_cells(args.lib, k + 500)
                        for kind in kinds:
                            d[kind + "_b2b"].append(run_cell(kc, cells[kind]))
                d["rss_mb_after"].append(rss_mb(km))
            finally:
                stop(km, kc)
            print("[kernel_latency] round %d %s done" % (r + 1, kernel), file=sys.stderr, flush=True)
    out = {}
    for kernel, d in data.items():
        out[kernel] = {k: summary(v) for k, v in d.items() if k != "rss_mb_after"}
        out[kernel]["rss_mb_after"] = round(statistics.median(d["rss_mb_after"]), 1)
    return out


def code_cells(path):
    with open(path) as f:
        nb = json.load(f)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"] if c["cell_type"] == "code"]


def bench_chapters(args):
    kernels = args.kernels.split(",")
    out = {}
    for n, path in enumerate(args.notebooks):
        name = os.path.basename(path)
        cells = code_cells(path)
        fig = next((i for i, c in enumerate(cells) if i > 0 and "show(" in c), len(cells) - 1)
        out[name] = {"cells": len(cells), "figure_cell": {"index": fig, "first_line": cells[fig].strip().split("\n")[0][:80]}}
        order = kernels if n % 2 == 0 else list(reversed(kernels))
        for kernel in order:
            t0 = time.perf_counter()
            km, kc = start(kernel, args.cwd)
            try:
                times = [run_cell(kc, c) for c in cells]
                out[name][kernel] = {
                    "total_s": round((time.perf_counter() - t0), 2),
                    "cells_ms": [round(t, 1) for t in times],
                    "median_cell_ms": round(statistics.median(times), 1),
                    "figure_cell_ms": round(times[fig], 1),
                    "rss_mb_after": round(rss_mb(km), 1),
                }
                time.sleep(3)
                out[name][kernel]["rss_mb_idle"] = round(rss_mb(km), 1)
            except Exception as e:  # a chapter that fails is reported, not hidden
                out[name][kernel] = {"error": str(e)[:300]}
            finally:
                stop(km, kc)
            print("[kernel_latency] %s on %s done" % (name, kernel), file=sys.stderr, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["cells", "chapter"])
    ap.add_argument("--kernels", required=True, help="comma-separated kernel names; torch* = ipykernel + PyTorch")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--pause", type=float, default=0.0, help="cells mode: seconds between a reply and the next measured cell (a student reading); with a pause, each repetition also runs the three cells back to back (keys *_b2b)")
    ap.add_argument("--lib", help="path of the compiled course library (lib/)")
    ap.add_argument("--cwd", required=True, help="kernel working directory (notebooks/), where imports resolve")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_intermixed_args()
    t0 = time.time()
    load_before = os.getloadavg()
    result = bench_cells(args) if args.mode == "cells" else bench_chapters(args)
    print(json.dumps({"mode": args.mode, "loadavg_before": load_before, "loadavg_after": os.getloadavg(), "seconds": round(time.time() - t0, 1), "kernels": result}))


if __name__ == "__main__":
    sys.exit(main())
