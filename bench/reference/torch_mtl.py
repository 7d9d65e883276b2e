#!/usr/bin/env python3
"""PyTorch reference for polyhead's engine benchmarks: trains a multi-task classifier on seeded
synthetic data and prints ONE JSON line with its training throughput.

shared-bottom: inputs -> hidden[0] -> ... -> hidden[-1] (ReLU after each) trunk, one Linear head per task.
mmoe: `experts` MLPs of the same hidden sizes, per task a softmax gate Linear(inputs, experts) mixing
their outputs, and a Linear(hidden[-1], classes) tower.
Loss is the sum of the per-task cross-entropies; Adam, lr 1e-3. One warm-up epoch is run untimed,
then `epochs` epochs are timed. Like DataLoader(drop_last=True), an epoch runs only full batches, so
samples_per_s = epochs * floor(rows / batch) * batch / seconds. The line also names the BLAS
libraries the run loaded and their kernels (blas_kernel.py).

The project never depends on Python; this script only gives the benches a number to compare with.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from blas_kernel import blas_libraries


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=["shared-bottom", "mmoe"], default="shared-bottom")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--rows", type=int, default=20000)
    p.add_argument("--epochs", type=int, default=3, help="timed epochs (after one warm-up epoch)")
    p.add_argument("--inputs", type=int, default=64)
    p.add_argument("--hidden", default="256,128", help="comma-separated hidden sizes")
    p.add_argument("--tasks", type=int, default=4)
    p.add_argument("--classes", type=int, default=4)
    p.add_argument("--experts", type=int, default=8, help="mmoe only")
    p.add_argument("--experts-impl", choices=["loop", "batched"], default="loop",
                   help="mmoe only: a ModuleList of experts (as LibMTL) or one batched matmul per layer")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", help="train on PREFIX.x.f32 (rows x inputs float32) and PREFIX.y.i64 (rows x tasks "
                                  "int64), raw little-endian, instead of this script's own synthetic draw")
    args = p.parse_args(argv)
    args.hidden = [int(h) for h in args.hidden.split(",") if h]
    if not args.hidden or min(args.hidden) < 1 or min(args.threads, args.batch, args.epochs) < 1:
        p.error("hidden sizes, threads, batch and epochs must be positive")
    if args.rows < args.batch:
        p.error(f"--rows {args.rows} is smaller than one batch of {args.batch}")
    return args


def mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers)


class SharedBottom(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.trunk = mlp([a.inputs] + a.hidden)
        self.heads = nn.ModuleList(nn.Linear(a.hidden[-1], a.classes) for _ in range(a.tasks))

    def forward(self, x):
        h = self.trunk(x)
        return [head(h) for head in self.heads]


class MMoE(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.experts = nn.ModuleList(mlp([a.inputs] + a.hidden) for _ in range(a.experts))
        self.gates = nn.ModuleList(nn.Linear(a.inputs, a.experts) for _ in range(a.tasks))
        self.towers = nn.ModuleList(nn.Linear(a.hidden[-1], a.classes) for _ in range(a.tasks))

    def expert_outputs(self, x):  # [batch, experts, hidden]
        return torch.stack([e(x) for e in self.experts], dim=1)

    def forward(self, x):
        e = self.expert_outputs(x)
        outs = []
        for gate, tower in zip(self.gates, self.towers):
            g = torch.softmax(gate(x), dim=-1).unsqueeze(-1)  # [batch, experts, 1]
            outs.append(tower((g * e).sum(dim=1)))
        return outs


class BatchedMMoE(MMoE):
    """Same model, experts' weights stacked so each layer is one batched matmul."""

    def __init__(self, a):
        super().__init__(a)
        sizes = [a.inputs] + a.hidden
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for i in range(len(sizes) - 1):
            w = torch.stack([e[2 * i].weight.detach().t() for e in self.experts])  # [E, in, out]
            b = torch.stack([e[2 * i].bias.detach() for e in self.experts]).unsqueeze(1)  # [E, 1, out]
            self.weights.append(nn.Parameter(w.clone()))
            self.biases.append(nn.Parameter(b.clone()))
        del self.experts

    def expert_outputs(self, x):
        h = x.unsqueeze(0).expand(len(self.weights[0]), -1, -1)  # [E, batch, in]
        for w, b in zip(self.weights, self.biases):
            h = torch.relu(torch.baddbmm(b, h, w))
        return h.transpose(0, 1)


def synthetic(a):
    """Features N(0, 1); each task's label is the argmax of a noisy linear read-out of a shared
    nonlinear latent, so the tasks are related and learnable."""
    rng = np.random.default_rng(a.seed)
    x = rng.standard_normal((a.rows, a.inputs)).astype(np.float32)
    latent = np.tanh(x @ rng.standard_normal((a.inputs, 16)).astype(np.float32) / np.sqrt(a.inputs))
    ys = []
    for _ in range(a.tasks):
        logits = latent @ rng.standard_normal((16, a.classes)).astype(np.float32)
        logits += 0.5 * rng.standard_normal(logits.shape).astype(np.float32)
        ys.append(logits.argmax(axis=1))
    return torch.from_numpy(x), torch.from_numpy(np.stack(ys, axis=1).astype(np.int64))


def load(a):
    """The caller's table, so that both sides of a comparison fit the same rows."""
    x = np.fromfile(a.data + ".x.f32", dtype="<f4").reshape(a.rows, a.inputs)
    y = np.fromfile(a.data + ".y.i64", dtype="<i8").reshape(a.rows, a.tasks)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())


def run_epoch(model, opt, x, y, batch, gen):
    order = torch.randperm(x.shape[0], generator=gen)
    total, batches = 0.0, 0
    for start in range(0, x.shape[0] - batch + 1, batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        outs = model(xb)
        loss = sum(nn.functional.cross_entropy(o, yb[:, t]) for t, o in enumerate(outs))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item()
        batches += 1
    return total / batches


def main(argv):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    torch.use_deterministic_algorithms(True)
    x, y = synthetic(a) if a.data is None else load(a)
    if a.arch == "shared-bottom":
        model = SharedBottom(a)
    else:
        model = MMoE(a) if a.experts_impl == "loop" else BatchedMMoE(a)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    gen = torch.Generator().manual_seed(a.seed)
    model.train()
    run_epoch(model, opt, x, y, a.batch, gen)  # warm-up, untimed
    start = time.perf_counter()
    loss = float("nan")
    for _ in range(a.epochs):
        loss = run_epoch(model, opt, x, y, a.batch, gen)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "samples_per_s": a.epochs * (a.rows // a.batch) * a.batch / seconds,
        "threads": torch.get_num_threads(),
        "arch": a.arch,
        "batch": a.batch,
        "final_loss": loss,
        "rows": a.rows,
        "epochs": a.epochs,
        "seconds": seconds,
        "parameters": sum(p.numel() for p in model.parameters()),
        "experts_impl": a.experts_impl if a.arch == "mmoe" else None,
        "torch": torch.__version__,
        "blas": blas_libraries(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
