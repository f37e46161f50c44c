import { describe, expect, it } from "vitest";
import { compareDecompositions, decompose, exampleTerms } from "./bias-variance.js";

describe("Domingos' bias-variance decomposition of the 0-1 loss", () => {
  // 4 models, 4 examples, 3 classes; worked by hand:
  //  ex 0, t=0: preds 0,0,0,1 -> main 0, B 0, V 1/4, L 1/4 (unbiased variance 1/4)
  //  ex 1, t=1: preds 2,2,1,0 -> main 2, B 1, V 2/4, L 3/4; P(y=t | y≠main) = 1/2 -> biased variance 2/4 * 1/2 = 1/4
  //  ex 2, t=2: preds 2,2,2,2 -> main 2, B 0, V 0, L 0
  //  ex 3, t=0: preds 1,0,1,0 -> tie 0/1 -> main 0 (smallest), B 0, V 2/4, L 2/4
  const predictions = [
    [0, 2, 2, 1],
    [0, 2, 2, 0],
    [0, 1, 2, 1],
    [1, 0, 2, 0],
  ];
  const labels = [0, 1, 2, 0];

  it("matches a hand-computed case, ties going to the smallest class", () => {
    const t = exampleTerms(predictions, labels);
    expect(Array.from(t.loss)).toEqual([0.25, 0.75, 0, 0.5]);
    expect(Array.from(t.bias)).toEqual([0, 1, 0, 0]);
    expect(Array.from(t.variance)).toEqual([0.25, 0.5, 0, 0.5]);
    expect(Array.from(t.unbiasedVariance)).toEqual([0.25, 0, 0, 0.5]);
    expect(Array.from(t.biasedVariance)).toEqual([0, 0.25, 0, 0]);
    const d = decompose(predictions, labels);
    expect(d.error.mean).toBeCloseTo(1.5 / 4, 15);
    expect(d.bias.mean).toBeCloseTo(0.25, 15);
    expect(d.netVariance.mean).toBeCloseTo((0.75 - 0.25) / 4, 15);
  });

  it("error = bias + unbiased variance - biased variance on every example", () => {
    const t = exampleTerms(predictions, labels);
    t.loss.forEach((l, i) => expect(l).toBeCloseTo(t.bias[i]! + t.unbiasedVariance[i]! - t.biasedVariance[i]!, 15));
  });

  it("identical models have no variance; the paired comparison sees a variance drop", () => {
    const same = [labels.map((l) => (l + 1) % 3), labels.map((l) => (l + 1) % 3)];
    const d = decompose(same, labels);
    expect(d.variance.mean).toBe(0);
    expect(d.bias.mean).toBe(1);
    const c = compareDecompositions(exampleTerms(predictions, labels), exampleTerms([labels, labels], labels));
    expect(c.variance.difference.mean).toBeCloseTo(-1.25 / 4, 15);
    expect(c.error.difference.mean).toBeCloseTo(-1.5 / 4, 15);
  });

  it("refuses fewer than 2 models or ragged predictions", () => {
    expect(() => decompose([[0]], [0])).toThrow(/at least 2 models/);
    expect(() => decompose([[0, 1], [0]], [0, 1])).toThrow(/model 1 predicts 1 examples, the labels cover 2/);
  });
});
