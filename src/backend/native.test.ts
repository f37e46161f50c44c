// The native backend against the plain one: every product layout through the
// machine's BLAS within the float32 rounding bound 4·k·eps·(|A|·|B|) (each of
// two float32 sums of k products is within about k·eps/2 of the exact one,
// relative to |A|·|B|, whatever order the BLAS sums in), from 1x1x1 to
// 128x784x1024, odd shapes, operands in wasm memory, in plain arrays and
// mixed, on 1 and 2 BLAS threads; float64 through dgemm within the float64
// bound; the dropout masks (wasm's) and the optimizer updates (native code, on
// 1 and 2 threads) bit for bit the plain ones; and a short training run that
// agrees with the wasm backend's and repeats itself bit for bit.

import { describe, expect, it } from "vitest";
import { ACTIVATIONS } from "../core/backend.js";
import { InputError } from "../core/errors.js";
import { cast, zeros } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import { Network } from "../nn/network.js";
import { fit } from "../train/fit.js";
import { createNativeBackend, type NativeBackend } from "./native.js";
import { blas, loaded, required } from "./native.fixtures.js";
import { LAYOUTS, PLACES, absProduct, checkProduct, excess, expectUpdatesLikePlain, filled, make, operandShapes, poison, product, wasm } from "./wasm.fixtures.js";

describe("native backend: availability", () => {
  it.runIf(required)("loads under CI, where .ci/run installs a compiler and OpenBLAS", () => {
    expect(loaded, typeof loaded === "string" ? loaded : "").toBeTypeOf("object");
  });
});

