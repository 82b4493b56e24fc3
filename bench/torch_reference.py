"""PyTorch reference for bench/run.ts: the same workloads as bench/numerics.ts (keep them in sync).

- trajectory: Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)² from (−1.5, 2), 1000 steps of
  torch.optim.Adam(lr=0.01) and of torch.optim.SGD(lr=1e-4), float32, recording x_k, f(x_k), ‖∇f(x_k)‖
  every step (what minimize records);
- mlp: 2 → 64 → 64 → 1 tanh MLP, MSE, Adam(lr=1e-3), 2048 examples, batch 64, 3 epochs, one
  permutation per epoch; examples/s.
Single-threaded (torch.set_num_threads(1)), like tfjs's cpu and wasm backends here. Prints one JSON
object: median and min wall and CPU time (ms) of --runs runs after one warm-up, and the final point of
each trajectory. bench/run.ts runs it on torch==2.13.0 in build/bench-venv.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def trajectory(opt_name, steps=1000):
    p = torch.tensor([-1.5, 2.0], dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.01) if opt_name == "adam" else torch.optim.SGD([p], lr=1e-4)
    points, losses, norms = [p.detach().tolist()], [], []
    for k in range(steps + 1):
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        losses.append(loss.item())
        norms.append(p.grad.norm().item())
        if k == steps:
            break
        opt.step()
        points.append(p.detach().tolist())
    return points[-1]


def mlp_data(n):
    g = torch.Generator().manual_seed(7)
    X = torch.rand(n, 2, generator=g) * 2 - 1
    y = (torch.sin(math.pi * X[:, 0]) * X[:, 1]).unsqueeze(1)
    return X, y


def train(X, y, epochs=3, batch=64, lr=1e-3):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(0)
    n = X.shape[0]
    last = float("nan")
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        total = 0.0
        for s in range(0, n, batch):
            idx = perm[s : s + batch]
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        last = total / n
    return last


def timed(fn, runs):
    fn()  # warm-up
    wall, cpu, load1 = [], [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        load1.append(round(os.getloadavg()[0], 3))
    # CPU time of this process (user + system, all threads): less disturbed by other processes than wall time
    return {"median_ms": round(statistics.median(wall), 3), "min_ms": round(min(wall), 3), "n": runs,
            "cpu_median_ms": round(statistics.median(cpu), 3), "cpu_min_ms": round(min(cpu), 3),
            "runs_ms": [round(t, 3) for t in wall], "loadavg": [round(l, 3) for l in os.getloadavg()], "load1_runs": load1}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "trajectory": {}, "final_point": {}}
    for name in ("adam", "sgd"):
        out["trajectory"][name] = timed(lambda: trajectory(name), args.runs)
        out["final_point"][name] = trajectory(name)
    X, y = mlp_data(2048)
    m = timed(lambda: train(X, y), args.runs)
    m["examples_per_s_median"] = round(2048 * 3 / m["median_ms"] * 1000, 1)
    m["examples_per_s_max"] = round(2048 * 3 / m["min_ms"] * 1000, 1)
    m["final_train_loss"] = train(X, y)
    out["mlp"] = m
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
