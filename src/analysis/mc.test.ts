import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { tensorDataset, type Dataset } from "../data/dataset.js";
import { synthetic } from "../data/synthetic.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { evaluate } from "../train/evaluate.js";
import { fit } from "../train/fit.js";
import { calibration, errorDetectionAuc, mcDropout } from "./mc.js";

function regression(n: number, d: number, seed: number): Dataset {
  const rng = Rng.fromSeed(seed);
  const x = zeros(n, d), y = zeros(n, 1);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  for (let i = 0; i < n; i++) y.data[i] = rng.normal();
  return tensorDataset(x, y, { kind: "regression", outputs: 1 });
}

describe("Monte-Carlo dropout", () => {
  it("acceptance: for a linear network the MC average converges to the eval-mode output like 1/sqrt(T)", () => {
    for (const spec of [
      { layers: [6, 1], activation: "linear", keepProbs: [0.5], loss: "mse" },
      { layers: [6, 8, 1], activation: "linear", keepProbs: [0.8, 0.5], loss: "mse" },
    ] satisfies NetworkSpec[]) {
      const net = new Network(spec, Rng.fromSeed(1));
      const r = mcDropout(net, regression(500, 6, 2), { samples: 100, rng: Rng.fromSeed(3) });
      expect(r.curve).toHaveLength(100);
      const d1 = r.curve[0]!.difference;
      for (const t of [4, 16, 64, 100]) {
        // difference(T) · sqrt(T) stays at difference(1): the error of a mean of T independent passes
        const ratio = (r.curve[t - 1]!.difference * Math.sqrt(t)) / d1;
        expect(ratio).toBeGreaterThan(0.8);
        expect(ratio).toBeLessThan(1.25);
      }
      const spread = Math.sqrt(r.std.reduce((s, row) => s + row[0]! ** 2, 0) / r.examples);
      expect(r.curve[99]!.difference).toBeLessThan(0.13 * spread);
      expect(r.entropy).toBeNull();
      expect(r.curve[0]!.accuracy).toBeNull();
    }
  });

  it("with every keepProb at 1 the passes are identical to eval mode", () => {
    const net = new Network({ layers: [6, 8, 1], activation: "tanh", keepProbs: [1, 1], loss: "mse" }, Rng.fromSeed(1));
    const r = mcDropout(net, regression(50, 6, 2), { samples: 5, rng: Rng.fromSeed(3) });
    expect(r.mean).toEqual(r.evalPrediction);
    for (const row of r.std) expect(row[0]).toBe(0);
    for (const p of r.curve) expect(p.difference).toBe(0);
  });

  it("summarizes a classifier: probabilities, per-class spread, entropy of right and wrong answers", () => {
    const { data } = synthetic("spiral", { n: 300, noise: 0.2, rng: Rng.fromSeed(5) });
    const root = Rng.fromSeed(7);
    const net = new Network({ layers: [2, 24, 24, 2], activation: "relu", keepProbs: [1, 0.8, 0.8], loss: "softmax-cross-entropy" }, root.stream("init"));
    fit(net, { train: data }, { epochs: 30, batchSize: 16, lr: 0.01, optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } }, root.stream("train"));
    const r = mcDropout(net, data, { samples: 30, rng: Rng.fromSeed(8), chunk: 128 });
    expect(r.examples).toBe(300);
    expect(r.evalAccuracy).toBe(evaluate(net, data).accuracy);
    expect(r.mcAccuracy).toBe(r.curve.at(-1)!.accuracy);
    for (const row of r.mean) expect(row[0]! + row[1]!).toBeCloseTo(1, 6);
    for (const h of r.entropy!) {
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(Math.log(2) + 1e-12);
    }
    const { correct, wrong } = r.entropyByOutcome!;
    expect(correct.count + wrong.count).toBe(300);
    expect(wrong.count).toBeGreaterThan(0);
    // the network is less sure about the examples it gets wrong
    expect(wrong.meanEntropy!).toBeGreaterThan(correct.meanEntropy!);
    expect(Math.abs(r.mcAccuracy! - r.evalAccuracy!)).toBeLessThan(0.05);
    expect(JSON.stringify(mcDropout(net, data, { samples: 30, rng: Rng.fromSeed(8), chunk: 128 }))).toBe(JSON.stringify(r));
  });

  it("handles a single sigmoid output with binary entropy", () => {
    const { data } = synthetic("gauss", { n: 100, noise: 0.3, rng: Rng.fromSeed(5) });
    const net = new Network({ layers: [2, 8, 1], activation: "tanh", keepProbs: [1, 0.5], loss: "sigmoid-cross-entropy" }, Rng.fromSeed(1));
    const r = mcDropout(net, data, { samples: 10, rng: Rng.fromSeed(2) });
    expect(r.mean[0]).toHaveLength(1);
    expect(r.evalAccuracy).toBe(evaluate(net, data).accuracy);
    for (const h of r.entropy!) expect(h).toBeLessThanOrEqual(Math.log(2) + 1e-12);
  });

  it("rejects bad arguments", () => {
    const net = new Network({ layers: [6, 1], activation: "linear", keepProbs: [0.5], loss: "mse" }, Rng.fromSeed(1));
    expect(() => mcDropout(net, regression(5, 6, 1), { samples: 0, rng: Rng.fromSeed(1) })).toThrow(/MC samples must be an integer in \[1, 10000\], got 0/);
    expect(() => mcDropout(net, regression(5, 3, 1), { rng: Rng.fromSeed(1) })).toThrow(InputError);
  });
});

