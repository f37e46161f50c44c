#!/usr/bin/env python3
"""PyTorch (CPU) as a benchmark peer of dropout-lab, started by bench/run.ts.

Runs one workload (A, B or C, defined in bench/workloads.ts and passed in the
JSON task) with torch.set_num_threads(task["threads"]) and the same timing
protocol as bench/harness.ts: warm-up doubling the steps until a run lasts
half of targetSeconds, which fixes the steps per repetition, then
repetitions alternating the variants; medians with min and max. It also
checks which BLAS torch runs on: without OpenBLAS, Debian's torch falls back
to the reference BLAS and is about 20x slower, which would be an unfair peer.

Usage: python3 bench/peers/torch_peer.py '<task as JSON>'
The result is the one stdout line starting with "@@RESULT ".
"""

import json
import os
import statistics
import sys
import time

from blas_libs import loaded_blas_libraries

MARKER = "@@RESULT "


def emit(result):
    sys.stdout.write("\n" + MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def series(samples, steps):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": samples, "stepsPerRep": steps}


def measure(variants, units_per_step, timing, max_steps):
    """Mirror of measure() in bench/harness.ts; each variant is run(steps) -> seconds."""
    steps = {}
    for name, run in variants.items():
        run(1)
        k, seconds = 1, run(1)
        while seconds < timing["targetSeconds"] / 2 and k < max_steps:
            k = min(max_steps, 2 * k)
            seconds = run(k)
        steps[name] = max(1, min(max_steps, round(timing["targetSeconds"] * k / max(seconds, 1e-6))))
    samples = {name: [] for name in variants}
    for _ in range(timing["reps"]):
        for name, run in variants.items():
            seconds = run(steps[name])
            samples[name].append(steps[name] * units_per_step / seconds)
    return {name: series(samples[name], steps[name]) for name in variants}


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def blas_check(torch):
    """Which BLAS library torch loaded, and its float32 GFLOPS on A's first product and on 1024^3."""
    def gflops(m, k, n):
        a, b = torch.randn(m, k), torch.randn(n, k)
        for _ in range(2):
            a @ b.T
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.3:
            a @ b.T
            calls += 1
        return 2 * m * n * k * calls / (time.perf_counter() - start) / 1e9

    small, large = gflops(128, 784, 1024), gflops(1024, 1024, 1024)
    libs = loaded_blas_libraries()
    openblas = any("openblas" in p.lower() for p in libs)
    notes = []
    if not openblas or large < 10:
        notes.append(
            "WARNING: torch is not on OpenBLAS (libraries: %s; %.1f GFLOPS on 1024^3): the reference BLAS is ~20x slower, so this peer is unfair; install libopenblas0-openmp"
            % (", ".join(libs) or "none found", large)
        )
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if os.environ.get(var):
            notes.append("%s=%s is set in the environment and was left in place for torch" % (var, os.environ[var]))
    return {"libraries": libs, "openblas": openblas, "gflops128x784x1024": small, "gflops1024": large}, notes


def mlp(torch, sizes, activation, keep_probs, hidden_init):
    """Dropout(1 - keepProbs[l]) before layer l, as in dropout-lab; He normal (relu) or Glorot uniform, zero biases."""
    nn = torch.nn
    mods = []
    for l in range(len(sizes) - 1):
        if keep_probs[l] < 1:
            mods.append(nn.Dropout(1 - keep_probs[l]))
        lin = nn.Linear(sizes[l], sizes[l + 1])
        last = l + 2 == len(sizes)
        if hidden_init == "he" and not last:
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        else:
            nn.init.xavier_uniform_(lin.weight)
        nn.init.zeros_(lin.bias)
        mods.append(lin)
        if not last:
            mods.append(nn.ReLU() if activation == "relu" else nn.Tanh())
    model = nn.Sequential(*mods)
    model.train()
    return model


def step_runner(torch, model, loss_fn, lr, beta, batches):
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=beta)
    state = {"next": 0}

    def run(steps):
        start = time.perf_counter()
        for _ in range(steps):
            xb, yb = batches[state["next"] % len(batches)]
            state["next"] += 1
            opt.zero_grad(set_to_none=True)
            loss_fn(model(xb), yb).backward()
            opt.step()
        return time.perf_counter() - start

    return run


