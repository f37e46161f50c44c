// The wasm backend's elementwise kernels against the plain backend (every
// activation, odd shapes, plain and in-wasm operands, the aliasing the
// interface allows), float64 delegation, memory growth and the no-allocation
// steady state.

import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type Activation } from "../core/backend.js";
import { InputError } from "../core/errors.js";
import { cast, zeros, type Matrix } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { createWasmBackend } from "./wasm.js";
import { wasm, EPS32, PLACES, make, filled, poison, excess, type Place } from "./wasm.fixtures.js";

const SPECIAL = [0, -0, 1e-6, -1e-6, 0.3, -0.3, 0.625, -0.625, 0.7, -0.7, 5, -5, 9.5, -9.5, 44, -44, 87.5, -87.5, 100, -100];

function activationInput(place: Place, rows: number, cols: number, rng: Rng): Matrix {
  const x = filled(place, rows, cols, rng, 3);
  for (let i = 0; i < x.data.length; i += 3) x.data[i] = SPECIAL[(i / 3) % SPECIAL.length]!;
  return x;
}

/** Tolerances for f(x): exact up to a float32 rounding for the piecewise-linear ones, a few ulp for tanh and the logistic. */
function activationTolerance(activation: Activation): [number, number] {
  return activation === "tanh" || activation === "sigmoid" ? [1e-6, 1e-5] : [0, 2 * EPS32];
}

// Widths that are whole vectors (4, 8, 12, 16) take the flat loop of biasActivation, the others its per-row loop.
const ELEMENTWISE_SHAPES: readonly [number, number][] = [[1, 1], [1, 3], [1, 4], [1, 17], [3, 1], [3, 8], [5, 7], [9, 12], [7, 33], [127, 3], [33, 127], [16, 16]];

describe("wasm backend: biasActivation", () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation} matches the plain backend, plain, in-wasm and mixed, out = x included`, () => {
      const rng = Rng.fromSeed(21).stream(activation);
      const [atol, rtol] = activationTolerance(activation);
      for (const [rows, cols] of ELEMENTWISE_SHAPES) {
        for (const places of PLACES) {
          const x = activationInput(places[0]!, rows, cols, rng);
          const bias = filled(places[1]!, 1, cols, rng);
          const expected = zeros(rows, cols);
          jsBackend.biasActivation(x, bias, activation, expected);
          const out = poison(make(places[2]!, rows, cols));
          wasm.biasActivation(x, bias, activation, out);
          expect(excess(out, expected, atol, rtol)).toBeLessThanOrEqual(0);
          wasm.biasActivation(x, bias, activation, x);
          expect(excess(x, expected, atol, rtol)).toBeLessThanOrEqual(0);
        }
      }
    });
  }

  it("takes the bias as a column too (any shape with cols values)", () => {
    const rng = Rng.fromSeed(22);
    const x = filled("wasm", 4, 5, rng);
    const bias = filled("plain", 5, 1, rng);
    const out = make("plain", 4, 5);
    const expected = zeros(4, 5);
    wasm.biasActivation(x, bias, "relu", out);
    jsBackend.biasActivation(x, bias, "relu", expected);
    expect(excess(out, expected, 0, 2 * EPS32)).toBeLessThanOrEqual(0);
  });

  it("rejects a bias of the wrong length", () => {
    expect(() => wasm.biasActivation(zeros(2, 3), zeros(1, 4), "relu", zeros(2, 3))).toThrow(InputError);
  });
});

describe("wasm backend: activationBackward", () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation} matches the plain backend, plain, in-wasm and mixed, out = dy included`, () => {
      const rng = Rng.fromSeed(31).stream(activation);
      for (const [rows, cols] of ELEMENTWISE_SHAPES) {
        for (const places of PLACES) {
          // y = f(x) for a realistic range (tanh in (-1, 1), the logistic in (0, 1)), with exact zeros too.
          const y = make(places[0]!, rows, cols);
          jsBackend.biasActivation(activationInput("plain", rows, cols, rng), zeros(1, cols), activation, y);
          const dy = filled(places[1]!, rows, cols, rng);
          const expected = zeros(rows, cols);
          jsBackend.activationBackward(y, dy, activation, expected);
          const out = poison(make(places[2]!, rows, cols));
          wasm.activationBackward(y, dy, activation, out);
          // 1 - y² cancels near |y| = 1: the error is a few ulp of |dy|·(1 + y²), not of the result.
          const tolerance = Array.from(y.data, (v, i) => 4 * EPS32 * Math.abs(dy.data[i]!) * (1 + v * v));
          const within = (actual: Matrix) => Array.from(actual.data).every((v, i) => Math.abs(v - expected.data[i]!) <= tolerance[i]!);
          expect(within(out)).toBe(true);
          wasm.activationBackward(y, dy, activation, dy);
          expect(within(dy)).toBe(true);
        }
      }
    });
  }
});

