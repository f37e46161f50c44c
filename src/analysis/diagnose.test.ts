import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import type { SyntheticName } from "../data/spec.js";
import type { NetworkSpec } from "../nn/network.js";
import type { TrainOptions } from "../train/options.js";
import { adviseRecipe } from "./recipe.js";
import { conclude, diagnose, judgeBaseline, type RunOutcome } from "./diagnose.js";

const ADAM = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

function sets(name: SyntheticName, train: number, dev: number, noise: number, seed: number) {
  const r = Rng.fromSeed(seed);
  return { train: synthetic(name, { n: train, noise, rng: r.stream("train") }).data, dev: synthetic(name, { n: dev, noise, rng: r.stream("dev") }).data };
}

const run = (seed: number, trainAccuracy: number, devAccuracy: number, extra: Partial<RunOutcome> = {}): RunOutcome => ({ seed, trainAccuracy, devAccuracy, bestEpoch: 5, epochs: 10, stopReason: "patience", ...extra });

describe("the verdict and the recommendation from measured runs", () => {
  const recipe = adviseRecipe({ layers: [2, 64, 64, 1] }, { epochs: 20, optimizer: { kind: "momentum", beta: 0.9, nesterov: false }, lr: 0.05, patience: 5 });
  const overfit = [run(1, 1, 0.9), run(2, 1, 0.91), run(3, 0.99, 0.9)];

  it("calls a clear gap overfitting and recommends dropout only when its paired interval is above zero", () => {
    const j = judgeBaseline(overfit, 1000, [1, 1, 1]);
    expect(j.verdict).toBe("overfitting");
    const helped = conclude(j, [1, 2, 3], recipe, [run(1, 0.97, 0.92), run(2, 0.97, 0.925), run(3, 0.96, 0.921)]);
    expect(helped.recommendation.useDropout).toBe(true);
    expect(helped.recommendation.keepProbs).toEqual(recipe.advice.keepProbs);
    expect(helped.withDropout!.devChange.direction).toBe("higher");
    expect(helped.withDropout!.devAccuracyChange).toBeCloseTo((0.92 + 0.925 + 0.921 - 0.9 - 0.91 - 0.9) / 3, 12);
    expect(helped.recommendation.reason).toMatch(/measured \+1\.87 pts on dev, 95% interval \[\+\d\.\d\d pts, \+\d\.\d\d pts\] over 3 paired seeds: dropout helps here/);
  });

  it("says so, and does not recommend it, when dropout measured worse", () => {
    const worse = conclude(judgeBaseline(overfit, 1000, [1, 1, 1]), [1, 2, 3], recipe, [run(1, 0.95, 0.88), run(2, 0.95, 0.885), run(3, 0.95, 0.879)]);
    expect(worse.withDropout!.devChange.direction).toBe("lower");
    expect(worse.recommendation.useDropout).toBe(false);
    expect(worse.recommendation.keepProbs).toEqual([1, 1, 1]);
    expect(worse.recommendation.reason).toMatch(/worse with dropout\. Not recommended/);
  });

  it("gives 'no measurable difference' with the ± width when the change is within the noise", () => {
    const noisy = conclude(judgeBaseline(overfit, 1000, [1, 1, 1]), [1, 2, 3], recipe, [run(1, 0.95, 0.905), run(2, 0.95, 0.905), run(3, 0.95, 0.899)]);
    expect(noisy.withDropout!.devChange.direction).toBe("no measurable difference");
    expect(noisy.recommendation.useDropout).toBe(false);
    expect(noisy.recommendation.reason).toMatch(/made no measurable difference \(-0\.03 pts ± \d+\.\d\d pts on dev over 3 seeds\)/);
  });

  it("does not call a gap overfitting when its interval reaches zero, and flags runs that hit the epoch cap", () => {
    const shaky = [run(1, 0.99, 0.9), run(2, 0.9, 0.95), run(3, 0.97, 0.9, { stopReason: "max-epochs" })];
    const j = judgeBaseline(shaky, 1000, [1, 1, 1]);
    expect(j.baseline.gap.mean).toBeGreaterThan(j.gapThreshold);
    expect(j.baseline.gap.low!).toBeLessThan(0);
    expect(j.verdict).toBe("fine");
    expect(conclude(j, [1, 2, 3], undefined, undefined).recommendation.reason).toMatch(/1 of 3 runs without dropout reached the epoch cap/);
  });

  it("calls a poor fit underfitting whatever the gap", () => {
    const poor = [run(1, 0.7, 0.6), run(2, 0.71, 0.6), run(3, 0.72, 0.6)];
    expect(judgeBaseline(poor, 500, [1, 1]).verdict).toBe("underfitting");
    expect(judgeBaseline(poor, 500, [1, 1], { acceptableTrainError: 0.5 }).verdict).toBe("overfitting");
  });
});

