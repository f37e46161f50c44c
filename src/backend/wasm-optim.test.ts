// The optimizer updates of the wasm backend (assembly/optim.ts) against the
// plain ones (src/core/optim-kernels.ts): bit for bit, in both kernel
// variants, with state in wasm memory or in plain arrays; and the state
// vectors it hands out.

import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { createOptimizer } from "../optim/optimizer.js";
import { createWasmBackend, WasmMatrix } from "./wasm.js";
import { VARIANTS, expectUpdatesLikePlain, wasm } from "./wasm.fixtures.js";

describe("wasm backend: optimizer updates", () => {
  for (const backend of VARIANTS) {
    it(`SGD, momentum and Adam equal the plain backend bit for bit (${backend.variant}, state in wasm memory)`, () => {
      expectUpdatesLikePlain(backend, "wasm", Rng.fromSeed(81));
    });
  }

  it("run the plain kernels, with the same results, on operands outside its memory", () => {
    expectUpdatesLikePlain(wasm, "plain", Rng.fromSeed(82), [1, 5, 1023]);
    expectUpdatesLikePlain(createWasmBackend({ sharedMemory: false }), "wasm", Rng.fromSeed(83), [5, 1023]);
  });

  it("hands out zeroed state vectors in its memory when it is shared, plain ones otherwise", () => {
    const v = wasm.stateVector(1000);
    expect(v).toBeInstanceOf(Float64Array);
    expect(v.length).toBe(1000);
    expect(v.every((x) => x === 0)).toBe(true);
    expect(v.buffer).toBe(wasm.zeros(1, 1, "float32").data.buffer);
    expect(wasm.stateVector(0).length).toBe(0);
    const own = createWasmBackend({ sharedMemory: false });
    expect(own.stateVector(10).buffer).not.toBe(own.zeros(1, 1, "float32").data.buffer);
    expect(() => wasm.stateVector(-1)).toThrow(/stateVector: length must be a non-negative integer, got -1/);
    expect(() => wasm.stateVector(1.5)).toThrow(InputError);
  });

  it("refuses a gradient or state of another size instead of touching memory past it", () => {
    const w = wasm.zeros(3, 4, "float32"), g = wasm.zeros(3, 4, "float32");
    const step = { lr: 0.1, beta: 0.9, nesterov: false, wd: 0 };
    expect(() => wasm.momentumStep(w, g, wasm.stateVector(11), step)).toThrow(/momentumStep: incompatible shapes \(state vector 0 has 11 values for 12 weights\)/);
    expect(() => wasm.sgdStep(w, wasm.zeros(4, 4, "float32"), 0.1, 0)).toThrow(/sgdStep: incompatible shapes/);
    const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, correction1: 0.1, correction2: 0.001, epsilon: 1e-8, wd: 0 };
    expect(() => wasm.adamStep(w, g, wasm.stateVector(12), wasm.stateVector(13), adam)).toThrow(/adamStep: incompatible shapes \(state vector 1 has 13 values/);
  });

  it("float64 params take the plain kernels", () => {
    const w = zeros(2, 3, "float64"), g = zeros(2, 3, "float64");
    g.data.fill(1);
    wasm.sgdStep(w, g, 0.5, 0);
    expect(Array.from(w.data)).toEqual([-0.5, -0.5, -0.5, -0.5, -0.5, -0.5]);
  });

  it("an optimizer made for the backend keeps its state in the backend's memory", () => {
    const w = wasm.zeros(2, 2, "float32");
    expect(w).toBeInstanceOf(WasmMatrix);
    const param = { name: "w", value: w, grad: wasm.zeros(2, 2, "float32"), penalize: true };
    const state = createOptimizer({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, wasm).init([param]);
    expect(state.slots.flat().every((slot) => slot.buffer === w.data.buffer)).toBe(true);
  });
});