describe("wasm backend: columnSums", () => {
  it("matches the plain backend on odd shapes, plain, in-wasm and mixed", () => {
    const rng = Rng.fromSeed(41);
    const shapes: readonly [number, number][] = [...ELEMENTWISE_SHAPES, [1, 100], [100, 1], [0, 5], [5, 0], [200, 37]];
    for (const [rows, cols] of shapes) {
      for (const places of PLACES) {
        const x = filled(places[0]!, rows, cols, rng);
        const out = poison(make(places[2]!, 1, cols));
        wasm.columnSums(x, out);
        const expected = zeros(1, cols);
        jsBackend.columnSums(x, expected);
        // Same summation order as the plain backend: equal but for rare double rounding in its float64 step.
        expect(excess(out, expected, 1e-30, 2 * EPS32)).toBeLessThanOrEqual(0);
      }
    }
  });
});

describe("wasm backend: applyMask", () => {
  for (const keepProb of [0.5, 0.7, 1]) {
    it(`keepProb ${keepProb} matches the plain backend, plain, in-wasm and mixed, out = x included`, () => {
      const rng = Rng.fromSeed(51).stream(String(keepProb));
      const scale = 1 / keepProb;
      for (const [rows, cols] of [...ELEMENTWISE_SHAPES, [9, 65] as [number, number]]) {
        for (const places of PLACES) {
          const x = filled(places[0]!, rows, cols, rng);
          // A mask longer than needed is allowed; its tail is ignored.
          const mask = rng.bernoulliMask(keepProb, new Uint8Array(rows * cols + 5));
          const expected = zeros(rows, cols);
          jsBackend.applyMask(x, mask, scale, expected);
          const out = poison(make(places[2]!, rows, cols));
          wasm.applyMask(x, mask, scale, out);
          expect(excess(out, expected, 0, 2 * EPS32)).toBeLessThanOrEqual(0);
          wasm.applyMask(x, mask, scale, x);
          expect(excess(x, expected, 0, 2 * EPS32)).toBeLessThanOrEqual(0);
        }
      }
    });
  }

  it("drops exactly the masked units, even where x is infinite", () => {
    const x = wasm.zeros(1, 20, "float32");
    x.data.fill(Infinity);
    const mask = new Uint8Array(20).map((_, i) => (i % 3 === 0 ? 1 : 0));
    wasm.applyMask(x, mask, 2, x);
    expect(Array.from(x.data)).toEqual(Array.from(mask, (keep) => (keep ? Infinity : 0)));
  });

  it("reads a mask that lives in wasm memory in place", () => {
    const rng = Rng.fromSeed(52);
    const x = filled("wasm", 1, 37, rng);
    const out = make("wasm", 1, 37);
    // The byte view is taken after the last allocation, so no growth can detach it.
    const storage = wasm.zeros(1, 10, "float32");
    const mask = new Uint8Array(storage.data.buffer, storage.data.byteOffset, 37);
    rng.bernoulliMask(0.5, mask);
    const expected = zeros(1, 37);
    wasm.applyMask(x, mask, 2, out);
    jsBackend.applyMask(x, mask, 2, expected);
    expect(excess(out, expected, 0, 0)).toBeLessThanOrEqual(0);
  });

  it("rejects a short mask", () => {
    expect(() => wasm.applyMask(zeros(2, 3), new Uint8Array(5), 2, zeros(2, 3))).toThrow(InputError);
  });
});

describe("wasm backend: float64 goes to the plain backend", () => {
  it("gives bit-identical results to jsBackend for every kernel", () => {
    const rng = Rng.fromSeed(61);
    const f64 = (rows: number, cols: number) => cast(filled("plain", rows, cols, rng), "float64");
    const a = f64(5, 7), b = f64(7, 3), bt = f64(3, 7), at = f64(7, 5), x = f64(5, 3), bias = f64(1, 3);
    const mask = rng.bernoulliMask(0.5, new Uint8Array(15));
    const run = (backend: typeof jsBackend): number[][] => {
      const outs = [zeros(5, 3, "float64"), zeros(5, 3, "float64"), zeros(5, 3, "float64"), zeros(5, 3, "float64"), zeros(5, 3, "float64"), zeros(1, 3, "float64"), zeros(5, 3, "float64")];
      backend.matmulNN(a, b, outs[0]!);
      backend.matmulNT(a, bt, outs[1]!);
      backend.matmulTN(at, b, outs[2]!);
      backend.biasActivation(x, bias, "tanh", outs[3]!);
      backend.activationBackward(outs[3]!, x, "tanh", outs[4]!);
      backend.columnSums(x, outs[5]!);
      backend.applyMask(x, mask, 2, outs[6]!);
      return outs.map((m) => Array.from(m.data));
    };
    expect(run(wasm)).toEqual(run(jsBackend));
  });
});

