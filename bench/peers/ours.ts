// dropout-lab itself as a benchmark peer, through its public engine API
// (Network, Trainer), on the plain backend, the WebAssembly SIMD one or the
// native one (the machine's BLAS, with the OPENBLAS_* environment as it is):
// workloads A and B timed step by step, C (Fashion-MNIST to 88%) with its
// memory peak, the matrix-product GFLOPS of both backends, and the engine's
// own throughput check (bench/engine.ts). Every result records the threads the
// backend measured with.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Network,
  Rng,
  Trainer,
  evaluate,
  jsBackend,
  startRun,
  subset,
  tensorDataset,
  uint8ImageDataset,
  type Backend,
  type Dataset,
  type Matrix,
  type NetworkSpec,
  type TrainOptions,
} from "../../src/index.js";
import { loadData } from "../../src/node/index.js";
import { backendThreads, benchEngine } from "../engine.js";
import { dropoutShare, log, measure, median, secondsPerCall, type Runner, since } from "../harness.js";
import { benchStepParts } from "../step-parts.js";
import { DATA_FILES, WORKLOAD_A, WORKLOAD_B, WORKLOAD_C, readA, readB, type Task } from "../workloads.js";

export type OursVariant = "js" | "wasm" | "wasm-plain" | "wasm-2t" | "native" | "native-2t";
export const OURS_VARIANTS: readonly OursVariant[] = ["js", "wasm", "wasm-plain", "wasm-2t", "native", "native-2t"];

/** What a native peer ran on, for its notes: the library, its kernel, the BLAS threads and OPENBLAS_* as set. */
let nativeNote: string | undefined;

/**
 * The backend a peer id names: the plain one, the WebAssembly SIMD one on one
 * thread (its default kernels, or with "wasm-plain" the plain variant without
 * fused multiply-add), or on two (helper worker threads share its large products), or the
 * native one with its BLAS on one thread or two. The wasm modules and the
 * addon are imported lazily so a missing or broken build only skips that peer.
 */
