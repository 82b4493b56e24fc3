#!/usr/bin/env python3
"""Writes test/fixtures/torch-trajectories.json: 50-step torch.optim trajectories in float64.

test/unit/optimizers.test.ts replays every case with our optimizers (src/optimizers) and asserts
the same iterates within float32 tolerance, so torch is needed only to regenerate the fixture:

    apt-get install -y python3-torch      # Debian 12: torch 1.13
    /usr/bin/python3 scripts/gen-torch-fixtures.py

Objectives (the test defines the same ones with tfjs ops):
  quadratic   f(θ) = ½ θᵀAθ,  A = [[1, 0.5], [0.5, 10]]  (ill-conditioned, κ ≈ 10)
  rosenbrock  f(x, y) = (1 − x)² + 100 (y − x²)²
"""
import json
import os
import re

import torch

STEPS = 50
A = [[1.0, 0.5], [0.5, 10.0]]
OBJECTIVES = {
    "quadratic": {"x0": [-2.0, 1.5], "A": A},
    "rosenbrock": {"x0": [-1.5, 2.0]},
}


def f_quadratic(t):
    a = torch.tensor(A, dtype=torch.float64)
    return 0.5 * t @ a @ t


def f_rosenbrock(t):
    x, y = t[0], t[1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


FUNCS = {"quadratic": f_quadratic, "rosenbrock": f_rosenbrock}

# (case name, torch class, torch kwargs, objective)
CASES = [
    ("sgd", "SGD", {"lr": 0.05}, "quadratic"),
    ("sgd-momentum", "SGD", {"lr": 0.02, "momentum": 0.9}, "quadratic"),
    ("sgd-momentum-dampening", "SGD", {"lr": 0.02, "momentum": 0.9, "dampening": 0.5}, "quadratic"),
    ("sgd-nesterov", "SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, "quadratic"),
    ("sgd-weight-decay", "SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}, "quadratic"),
    ("sgd-rosenbrock", "SGD", {"lr": 2e-4, "momentum": 0.5}, "rosenbrock"),
    ("adagrad", "Adagrad", {"lr": 0.5}, "quadratic"),
    ("adagrad-options", "Adagrad",
     {"lr": 0.5, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.1, "eps": 1e-8}, "quadratic"),
    ("rmsprop", "RMSprop", {"lr": 0.01}, "quadratic"),
    ("rmsprop-centered", "RMSprop", {"lr": 0.01, "centered": True}, "quadratic"),
    ("rmsprop-momentum", "RMSprop", {"lr": 0.01, "momentum": 0.9}, "quadratic"),
    ("rmsprop-centered-momentum-wd", "RMSprop",
     {"lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.1}, "quadratic"),
    ("rmsprop-rosenbrock", "RMSprop", {"lr": 0.01}, "rosenbrock"),
    ("adadelta", "Adadelta", {}, "quadratic"),
    ("adadelta-options", "Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-4, "weight_decay": 0.1}, "quadratic"),
    ("adam", "Adam", {"lr": 0.1}, "quadratic"),
    ("adam-amsgrad", "Adam", {"lr": 0.1, "amsgrad": True}, "quadratic"),
    ("adam-weight-decay", "Adam", {"lr": 0.1, "betas": [0.8, 0.99], "weight_decay": 0.1}, "quadratic"),
    ("adam-rosenbrock", "Adam", {"lr": 0.05}, "rosenbrock"),
    ("adamw", "AdamW", {"lr": 0.1}, "quadratic"),
    ("adamw-amsgrad", "AdamW", {"lr": 0.1, "weight_decay": 0.1, "amsgrad": True}, "quadratic"),
    ("adamax", "Adamax", {"lr": 0.1}, "quadratic"),
    ("adamax-options", "Adamax", {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.1}, "quadratic"),
    ("adamax-rosenbrock", "Adamax", {"lr": 0.05}, "rosenbrock"),
]

OUR_NAME = {"SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adadelta": "adadelta",
            "Adam": "adam", "AdamW": "adamw", "Adamax": "adamax"}


def camel(name):
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def run(cls, kwargs, objective):
    theta = torch.tensor(OBJECTIVES[objective]["x0"], dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls)([theta], **kwargs)
    points, losses = [theta.detach().tolist()], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = FUNCS[objective](theta)
        loss.backward()
        losses.append(loss.item())
        opt.step()
        points.append(theta.detach().tolist())
    return points, losses


def main():
    cases = []
    for name, cls, kwargs, objective in CASES:
        points, losses = run(cls, kwargs, objective)
        cases.append({
            "name": name,
            "torch": {"class": cls, "kwargs": kwargs},
            "optimizer": OUR_NAME[cls],
            "options": {camel(k): v for k, v in kwargs.items()},
            "objective": objective,
            "points": points,
            "losses": losses,
        })
    out = {
        "generator": "scripts/gen-torch-fixtures.py",
        "torch": torch.__version__,
        "dtype": "float64",
        "steps": STEPS,
        "objectives": OBJECTIVES,
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "torch-trajectories.json")
    text = json.dumps(out, indent=1)
    # one line per numeric array (points, losses) keeps the file short and diffs readable
    text = re.sub(r"\[([-\d.eE+,\s]+)\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as fh:
        fh.write(text + "\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
