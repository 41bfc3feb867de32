#!/usr/bin/env python3
"""NumPy's float32 matmul as a GEMM peer: one JSON line per size, the same fields as
`Grad.Benchmarks gemm --json` (median over repeated calls after a warm-up).

Run with Debian's NumPy on OpenBLAS, told which kernels to use on this CPU:
    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/peers/numpy_gemm.py [--sizes 256,1024,2048]
"""
import argparse
import json
import os
import time

import numpy as np

SECONDS_PER_SIZE = 2.0
MIN_RUNS, MAX_RUNS = 5, 4000


def median_seconds(size):
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    b = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    c = np.empty((size, size), dtype=np.float32)
    start, warmup = time.perf_counter(), 0
    while warmup < 3 or time.perf_counter() - start < SECONDS_PER_SIZE / 4:
        np.matmul(a, b, out=c)
        warmup += 1
    times, start = [], time.perf_counter()
    while len(times) < MIN_RUNS or (len(times) < MAX_RUNS and time.perf_counter() - start < SECONDS_PER_SIZE):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], len(times)


def blas_threads():
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name):
            return int(os.environ[name])
    return os.cpu_count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,1024,2048", help="comma-separated square sizes")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        seconds, runs = median_seconds(size)
        print(json.dumps({
            "impl": "numpy", "m": size, "n": size, "k": size,
            "gflops": round(2.0 * size ** 3 / seconds / 1e9, 1),
            "median_ms": round(seconds * 1e3, 3), "runs": runs, "threads": blas_threads(),
            "coretype": os.environ.get("OPENBLAS_CORETYPE", "auto"), "numpy": np.__version__,
        }), flush=True)


if __name__ == "__main__":
    main()
