import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import type { SyntheticName } from "../data/spec.js";
import type { NetworkSpec } from "../nn/network.js";
import type { TrainOptions } from "../train/options.js";
import { diagnose } from "./diagnose.js";

const ADAM = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

function sets(name: SyntheticName, train: number, dev: number, noise: number, seed: number) {
  const r = Rng.fromSeed(seed);
  return { train: synthetic(name, { n: train, noise, rng: r.stream("train") }).data, dev: synthetic(name, { n: dev, noise, rng: r.stream("dev") }).data };
}

describe("overfitting diagnosis", () => {
  it("a big network on 40 noisy examples overfits: recommends the advised keepProbs and measures them", () => {
    const spec: NetworkSpec = { layers: [2, 64, 64, 1], activation: "relu", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" };
    const options: TrainOptions = { epochs: 200, batchSize: 40, lr: 0.01, optimizer: ADAM };
    const r = diagnose(spec, sets("xor", 40, 400, 0.25, 1), options);
    expect(r.trainAccuracy).toBe(1);
    expect(r.gap).toBeGreaterThan(r.gapThreshold);
    expect(r.verdict).toBe("overfitting");
    expect(r.recommendation.useDropout).toBe(true);
    expect(r.recommendation.keepProbs).toEqual([1, 0.7, 0.5]);
    expect(r.recommendation.reason).toMatch(/^Without dropout: training accuracy 100\.0%, dev \d+\.\d%, gap \d+\.\d%, above \d\.\d%: the network overfits\. Use dropout with keepProbs \[1, 0\.7, 0\.5\]/);
    expect(r.advice!.layers).toHaveLength(3);
    const w = r.withDropout!;
    expect(w.gap).toBeLessThan(r.gap);
    expect(w.devAccuracyChange).toBeCloseTo(w.devAccuracy - r.devAccuracy, 15);
    expect(w.devAccuracyChange).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    // compare: false skips the second run
    expect(diagnose(spec, sets("xor", 40, 400, 0.25, 1), { ...options, epochs: 100 }, { compare: false }).withDropout).toBeUndefined();
  });

  it("a small network on clean, plentiful data is fine: no dropout needed", () => {
    const spec: NetworkSpec = { layers: [2, 8, 1], activation: "tanh", keepProbs: [1, 0.5], loss: "sigmoid-cross-entropy" };
    const r = diagnose(spec, sets("gauss", 200, 200, 0, 2), { epochs: 20, batchSize: 20, lr: 0.05, optimizer: ADAM });
    expect(r.verdict).toBe("fine");
    expect(r.recommendation).toEqual({ useDropout: false, keepProbs: [1, 1], reason: expect.stringMatching(/no dropout needed\.$/) });
    expect(r.withDropout).toBeUndefined();
    expect(r.gapThreshold).toBe(0.02);
  });

  it("a tiny network on the spiral underfits: no dropout, fix the fit first", () => {
    const spec: NetworkSpec = { layers: [2, 2, 1], activation: "tanh", keepProbs: [1, 1], loss: "sigmoid-cross-entropy" };
    const r = diagnose(spec, sets("spiral", 200, 200, 0, 2), { epochs: 20, batchSize: 20, lr: 0.05, optimizer: ADAM });
    expect(r.verdict).toBe("underfitting");
    expect(r.recommendation.useDropout).toBe(false);
    expect(r.recommendation.reason).toMatch(/The training error \d+\.\d% is above the acceptable 10\.0%/);
    // a looser bar for noisy problems turns the same run into "fine"
    expect(diagnose(spec, sets("spiral", 200, 200, 0, 2), { epochs: 20, batchSize: 20, lr: 0.05, optimizer: ADAM }, { acceptableTrainError: 0.5 }).verdict).toBe("fine");
  });

  it("rejects regression data and bad thresholds", () => {
    const spec: NetworkSpec = { layers: [4, 1], activation: "linear", keepProbs: [1], loss: "mse" };
    const { data } = synthetic("linear", { n: 20, noise: 0.1, rng: Rng.fromSeed(1) });
    const opts: TrainOptions = { epochs: 1, batchSize: 5, lr: 0.01, optimizer: { kind: "sgd" } };
    expect(() => diagnose(spec, { train: data, dev: data }, opts)).toThrow(/needs classification data; the training data is a "regression" task/);
    const c = sets("gauss", 10, 10, 0, 1);
    const s2: NetworkSpec = { layers: [2, 1], activation: "linear", keepProbs: [1], loss: "sigmoid-cross-entropy" };
    expect(() => diagnose(s2, c, opts, { minGap: 1 })).toThrow(/minGap must be a number in \[0, 1\), got 1/);
  });
});
