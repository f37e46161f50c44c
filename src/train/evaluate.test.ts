import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import { Network } from "../nn/network.js";
import { evaluate, predictClasses } from "./evaluate.js";

describe("predictClasses", () => {
  it("agrees with evaluate's accuracy, for a softmax and a sigmoid output, across chunk boundaries", () => {
    const { data } = synthetic("spiral", { n: 301, noise: 0.1, rng: Rng.fromSeed(1) });
    for (const [outputs, loss] of [[1, "sigmoid-cross-entropy"], [2, "softmax-cross-entropy"]] as const) {
      const net = new Network({ layers: [2, 8, outputs], activation: "tanh", keepProbs: [1, 1], loss }, Rng.fromSeed(2));
      const { predicted, labels } = predictClasses(net, data, 64);
      const correct = predicted.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0);
      expect(correct / data.size).toBe(evaluate(net, data).accuracy);
      expect(new Set(labels)).toEqual(new Set([0, 1]));
    }
  });

  it("refuses a regression network", () => {
    const { data } = synthetic("linear", { n: 10, noise: 0.1, rng: Rng.fromSeed(1) });
    const net = new Network({ layers: [4, 1], activation: "linear", keepProbs: [1], loss: "mse" }, Rng.fromSeed(2));
    expect(() => predictClasses(net, data)).toThrow(/class predictions need a classifier/);
  });
});