describe.skipIf(blas === undefined)("native backend: matrix products", () => {
  const backends = (): NativeBackend[] => [createNativeBackend(blas!, { threads: 1, minBlas: 0 }), createNativeBackend(blas!, { threads: 2, minBlas: 0 })];
  const fixed: readonly [number, number, number][] = [
    [1, 1, 1], [1, 5, 3], [3, 1, 7], [5, 7, 1], [1, 33, 17], [17, 1, 33], [7, 9, 5],
    [4, 8, 16], [17, 33, 5], [127, 3, 129], [33, 17, 257], [3, 127, 513], [130, 520, 300], [333, 21, 19],
  ];

  for (const layout of LAYOUTS) {
    it(`${layout} matches the plain backend on odd shapes, plain, in-memory and mixed operands, 1 and 2 threads`, () => {
      const rng = Rng.fromSeed(111).stream(layout);
      for (const backend of backends()) {
        for (const [m, n, k] of fixed) for (const places of PLACES) checkProduct(layout, m, n, k, places, rng, backend);
        for (let t = 0; t < 30; t++) checkProduct(layout, 1 + rng.int(90), 1 + rng.int(90), 1 + rng.int(400), PLACES[rng.int(PLACES.length)]!, rng, backend);
        expect(backend.stats().otherProducts).toBe(0);
      }
    });

    it(`${layout} matches it on workload A's large products (128x784x1024, 1024x128x784)`, () => {
      const rng = Rng.fromSeed(112).stream(layout);
      const backend = createNativeBackend(blas!, { threads: 2 });
      checkProduct(layout, 128, 1024, 784, ["wasm", "wasm", "wasm"], rng, backend);
      checkProduct(layout, 1024, 784, 128, ["plain", "wasm", "plain"], rng, backend);
    });

    it(`${layout} with an empty dimension writes zeros, or nothing`, () => {
      const backend = createNativeBackend(blas!, { minBlas: 0 });
      for (const places of PLACES) {
        const [[ar, ac], [br, bc]] = operandShapes(layout, 3, 5, 0);
        const out = poison(make(places[2]!, 3, 5, backend));
        product(backend, layout, make(places[0]!, ar, ac, backend), make(places[1]!, br, bc, backend), out);
        expect(Array.from(out.data)).toEqual(new Array<number>(15).fill(0));
        const [[er, ec], [fr, fc]] = operandShapes(layout, 0, 4, 6);
        product(backend, layout, make(places[0]!, er, ec, backend), make(places[1]!, fr, fc, backend), make(places[2]!, 0, 4, backend));
      }
    });
  }

  it("computes float64 products with dgemm within float64 rounding, and mixed ones on the plain kernels exactly", () => {
    const backend = createNativeBackend(blas!, { minBlas: 0 });
    const rng = Rng.fromSeed(113);
    for (const layout of LAYOUTS) {
      for (const [m, n, k] of [[1, 1, 1], [7, 9, 5], [65, 33, 129]] as const) {
        const [[ar, ac], [br, bc]] = operandShapes(layout, m, n, k);
        const a = cast(filled("plain", ar, ac, rng), "float64"), b = cast(filled("plain", br, bc, rng), "float64");
        const out = zeros(m, n, "float64"), expected = zeros(m, n, "float64");
        product(backend, layout, a, b, out);
        product(jsBackend, layout, a, b, expected);
        const bound = absProduct(layout, a, b, m, n);
        out.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!)).toBeLessThanOrEqual(4 * k * 2 ** -52 * bound.data[i]! + 1e-300));
        const mixed = zeros(m, n, "float32");
        product(backend, layout, a, cast(b, "float32"), mixed);
        const plain = zeros(m, n, "float32");
        product(jsBackend, layout, a, cast(b, "float32"), plain);
        expect(Array.from(mixed.data)).toEqual(Array.from(plain.data));
      }
    }
    expect(backend.stats()).toEqual({ blasProducts: 9, otherProducts: 9 });
  });

  it("sends products below minBlas to the wasm kernels, bit for bit theirs", () => {
    const backend = createNativeBackend(blas!, { minBlas: 1000 });
    const rng = Rng.fromSeed(114);
    const a = filled("wasm", 9, 10, rng, 1, backend), b = filled("wasm", 11, 10, rng, 1, backend);
    const out = make("wasm", 9, 11, backend), expected = zeros(9, 11);
    backend.matmulNT(a, b, out);
    wasm.matmulNT(a, b, expected);
    expect(Array.from(out.data)).toEqual(Array.from(expected.data));
    expect(backend.stats()).toEqual({ blasProducts: 0, otherProducts: 1 });
    backend.matmulNT(filled("wasm", 10, 10, rng, 1, backend), b, make("wasm", 10, 11, backend));
    expect(backend.stats()).toEqual({ blasProducts: 1, otherProducts: 1 });
  });

  it("refuses wrong shapes and short data with an InputError naming them, before the BLAS reads anything", () => {
    const backend = createNativeBackend(blas!, { minBlas: 0 });
    expect(() => backend.matmulNN(zeros(2, 3), zeros(4, 5), zeros(2, 5))).toThrow(/matmulNN: incompatible shapes \(2x3 · 4x5 -> 2x5\)/);
    expect(() => backend.matmulNT(zeros(2, 3), zeros(4, 3), zeros(2, 5))).toThrow(InputError);
    expect(() => backend.matmulTN(zeros(3, 2), zeros(4, 5), zeros(2, 5))).toThrow(InputError);
    const short = { rows: 2, cols: 3, data: new Float32Array(5) };
    expect(() => backend.matmulNN(short, zeros(3, 4), zeros(2, 4))).toThrow(/matmulNN: a has 5 values, expected 6/);
    expect(() => blas!.sgemm(0, 2, 4, 3, new Float32Array(6), new Float32Array(12), new Float32Array(7), 1)).toThrow(/sgemm: c has 7 values, expected at least 8/);
  });

  it("refuses a thread count or minBlas out of range", () => {
    for (const threads of [0, -1, 1.5, 257, Number.NaN]) expect(() => createNativeBackend(blas!, { threads })).toThrow(/threads must be an integer from 1 to 256/);
    expect(() => createNativeBackend(blas!, { minBlas: -1 })).toThrow(/minBlas must be a number >= 0, got -1/);
  });
});

