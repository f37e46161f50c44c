// The three workloads of the side-by-side benchmark, defined once so that every
// peer (ours, tfjs, convnetjs, and the Python script through its JSON task)
// trains the same network the same way, plus the seeded data files they all
// read: identical bytes for every peer.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng, materialize, synthetic } from "../src/index.js";

/** A: 784-1024-1024-10 relu, dropout 0.5 on both hidden layers, softmax cross-entropy, momentum SGD, batch 128. */
export const WORKLOAD_A = {
  layers: [784, 1024, 1024, 10],
  activation: "relu",
  keepProbs: [1, 0.5, 0.5],
  batch: 128,
  lr: 0.01,
  momentum: 0.9,
  /** Distinct minibatches of random images in the shared pool; also the most steps one repetition runs. */
  poolBatches: 64,
} as const;

/** B: 2-8-8-1 tanh on 256 points of the playground's circle set, full batch, sigmoid cross-entropy, momentum SGD. */
export const WORKLOAD_B = {
  layers: [2, 8, 8, 1],
  activation: "tanh",
  points: 256,
  noise: 0.1,
  lr: 0.03,
  momentum: 0.9,
  /** Most full-batch steps one repetition runs. */
  maxSteps: 4000,
} as const;

/**
 * C: 784-256-256-10 relu with dropout on Fashion-MNIST (all 60,000 training
 * images), until 88% test accuracy, once per training seed: one threshold
 * crossing on one seed is too noisy to rank peers by.
 */
export const WORKLOAD_C = {
  layers: [784, 256, 256, 10],
  activation: "relu",
  keepProbs: [1, 0.8, 0.8],
  batch: 128,
  lr: 0.05,
  momentum: 0.9,
  /** Exponential schedule: lr · lrDecay^epoch (0-based), which keeps the test accuracy steady near its plateau. */
  lrDecay: 0.8,
  targetAccuracy: 0.88,
  /** Seed of the data loader (the same examples for every training seed). */
  dataSeed: 7,
  /** Training seeds (weights, shuffles, masks): each peer runs C once per seed, in its own process. */
  seeds: [7, 8, 9],
  /** Most epochs a full run trains for one seed; a seed that has not reached the target by then counts as not reached. */
  epochCap: 12,
} as const;

/** The sections of `npm run bench`, in the order it runs them. */
export const SECTIONS = ["engine", "parts", "A", "B", "C", "ceiling"] as const;
export type Section = (typeof SECTIONS)[number];

/** Timing settings a peer receives: repetitions after warm-up, and the seconds one repetition should last. */
export interface Timing {
  readonly reps: number;
  readonly targetSeconds: number;
}

/** What a child process is asked to do (one peer, one workload). */
export interface Task {
  readonly peer: string;
  readonly workload: "A" | "B" | "C" | "gemm" | "engine" | "parts";
  readonly timing: Timing;
  /** Directory of the shared data files (see writeWorkloadData) and of C's exported Fashion-MNIST bytes. */
  readonly dataDir: string;
  /** C: the epoch cap. */
  readonly maxEpochs?: number;
  /** C: the training seed (default WORKLOAD_C.seeds[0]). */
  readonly seed?: number;
  /** C: also write the training and test images for the Python peer. */
  readonly exportData?: boolean;
  /** Python peers: threads for torch.set_num_threads. */
  readonly threads?: number;
}

const files = {
  aPixels: "a-pixels.u8",
  aLabels: "a-labels.u8",
  bX: "b-x.f32",
  bY: "b-y.u8",
  cTrainPixels: "c-train-pixels.u8",
  cTrainLabels: "c-train-labels.u8",
  cTestPixels: "c-test-pixels.u8",
  cTestLabels: "c-test-labels.u8",
} as const;
export const DATA_FILES = files;

/** Writes A's pool of random images (bytes) and labels, and B's circle points, from fixed seeds. */
export function writeWorkloadData(dir: string): void {
  const rng = Rng.fromSeed(2024).stream("bench-A");
  const n = WORKLOAD_A.poolBatches * WORKLOAD_A.batch;
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextU32() & 255;
  const labels = Uint8Array.from({ length: n }, () => rng.int(10));
  writeFileSync(join(dir, files.aPixels), pixels);
  writeFileSync(join(dir, files.aLabels), labels);
  const circle = synthetic("circle", { n: WORKLOAD_B.points, noise: WORKLOAD_B.noise, rng: Rng.fromSeed(2024).stream("bench-B") });
  const { x, y } = materialize(circle.data, "float32");
  writeFileSync(join(dir, files.bX), new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  writeFileSync(join(dir, files.bY), Uint8Array.from(y.data));
}

/** A's pool: n images of 784 bytes and their labels 0..9. */
export function readA(dir: string): { pixels: Uint8Array; labels: Uint8Array; count: number } {
  const pixels = new Uint8Array(readFileSync(join(dir, files.aPixels)));
  const labels = new Uint8Array(readFileSync(join(dir, files.aLabels)));
  return { pixels, labels, count: labels.length };
}

/** B's points: x is points x 2 (row-major), y holds 0 or 1. */
export function readB(dir: string): { x: Float32Array; y: Uint8Array; count: number } {
  const raw = readFileSync(join(dir, files.bX));
  const x = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const y = new Uint8Array(readFileSync(join(dir, files.bY)));
  return { x, y, count: y.length };
}

/** Images as floats in [0, 1] (what tfjs and convnetjs get; ours scales its bytes per batch). */
export function scaledPixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
  return out;
}

/** Text for the reports: how each workload is defined. */
export function describeWorkloads(): Record<"A" | "B" | "C", string> {
  const a = WORKLOAD_A, b = WORKLOAD_B, c = WORKLOAD_C;
  return {
    A: `${a.layers.join("-")} ${a.activation}, keepProbs ${a.keepProbs.join("/")}, softmax cross-entropy, momentum SGD (lr ${a.lr}, beta ${a.momentum}), batch ${a.batch}, random 28x28 images; training examples per second`,
    B: `${b.layers.join("-")} ${b.activation}, ${b.points} points of the circle set, full batch, sigmoid cross-entropy, momentum SGD (lr ${b.lr}, beta ${b.momentum}); steps per second`,
    C: `${c.layers.join("-")} ${c.activation}, keepProbs ${c.keepProbs.join("/")}, momentum SGD (lr ${c.lr}·${c.lrDecay}^epoch, beta ${c.momentum}), batch ${c.batch}, all 60,000 Fashion-MNIST training images; per training seed (${c.seeds.join(", ")}; each in its own process, the peers taking turns seed by seed) seconds of training per epoch and until ${(100 * c.targetAccuracy).toFixed(0)}% test accuracy (checked after every epoch, checks not timed; at most ${c.epochCap} epochs), with 95% Student-t intervals over the seeds`,
  };
}
