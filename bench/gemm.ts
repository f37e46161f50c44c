// `npx tsx bench/gemm.ts`: float32 matrix-product throughput of the plain and
// the WebAssembly SIMD backends on the 128x784x1024 product (a batch of 128
// MNIST images through a 1024-unit layer) in the three layouts of the Backend
// interface, then of the threaded wasm backend (1 thread against 2 and up to
// min(cores, 4)) on that product, on 128x1024x1024 (a 1024-unit hidden layer)
// and on the weight gradients of both layers. GFLOPS = 2·m·n·k / seconds, the median of several repetitions after
// warm-up; wasm is timed with operands in its memory (the fast path) and with
// plain Float32Array operands (copied in and out on every call). Then the two
// kernel variants side by side, plain (multiply, add) against relaxed (fused
// multiply-add, where the runtime validates relaxed SIMD), on 1 and 2 threads.

import os from "node:os";
import type { Backend } from "../src/core/backend.js";
import { zeros, type Matrix } from "../src/core/matrix.js";
import { jsBackend } from "../src/core/ops.js";
import { Rng } from "../src/core/rng.js";
import { createWasmBackend, relaxedSimdSupported, type WasmBackend } from "../src/backend/wasm.js";
import { defaultWasmThreads, nodeHelperSpawner } from "../src/node/wasm-threads.js";

type Layout = "NN" | "NT" | "TN";
const LAYOUTS: readonly Layout[] = ["NN", "NT", "TN"];
/** A product C = op(A)·op(B) with C m x n and inner dimension k. */
interface Shape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

function random(backend: Backend | undefined, rows: number, cols: number, rng: Rng): Matrix {
  const m = backend ? backend.zeros(rows, cols, "float32") : zeros(rows, cols, "float32");
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return m;
}

function operands(layout: Layout, { m, k, n }: Shape, backend: Backend | undefined, rng: Rng): [Matrix, Matrix, Matrix] {
  const a = layout === "TN" ? random(backend, k, m, rng) : random(backend, m, k, rng);
  const b = layout === "NT" ? random(backend, n, k, rng) : random(backend, k, n, rng);
  const out = backend ? backend.zeros(m, n, "float32") : zeros(m, n, "float32");
  return [a, b, out];
}

function call(backend: Backend, layout: Layout, [a, b, out]: [Matrix, Matrix, Matrix]): void {
  if (layout === "NN") backend.matmulNN(a, b, out);
  else if (layout === "NT") backend.matmulNT(a, b, out);
  else backend.matmulTN(a, b, out);
}

/** Median GFLOPS over `reps` timed calls after `warmup` untimed ones. */
function gflops({ m, k, n }: Shape, run: () => void, warmup: number, reps: number): number {
  for (let i = 0; i < warmup; i++) run();
  const seconds: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = process.hrtime.bigint();
    run();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((x, y) => x - y);
  return (2 * m * n * k) / seconds[seconds.length >> 1]! / 1e9;
}

