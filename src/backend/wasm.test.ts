// The wasm backend against its oracle, the plain backend: every kernel on odd
// shapes, every activation, in-wasm and plain operands mixed, the aliasing the
// interface allows, float64 delegation, memory growth and the no-allocation
// steady state; the products for both kernel variants (plain and relaxed SIMD),
// and how the variant is chosen.


import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { rowSlice, zeros } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { createWasmBackend, loadWasmBackend, relaxedSimdSupported, wasmSimdSupported, WasmMatrix, type WasmBackend } from "./wasm.js";
import { decodeBase64 } from "./wasm-module.js";
import { wasm, VARIANTS, EPS32, PLACES, make, filled, poison, excess, LAYOUTS, operandShapes, product, absProduct, checkProduct } from "./wasm.fixtures.js";

describe("wasm backend: loading", () => {
  const noRelaxed = process.env["DROPOUT_LAB_NO_RELAXED"];
  afterEach(() => {
    if (noRelaxed === undefined) delete process.env["DROPOUT_LAB_NO_RELAXED"];
    else process.env["DROPOUT_LAB_NO_RELAXED"] = noRelaxed;
  });

  it("reports SIMD support in Node 20 and loads asynchronously too", async () => {
    expect(wasmSimdSupported()).toBe(true);
    const backend = await loadWasmBackend();
    expect(backend.name).toBe("wasm");
    const m = backend.zeros(2, 3, "float32");
    expect(m).toBeInstanceOf(WasmMatrix);
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0]);
    // over a shared memory where there is one, so optimizer state lives beside the weights
    expect(m.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(backend.stateVector(4).buffer).toBe(m.data.buffer);
    const own = await loadWasmBackend({ sharedMemory: false });
    expect(own.zeros(1, 1, "float32").data.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it("runs the relaxed-SIMD kernels where validated, unless asked for plain ones or DROPOUT_LAB_NO_RELAXED is set", async () => {
    expect(relaxedSimdSupported()).toBe(true);
    delete process.env["DROPOUT_LAB_NO_RELAXED"];
    const fast = createWasmBackend();
    expect(fast.variant).toBe("relaxed");
    expect(fast.stats().variant).toBe("relaxed");
    expect(createWasmBackend({ relaxed: false }).variant).toBe("plain");
    expect((await loadWasmBackend()).variant).toBe("relaxed");
    expect((await loadWasmBackend({ relaxed: false })).stats().variant).toBe("plain");
    for (const value of ["1", "yes"]) {
      process.env["DROPOUT_LAB_NO_RELAXED"] = value;
      expect(createWasmBackend().variant).toBe("plain");
      expect(createWasmBackend({ relaxed: true }).variant).toBe("relaxed");
    }
    process.env["DROPOUT_LAB_NO_RELAXED"] = "0";
    expect(createWasmBackend().variant).toBe("relaxed");
  });

  it("decodes base64 with and without padding", () => {
    const text = (s: string) => Array.from(decodeBase64(s), (c) => String.fromCharCode(c)).join("");
    expect(text("")).toBe("");
    expect(text("TQ==")).toBe("M");
    expect(text("TWE=")).toBe("Ma");
    expect(text("TWFu")).toBe("Man");
    expect(Array.from(decodeBase64("AP8A/w=="))).toEqual([0, 255, 0, 255]);
  });

  it("allocates float64 matrices as plain arrays and float32 ones in wasm memory", () => {
    expect(wasm.zeros(3, 2, "float64").data).toBeInstanceOf(Float64Array);
    const m = wasm.zeros(3, 2, "float32");
    expect(m).toBeInstanceOf(WasmMatrix);
    expect(m.data.buffer).not.toBe(zeros(1, 1).data.buffer);
    expect(wasm.zeros(0, 5, "float32").data.length).toBe(0);
  });
});

describe("wasm backend: matrix products", () => {
  const fixed: readonly [number, number, number][] = [
    [1, 1, 1], [1, 5, 3], [3, 1, 7], [5, 7, 1], [1, 33, 17], [17, 1, 33], [7, 9, 5],
    [4, 8, 16], [17, 33, 5], [127, 3, 129], [33, 17, 257], [3, 127, 513], [130, 520, 300], [333, 21, 19],
  ];

  for (const layout of LAYOUTS) {
    for (const backend of VARIANTS) {
      it(`${layout} (${backend.variant}) matches the plain backend on fixed odd shapes, plain, in-wasm and mixed operands`, () => {
        const rng = Rng.fromSeed(11).stream(layout);
        for (const [m, n, k] of fixed) for (const places of PLACES) checkProduct(layout, m, n, k, places, rng, backend);
      });

      it(`${layout} (${backend.variant}) matches the plain backend on random shapes`, () => {
        const rng = Rng.fromSeed(12).stream(layout);
        for (let t = 0; t < 40; t++) {
          const m = 1 + rng.int(70), n = 1 + rng.int(70), k = 1 + rng.int(300);
          checkProduct(layout, m, n, k, PLACES[rng.int(PLACES.length)]!, rng, backend);
        }
      });

      it(`${layout} (${backend.variant}) with an empty inner dimension writes zeros`, () => {
        const [[ar, ac], [br, bc]] = operandShapes(layout, 3, 5, 0);
        for (const places of PLACES) {
          const out = poison(make(places[2]!, 3, 5, backend));
          product(backend, layout, make(places[0]!, ar, ac, backend), make(places[1]!, br, bc, backend), out);
          expect(Array.from(out.data)).toEqual(new Array<number>(15).fill(0));
        }
      });
    }
  }

  it("the two variants differ at most by float32 rounding, and each repeats itself bit for bit", () => {
    const [plain, relaxed] = VARIANTS as [WasmBackend, WasmBackend];
    const rng = Rng.fromSeed(15);
    const a = filled("plain", 64, 300, rng), b = filled("plain", 300, 40, rng);
    const run = (backend: WasmBackend): Float32Array => {
      const out = zeros(64, 40);
      backend.matmulNN(a, b, out);
      return out.data as Float32Array;
    };
    const p = run(plain), r = run(relaxed);
    expect(run(relaxed)).toEqual(r);
    const bound = absProduct("NN", a, b, 64, 40);
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - r[i]!)).toBeLessThanOrEqual(2 * 300 * EPS32 * bound.data[i]!);
  });

  it("accepts row slices of in-wasm matrices (views of wasm memory) without copying them", () => {
    const rng = Rng.fromSeed(13);
    const big = filled("wasm", 10, 6, rng);
    const a = rowSlice(big, 3, 8);
    const b = filled("plain", 4, 6, rng);
    const out = wasm.zeros(5, 4, "float32");
    wasm.matmulNT(a, b, out);
    const expected = zeros(5, 4);
    jsBackend.matmulNT(a, b, expected);
    expect(excess(out, expected, 1e-6, 1e-5)).toBeLessThanOrEqual(0);
  });

  it("accepts matrices of another wasm backend (another memory) as plain inputs", () => {
    const other = createWasmBackend();
    const rng = Rng.fromSeed(14);
    const a = filled("wasm", 6, 5, rng);
    const b = other.zeros(5, 7, "float32");
    b.data.set(filled("plain", 5, 7, rng).data);
    const out = other.zeros(6, 7, "float32");
    wasm.matmulNN(a, b, out);
    const expected = zeros(6, 7);
    jsBackend.matmulNN(a, b, expected);
    expect(excess(out, expected, 1e-6, 1e-5)).toBeLessThanOrEqual(0);
  });

  it("rejects incompatible shapes with an InputError", () => {
    expect(() => wasm.matmulNN(zeros(2, 3), zeros(4, 5), zeros(2, 5))).toThrow(InputError);
    expect(() => wasm.matmulNT(zeros(2, 3), zeros(5, 4), zeros(2, 5))).toThrow(InputError);
    expect(() => wasm.matmulTN(zeros(3, 2), zeros(3, 5), zeros(5, 2))).toThrow(InputError);
  });
});

/** Inputs that reach every branch of the activations: zeros of both signs, tiny, branch points, huge. */
