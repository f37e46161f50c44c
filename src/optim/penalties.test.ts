import { describe, it, expect } from "vitest";
import { InputError } from "../core/errors.js";
import type { DType } from "../core/matrix.js";
import type { Param } from "../nn/layer.js";
import { addL2Gradient, applyMaxNorm, l2Cost } from "./penalties.js";

/** A rows x cols param filled row by row from `values`, with a gradient of `grad` everywhere. */
function param(name: string, rows: number, cols: number, values: number[], penalize: boolean, dtype: DType = "float64", grad = 0): Param {
  const make = (v: number[]) => (dtype === "float64" ? Float64Array.from(v) : Float32Array.from(v));
  return {
    name,
    value: { rows, cols, data: make(values) },
    grad: { rows, cols, data: make(values.map(() => grad)) },
    penalize,
  };
}

/** A small network's params: W1 (2x3), b1, W2 (1x2), b2. */
function network(grad = 0): Param[] {
  return [
    param("W1", 2, 3, [1, -2, 0.5, 3, 0, -1], true, "float64", grad),
    param("b1", 1, 2, [10, -20], false, "float64", grad),
    param("W2", 1, 2, [0.25, -4], true, "float64", grad),
    param("b2", 1, 1, [7], false, "float64", grad),
  ];
}

describe("l2Cost", () => {
  it("(lambda / 2m) * sum of squared penalized weights, biases excluded", () => {
    // Σw² = (1 + 4 + 0.25 + 9 + 0 + 1) + (0.0625 + 16) = 31.3125; λ = 0.7, m = 5: 0.7/10 * 31.3125 = 2.191875
    expect(l2Cost(network(), 0.7, 5)).toBeCloseTo(2.191875, 14);
    expect(l2Cost(network(), 0, 5)).toBe(0);
  });

  it("float32 params", () => {
    const p = [param("W", 1, 2, [3, 4], true, "float32")];
    // (2 / (2*1)) * 25 = 25
    expect(l2Cost(p, 2, 1)).toBe(25);
  });
});

describe("addL2Gradient", () => {
  it("adds (lambda / m) * w to the penalized gradients and leaves bias gradients alone", () => {
    const params = network(0.5);
    addL2Gradient(params, 0.7, 5);
    // W2: 0.5 + 0.14 * [0.25, -4] = [0.535, -0.06]
    expect(params[2]!.grad.data[0]).toBeCloseTo(0.535, 15);
    expect(params[2]!.grad.data[1]).toBeCloseTo(-0.06, 15);
    expect(Array.from(params[1]!.grad.data)).toEqual([0.5, 0.5]);
    expect(Array.from(params[3]!.grad.data)).toEqual([0.5]);
  });

  it("matches a central finite difference of l2Cost (float64, relative error < 1e-7)", () => {
    const lambda = 0.7, m = 5, h = 1e-5;
    const params = network();
    addL2Gradient(params, lambda, m);
    const analytic: number[] = [], numeric: number[] = [];
    for (const p of params) {
      const w = p.value.data;
      for (let i = 0; i < w.length; i++) {
        const saved = w[i]!;
        w[i] = saved + h;
        const plus = l2Cost(params, lambda, m);
        w[i] = saved - h;
        const minus = l2Cost(params, lambda, m);
        w[i] = saved;
        numeric.push((plus - minus) / (2 * h));
        analytic.push(p.grad.data[i]!);
      }
    }
    const norm = (v: number[]) => Math.hypot(...v);
    const relative = norm(analytic.map((a, i) => a - numeric[i]!)) / (norm(analytic) + norm(numeric));
    expect(relative).toBeLessThan(1e-7);
    // The biases' entries are zero on both sides, the weights' are not.
    expect(numeric[6]).toBeCloseTo(0, 6);
    expect(analytic[0]).toBeCloseTo(0.14, 15);
  });
});

describe("applyMaxNorm", () => {
  it("rescales exactly the rows over c to norm c and leaves the other rows and the biases alone", () => {
    // W1 rows: [3, 4] norm 5 (over), [0.6, 0.8] norm 1 (under), [2, 0] norm 2 (exactly c: left alone);
    // W2 row: [0, -6] norm 6 (over); biases far over c, untouched.
    const W1 = param("W1", 3, 2, [3, 4, 0.6, 0.8, 2, 0], true);
    const b1 = param("b1", 1, 3, [100, -100, 50], false);
    const W2 = param("W2", 1, 2, [0, -6], true);
    expect(applyMaxNorm([W1, b1, W2], 2)).toBe(2);
    // [3, 4] * 2/5 = [1.2, 1.6]; [0, -6] * 2/6 = [0, -2]
    expect(W1.value.data[0]).toBeCloseTo(1.2, 15);
    expect(W1.value.data[1]).toBeCloseTo(1.6, 15);
    expect(Array.from(W1.value.data.subarray(2))).toEqual([0.6, 0.8, 2, 0]);
    expect(W2.value.data[0]).toBe(0);
    expect(W2.value.data[1]).toBeCloseTo(-2, 15);
    expect(Array.from(b1.value.data)).toEqual([100, -100, 50]);
    // A second pass has nothing left to do.
    expect(applyMaxNorm([W1, b1, W2], 2)).toBe(0);
  });

  it("float32 rows end at norm c up to float32 rounding", () => {
    const W = param("W", 2, 3, [1, 2, 3, -4, 5, -6], true, "float32");
    expect(applyMaxNorm([W], 1.5)).toBe(2);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(W.value.data.subarray(r * 3, r * 3 + 3));
      expect(Math.hypot(...row)).toBeCloseTo(1.5, 6);
    }
  });
});

describe("validation", () => {
  const params = network();
  const cases: [string, () => unknown, RegExp][] = [
    ["negative lambda", () => l2Cost(params, -0.1, 5), /L2 lambda must be a number >= 0, got -0\.1/],
    ["NaN lambda", () => addL2Gradient(params, NaN, 5), /L2 lambda must be a number >= 0, got NaN/],
    ["m = 0", () => l2Cost(params, 0.1, 0), /number of training examples m must be an integer >= 1, got 0/],
    ["fractional m", () => addL2Gradient(params, 0.1, 2.5), /m must be an integer >= 1, got 2\.5/],
    ["c = 0", () => applyMaxNorm(params, 0), /max-norm c must be a number > 0, got 0/],
    ["negative c", () => applyMaxNorm(params, -3), /max-norm c must be a number > 0, got -3/],
    ["infinite c", () => applyMaxNorm(params, Infinity), /max-norm c .*got Infinity/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(call).toThrow(InputError);
      expect(call).toThrow(message);
    });
  }

  it("a rejected call changes nothing", () => {
    const p = network(0.5);
    expect(() => addL2Gradient(p, -1, 5)).toThrow(InputError);
    expect(Array.from(p[0]!.grad.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});
