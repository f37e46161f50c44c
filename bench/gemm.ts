// `npx tsx bench/gemm.ts`: float32 matrix-product throughput of the plain and
// the WebAssembly SIMD backends on the 128x784x1024 product (a batch of 128
// MNIST images through a 1024-unit layer) in the three layouts of the Backend
// interface. GFLOPS = 2·m·n·k / seconds, the median of several repetitions
// after warm-up; wasm is timed with operands in its memory (the fast path) and
// with plain Float32Array operands (copied in and out on every call).

import os from "node:os";
import type { Backend } from "../src/core/backend.js";
import { zeros, type Matrix } from "../src/core/matrix.js";
import { jsBackend } from "../src/core/ops.js";
import { Rng } from "../src/core/rng.js";
import { createWasmBackend } from "../src/backend/wasm.js";

const M = 128, K = 784, N = 1024;
const FLOPS = 2 * M * N * K;
type Layout = "NN" | "NT" | "TN";

function random(backend: Backend | undefined, rows: number, cols: number, rng: Rng): Matrix {
  const m = backend ? backend.zeros(rows, cols, "float32") : zeros(rows, cols, "float32");
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return m;
}

function operands(layout: Layout, backend: Backend | undefined, rng: Rng): [Matrix, Matrix, Matrix] {
  const a = layout === "TN" ? random(backend, K, M, rng) : random(backend, M, K, rng);
  const b = layout === "NT" ? random(backend, N, K, rng) : random(backend, K, N, rng);
  const out = backend ? backend.zeros(M, N, "float32") : zeros(M, N, "float32");
  return [a, b, out];
}

function call(backend: Backend, layout: Layout, [a, b, out]: [Matrix, Matrix, Matrix]): void {
  if (layout === "NN") backend.matmulNN(a, b, out);
  else if (layout === "NT") backend.matmulNT(a, b, out);
  else backend.matmulTN(a, b, out);
}

/** Median GFLOPS over `reps` timed calls after `warmup` untimed ones. */
function gflops(run: () => void, warmup: number, reps: number): number {
  for (let i = 0; i < warmup; i++) run();
  const seconds: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = process.hrtime.bigint();
    run();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((x, y) => x - y);
  return FLOPS / seconds[seconds.length >> 1]! / 1e9;
}

const wasm = createWasmBackend();
const rng = Rng.fromSeed(2024);
console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, load ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}`);
console.log(`float32 product ${M}x${K}x${N} (m x k x n), GFLOPS, median of repetitions after warm-up`);
console.log("layout      js   wasm(in memory)   wasm(plain arrays)   wasm/js");
for (const layout of ["NN", "NT", "TN"] as const) {
  const plain = operands(layout, undefined, rng);
  const resident = operands(layout, wasm, rng);
  const js = gflops(() => call(jsBackend, layout, plain), 2, 7);
  const fast = gflops(() => call(wasm, layout, resident), 10, 41);
  const copied = gflops(() => call(wasm, layout, plain), 5, 21);
  console.log(`${layout}     ${js.toFixed(2).padStart(6)}   ${fast.toFixed(1).padStart(15)}   ${copied.toFixed(1).padStart(18)}   ${(fast / js).toFixed(1).padStart(7)}x`);
}
