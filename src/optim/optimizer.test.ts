import { describe, it, expect } from "vitest";
import { InputError, RunError } from "../core/errors.js";
import type { DType } from "../core/matrix.js";
import type { Param } from "../nn/layer.js";
import {
  createOptimizer,
  defaultOptimizerSpec,
  deserializeOptimizerState,
  serializeOptimizerState,
  validateOptimizerSpec,
  type OptimizerSpec,
  type OptimizerState,
} from "./optimizer.js";

/** A 1 x n param with the given values and gradient. */
function param(name: string, values: number[], grad: number[] = values.map(() => 0), penalize = true, dtype: DType = "float64"): Param {
  const make = (v: number[]) => (dtype === "float64" ? Float64Array.from(v) : Float32Array.from(v));
  return { name, value: { rows: 1, cols: values.length, data: make(values) }, grad: { rows: 1, cols: grad.length, data: make(grad) }, penalize };
}

const adam: OptimizerSpec = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Applies `spec` with gradients `grads[k]` (one number per param, 1x1 params) and returns the param values after each step. */
function steps(spec: OptimizerSpec, w0: number, grads: number[], lr: number, penalize = true): number[] {
  const p = param("w", [w0], [0], penalize);
  const opt = createOptimizer(spec);
  const state = opt.init([p]);
  return grads.map((g) => {
    p.grad.data[0] = g;
    opt.update([p], state, lr);
    return p.value.data[0]!;
  });
}

describe("single updates against hand-computed values", () => {
  it("sgd: w - lr*g", () => {
    const p = param("w", [1, -2], [0.5, 0.25]);
    const opt = createOptimizer({ kind: "sgd" });
    const state = opt.init([p]);
    opt.update([p], state, 0.1);
    // 1 - 0.1*0.5 = 0.95; -2 - 0.1*0.25 = -2.025
    expect(p.value.data[0]).toBeCloseTo(0.95, 15);
    expect(p.value.data[1]).toBeCloseTo(-2.025, 15);
    expect(state.t).toBe(1);
  });

  it("momentum: v = 0.9 v + g, w -= lr v", () => {
    // step 1: v = 0.5, w = 1 - 0.1*0.5 = 0.95
    // step 2: v = 0.9*0.5 + 0.2 = 0.65, w = 0.95 - 0.1*0.65 = 0.885
    const [w1, w2] = steps({ kind: "momentum", beta: 0.9, nesterov: false }, 1, [0.5, 0.2], 0.1);
    expect(w1).toBeCloseTo(0.95, 15);
    expect(w2).toBeCloseTo(0.885, 15);
  });

  it("nesterov: v = 0.9 v + g, w -= lr (g + 0.9 v)", () => {
    // step 1: v = 0.5, u = 0.5 + 0.9*0.5 = 0.95, w = 1 - 0.1*0.95 = 0.905
    // step 2: v = 0.9*0.5 + 0.2 = 0.65, u = 0.2 + 0.9*0.65 = 0.785, w = 0.905 - 0.0785 = 0.8265
    const [w1, w2] = steps({ kind: "momentum", beta: 0.9, nesterov: true }, 1, [0.5, 0.2], 0.1);
    expect(w1).toBeCloseTo(0.905, 15);
    expect(w2).toBeCloseTo(0.8265, 15);
  });

  it("adam: bias-corrected moments", () => {
    // step 1, g = 0.5: m = 0.1*0.5 = 0.05, v = 0.001*0.25 = 0.00025,
    //   m̂ = 0.05/(1-0.9) = 0.5, v̂ = 0.00025/(1-0.999) = 0.25,
    //   w = 1 - 0.1 * 0.5/(0.5 + 1e-8) = 0.900000002
    // step 2, g = 0.2: m = 0.9*0.05 + 0.1*0.2 = 0.065, v = 0.999*0.00025 + 0.001*0.04 = 0.00028975,
    //   m̂ = 0.065/(1-0.81) = 0.342105263..., v̂ = 0.00028975/(1-0.998001) = 0.144947473...,
    //   √v̂ = 0.380719678..., w = 0.900000002 - 0.1 * 0.342105263/(0.380719678 + 1e-8) = 0.810142483...
    const [w1, w2] = steps(adam, 1, [0.5, 0.2], 0.1);
    expect(w1).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-8), 15);
    expect(w1).toBeCloseTo(0.900000002, 15);
    const mHat = 0.065 / 0.19, vHat = 0.00028975 / 0.001999;
    expect(w2).toBeCloseTo(0.900000002 - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8), 14);
    expect(w2).toBeCloseTo(0.8101424839029282, 14);
  });

  it("momentum with beta = 0 is exactly sgd, plain and Nesterov", () => {
    const grads = [0.3, -1.7, 2.5, 0.01];
    const sgd = steps({ kind: "sgd", weightDecay: 0.1 }, 0.7, grads, 0.05);
    expect(steps({ kind: "momentum", beta: 0, nesterov: false, weightDecay: 0.1 }, 0.7, grads, 0.05)).toEqual(sgd);
    expect(steps({ kind: "momentum", beta: 0, nesterov: true, weightDecay: 0.1 }, 0.7, grads, 0.05)).toEqual(sgd);
  });

  it("float32 params are updated in float32 storage with float64 slots", () => {
    const p = param("w", [1], [0.5], true, "float32");
    const opt = createOptimizer(adam);
    const state = opt.init([p]);
    opt.update([p], state, 0.1);
    expect(state.slots[0]![0]).toBeInstanceOf(Float64Array);
    expect(p.value.data[0]).toBe(Math.fround(0.900000002));
  });

  it("lr = 0 leaves the params alone", () => {
    expect(steps(adam, 1.5, [0.5, 0.2], 0)).toEqual([1.5, 1.5]);
  });
});

