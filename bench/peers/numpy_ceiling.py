#!/usr/bin/env python3
"""The machine's ceiling for dropout-lab's benchmark: NumPy/OpenBLAS float32
matrix-product GFLOPS, started by bench/run.ts once per thread count (the
parent sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS and removes
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from this process's environment only).

Shapes: 128x784x1024 as a @ b.T (a batch of workload A through its first
layer, the NT layout of dropout-lab's forward pass) and 1024x1024x1024.
GFLOPS = 2*m*n*k / seconds: the median and the best of repetitions after
warm-up (the best is the ceiling; on a shared machine the median can sink).

Usage: python3 bench/peers/numpy_ceiling.py '{"reps": 5, "targetSeconds": 0.3}'
"""

import json
import os
import statistics
import sys
import time

from blas_libs import loaded_blas_libraries


def main():
    task = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    try:
        import numpy as np
    except Exception as e:  # noqa: BLE001 - any import failure means no ceiling
        print("\n@@RESULT " + json.dumps({"skipped": "numpy unavailable (%s)" % e}))
        return
    reps, target = int(task.get("reps", 5)), float(task.get("targetSeconds", 0.3))
    rng = np.random.default_rng(0)
    result = {}
    for name, (m, k, n) in (("128x784x1024", (128, 784, 1024)), ("1024x1024x1024", (1024, 1024, 1024))):
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((n, k), dtype=np.float32)
        for _ in range(3):
            a @ b.T
        start = time.perf_counter()
        a @ b.T
        calls = max(1, round(min(0.3, target) / max(time.perf_counter() - start, 1e-6)))
        samples = []
        for _ in range(max(3, reps)):
            start = time.perf_counter()
            for _ in range(calls):
                a @ b.T
            samples.append(2 * m * n * k * calls / (time.perf_counter() - start) / 1e9)
        result[name] = {"median": statistics.median(samples), "max": max(samples)}
    libs = loaded_blas_libraries()
    print("\n@@RESULT " + json.dumps({
        "gflops": result,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "blas": libs,
        "threads": os.environ.get("OMP_NUM_THREADS"),
    }))


if __name__ == "__main__":
    main()