describe("diagnose in this thread, at convergence", () => {
  it("a big network on 60 noisy examples overfits; the advised recipe is trained on the same seeds and judged by its interval", () => {
    const spec: NetworkSpec = { layers: [2, 128, 128, 1], activation: "relu", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" };
    const options: TrainOptions = { epochs: 150, batchSize: 40, lr: 0.01, optimizer: ADAM };
    const r = diagnose(spec, sets("xor", 60, 400, 0.3, 1), options, { seeds: [1, 2, 3] });
    expect(r.verdict).toBe("overfitting");
    expect(r.seeds).toEqual([1, 2, 3]);
    expect(r.baseline.runs).toHaveLength(3);
    // every run trained with early stopping and is read at its best epoch
    for (const o of r.baseline.runs) {
      expect(o.stopReason).toBeDefined();
      expect(o.bestEpoch).toBeLessThanOrEqual(o.epochs);
    }
    expect(r.trainAccuracy).toBeGreaterThan(0.9);
    expect(r.gap).toBeGreaterThan(r.gapThreshold);
    const w = r.withDropout!;
    expect(w.keepProbs).toEqual([1, 0.9, 0.8]);
    expect(w.runs.map((o) => o.seed)).toEqual([1, 2, 3]);
    expect(w.devChange.difference.n).toBe(3);
    // the words follow the interval
    const d = w.devChange.difference;
    const expected = d.low! > 0 ? "higher" : d.high! < 0 ? "lower" : "no measurable difference";
    expect(w.devChange.direction).toBe(expected);
    expect(r.recommendation.useDropout).toBe(expected === "higher");
    expect(r.recipe!.map((c) => c.field)).toEqual(["keepProbs", "epochs", "patience", "maxNorm", "lr"]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(JSON.parse(JSON.stringify(r)));
    // compare: false skips the advised runs
    const once = diagnose(spec, sets("xor", 60, 400, 0.3, 1), options, { seeds: [1, 2, 3], compare: false });
    expect(once.verdict).toBe("overfitting");
    expect(once.withDropout).toBeUndefined();
  });

  it("a small network on clean, plentiful data is fine: no dropout needed", () => {
    const spec: NetworkSpec = { layers: [2, 8, 1], activation: "tanh", keepProbs: [1, 0.5], loss: "sigmoid-cross-entropy" };
    const r = diagnose(spec, sets("gauss", 200, 200, 0, 2), { epochs: 20, batchSize: 20, lr: 0.05, optimizer: ADAM }, { seeds: [1, 2] });
    expect(r.verdict).toBe("fine");
    expect(r.recommendation).toEqual({ useDropout: false, keepProbs: [1, 1], reason: expect.stringMatching(/no dropout needed\.$/) });
    expect(r.withDropout).toBeUndefined();
    expect(r.gapThreshold).toBe(0.02);
  });

  it("rejects regression data and bad thresholds", () => {
    const spec: NetworkSpec = { layers: [4, 1], activation: "linear", keepProbs: [1], loss: "mse" };
    const { data } = synthetic("linear", { n: 20, noise: 0.1, rng: Rng.fromSeed(1) });
    const opts: TrainOptions = { epochs: 1, batchSize: 5, lr: 0.01, optimizer: { kind: "sgd" } };
    expect(() => diagnose(spec, { train: data, dev: data }, opts)).toThrow(/needs classification data; the training data is a "regression" task/);
    const c = sets("gauss", 10, 10, 0, 1);
    const s2: NetworkSpec = { layers: [2, 1], activation: "linear", keepProbs: [1], loss: "sigmoid-cross-entropy" };
    expect(() => diagnose(s2, c, opts, { minGap: 1 })).toThrow(/minGap must be a number in \[0, 1\), got 1/);
    expect(() => diagnose(s2, c, opts, { seeds: [] })).toThrow(/at least one seed/);
  });
});
