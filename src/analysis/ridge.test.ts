import { describe, expect, it } from "vitest";
import { InputError, RunError } from "../core/errors.js";
import { fromRows, zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { tensorDataset } from "../data/dataset.js";
import { LINEAR_FEATURE_SDS } from "../data/synthetic.js";
import { synthetic } from "../data/synthetic.js";
import {
  dropoutExpectedCost,
  dropoutRegression,
  dropoutRidgeSolution,
  enumerateDropoutExpectation,
  expectationCost,
  gramMatrix,
  matchedRidgeLambda,
  ridgeSolution,
  solveLinear,
} from "./ridge.js";

const X = fromRows([[1, 2], [3, 4]], "float64");
const Y = [1, 2];

describe("dropout as adaptive L2 (Srivastava et al. 2014, sec. 9.1)", () => {
  it("matches the formula by enumerating all 16 masks of the 2-row, 2-feature case (1e-12)", () => {
    const e = enumerateDropoutExpectation(X, Y, 0.8);
    expect(e.masks).toBe(16);
    const rng = Rng.fromSeed(3);
    for (let t = 0; t < 20; t++) {
      const w = [rng.normal() * 2, rng.normal() * 2];
      const formula = dropoutExpectedCost(X, Y, w, 0.8);
      expect(Math.abs(expectationCost(e, w) - formula)).toBeLessThan(1e-12 * Math.max(1, formula));
    }
    // E[X̃ᵀX̃] = XᵀX off the diagonal and (XᵀX)_jj / p on it
    expect(e.gram[0]![0]).toBeCloseTo(10 / 0.8, 12);
    expect(e.gram[1]![1]).toBeCloseTo(20 / 0.8, 12);
    expect(e.gram[0]![1]).toBeCloseTo(14, 12);
    const w = dropoutRidgeSolution(X, Y, 0.8);
    expect(Math.abs(e.solution[0]! - w[0]!)).toBeLessThan(1e-12);
    expect(Math.abs(e.solution[1]! - w[1]!)).toBeLessThan(1e-12);
  });

  it("gives w* = [0.30042918, 0.23175966] for X = [[1,2],[3,4]], y = [1,2], p = 0.8", () => {
    const w = dropoutRidgeSolution(X, Y, 0.8);
    expect(Math.abs(w[0]! - 35 / 116.5)).toBeLessThan(1e-15);
    expect(Math.abs(w[0]! - 0.30042918)).toBeLessThan(1e-8);
    expect(Math.abs(w[1]! - 0.23175966)).toBeLessThan(1e-8);
  });

  it("enumerates a 3-row case with p = 0.5 too, and keepProb 1 is least squares", () => {
    const x = fromRows([[1, -1, 2], [0.5, 2, 1], [-1, 1, 3]], "float64"), y = [1, 0, -2];
    const e = enumerateDropoutExpectation(x, y, 0.5);
    expect(e.masks).toBe(512);
    dropoutRidgeSolution(x, y, 0.5).forEach((v, j) => expect(Math.abs(v - e.solution[j]!)).toBeLessThan(1e-12));
    const ls = ridgeSolution(x, y, 0);
    dropoutRidgeSolution(x, y, 1).forEach((v, j) => expect(v).toBeCloseTo(ls[j]!, 12));
  });

  it("solves linear systems with pivoting and refuses singular ones", () => {
    expect(solveLinear([[0, 1], [1, 0]], [2, 3])).toEqual([3, 2]);
    expect(() => solveLinear([[1, 2], [2, 4]], [1, 2])).toThrow(RunError);
  });

  it("the matched ridge λ charges the dropout solution the same total penalty", () => {
    const w = dropoutRidgeSolution(X, Y, 0.8);
    const lambda = matchedRidgeLambda(X, 0.8, w);
    const g = gramMatrix(X);
    const dropoutPenalty = 0.25 * (g[0]![0]! * w[0]! ** 2 + g[1]![1]! * w[1]! ** 2);
    expect(lambda * (w[0]! ** 2 + w[1]! ** 2)).toBeCloseTo(dropoutPenalty, 12);
  });

  it("rejects bad arguments with one line naming the value", () => {
    expect(() => dropoutRidgeSolution(X, Y, 0)).toThrow(/keepProb must be a number in \(0, 1\], got 0/);
    expect(() => dropoutRidgeSolution(X, [1], 0.5)).toThrow(/y has 1 values but X has 2 rows/);
    expect(() => enumerateDropoutExpectation(zeros(5, 5, "float64"), [0, 0, 0, 0, 0], 0.5)).toThrow(/rows x features <= 20, got 5 x 5 = 25/);
    expect(() => ridgeSolution(X, Y, -1)).toThrow(InputError);
  });
});

/** 5 correlated features of different scales and offsets, y = X w + 2 + noise. */
function fiveFeatures(n: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const sds = [0.5, 1, 1.5, 2, 3], w = [1, -2, 0.5, 1, -0.5];
  const x = zeros(n, 5), y = zeros(n, 1);
  for (let i = 0; i < n; i++) {
    const shared = rng.normal();
    let target = 2;
    for (let j = 0; j < 5; j++) {
      const v = sds[j]! * (0.8 * rng.normal() + 0.6 * shared) + 1;
      x.data[i * 5 + j] = v;
      target += w[j]! * v;
    }
    y.data[i] = target + rng.normal();
  }
  return tensorDataset(x, y, { kind: "regression", outputs: 1 });
}

describe("dropout regression: the engine against the closed form", () => {
  it("acceptance: on 5 features x 1,000 rows SGD with input dropout lands within 2% of w*", () => {
    const r = dropoutRegression(fiveFeatures(1000, 5), { keepProb: 0.8, seed: 1 });
    expect(r.p).toBe(0.8);
    expect(r.closedForm).toHaveLength(5);
    expect(r.relativeError).toBeLessThan(0.02);
    expect(Math.abs(r.trainedBias)).toBeLessThan(0.05);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("is bit-identical for the same seed", () => {
    const data = fiveFeatures(200, 2);
    const a = dropoutRegression(data, { keepProb: 0.5, epochs: 5 }), b = dropoutRegression(data, { keepProb: 0.5, epochs: 5 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("shrinks every feature by the same factor where ridge at the same total penalty spares the high-variance ones", () => {
    // The linear set: independent features with standard deviations 0.5, 1, 2, 4.
    const { data } = synthetic("linear", { n: 2000, noise: 0.1, rng: Rng.fromSeed(4) });
    const r = dropoutRegression(data, { keepProb: 0.8, epochs: 1 });
    const f = r.features;
    expect(f.map((v) => v.name)).toEqual(["x1", "x2", "x3", "x4"]);
    f.forEach((v, j) => expect(Math.sqrt(v.variance)).toBeCloseTo(LINEAR_FEATURE_SDS[j]!, 0));
    // dropout's coefficient grows with the variance; ridge's is flat
    for (let j = 1; j < f.length; j++) expect(f[j]!.dropoutCoefficient).toBeGreaterThan(f[j - 1]!.dropoutCoefficient);
    // with nearly uncorrelated features dropout shrinks each weight by about p
    for (const v of f) expect(v.dropoutShrinkage).toBeCloseTo(0.8, 1);
    // ridge at the same total shrinks the low-variance feature far more and the high-variance one less
    expect(f[0]!.ridgeShrinkage).toBeLessThan(f[0]!.dropoutShrinkage - 0.3);
    expect(f[3]!.ridgeShrinkage).toBeGreaterThan(f[3]!.dropoutShrinkage);
    expect(r.penalty.dropout).toBeCloseTo(r.ridgeLambda * r.closedForm.reduce((s, v) => s + v * v, 0), 6);
  });

  it("refuses classification data and bad options", () => {
    const { data } = synthetic("gauss", { n: 20, noise: 0.1, rng: Rng.fromSeed(1) });
    expect(() => dropoutRegression(data, { keepProb: 0.5 })).toThrow(/needs a regression set with one target/);
    expect(() => dropoutRegression(fiveFeatures(10, 1), { keepProb: 0.5, burnIn: 1 })).toThrow(/burnIn must be a number in \[0, 1\), got 1/);
  });
});