describe("decoupled weight decay", () => {
  it("sgd: w -= lr*(g + wd*w) on weights, biases untouched by the decay", () => {
    // weight: 2 - 0.1*(0.5 + 0.01*2) = 2 - 0.052 = 1.948; bias: 2 - 0.1*0.5 = 1.95
    const w = param("W1", [2], [0.5], true);
    const b = param("b1", [2], [0.5], false);
    const opt = createOptimizer({ kind: "sgd", weightDecay: 0.01 });
    opt.update([w, b], opt.init([w, b]), 0.1);
    expect(w.value.data[0]).toBeCloseTo(1.948, 15);
    expect(b.value.data[0]).toBeCloseTo(1.95, 15);
  });

  it("momentum: the decay is applied to w directly, not fed into the velocity", () => {
    // step 1: v = 0.5, w = 1 - 0.1*(0.5 + 0.1*1) = 0.94
    // step 2: v = 0.9*0.5 + 0.2 = 0.65 (no decay inside), w = 0.94 - 0.1*(0.65 + 0.1*0.94) = 0.8656
    const [w1, w2] = steps({ kind: "momentum", beta: 0.9, nesterov: false, weightDecay: 0.1 }, 1, [0.5, 0.2], 0.1);
    expect(w1).toBeCloseTo(0.94, 15);
    expect(w2).toBeCloseTo(0.8656, 15);
    const [b1, b2] = steps({ kind: "momentum", beta: 0.9, nesterov: false, weightDecay: 0.1 }, 1, [0.5, 0.2], 0.1, false);
    expect(b1).toBeCloseTo(0.95, 15);
    expect(b2).toBeCloseTo(0.885, 15);
  });

  it("adam (AdamW): w -= lr*(m̂/(√v̂+ε) + wd*w), unlike coupled L2 through the gradient", () => {
    // decoupled: 1 - 0.1*(0.5/(0.5 + 1e-8) + 0.05*1) = 0.895000002
    const [decoupled] = steps({ ...adam, weightDecay: 0.05 }, 1, [0.5], 0.1);
    expect(decoupled).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.05), 15);
    expect(decoupled).toBeCloseTo(0.895000002, 15);
    // coupled L2 of the same strength: g = 0.5 + 0.05*1 = 0.55, and Adam's first step is ~lr*sign(g): 1 - 0.1*0.55/(0.55 + 1e-8)
    const [coupled] = steps(adam, 1, [0.55], 0.1);
    expect(coupled).toBeCloseTo(1 - (0.1 * 0.55) / (0.55 + 1e-8), 15);
    expect(Math.abs(coupled! - decoupled!)).toBeGreaterThan(0.004);
    const [bias] = steps({ ...adam, weightDecay: 0.05 }, 1, [0.5], 0.1, false);
    expect(bias).toBeCloseTo(0.900000002, 15);
  });
});