describe.skipIf(blas === undefined)("native backend: masks, updates and elementwise kernels", () => {
  it("draws the plain backend's dropout masks bit for bit", () => {
    const backend = createNativeBackend(blas!);
    for (const n of [1, 7, 4096, 131_073]) {
      const plain = Rng.fromSeed(121).stream(String(n)), ours = Rng.fromSeed(121).stream(String(n));
      const expected = new Uint8Array(n), actual = new Uint8Array(n);
      jsBackend.dropoutMask(plain, 0.5, expected);
      backend.dropoutMask(ours, 0.5, actual);
      expect(Array.from(actual)).toEqual(Array.from(expected));
      expect(ours.nextU32()).toBe(plain.nextU32());
    }
  });

  for (const threads of [1, 2]) {
    it(`updates SGD, momentum and Adam in native code bit for bit like the plain backend (${threads} thread${threads > 1 ? "s" : ""})`, () => {
      const backend = createNativeBackend(blas!, { threads });
      expectUpdatesLikePlain(backend, "wasm", Rng.fromSeed(122));
      expectUpdatesLikePlain(backend, "plain", Rng.fromSeed(123), [1, 5, 1023, 40_000]);
    });
  }

  it("refuses an update whose gradient or state has another size, before touching memory", () => {
    const backend = createNativeBackend(blas!);
    const w = backend.zeros(3, 4, "float32");
    expect(() => backend.sgdStep(w, zeros(3, 3), 0.1, 0)).toThrow(/sgdStep: incompatible shapes \(weights 3x4 \(12 values\), gradient 3x3 \(9 values\)\)/);
    expect(() => backend.momentumStep(w, zeros(3, 4), new Float64Array(11), { lr: 0.1, beta: 0.9, nesterov: false, wd: 0 })).toThrow(/state vector 0 has 11 values for 12 weights/);
    expect(() => blas!.momentum(12, new Float32Array(12), new Float32Array(12), new Float64Array(11), 0.1, 0.9, false, 0, 1)).toThrow(/momentum: state 0 has 11 values, expected at least 12/);
  });

  it("gives the wasm backend's elementwise results bit for bit", () => {
    const backend = createNativeBackend(blas!);
    const rng = Rng.fromSeed(124);
    const x = filled("wasm", 13, 7, rng, 3, backend), bias = filled("plain", 1, 7, rng), dy = filled("wasm", 13, 7, rng, 1, backend);
    const mask = rng.bernoulliMask(0.7, new Uint8Array(91));
    for (const activation of ACTIVATIONS) {
      const ours = [zeros(13, 7), zeros(13, 7), zeros(1, 7), zeros(13, 7)], theirs = [zeros(13, 7), zeros(13, 7), zeros(1, 7), zeros(13, 7)];
      for (const [b, outs] of [[backend, ours], [wasm, theirs]] as const) {
        b.biasActivation(x, bias, activation, outs[0]!);
        b.activationBackward(outs[0]!, dy, activation, outs[1]!);
        b.columnSums(outs[1]!, outs[2]!);
        b.applyMask(outs[0]!, mask, 1 / 0.7, outs[3]!);
      }
      ours.forEach((m, i) => expect(excess(m, theirs[i]!, 0, 0), `${activation}, output ${i}`).toBeLessThanOrEqual(0));
    }
  });
});

describe.skipIf(blas === undefined)("native and wasm backends", () => {
  const run = (backend: typeof jsBackend) => {
    const root = Rng.fromSeed(3);
    const { data } = synthetic("spiral", { n: 300, noise: 0.1, rng: root.stream("data") });
    const net = new Network({ layers: [2, 48, 48, 1], activation: "relu", keepProbs: [1, 0.8, 0.8], loss: "sigmoid-cross-entropy" }, root.stream("init"), { backend });
    const history = fit(net, { train: data }, { epochs: 5, batchSize: 30, lr: 0.05, optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } }, root.stream("train"));
    return { history, weights: net.params().map((p) => Array.from(p.value.data)) };
  };

  it("repeat a run bit for bit with the same seed and thread count", () => {
    const first = run(createNativeBackend(blas!, { threads: 2, minBlas: 0 })), second = run(createNativeBackend(blas!, { threads: 2, minBlas: 0 }));
    expect(second.weights).toEqual(first.weights);
    expect(second.history.steps.map((s) => s.cost)).toEqual(first.history.steps.map((s) => s.cost));
  });

  for (const threads of [1, 2]) {
    it(`train the same dropout network to the same costs and weights within float32 tolerance (${threads} BLAS thread${threads > 1 ? "s" : ""})`, () => {
      const native = createNativeBackend(blas!, { threads, minBlas: 0 });
      const ours = run(native), theirs = run(wasm);
      expect(native.stats().blasProducts).toBeGreaterThan(0);
      expect(ours.history.steps).toHaveLength(theirs.history.steps.length);
      theirs.history.epochs.forEach((e, i) => expect(Math.abs(ours.history.epochs[i]!.cleanCost - e.cleanCost)).toBeLessThan(1e-4 * Math.max(1, e.cleanCost)));
      theirs.weights.forEach((w, p) => w.forEach((v, i) => expect(Math.abs(ours.weights[p]![i]! - v)).toBeLessThan(1e-3 * Math.max(1, Math.abs(v)))));
    });
  }
});