def workload_a(torch, task):
    w, d = task["workloads"]["A"], task["dataDir"]
    labels = torch.frombuffer(bytearray(read_bytes(os.path.join(d, "a-labels.u8"))), dtype=torch.uint8).long()
    n = labels.numel()
    x = torch.frombuffer(bytearray(read_bytes(os.path.join(d, "a-pixels.u8"))), dtype=torch.uint8).float().div_(255).view(n, 784)
    b = w["batch"]
    batches = [(x[i * b:(i + 1) * b], labels[i * b:(i + 1) * b]) for i in range(n // b)]
    loss_fn = torch.nn.CrossEntropyLoss()
    variants = {}
    for name, keep in (("dropout", w["keepProbs"]), ("noDropout", [1] * len(w["keepProbs"]))):
        model = mlp(torch, w["layers"], "relu", keep, "he")
        variants[name] = step_runner(torch, model, loss_fn, w["lr"], w["momentum"], batches)
    r = measure(variants, b, task["timing"], w["poolBatches"])
    # as bench/harness.ts dropoutShare: the median of the back-to-back pairs' ratios
    pairs = [d / n for d, n in zip(r["dropout"]["samples"], r["noDropout"]["samples"])]
    r["dropoutShare"] = 1 - statistics.median(pairs)
    return r


def workload_b(torch, task):
    w, d = task["workloads"]["B"], task["dataDir"]
    y = torch.frombuffer(bytearray(read_bytes(os.path.join(d, "b-y.u8"))), dtype=torch.uint8).float().view(-1, 1)
    x = torch.frombuffer(bytearray(read_bytes(os.path.join(d, "b-x.f32"))), dtype=torch.float32).view(-1, 2)
    model = mlp(torch, w["layers"], "tanh", [1] * (len(w["layers"]) - 1), "glorot")
    run = step_runner(torch, model, torch.nn.BCEWithLogitsLoss(), w["lr"], w["momentum"], [(x, y)])
    return {"steps": measure({"steps": run}, 1, task["timing"], w["maxSteps"])["steps"]}


def workload_c(torch, task):
    w, d = task["workloads"]["C"], task["dataDir"]
    paths = [os.path.join(d, f) for f in ("c-train-pixels.u8", "c-train-labels.u8", "c-test-pixels.u8", "c-test-labels.u8")]
    if not all(os.path.exists(p) for p in paths):
        return {"skipped": "no exported Fashion-MNIST bytes (the dropout-lab run of C did not export them)"}

    def images(pixels_path, labels_path):
        y = torch.frombuffer(bytearray(read_bytes(labels_path)), dtype=torch.uint8).long()
        x = torch.frombuffer(bytearray(read_bytes(pixels_path)), dtype=torch.uint8).view(y.numel(), 784)
        return x, y

    x_train, y_train = images(paths[0], paths[1])
    x_test, y_test = images(paths[2], paths[3])
    x_test = x_test.float().div_(255)
    seed = task.get("seed", w["seeds"][0])
    torch.manual_seed(seed)
    model = mlp(torch, w["layers"], "relu", w["keepProbs"], "he")
    opt = torch.optim.SGD(model.parameters(), lr=w["lr"], momentum=w["momentum"])
    loss_fn = torch.nn.CrossEntropyLoss()
    n, b = y_train.numel(), w["batch"]
    seconds, reached, epochs = 0.0, None, []
    for epoch in range(1, task.get("maxEpochs", w["epochCap"]) + 1):
        for group in opt.param_groups:
            group["lr"] = w["lr"] * w["lrDecay"] ** (epoch - 1)
        model.train()
        start = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, b):
            idx = perm[i:i + b]
            xb = x_train[idx].float().div_(255)  # bytes scaled per batch, as dropout-lab does
            opt.zero_grad(set_to_none=True)
            loss_fn(model(xb), y_train[idx]).backward()
            opt.step()
        seconds += time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        epochs.append({"epoch": epoch, "seconds": seconds, "testAccuracy": accuracy})
        log("    epoch %d: %.1f s of training, test accuracy %.2f%%" % (epoch, seconds, 100 * accuracy))
        if accuracy >= w["targetAccuracy"]:
            reached = seconds
            break
    return {"seed": seed, "seconds": reached, "reached": reached is not None, "epochs": epochs, "trainSize": n}


def main():
    task = json.loads(sys.argv[1])
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means the peer is skipped
        emit({"skipped": "torch unavailable (%s: %s); install Debian's python3-torch and libopenblas0-openmp" % (type(e).__name__, e)})
        return
    threads = int(task.get("threads", 1))
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    blas, notes = blas_check(torch)
    notes.insert(0, "torch %s, %d thread%s, Python %s" % (torch.__version__, threads, "" if threads == 1 else "s", sys.version.split()[0]))
    if threads >= (os.cpu_count() or 1):
        notes.append("as many threads as cores: while another process holds a core, each parallel region waits for the preempted thread, so this peer collapses under load (see others' load)")
    run = {"A": workload_a, "B": workload_b, "C": workload_c}.get(task["workload"])
    if run is None:
        emit({"skipped": "workload %s is not run for torch" % task["workload"]})
        return
    result = run(torch, task)
    result["blas"] = blas
    result["notes"] = notes + result.get("notes", [])
    emit(result)


if __name__ == "__main__":
    main()
