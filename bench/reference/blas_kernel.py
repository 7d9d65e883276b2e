#!/usr/bin/env python3
"""Which BLAS a reference process runs, and how fast its SGEMM is.

blas_libraries() lists the BLAS libraries loaded in this process (call it after the framework has
been imported and used) with the kernel set each runs: OpenBLAS picks one at load time from the CPU,
unless OPENBLAS_CORETYPE names one, so the name shows whether a reference ran at its best.

Run as a script, it times a square float32 matmul through torch.mm, the SGEMM that the PyTorch
reference's Linear layers call, and prints ONE JSON line: the best GFLOP/s over the repeats and the
BLAS libraries. --threads goes to torch.set_num_threads; OpenBLAS's threads come from
OPENBLAS_NUM_THREADS, as for every reference.
"""
import argparse
import json
import sys
import time


def blas_libraries():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {"error": "threadpoolctl is not installed (apt-get install python3-threadpoolctl)"}
    return [{"library": lib["internal_api"], "version": lib.get("version"), "kernel": lib.get("architecture"),
             "threads": lib["num_threads"], "path": lib["filepath"]}
            for lib in threadpool_info() if lib["user_api"] == "blas"]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=2048, help="n of the n x n by n x n product")
    p.add_argument("--repeats", type=int, default=5, help="timed products, after one warm-up")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(a.size, a.size, generator=gen)
    y = torch.randn(a.size, a.size, generator=gen)
    out = torch.empty(a.size, a.size)
    torch.mm(x, y, out=out)
    best = float("inf")
    for _ in range(a.repeats):
        start = time.perf_counter()
        torch.mm(x, y, out=out)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"size": a.size, "gflops": 2 * a.size ** 3 / best / 1e9, "torch": torch.__version__,
                      "blas": blas_libraries()}))


if __name__ == "__main__":
    main(sys.argv[1:])
