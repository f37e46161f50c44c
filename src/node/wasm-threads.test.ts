// The threaded wasm backend against the one-thread one, for both kernel
// variants (plain, and relaxed SIMD, which this module enables in Node 20):
// products equal bit for bit in every layout (columns and rows split, odd
// shapes, staged operands), a few training steps give identical weights,
// repeated steps allocate nothing, shared memory keeps old views valid as it
// grows, selectBackend's thread and variant options, and a process with idle
// helper threads still exits.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros, type Matrix } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { tensorDataset } from "../data/dataset.js";
import { Network } from "../nn/network.js";
import { Trainer } from "../train/fit.js";
import { selectBackend, wasmThreads } from "../backend/select.js";
import { createWasmBackend, relaxedSimdSupported, threadsSupported, type WasmBackend } from "../backend/wasm.js";
import { expectUpdatesLikePlain } from "../backend/wasm.fixtures.js";
import { defaultWasmThreads, enableRelaxedSimd, nodeHelperSpawner } from "./wasm-threads.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A backend whose `threads - 1` helpers are all up, so products really are shared. */
async function started(threads: number, minSplit = 0, relaxed = false): Promise<WasmBackend> {
  const backend = createWasmBackend({ threads, spawn: nodeHelperSpawner, minSplit, relaxed });
  const deadline = Date.now() + 30_000;
  while (backend.stats().helpersStarted < threads - 1) {
    if (Date.now() > deadline) throw new Error(`${backend.stats().helpersStarted} of ${threads - 1} helpers started`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return backend;
}

type Layout = "NN" | "NT" | "TN";
const LAYOUTS: readonly Layout[] = ["NN", "NT", "TN"];

function product(backend: WasmBackend, layout: Layout, a: Matrix, b: Matrix, out: Matrix): void {
  if (layout === "NN") backend.matmulNN(a, b, out);
  else if (layout === "NT") backend.matmulNT(a, b, out);
  else backend.matmulTN(a, b, out);
}

/** Operands of a product with output m x n and inner dimension k, filled from a fresh stream of `seed`. */
function operands(backend: WasmBackend | undefined, layout: Layout, m: number, n: number, k: number, seed: number): [Matrix, Matrix] {
  const rng = Rng.fromSeed(seed);
  const make = (rows: number, cols: number): Matrix => {
    const x = backend ? backend.zeros(rows, cols, "float32") : zeros(rows, cols, "float32");
    const d = x.data;
    for (let i = 0; i < d.length; i++) d[i] = rng.normal();
    return x;
  };
  const a = layout === "TN" ? make(k, m) : make(m, k);
  const b = layout === "NT" ? make(n, k) : make(k, n);
  return [a, b];
}

/** Bit patterns, so that -0 and NaN payloads count too. */
function bits(m: Matrix): Uint32Array {
  return new Uint32Array(Float32Array.from(m.data).buffer);
}

/** Where two results first differ in any bit ("" if nowhere): cheaper than a deep equality on large arrays. */
function difference(actual: Matrix, expected: Matrix): string {
  const a = bits(actual), e = bits(expected);
  if (a.length !== e.length) return `${a.length} values instead of ${e.length}`;
  const i = a.findIndex((v, j) => v !== e[j]);
  return i < 0 ? "" : `entry ${i} is ${actual.data[i]}, expected ${expected.data[i]}`;
}

for (const variant of ["plain", "relaxed"] as const) {
  const relaxed = variant === "relaxed";
  describe.runIf(threadsSupported())(`threaded wasm backend, ${variant} kernels`, () => {
    let one: WasmBackend;
    let two: WasmBackend;
    let three: WasmBackend;
    beforeAll(async () => {
      one = createWasmBackend({ relaxed });
      [two, three] = await Promise.all([started(2, 0, relaxed), started(3, 0, relaxed)]);
      for (const backend of [one, two, three]) expect(backend.variant).toBe(variant);
    });
    afterAll(() => {
      two.close();
      three.close();
    });

    // Columns split where n >= m, rows where m > n; odd sizes leave partial micro-tiles at every chunk edge.
    const shapes: readonly [number, number, number][] = [
      [1, 1, 1], [5, 3, 7], [3, 17, 9], [17, 3, 33], [37, 91, 300], [91, 37, 257], [130, 520, 300], [521, 129, 67],
      [128, 1024, 784], [1024, 784, 128], [128, 784, 1024], [33, 17, 0],
    ];

    for (const layout of LAYOUTS) {
      it(`${layout}: 2 and 3 threads equal 1 thread bit for bit, operands in memory`, () => {
        const before = two.stats().productsSplit;
        shapes.forEach(([m, n, k], s) => {
          const [expected, ...threaded] = [one, two, three].map((backend) => {
            const [a, b] = operands(backend, layout, m, n, k, s);
            const out = backend.zeros(m, n, "float32");
            out.data.fill(12345);
            product(backend, layout, a, b, out);
            return out;
          });
          for (const [t, out] of threaded.entries()) expect(difference(out, expected!), `${layout} ${m}x${n}x${k}, ${t + 2} threads`).toBe("");
        });
        expect(two.stats().productsSplit).toBeGreaterThan(before);
      });

      it(`${layout}: 2 threads equal 1 thread bit for bit with plain operands (staged) and plain output`, () => {
        for (const [m, n, k] of [[37, 91, 300], [130, 520, 300], [91, 37, 257]] as const) {
          const [a, b] = operands(undefined, layout, m, n, k, m);
          const expected = zeros(m, n), actual = zeros(m, n);
          product(one, layout, a, b, expected);
          product(two, layout, a, b, actual);
          expect(difference(actual, expected), `${layout} ${m}x${n}x${k}`).toBe("");
        }
      });
    }

    it("optimizer updates on 2 and 3 threads equal the plain backend bit for bit, and large ones are split", () => {
      const before = two.stats().updatesSplit;
      expectUpdatesLikePlain(two, "wasm", Rng.fromSeed(84));
      expectUpdatesLikePlain(three, "wasm", Rng.fromSeed(85), [3, 70_001]);
      expect(two.stats().updatesSplit).toBeGreaterThan(before);
      expect(three.stats().updatesSplit).toBeGreaterThan(0);
    });

    it("helpers computed chunks, and products below minSplit stay on the calling thread", async () => {
      expect(two.stats().helperChunks).toBeGreaterThan(0);
      expect(three.stats().helperChunks).toBeGreaterThan(0);
      const picky = await started(2, 1 << 20, relaxed);
      const [a, b] = operands(picky, "NN", 64, 64, 64, 1);
      picky.matmulNN(a, b, picky.zeros(64, 64, "float32"));
      expect(picky.stats().productsSplit).toBe(0);
      const [c, d] = operands(picky, "NN", 128, 128, 128, 2);
      picky.matmulNN(c, d, picky.zeros(128, 128, "float32"));
      expect(picky.stats().productsSplit).toBe(1);
      picky.close();
    });

    it("keeps working on the calling thread alone after close()", async () => {
      const backend = await started(2, 0, relaxed);
      backend.close();
      const [a, b] = operands(backend, "NT", 40, 50, 60, 3);
      const out = backend.zeros(40, 50, "float32");
      backend.matmulNT(a, b, out);
      const expected = one.zeros(40, 50, "float32");
      const [ea, eb] = operands(one, "NT", 40, 50, 60, 3);
      one.matmulNT(ea, eb, expected);
      expect(difference(out, expected)).toBe("");
    });

    it("keeps earlier views valid when the shared memory grows, and uses them in place", async () => {
      const backend = await started(2, 0, relaxed);
      const a = backend.zeros(64, 96, "float32");
      const view = a.data;
      view.set(operands(undefined, "NN", 64, 40, 96, 5)[0].data);
      const bytesBefore = backend.stats().memoryBytes;
      backend.zeros(1024, 4096, "float32"); // 16 MiB: grows the memory
      expect(backend.stats().memoryBytes).toBeGreaterThan(bytesBefore);
      expect(view.length).toBe(64 * 96);
      expect(view.buffer).not.toBe(a.data.buffer);
      const b = backend.zeros(96, 40, "float32");
      b.data.set(operands(undefined, "NN", 64, 40, 96, 5)[1].data);
      const out = backend.zeros(64, 40, "float32");
      const scratch = backend.stats().scratchBytes;
      backend.matmulNN({ rows: 64, cols: 96, data: view }, b, out);
      expect(backend.stats().scratchBytes).toBe(scratch);
      const expected = zeros(64, 40);
      one.matmulNN({ rows: 64, cols: 96, data: view }, b, expected);
      expect(difference(out, expected)).toBe("");
      backend.close();
    });

    it("trains to the same weights with 1, 2 and 3 threads, and repeated steps allocate nothing", () => {
      const rng = Rng.fromSeed(8);
      const count = 96, features = 40;
      const x = zeros(count, features);
      for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
      const y = zeros(count, 1);
      for (let i = 0; i < count; i++) y.data[i] = rng.int(5);
      const data = tensorDataset(x, y, { kind: "classification", classes: 5 });
      const train = (backend: WasmBackend) => {
        const root = Rng.fromSeed(3);
        const net = new Network({ layers: [features, 64, 48, 5], activation: "relu", keepProbs: [0.9, 0.5, 0.6], loss: "softmax-cross-entropy" }, root.stream("init"), { backend });
        const trainer = new Trainer(net, { train: data }, { epochs: 4, batchSize: 32, lr: 0.05, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } }, root.stream("train"));
        trainer.runEpoch();
        const warm = backend.stats();
        for (let e = 1; e < 4; e++) trainer.runEpoch();
        const after = backend.stats();
        expect(after.memoryBytes).toBe(warm.memoryBytes);
        expect(after.scratchBytes).toBe(warm.scratchBytes);
        return net.params().map((p) => Array.from(bits(p.value)).join(","));
      };
      const split = two.stats().productsSplit;
      const reference = train(one);
      expect(train(two)).toEqual(reference);
      expect(train(three)).toEqual(reference);
      expect(two.stats().productsSplit).toBeGreaterThan(split);
    });
  });
}

describe("selectBackend with Node's helper threads", () => {
  it("gives wasm the platform's default thread count, and one thread on request", () => {
    const expected = threadsSupported() ? defaultWasmThreads() : 1;
    expect(wasmThreads()).toBe(expected);
    const wasm = selectBackend("wasm") as WasmBackend;
    expect(wasm.threads).toBe(expected);
    expect(selectBackend("wasm")).toBe(wasm);
    expect(selectBackend("auto")).toBe(wasm);
    expect((selectBackend("wasm", { threads: 1 }) as WasmBackend).threads).toBe(1);
    expect(selectBackend("js", { threads: 2 })).toBe(jsBackend);
  });

  it("gives wasm the relaxed kernels (enabled here in Node 20), the plain ones on request, both with the same threads", () => {
    expect(enableRelaxedSimd()).toBe(true);
    expect(relaxedSimdSupported()).toBe(true);
    const plain = selectBackend("wasm", { relaxed: false }) as WasmBackend;
    const fast = selectBackend("wasm", { relaxed: true }) as WasmBackend;
    expect([plain.variant, fast.variant]).toEqual(["plain", "relaxed"]);
    expect(plain.threads).toBe(fast.threads);
    expect(selectBackend("wasm", { relaxed: false })).toBe(plain);
    expect((selectBackend("wasm") as WasmBackend).variant).toBe(process.env["DROPOUT_LAB_NO_RELAXED"] ? "plain" : "relaxed");
    expect((selectBackend("wasm", { threads: 1, relaxed: false }) as WasmBackend).variant).toBe("plain");
  });

  it("rejects a thread count that is not an integer from 1 to 64", () => {
    for (const threads of [0, -1, 1.5, 65, Number.NaN]) expect(() => selectBackend("wasm", { threads })).toThrow(InputError);
    expect(() => createWasmBackend({ threads: 0 })).toThrow(InputError);
    expect(() => createWasmBackend({ threads: 2 })).toThrow(/spawn/);
  });
});

describe.runIf(threadsSupported())("helper threads and process exit", () => {
  it("a process whose helper threads are idle exits by itself (compiled build)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dropout-lab-threads-"));
    const file = join(dir, "exit.mjs");
    writeFileSync(file, `
      import { createWasmBackend } from ${JSON.stringify(join(ROOT, "dist/src/index.js"))};
      import { nodeHelperSpawner } from ${JSON.stringify(join(ROOT, "dist/src/node/index.js"))};
      const backend = createWasmBackend({ threads: 2, spawn: nodeHelperSpawner, minSplit: 0 });
      while (backend.stats().helpersStarted < 1) await new Promise((r) => setTimeout(r, 5));
      const a = backend.zeros(64, 64, "float32"), b = backend.zeros(64, 64, "float32"), c = backend.zeros(64, 64, "float32");
      a.data.fill(1); b.data.fill(2);
      backend.matmulNN(a, b, c);
      const s = backend.stats();
      console.log(JSON.stringify({ value: c.data[0], split: s.productsSplit, started: s.helpersStarted }));
    `);
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ value: 128, split: 1, started: 1 });
  });
});