export async function loadBackend(name: OursVariant): Promise<Backend> {
  if (name === "js") return jsBackend;
  if (name === "native" || name === "native-2t") {
    const { processBlas } = await import("../../src/node/native.js");
    const { createNativeBackend } = await import("../../src/backend/native.js");
    const blas = processBlas();
    if (typeof blas === "string") throw new Error(`native backend unavailable: ${blas}`);
    const threads = name === "native" ? 1 : 2;
    const env = Object.entries(process.env).filter(([key]) => key.startsWith("OPENBLAS_")).map(([key, value]) => `${key}=${value}`);
    nativeNote = `${blas.description}; ${threads} BLAS thread${threads > 1 ? "s" : ""}${blas.threadControl ? "" : " asked (the library sets its own count)"}; environment ${env.length ? env.join(" ") : "without OPENBLAS_*"}`;
    return createNativeBackend(blas, { threads });
  }
  try {
    const wasm = await import("../../src/backend/wasm.js");
    if (name === "wasm") return wasm.createWasmBackend();
    if (name === "wasm-plain") return wasm.createWasmBackend({ relaxed: false });
    const { nodeHelperSpawner } = await import("../../src/node/wasm-threads.js");
    const backend = wasm.createWasmBackend({ threads: 2, spawn: nodeHelperSpawner });
    // the helper thread up before anything is timed (a peer's warm-up would hide its start, C's first epoch would not)
    const deadline = Date.now() + 30_000;
    while (backend.stats().helpersStarted < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return backend;
  } catch (e) {
    throw new Error(`wasm backend unavailable${name === "wasm" ? "" : " with 2 threads"}: ${(e as Error).message.split("\n")[0]}`);
  }
}

function momentum(lr: number, beta: number, batchSize: number): TrainOptions {
  return { epochs: 1, batchSize, lr, optimizer: { kind: "momentum", beta, nesterov: false } };
}

/** Times the steps of one epoch: from the call to the last onStep, so the epoch's clean-J pass is left out. */
function timedEpoch(trainer: Trainer): number {
  let last = 0;
  const start = performance.now();
  trainer.runEpoch({ onStep: () => (last = performance.now()) });
  return (last - start) / 1000;
}

/** A runner over a pool of `steps` minibatches: one epoch of that pool is one repetition. */
function runnerA(backend: Backend, keepProbs: readonly number[], pool: Dataset): Runner {
  const spec: NetworkSpec = { layers: WORKLOAD_A.layers, activation: "relu", keepProbs, loss: "softmax-cross-entropy" };
  const root = Rng.fromSeed(1);
  const net = new Network(spec, root.stream("init"), { backend });
  let current: { steps: number; trainer: Trainer } | undefined;
  return {
    run(steps) {
      if (current?.steps !== steps) {
        const indices = Int32Array.from({ length: steps * WORKLOAD_A.batch }, (_, i) => i);
        const options = momentum(WORKLOAD_A.lr, WORKLOAD_A.momentum, WORKLOAD_A.batch);
        current = { steps, trainer: new Trainer(net, { train: subset(pool, indices) }, options, root.stream("train")) };
      }
      return timedEpoch(current.trainer);
    },
  };
}

async function workloadA(backend: Backend, task: Task) {
  const { pixels, labels } = readA(task.dataDir);
  const pool = uint8ImageDataset(pixels, labels, 784, 10);
  const r = await measure(
    { dropout: runnerA(backend, WORKLOAD_A.keepProbs, pool), noDropout: runnerA(backend, [1, 1, 1], pool) },
    WORKLOAD_A.batch,
    task.timing,
    WORKLOAD_A.poolBatches,
  );
  return {
    ...r,
    dropoutShare: dropoutShare(r.dropout, r.noDropout),
    notes: [
      "Trainer.runEpoch timed from its call to the last step (the per-epoch clean-J pass is not timed); images stay bytes and are scaled per batch",
      ...(backend === jsBackend ? ["the js backend's products skip zero entries of their left operand, so the zeros dropout makes speed them up (hence a negative dropout share)"] : []),
    ],
  };
}

function runnerB(backend: Backend, data: Dataset, withCleanJ: boolean): Runner {
  const spec: NetworkSpec = { layers: WORKLOAD_B.layers, activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" };
  const { network: net, trainer } = startRun(spec, { train: data }, momentum(WORKLOAD_B.lr, WORKLOAD_B.momentum, WORKLOAD_B.points), 1, { backend });
  return {
    run(steps) {
      let seconds = 0;
      for (let s = 0; s < steps; s++) {
        if (withCleanJ) {
          const start = performance.now();
          trainer.runEpoch();
          seconds += since(start);
        } else seconds += timedEpoch(trainer);
      }
      return seconds;
    },
  };
}

async function workloadB(backend: Backend, task: Task) {
  const { x, y, count } = readB(task.dataDir);
  const data = tensorDataset(
    { rows: count, cols: 2, data: x },
    { rows: count, cols: 1, data: Float32Array.from(y) },
    { kind: "classification", classes: 2 },
  );
  const r = await measure(
    { steps: runnerB(backend, data, false), withCleanJ: runnerB(backend, data, true) },
    1,
    task.timing,
    WORKLOAD_B.maxSteps,
  );
  return {
    steps: r.steps,
    withCleanJ: r.withCleanJ,
    notes: [
      `one Trainer epoch per full-batch step, timed to the end of the step; with the clean-J pass Trainer runs after every epoch it is ${Math.round(r.withCleanJ.median).toLocaleString("en-US")} steps/s`,
    ],
  };
}

/** Writes the bytes of `data` (images scaled per batch by 1/255) so the Python peer trains on exactly the same examples. */
function exportImages(data: Dataset, pixelsPath: string, labelsPath: string): void {
  const n = data.size, f = data.features, chunk = 1024;
  const pixels = new Uint8Array(n * f), labels = new Uint8Array(n);
  const x: Matrix = { rows: chunk, cols: f, data: new Float32Array(chunk * f) };
  const y: Matrix = { rows: chunk, cols: 1, data: new Float32Array(chunk) };
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    data.gather(Int32Array.from({ length: rows }, (_, i) => start + i), x, y);
    for (let i = 0; i < rows * f; i++) pixels[start * f + i] = Math.round(x.data[i]! * 255);
    for (let i = 0; i < rows; i++) labels[start + i] = y.data[i]!;
  }
  writeFileSync(pixelsPath, pixels);
  writeFileSync(labelsPath, labels);
}

async function workloadC(backend: Backend, task: Task) {
  const c = WORKLOAD_C;
  let loaded;
  try {
    loaded = loadData("fashion-mnist", { seed: c.dataSeed, devFraction: 0 });
  } catch (e) {
    return { skipped: `Fashion-MNIST missing: ${(e as Error).message}` };
  }
  const { train, test } = loaded;
  const seed = task.seed ?? c.seeds[0];
  const spec: NetworkSpec = { layers: c.layers, activation: "relu", keepProbs: c.keepProbs, loss: "softmax-cross-entropy" };
  const options: TrainOptions = { ...momentum(c.lr, c.momentum, c.batch), epochs: task.maxEpochs ?? c.epochCap, schedule: { kind: "exponential", rate: c.lrDecay } };
  const { network: net, trainer } = startRun(spec, { train }, options, seed, { backend });
  let peakRss = process.memoryUsage().rss;
  const epochs: { epoch: number; seconds: number; testAccuracy: number }[] = [];
  let seconds = 0, reachedAt: number | null = null;
  for (let e = 1; e <= (task.maxEpochs ?? c.epochCap); e++) {
    let last = 0;
    const start = performance.now();
    trainer.runEpoch({
      onStep: (p) => {
        last = performance.now();
        if (p.stepInEpoch % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    seconds += (last - start) / 1000;
    const accuracy = evaluate(net, test).accuracy ?? 0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    epochs.push({ epoch: e, seconds, testAccuracy: accuracy });
    log(`    epoch ${e}: ${seconds.toFixed(1)} s of training, test accuracy ${(100 * accuracy).toFixed(2)}%`);
    if (accuracy >= c.targetAccuracy) {
      reachedAt = seconds;
      break;
    }
  }
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  if (task.exportData) {
    exportImages(train, join(task.dataDir, DATA_FILES.cTrainPixels), join(task.dataDir, DATA_FILES.cTrainLabels));
    exportImages(test, join(task.dataDir, DATA_FILES.cTestPixels), join(task.dataDir, DATA_FILES.cTestLabels));
  }
  return {
    seed,
    seconds: reachedAt,
    reached: reachedAt !== null,
    epochs,
    trainSize: train.size,
    memory: { peakRssMB: peakRss / 2 ** 20, maxRssMB },
    notes: ["training time only: the per-epoch clean-J pass and the test evaluation are not timed"],
  };
}

/** GFLOPS of the three product layouts on the 128x784x1024 product (a batch of A through its first layer). */
async function workloadGemm(backend: Backend, task: Task) {
  const m = 128, k = 784, n = 1024, flops = 2 * m * n * k;
  const rng = Rng.fromSeed(3);
  const random = (rows: number, cols: number) => {
    const a = backend.zeros(rows, cols, "float32");
    for (let i = 0; i < a.data.length; i++) a.data[i] = rng.normal();
    return a;
  };
  const out = backend.zeros(m, n, "float32");
  const layouts = {
    NT: [random(m, k), random(n, k), (a: Matrix, b: Matrix) => backend.matmulNT(a, b, out)],
    NN: [random(m, k), random(k, n), (a: Matrix, b: Matrix) => backend.matmulNN(a, b, out)],
    TN: [random(k, m), random(k, n), (a: Matrix, b: Matrix) => backend.matmulTN(a, b, out)],
  } as const;
  const result: Record<string, { median: number; max: number }> = {};
  for (const [name, [a, b, call]] of Object.entries(layouts)) {
    const samples = secondsPerCall(() => call(a, b), task.timing).map((seconds) => flops / seconds / 1e9);
    result[name] = { median: median(samples), max: Math.max(...samples) };
  }
  return { shape: `${m}x${k}x${n}`, gflops: result };
}

async function runWorkload(backend: Backend, task: Task): Promise<{ readonly notes?: string[]; readonly [key: string]: unknown }> {
  switch (task.workload) {
    case "A":
      return workloadA(backend, task);
    case "B":
      return workloadB(backend, task);
    case "C":
      return workloadC(backend, task);
    case "gemm":
      return workloadGemm(backend, task);
    case "engine":
      return { ...benchEngine(backend, task.timing.reps) };
    case "parts":
      return { ...benchStepParts(backend, task.timing) };
  }
}

export async function runOurs(backendName: OursVariant, task: Task): Promise<unknown> {
  const backend = await loadBackend(backendName);
  const variant = (backend as { readonly variant?: unknown }).variant;
  const result = { ...(await runWorkload(backend, task)), threads: backendThreads(backend), ...(typeof variant === "string" ? { variant } : {}) };
  return nativeNote === undefined ? result : { ...result, blas: nativeNote, notes: [...(result.notes ?? []), nativeNote] };
}