describe("state serialization", () => {
  /** Deterministic pseudo-gradients: a smooth function of the weights and the step. */
  function fillGrads(params: readonly Param[], step: number): void {
    params.forEach((p, k) => {
      const w = p.value.data, g = p.grad.data;
      for (let i = 0; i < w.length; i++) g[i] = Math.sin(3 * w[i]! + step + k) + 0.1 * w[i]!;
    });
  }
  function makeParams(dtype: DType): Param[] {
    return [param("W1", [0.3, -0.7, 1.1, 0.05, -0.2, 0.9], undefined, true, dtype), param("b1", [0.1, -0.1], undefined, false, dtype)];
  }
  function bytes(params: readonly Param[]): Uint8Array[] {
    return params.map((p) => new Uint8Array(p.value.data.buffer.slice(0)));
  }

  const specs: OptimizerSpec[] = [
    { kind: "sgd", weightDecay: 0.01 },
    { kind: "momentum", beta: 0.9, nesterov: false, weightDecay: 0.01 },
    { kind: "momentum", beta: 0.8, nesterov: true },
    { ...adam, weightDecay: 0.01 },
  ];
  for (const spec of specs) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`${spec.kind}${"nesterov" in spec && spec.nesterov ? " (nesterov)" : ""}, ${dtype}: training continues bit-identically after a JSON round trip`, () => {
        const opt = createOptimizer(spec);
        const a = makeParams(dtype), b = makeParams(dtype);
        const sa = opt.init(a);
        let sb = opt.init(b);
        for (let step = 0; step < 20; step++) {
          if (step === 10) {
            const json = JSON.parse(JSON.stringify(serializeOptimizerState(sb))) as unknown;
            sb = deserializeOptimizerState(json, b);
            expect(sb.t).toBe(10);
            expect(serializeOptimizerState(sb)).toEqual(serializeOptimizerState(sa));
          }
          fillGrads(a, step);
          fillGrads(b, step);
          opt.update(a, sa, 0.05);
          opt.update(b, sb, 0.05);
        }
        expect(bytes(b)).toEqual(bytes(a));
        expect(sa.slots.flat().map((s) => Array.from(s))).toEqual(sb.slots.flat().map((s) => Array.from(s)));
        // The params did move: the comparison is not between two untouched copies.
        expect(bytes(a)).not.toEqual(bytes(makeParams(dtype)));
      });
    }
  }

  it("slots never hold -0, which JSON cannot carry, even when a tiny negative value underflows", () => {
    // momentum, β = 0.5: g = -5e-324 (the smallest denormal) gives v = -5e-324; then g = -0 gives
    // v = 0.5*(-5e-324) + (-0) = (-0) + (-0), which must be stored as +0.
    // adam, β1 = 0.5: g = -1e-323 gives m = 0.5*(-1e-323) = -5e-324; then g = -0 likewise.
    const specs: OptimizerSpec[] = [
      { kind: "momentum", beta: 0.5, nesterov: false },
      { kind: "adam", beta1: 0.5, beta2: 0.999, epsilon: 1e-8 },
    ];
    for (const spec of specs) {
      const p = [param("W1", [1])];
      const opt = createOptimizer(spec);
      const state = opt.init(p);
      p[0]!.grad.data[0] = spec.kind === "adam" ? -1e-323 : -5e-324;
      opt.update(p, state, 0.1);
      expect(state.slots[0]![0]![0]).toBe(-5e-324);
      p[0]!.grad.data[0] = -0;
      opt.update(p, state, 0.1);
      expect(Object.is(state.slots[0]![0]![0], 0)).toBe(true);
      const back = deserializeOptimizerState(JSON.parse(JSON.stringify(serializeOptimizerState(state))), p);
      expect(new Uint8Array(back.slots[0]![0]!.buffer)).toEqual(new Uint8Array(state.slots[0]![0]!.buffer));
    }
  });

  it("sgd state is the update count and the param names", () => {
    const p = [param("W1", [1]), param("b1", [0], undefined, false)];
    const opt = createOptimizer({ kind: "sgd" });
    const state = opt.init(p);
    opt.update(p, state, 0.1);
    expect(serializeOptimizerState(state)).toEqual({ kind: "sgd", t: 1, names: ["W1", "b1"], slots: [] });
  });

  describe("malformed state is an InputError saying what is wrong", () => {
    const params = [param("W1", [1, 2, 3]), param("b1", [0], undefined, false)];
    const good = () => {
      const opt = createOptimizer(adam);
      const state = opt.init(params);
      return serializeOptimizerState(state) as unknown as Record<string, unknown> & { slots: number[][][] };
    };
    const cases: [string, () => unknown, RegExp][] = [
      ["not an object", () => 42, /optimizer state must be an object, got 42/],
      ["unknown kind", () => ({ ...good(), kind: "rmsprop" }), /kind must be one of .*got "rmsprop"/],
      ["negative t", () => ({ ...good(), t: -1 }), /optimizer state\.t .*got -1/],
      ["fractional t", () => ({ ...good(), t: 1.5 }), /optimizer state\.t must be an integer.*got 1\.5/],
      ["wrong names", () => ({ ...good(), names: ["W1", "b2"] }), /names\[1\] is "b2".*named "b1"/],
      ["too few params", () => ({ ...good(), names: ["W1"] }), /names must list the names of 2 params/],
      ["missing slot", () => ({ ...good(), slots: [good().slots[0]] }), /slots of a adam optimizer must be 2 arrays \(m, v\)/],
      ["short slot", () => ({ ...good(), slots: [[[0, 0], [0]], good().slots[1]] }), /slots\[0\]\[0\] \(m of param 0 \("W1", 1x3\)\) must be an array of 3 numbers, got 2 values/],
      ["string value", () => ({ ...good(), slots: [good().slots[0], [[0, "1", 0], [0]]] }), /slots\[1\]\[0\] \(v of .*\)\[1\] must be a number, got "1"/],
      ["null value (a NaN after JSON)", () => ({ ...good(), slots: [good().slots[0], [[0, 0, null], [0]]] }), /slots\[1\]\[0\].*\[2\] must be a number, got null/],
    ];
    for (const [name, make, message] of cases) {
      it(name, () => {
        expect(() => deserializeOptimizerState(make(), params)).toThrow(InputError);
        expect(() => deserializeOptimizerState(make(), params)).toThrow(message);
      });
    }
    it("the unmodified state is accepted", () => {
      expect(deserializeOptimizerState(good(), params).slots[0]![0]).toEqual(new Float64Array(3));
    });
  });

  it("a state that does not match the optimizer or the params is refused by update", () => {
    const p = [param("W1", [1, 2]), param("b1", [0], undefined, false)];
    const adamState = createOptimizer(adam).init(p);
    expect(() => createOptimizer({ kind: "momentum", beta: 0.9, nesterov: false }).update(p, adamState, 0.1)).toThrow(/state is for "adam" but the optimizer is "momentum"/);
    expect(() => createOptimizer(adam).update([p[0]!], adamState, 0.1)).toThrow(/belongs to 2 params, but 1 were given/);
    expect(() => createOptimizer(adam).update([p[0]!, param("b2", [0])], adamState, 0.1)).toThrow(/param 1 is "b1", but param 1 \("b2", 1x1\)/);
  });

  it("a diverged state cannot be saved", () => {
    const p = [param("W1", [1])];
    const opt = createOptimizer({ kind: "momentum", beta: 0.9, nesterov: false });
    const state: OptimizerState = opt.init(p);
    p[0]!.grad.data[0] = Infinity;
    opt.update(p, state, 0.1);
    expect(() => serializeOptimizerState(state)).toThrow(RunError);
    expect(() => serializeOptimizerState(state)).toThrow(/velocity of param "W1" holds Infinity at index 0/);
  });
});

