import { describe, expect, it } from "vitest";
import { ACTIVATIONS, LEAKY_SLOPE } from "./backend.js";
import { fromRows, zeros, type Matrix } from "./matrix.js";
import { jsBackend, sigmoid } from "./ops.js";
import { Rng } from "./rng.js";

function random(rows: number, cols: number, rng: Rng): Matrix {
  const m = zeros(rows, cols, "float64");
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

/** Textbook triple loop: the oracle for the products. */
function naive(a: Matrix, b: Matrix, ta: boolean, tb: boolean): number[] {
  const m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols, n = tb ? b.rows : b.cols;
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a.data[p * a.cols + i]! : a.data[i * a.cols + p]!) * (tb ? b.data[j * b.cols + p]! : b.data[p * b.cols + j]!);
      out.push(s);
    }
  return out;
}

describe("plain backend", () => {
  const rng = Rng.fromSeed(11);
  const shapes: [number, number, number][] = [[1, 1, 1], [1, 7, 5], [3, 5, 7], [17, 9, 6], [8, 33, 13]];

  it("computes the three product layouts like the textbook loop", () => {
    for (const [m, k, n] of shapes) {
      const a = random(m, k, rng), b = random(k, n, rng), bt = random(n, k, rng), at = random(k, m, rng);
      const out = zeros(m, n, "float64");
      jsBackend.matmulNN(a, b, out);
      expectClose(Array.from(out.data), naive(a, b, false, false));
      jsBackend.matmulNT(a, bt, out);
      expectClose(Array.from(out.data), naive(a, bt, false, true));
      jsBackend.matmulTN(at, b, out);
      expectClose(Array.from(out.data), naive(at, b, true, false));
    }
  });

  it("refuses mismatched shapes with both shapes in the message", () => {
    expect(() => jsBackend.matmulNN(zeros(2, 3), zeros(4, 5), zeros(2, 5))).toThrow(/matmulNN: incompatible shapes \(2x3 · 4x5/);
  });

  it("adds the bias and applies each activation", () => {
    const x = fromRows([[-2, 0.5], [3, -0.25]], "float64");
    const b = fromRows([[0.5, -1]], "float64");
    const f: Record<string, (v: number) => number> = {
      linear: (v) => v,
      relu: (v) => Math.max(v, 0),
      "leaky-relu": (v) => (v > 0 ? v : LEAKY_SLOPE * v),
      tanh: Math.tanh,
      sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    };
    for (const act of ACTIVATIONS) {
      const out = zeros(2, 2, "float64");
      jsBackend.biasActivation(x, b, act, out);
      expectClose(Array.from(out.data), [-1.5, -0.5, 3.5, -1.25].map(f[act]!));
    }
  });

  it("differentiates each activation from its output", () => {
    const z = fromRows([[-1.3, 0.7, 2.1]], "float64");
    for (const act of ACTIVATIONS) {
      const y = zeros(1, 3, "float64");
      jsBackend.biasActivation(z, zeros(1, 3, "float64"), act, y);
      const dy = fromRows([[1, 1, 1]], "float64");
      const out = zeros(1, 3, "float64");
      jsBackend.activationBackward(y, dy, act, out);
      const numeric = Array.from(z.data).map((v) => {
        const h = 1e-6, one = zeros(1, 1, "float64"), two = zeros(1, 1, "float64");
        jsBackend.biasActivation(fromRows([[v + h]], "float64"), zeros(1, 1, "float64"), act, one);
        jsBackend.biasActivation(fromRows([[v - h]], "float64"), zeros(1, 1, "float64"), act, two);
        return (one.data[0]! - two.data[0]!) / (2 * h);
      });
      expectClose(Array.from(out.data), numeric, 1e-6);
    }
  });

  it("sums columns and applies masks", () => {
    const x = fromRows([[1, 2], [3, 4], [5, 6]], "float64");
    const s = zeros(1, 2, "float64");
    jsBackend.columnSums(x, s);
    expect(Array.from(s.data)).toEqual([9, 12]);
    const out = zeros(3, 2, "float64");
    jsBackend.applyMask(x, Uint8Array.from([1, 0, 0, 1, 1, 1]), 2, out);
    expect(Array.from(out.data)).toEqual([2, 0, 0, 8, 10, 12]);
  });

  it("computes the sigmoid without overflow at large |x|", () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});

function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!))));
}
