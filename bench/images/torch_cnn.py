#!/usr/bin/env python3
"""PyTorch reference for polyhead's image bench: the same four-head CNN, trained on the same seeded
random images, and ONE JSON line with its training throughput.

The model is polyhead's shared-bottom over the small-cnn trunk at 48 x 48: three blocks of
3x3 conv (padding 1) -> GroupNorm(8) -> ReLU -> 2x2 max pool with 16, 32 and 64 filters, global
average pooling, Linear(64, 64) + ReLU, and one Linear head per task (2, 4, 2 and 2 classes).
Loss: the sum of the per-task cross-entropies; Adam, lr 1e-3. One warm-up epoch untimed, then
`epochs` timed epochs of full batches. The line names the BLAS libraries the run loaded.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from blas_kernel import blas_libraries  # noqa: E402

CLASSES = [2, 4, 2, 2]


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.GroupNorm(8, cout), nn.ReLU(), nn.MaxPool2d(2)]


class Cards(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(*block(3, 16), *block(16, 32), *block(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.shared = nn.Sequential(nn.Linear(64, 64), nn.ReLU())
        self.heads = nn.ModuleList([nn.Linear(64, k) for k in CLASSES])

    def forward(self, x):
        h = self.shared(self.trunk(x))
        return [head(h) for head in self.heads]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--rows", type=int, default=512)
    p.add_argument("--side", type=int, default=48)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    x = torch.from_numpy(rng.standard_normal((a.rows, 3, a.side, a.side), dtype=np.float32))
    y = [torch.from_numpy(rng.integers(0, k, a.rows)) for k in CLASSES]
    model = Cards()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        last = 0.0
        for s in range(0, a.rows - a.batch + 1, a.batch):
            out = model(x[s:s + a.batch])
            loss = sum(loss_fn(o, t[s:s + a.batch]) for o, t in zip(out, y))
            opt.zero_grad()
            loss.backward()
            opt.step()
            last = float(loss)
        return last

    epoch()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(a.epochs):
        loss = epoch()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    samples = a.epochs * (a.rows // a.batch) * a.batch
    print(json.dumps({
        "samples_per_s": samples / seconds, "samples_per_cpu_s": samples / cpu, "threads": a.threads, "batch": a.batch,
        "rows": a.rows, "epochs": a.epochs, "seconds": seconds, "final_loss": loss,
        "parameters": sum(p.numel() for p in model.parameters()), "torch": torch.__version__, "blas": blas_libraries(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