describe("spec validation", () => {
  it("defaults", () => {
    expect(defaultOptimizerSpec("sgd")).toEqual({ kind: "sgd" });
    expect(defaultOptimizerSpec("momentum")).toEqual({ kind: "momentum", beta: 0.9, nesterov: false });
    expect(defaultOptimizerSpec("adam")).toEqual({ kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    for (const kind of ["sgd", "momentum", "adam"] as const) expect(validateOptimizerSpec(defaultOptimizerSpec(kind))).toEqual(defaultOptimizerSpec(kind));
  });

  it("accepts boundary values and returns a copy without extra references", () => {
    const spec = { kind: "momentum", beta: 0, nesterov: true, weightDecay: 0 };
    const out = validateOptimizerSpec(spec);
    expect(out).toEqual(spec);
    expect(out).not.toBe(spec);
  });

  const bad: [string, unknown, RegExp][] = [
    ["negative beta", { kind: "momentum", beta: -0.1, nesterov: false }, /optimizer\.beta must be a number in \[0, 1\), got -0\.1/],
    ["beta = 1", { kind: "momentum", beta: 1, nesterov: false }, /optimizer\.beta must be a number in \[0, 1\), got 1$/],
    ["missing beta", { kind: "momentum", nesterov: false }, /optimizer\.beta .*got undefined/],
    ["string nesterov", { kind: "momentum", beta: 0.9, nesterov: "yes" }, /optimizer\.nesterov must be true or false, got "yes"/],
    ["beta1 > 1", { ...adam, beta1: 1.5 }, /optimizer\.beta1 must be a number in \[0, 1\), got 1\.5/],
    ["NaN beta2", { ...adam, beta2: NaN }, /optimizer\.beta2 must be a number in \[0, 1\), got NaN/],
    ["epsilon = 0", { ...adam, epsilon: 0 }, /optimizer\.epsilon must be a number > 0, got 0/],
    ["negative weight decay", { kind: "sgd", weightDecay: -1e-4 }, /optimizer\.weightDecay must be a number >= 0, got -0\.0001/],
    ["infinite weight decay", { kind: "sgd", weightDecay: Infinity }, /optimizer\.weightDecay .*got Infinity/],
    ["unknown kind", { kind: "adamw" }, /optimizer\.kind must be one of "sgd", "momentum", "adam", got "adamw"/],
    ["misspelled field", { ...adam, beta_1: 0.9 }, /optimizer has unknown field "beta_1"; the fields of kind "adam" are: kind, beta1, beta2, epsilon, weightDecay/],
    ["field of another kind", { kind: "sgd", beta: 0.9 }, /unknown field "beta"/],
    ["not an object", "adam", /optimizer must be an object with a "kind" field, got "adam"/],
  ];
  for (const [name, spec, message] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => validateOptimizerSpec(spec)).toThrow(InputError);
      expect(() => validateOptimizerSpec(spec)).toThrow(message);
      expect(() => createOptimizer(spec as OptimizerSpec)).toThrow(message);
    });
  }

  it("rejects a NaN, negative or infinite learning rate at update, naming it", () => {
    const p = [param("w", [1], [1])];
    const opt = createOptimizer({ kind: "sgd" });
    const state = opt.init(p);
    expect(() => opt.update(p, state, NaN)).toThrow(/learning rate must be a number >= 0, got NaN/);
    expect(() => opt.update(p, state, -0.1)).toThrow(/learning rate must be a number >= 0, got -0\.1/);
    expect(() => opt.update(p, state, Infinity)).toThrow(InputError);
    expect(p[0]!.value.data[0]).toBe(1);
    expect(state.t).toBe(0);
  });
});