describe("calibration and error detection", () => {
  it("ECE of a hand-computed softmax case: two bins, |0.5 - 0.4| and |0.5 - 0.8| weighted by half each", () => {
    const rows = [
      [0.9, 0.05, 0.05], // predicts 0 with 0.9: right
      [0.2, 0.7, 0.1], // predicts 1 with 0.7: wrong
      [0.4, 0.3, 0.3], // predicts 0 with 0.4: right
      [0.3, 0.3, 0.4], // predicts 2 with 0.4: wrong
    ];
    const c = calibration(rows, [0, 0, 0, 0], "softmax-cross-entropy", 2);
    expect(c.ece).toBeCloseTo(0.5 * 0.1 + 0.5 * 0.3, 12);
    expect(c.bins.map((b) => [b.count, b.confidence, b.accuracy])).toEqual([
      [2, expect.closeTo(0.4, 12), 0.5],
      [2, expect.closeTo(0.8, 12), 0.5],
    ]);
  });

  it("ECE of sigmoid outputs: the confidence is that of the predicted class, max(p, 1 - p)", () => {
    // p = 0.85 predicts 1 (right), p = 0.25 predicts 0 with 0.75 (wrong), p = 0.55 predicts 1 (wrong).
    const c = calibration([[0.85], [0.25], [0.55]], [1, 1, 0], "sigmoid-cross-entropy");
    expect(c.ece).toBeCloseTo((0.15 + 0.75 + 0.55) / 3, 12);
    expect(c.bins).toHaveLength(10);
    expect(c.bins.filter((b) => b.count > 0).map((b) => b.lo)).toEqual([0.5, 0.7, 0.8]);
    expect(calibration([[1], [0]], [1, 0], "sigmoid-cross-entropy").ece).toBe(0);
  });

  it("refuses regression, mismatched labels and no predictions", () => {
    expect(() => calibration([[1]], [1], "mse")).toThrow(/classifier/);
    expect(() => calibration([[0.5]], [1, 0], "sigmoid-cross-entropy")).toThrow(/1 predictions and 2 labels/);
    expect(() => calibration([], [], "sigmoid-cross-entropy")).toThrow(InputError);
  });

  it("error-detection AUC: wrong scores above right ones, ties counted half", () => {
    // 0.25 beats 0.1 and 0.2; 0.3 beats 0.1 and 0.2 and ties 0.3: (2 + 2.5) / (3 * 2).
    expect(errorDetectionAuc([0.1, 0.2, 0.3], [0.25, 0.3])).toBe(0.75);
    expect(errorDetectionAuc([0.1, 0.2], [0.5, 0.9])).toBe(1);
    expect(errorDetectionAuc([0.5, 0.9], [0.1, 0.2])).toBe(0);
    expect(errorDetectionAuc([0.4], [0.4])).toBe(0.5);
    expect(errorDetectionAuc([], [0.4])).toBeNull();
  });
});