describe("wasm backend: memory", () => {
  it("over a shared memory (the default here), views taken before growth stay valid", () => {
    const backend = createWasmBackend();
    const a = backend.zeros(6, 5, "float32");
    a.data.fill(1.5);
    const earlier = a.data;
    const state = backend.stateVector(7);
    state[6] = 2.5;
    const bytesBefore = backend.stats().memoryBytes;
    backend.zeros(1024, 4096, "float32"); // 16 MiB: forces growth
    expect(backend.stats().memoryBytes).toBeGreaterThan(bytesBefore);
    expect(earlier.length).toBe(30);
    earlier[0] = 4;
    expect(a.data[0]).toBe(4);
    expect(Array.from(state)).toEqual([0, 0, 0, 0, 0, 0, 2.5]);
  });

  it("over its own memory, keeps in-wasm matrices valid when the memory grows, and refuses stale views", () => {
    const backend = createWasmBackend({ sharedMemory: false });
    const rng = Rng.fromSeed(71);
    const a = backend.zeros(6, 5, "float32");
    for (let i = 0; i < 30; i++) a.data[i] = rng.normal();
    const before = Array.from(a.data);
    const staleView = a.data;
    const bytesBefore = backend.stats().memoryBytes;
    const big = backend.zeros(1024, 4096, "float32"); // 16 MiB: forces growth
    expect(backend.stats().memoryBytes).toBeGreaterThan(bytesBefore);
    expect(big.data.length).toBe(1024 * 4096);
    expect(staleView.length).toBe(0);
    expect(Array.from(a.data)).toEqual(before);
    const b = backend.zeros(5, 4, "float32");
    b.data.set(filled("plain", 5, 4, rng).data);
    const out = backend.zeros(6, 4, "float32");
    backend.matmulNN(a, b, out);
    const expected = zeros(6, 4);
    jsBackend.matmulNN(a, b, expected);
    expect(excess(out, expected, 1e-6, 1e-5)).toBeLessThanOrEqual(0);
    expect(() => backend.matmulNN({ rows: 6, cols: 5, data: staleView }, b, out)).toThrow(/read matrix.data again/);
  });

  it("stages plain inputs that force growth while other operands live in wasm memory", () => {
    const backend = createWasmBackend();
    const rng = Rng.fromSeed(72);
    const a = backend.zeros(3, 2000, "float32");
    for (let i = 0; i < a.data.length; i++) a.data[i] = rng.normal();
    const b = filled("plain", 2000, 1500, rng); // 12 MB of scratch: grows the memory mid-call
    const out = backend.zeros(3, 1500, "float32");
    const bytesBefore = backend.stats().memoryBytes;
    backend.matmulNN(a, b, out);
    expect(backend.stats().memoryBytes).toBeGreaterThan(bytesBefore);
    const expected = zeros(3, 1500);
    jsBackend.matmulNN(a, b, expected);
    expect(excess(out, expected, 1e-4, 1e-4)).toBeLessThanOrEqual(0);
  });

  it("allocates nothing in the steady state: repeated calls with the same shapes", () => {
    const backend = createWasmBackend();
    const rng = Rng.fromSeed(73);
    const step = () => {
      // One dense layer forward and backward, with plain data and labels as a trainer would have them.
      const x = filled("plain", 32, 20, rng);
      const w = backend.zeros(16, 20, "float32");
      const bias = backend.zeros(1, 16, "float32");
      const h = backend.zeros(32, 16, "float32");
      const dh = filled("plain", 32, 16, rng);
      const dw = zeros(16, 20);
      const db = backend.zeros(1, 16, "float32");
      const dx = zeros(32, 20);
      const mask = rng.bernoulliMask(0.5, new Uint8Array(32 * 16));
      return () => {
        backend.matmulNT(x, w, h);
        backend.biasActivation(h, bias, "relu", h);
        backend.applyMask(h, mask, 2, h);
        backend.applyMask(dh, mask, 2, dh);
        backend.activationBackward(h, dh, "relu", dh);
        backend.matmulTN(dh, x, dw);
        backend.columnSums(dh, db);
        backend.matmulNN(dh, w, dx);
      };
    };
    const run = step();
    run();
    const warm = backend.stats();
    for (let i = 0; i < 20; i++) run();
    const after = backend.stats();
    expect(after.allocations).toBe(warm.allocations);
    expect(after.memoryBytes).toBe(warm.memoryBytes);
    expect(after.scratchBytes).toBe(warm.scratchBytes);
  });
});