/** A wasm backend with `threads` threads whose helpers are all up (the default variant unless `relaxed` says). */
async function threaded(threads: number, relaxed?: boolean): Promise<WasmBackend> {
  if (threads === 1) return createWasmBackend({ relaxed });
  const backend = createWasmBackend({ threads, spawn: nodeHelperSpawner, relaxed });
  const deadline = Date.now() + 30_000;
  while (backend.stats().helpersStarted < threads - 1) {
    if (Date.now() > deadline) throw new Error(`only ${backend.stats().helpersStarted} of ${threads - 1} helper threads started`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return backend;
}

const rng = Rng.fromSeed(2024);
const first: Shape = { m: 128, k: 784, n: 1024 };
console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, load ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}`);
console.log(`float32 product ${first.m}x${first.k}x${first.n} (m x k x n), GFLOPS, median of repetitions after warm-up`);
const wasm = createWasmBackend();
console.log(`wasm kernels: ${wasm.variant}`);
console.log("layout      js   wasm(in memory)   wasm(plain arrays)   wasm/js");
for (const layout of LAYOUTS) {
  const plain = operands(layout, first, undefined, rng);
  const resident = operands(layout, first, wasm, rng);
  const js = gflops(first, () => call(jsBackend, layout, plain), 2, 7);
  const fast = gflops(first, () => call(wasm, layout, resident), 10, 41);
  const copied = gflops(first, () => call(wasm, layout, plain), 5, 21);
  console.log(`${layout}     ${js.toFixed(2).padStart(6)}   ${fast.toFixed(1).padStart(15)}   ${copied.toFixed(1).padStart(18)}   ${(fast / js).toFixed(1).padStart(7)}x`);
}

/** Median GFLOPS of each of `runs`, timed in alternation (so a change in the machine's load hits all alike). */
function gflopsSideBySide({ m, k, n }: Shape, runs: readonly (() => void)[], warmup: number, reps: number): number[] {
  for (let i = 0; i < warmup; i++) for (const run of runs) run();
  const seconds = runs.map(() => [] as number[]);
  for (let i = 0; i < reps; i++) {
    runs.forEach((run, r) => {
      const start = process.hrtime.bigint();
      run();
      seconds[r]!.push(Number(process.hrtime.bigint() - start) / 1e9);
    });
  }
  return seconds.map((s) => {
    s.sort((x, y) => x - y);
    return (2 * m * n * k) / s[s.length >> 1]! / 1e9;
  });
}

if (relaxedSimdSupported()) {
  console.log(`\nkernel variants (operands in memory), ${first.m}x${first.k}x${first.n}, GFLOPS, timed in alternation`);
  console.log("layout   plain 1t  relaxed 1t   gain    plain 2t  relaxed 2t   gain");
  const pairs = await Promise.all([1, 2].flatMap((threads) => [threaded(threads, false), threaded(threads, true)]));
  for (const layout of LAYOUTS) {
    const runs = pairs.map((backend) => {
      const args = operands(layout, first, backend, rng);
      return () => call(backend, layout, args);
    });
    const [p1, r1, p2, r2] = gflopsSideBySide(first, runs, 10, 41) as [number, number, number, number];
    const gain = (r: number, p: number): string => `${(((r / p) - 1) * 100).toFixed(0).padStart(4)}%`;
    console.log(`${layout}     ${p1.toFixed(1).padStart(9)} ${r1.toFixed(1).padStart(11)}  ${gain(r1, p1)}  ${p2.toFixed(1).padStart(10)} ${r2.toFixed(1).padStart(11)}  ${gain(r2, p2)}`);
  }
  for (const backend of pairs) backend.close();
} else {
  console.log("\nrelaxed SIMD: not validated by this runtime, plain kernels only");
}

const counts = [...new Set([1, 2, defaultWasmThreads()])].sort((x, y) => x - y);
const backends = await Promise.all(counts.map((threads) => threaded(threads)));
console.log("\nthreaded wasm (operands in memory), GFLOPS by thread count, median of repetitions after warm-up");
console.log(`shape (m x k x n)  layout${counts.map((t) => `${t} thread${t > 1 ? "s" : " "}`.padStart(12)).join("")}   speedup`);
// Both products in every layout, then the weight gradients of workload A as the backward pass has them (dW = dZᵀ·X: TN, k = the batch).
const cases: readonly [Shape, readonly Layout[]][] = [
  [first, LAYOUTS],
  [{ m: 128, k: 1024, n: 1024 }, LAYOUTS],
  [{ m: 1024, k: 128, n: 784 }, ["TN"]],
  [{ m: 1024, k: 128, n: 1024 }, ["TN"]],
];
for (const [shape, layouts] of cases) {
  for (const layout of layouts) {
    const runs = backends.map((backend) => {
      const args = operands(layout, shape, backend, rng);
      return () => call(backend, layout, args);
    });
    const results = gflopsSideBySide(shape, runs, 10, 41);
    const speedup = results[results.length - 1]! / results[0]!;
    console.log(`${`${shape.m}x${shape.k}x${shape.n}`.padEnd(17)}  ${layout}    ${results.map((g) => g.toFixed(1).padStart(12)).join("")}   ${speedup.toFixed(2).padStart(6)}x`);
  }
}
for (const backend of backends) backend.close();
