// Engine throughput: training examples per second for a 784-256-256-10 relu
// network, batch 128, momentum SGD, with keepProbs 1/0.5/0.5 and without
// dropout, and the share of the step time dropout costs. Alternating
// repetitions in one process so both variants see the same machine load. The
// result records the backend and the threads it measured with, read from the
// backend itself, so the report's label says what ran.

import { Rng, startRun, uint8ImageDataset, type Backend, type NetworkSpec } from "../src/index.js";
import { median } from "./harness.js";

export interface EngineResult {
  readonly backend: string;
  /** Threads the backend ran on (backendThreads); absent in results from before it was recorded. */
  readonly threads?: number;
  readonly examplesPerSecond: { readonly dropout: number; readonly noDropout: number };
  /** 1 - (time per step without dropout) / (time per step with dropout). */
  readonly dropoutShare: number;
}

const LAYERS = [784, 256, 256, 10];
const BATCH = 128;
const EXAMPLES = BATCH * 32;

function syntheticImages(rng: Rng) {
  const pixels = new Uint8Array(EXAMPLES * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextU32() & 255;
  const labels = Uint8Array.from({ length: EXAMPLES }, () => rng.int(10));
  return uint8ImageDataset(pixels, labels, 784, 10);
}

function epochSeconds(spec: NetworkSpec, backend: Backend, data: ReturnType<typeof syntheticImages>, seed: number): number {
  const { trainer } = startRun(spec, { train: data }, { epochs: 1, batchSize: BATCH, lr: 0.01, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } }, seed, { backend });
  let first = 0, last = 0;
  trainer.runEpoch({
    onStep: (p) => {
      last = performance.now();
      if (p.stepInEpoch === 1) first = last;
    },
  });
  // steps 2..32 only: no warm-up step, no clean-J pass after the epoch
  return (last - first) / (EXAMPLES - BATCH);
}

/**
 * Threads a backend computes on, as it reports them: 1 for the plain kernels;
 * the wasm backend's calling thread plus the helpers that are up (a helper
 * that never started leaves its share to the calling thread); the native
 * backend's BLAS threads.
 */
export function backendThreads(backend: Backend): number {
  const b = backend as Backend & { readonly threads?: unknown; stats?: () => { readonly helpersStarted?: unknown } };
  if (typeof b.threads !== "number") return 1;
  const helpers = b.stats?.().helpersStarted;
  return typeof helpers === "number" ? Math.min(b.threads, 1 + helpers) : b.threads;
}

/** Runs `reps` alternating repetitions after one warm-up of each variant. */
export function benchEngine(backend: Backend, reps = 5): EngineResult {
  const data = syntheticImages(Rng.fromSeed(1));
  const withDropout: NetworkSpec = { layers: LAYERS, activation: "relu", keepProbs: [1, 0.5, 0.5], loss: "softmax-cross-entropy" };
  const without: NetworkSpec = { ...withDropout, keepProbs: [1, 1, 1] };
  epochSeconds(withDropout, backend, data, 0);
  epochSeconds(without, backend, data, 0);
  const a: number[] = [], b: number[] = [];
  for (let r = 0; r < reps; r++) {
    a.push(epochSeconds(withDropout, backend, data, r));
    b.push(epochSeconds(without, backend, data, r));
  }
  const msPerExampleDrop = median(a), msPerExampleNo = median(b);
  return {
    backend: backend.name,
    threads: backendThreads(backend),
    examplesPerSecond: { dropout: 1000 / msPerExampleDrop, noDropout: 1000 / msPerExampleNo },
    // each repetition's pair ran back to back: the median of their ratios (as bench/harness.ts dropoutShare)
    dropoutShare: 1 - median(a.map((t, r) => b[r]! / t)),
  };
}
