import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { fromRows, zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import { Network } from "../nn/network.js";
import { fourInputsExperiment, matrixSpread, networkSpread, weightSpread } from "./spread.js";

describe("weight-spread metrics", () => {
  it("gives share 1 and one effective input for a single weight, 1/n and n for equal magnitudes", () => {
    expect(weightSpread([100, 0, 0, 0])).toEqual({ largestShare: 1, effectiveInputs: 1 });
    expect(weightSpread([25, -25, 25, -25])).toEqual({ largestShare: 0.25, effectiveInputs: 4 });
    const s = weightSpread([3, -1]);
    expect(s.largestShare).toBeCloseTo(0.75, 15);
    expect(s.effectiveInputs).toBeCloseTo(16 / 10, 15);
    expect(weightSpread([0, 0, 0])).toEqual({ largestShare: 0, effectiveInputs: 0 });
  });

  it("summarizes every unit (row) of a matrix with its mean and quantiles", () => {
    const w = fromRows([[1, 0, 0], [1, 1, 0], [1, 1, 1]], "float64");
    const layer = matrixSpread("W1", w);
    expect(layer.perUnit.map((u) => u.effectiveInputs)).toEqual([1, 2, 3]);
    expect(layer.meanEffectiveInputs).toBe(2);
    expect(layer.effectiveInputs).toEqual({ min: 1, q10: 1.2, q25: 1.5, median: 2, q75: 2.5, q90: 2.8, max: 3 });
    expect(layer.largestShare.max).toBe(1);
    expect(JSON.parse(JSON.stringify(layer))).toEqual(layer);
  });

  it("covers every weight matrix of a network, output layer included", () => {
    const net = new Network({ layers: [5, 4, 3, 2], activation: "relu", keepProbs: [1, 1, 1], loss: "softmax-cross-entropy" }, Rng.fromSeed(3));
    const spread = networkSpread(net);
    expect(spread.map((l) => [l.name, l.units, l.inputs])).toEqual([["W1", 4, 5], ["W2", 3, 4], ["W3", 2, 3]]);
    for (const l of spread) for (const u of l.perUnit) {
      expect(u.effectiveInputs).toBeGreaterThanOrEqual(1);
      expect(u.effectiveInputs).toBeLessThanOrEqual(l.inputs);
      expect(u.largestShare).toBeGreaterThanOrEqual(1 / l.inputs);
    }
  });
});

describe("the four-inputs experiment", () => {
  const result = fourInputsExperiment({ seed: 1 });

  it("trains one unit three ways from the same seed and records the weights every epoch", () => {
    expect(result.runs.map((r) => r.method)).toEqual(["none", "l2", "dropout"]);
    expect(result.featureNames).toEqual(["strong", "backup1", "backup2", "backup3"]);
    for (const run of result.runs) {
      expect(run.weights).toHaveLength(4);
      expect(run.evolution).toHaveLength(101);
      expect(run.evolution.at(-1)!.weights).toEqual(run.weights);
      // the labels are t + 0.5 e > 0, so no classifier beats 1 - atan(0.5)/pi = 85.2% on average
      expect(run.devAccuracy).toBeGreaterThan(0.8);
    }
    // the same initial weights for all three ways
    expect(result.runs[1]!.evolution[0]).toEqual(result.runs[0]!.evolution[0]);
    expect(result.runs[2]!.evolution[0]).toEqual(result.runs[0]!.evolution[0]);
    expect(result.runs.map((r) => r.keepProbs)).toEqual([[1], [1], [0.5]]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("is bit-identical for the same seed", () => {
    expect(JSON.stringify(fourInputsExperiment({ seed: 1 }))).toBe(JSON.stringify(result));
  });

  it("acceptance: with dropout the effective number of inputs is at least 1 higher than without a penalty, and the largest share lower", () => {
    const [none, , dropout] = result.runs;
    expect(result.dropoutVsNone.effectiveInputsGain).toBe(dropout!.effectiveInputs - none!.effectiveInputs);
    expect(result.dropoutVsNone.effectiveInputsGain).toBeGreaterThanOrEqual(1);
    expect(dropout!.largestShare).toBeLessThan(none!.largestShare);
    // without a penalty the unit leans on the strong input
    expect(Math.abs(none!.weights[0]!)).toBe(Math.max(...none!.weights.map(Math.abs)));
  });

  it("rejects bad arguments with one line naming the value", () => {
    expect(() => fourInputsExperiment({ keepProb: 0 })).toThrow(InputError);
    expect(() => fourInputsExperiment({ keepProb: 1.5 })).toThrow(/keepProb must be a number in \(0, 1\], got 1.5/);
    expect(() => fourInputsExperiment({ size: 1 })).toThrow(/size must be an integer/);
    const d = synthetic("four-inputs", { n: 10, noise: 0.1, rng: Rng.fromSeed(1) }).data;
    expect(() => fourInputsExperiment({ size: 10, data: { train: d, dev: d } })).toThrow(/leave them out when passing data/);
  });
});
