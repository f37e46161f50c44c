import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { validateNetworkSpec } from "../nn/network.js";
import { ADVISOR_CONSTANTS, ADVISOR_RULE, advise } from "./advisor.js";

describe("keepProb advisor", () => {
  it("gives [1.0, 0.7, 0.5, 0.7, 1.0] for layers 3-7-7-3-2-1, each with a reason", () => {
    const a = advise({ layers: [3, 7, 7, 3, 2, 1] });
    expect(a.keepProbs).toEqual([1, 0.7, 0.5, 0.7, 1]);
    expect(a.layers.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
    expect(a.layers.map((l) => l.shape)).toEqual([null, [7, 3], [7, 7], [3, 7], [2, 3]]);
    expect(a.layers.map((l) => l.params)).toEqual([0, 21, 49, 21, 6]);
    expect(a.largestParams).toBe(49);
    expect(a.examples).toBeNull();
    expect(a.layers[0]!.reason).toMatch(/^input layer \(3 features\): not high-dimensional .* kept \(1\.0\)/);
    expect(a.layers[1]!.reason).toBe("layer 1 (7 units) is fed by W1 (7x3 = 21 weights), 0.43 of the largest matrix (49 weights): moderate dropout (0.7).");
    expect(a.layers[2]!.reason).toBe("layer 2 (7 units) is fed by W2 (7x7 = 49 weights), the largest weight matrix of the network: strong dropout (0.5).");
    expect(a.layers[4]!.reason).toMatch(/W4 \(2x3 = 6 weights\), fewer than 16: too few weights to co-adapt, so no dropout \(1\.0\)\./);
    // the advice is a valid keepProbs for the network spec, and plain JSON
    expect(() => validateNetworkSpec({ layers: [3, 7, 7, 3, 2, 1], activation: "relu", keepProbs: a.keepProbs, loss: "mse" })).not.toThrow();
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("784-512-512-10 on 8,000 examples: the measured strong level (0.8) on both hidden layers, light input dropout", () => {
    const a = advise({ layers: [784, 512, 512, 10], examples: 8000 });
    expect(a.keepProbs).toEqual([0.9, 0.8, 0.8]);
    expect(a.layers[2]!.relativeSize).toBeCloseTo(512 / 784, 12);
    expect(a.layers[1]!.reason).toMatch(/8,000 training examples are only 0\.02 per weight, so it stays\.$/);
    expect(a.layers[1]!.reason).toContain("strong dropout (0.8, the level the advice benchmark measured on real data; the lecture's rule of thumb says 0.5)");
    expect(advise({ layers: [784, 512, 512, 10], examples: 8000, inputKind: "image" }).keepProbs).toEqual([0.9, 0.8, 0.8]);
    expect(advise({ layers: [784, 512, 512, 10], examples: 8000, inputKind: "tabular" }).keepProbs).toEqual([1, 0.8, 0.8]);
    // without m, the lecture's levels
    expect(advise({ layers: [784, 512, 512, 10] }).keepProbs).toEqual([0.9, 0.5, 0.5]);
    expect(advise({ layers: [64, 32, 10], inputKind: "image" }).keepProbs[0]).toBe(0.9);
  });

  it("a tiny 2-4-1 gets no dropout anywhere", () => {
    const a = advise({ layers: [2, 4, 1] });
    expect(a.keepProbs).toEqual([1, 1]);
    expect(a.layers[1]!.reason).toMatch(/fewer than 16/);
  });

  it("plenty of data per weight means less dropout, on the measured ladder 0.8 -> 0.9 -> 1", () => {
    // 49 weights in W2: 490 examples = 10 per weight, 4,900 = 100 per weight
    expect(advise({ layers: [3, 7, 7, 3, 2, 1], examples: 100 }).keepProbs).toEqual([1, 0.9, 0.8, 0.9, 1]);
    expect(advise({ layers: [3, 7, 7, 3, 2, 1], examples: 490 }).keepProbs).toEqual([1, 1, 0.9, 1, 1]);
    expect(advise({ layers: [3, 7, 7, 3, 2, 1], examples: 4900 }).keepProbs).toEqual([1, 1, 1, 1, 1]);
    const r = advise({ layers: [3, 7, 7, 3, 2, 1], examples: 490 }).layers[2]!.reason;
    expect(r).toMatch(/but 490 training examples give 10 per weight \(at least 10\), so one step lighter: 0\.9\.$/);
    // high-dimensional inputs keep everything when W1 has plenty of data
    expect(advise({ layers: [300, 20, 2], examples: 60_000 }).keepProbs).toEqual([1, 0.9]);
  });

  it("a network without hidden layers has only the input keepProb", () => {
    expect(advise({ layers: [10, 3] }).keepProbs).toEqual([1]);
  });

  it("rejects bad requests with one line naming the value", () => {
    expect(() => advise({ layers: [3] })).toThrow(/layers must list at least an input and an output size/);
    expect(() => advise({ layers: [3, 0, 1] })).toThrow(/layer size 1 must be an integer in \[1, 65536\], got 0/);
    expect(() => advise({ layers: [3, 2, 1], examples: 0 })).toThrow(/examples must be an integer >= 1, got 0/);
    expect(() => advise({ layers: [3, 2, 1], inputKind: "text" as never })).toThrow(InputError);
  });

  it("keeps every constant of the rule in one frozen object, and the rule's text states each of them", () => {
    const leaves = (o: object): number[] => Object.values(o).flatMap((v) => (typeof v === "number" ? [v] : leaves(v as object)));
    expect(Object.isFrozen(ADVISOR_CONSTANTS) && Object.isFrozen(ADVISOR_CONSTANTS.lecture) && Object.isFrozen(ADVISOR_CONSTANTS.measured)).toBe(true);
    expect(leaves(ADVISOR_CONSTANTS)).toHaveLength(10);
    for (const v of leaves(ADVISOR_CONSTANTS)) expect(ADVISOR_RULE).toMatch(new RegExp(`(^|[^\\d.])${String(v).replace(".", "\\.")}([^\\d]|$)`));
    // advise() applies the same numbers: the lecture's and the measured levels, the input's keepProb
    expect(advise({ layers: [3, 7, 7, 3, 2, 1] }).keepProbs).toEqual([1, ADVISOR_CONSTANTS.lecture.moderate, ADVISOR_CONSTANTS.lecture.strong, ADVISOR_CONSTANTS.lecture.moderate, 1]);
    expect(advise({ layers: [784, 512, 512, 10], examples: 8000 }).keepProbs).toEqual([ADVISOR_CONSTANTS.inputKeepProb, ADVISOR_CONSTANTS.measured.strong, ADVISOR_CONSTANTS.measured.strong]);
  });
});
