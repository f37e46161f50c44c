import { describe, expect, it } from "vitest";
import { fromRows, zeros } from "../core/matrix.js";
import { checkTargets, countCorrect, lossForward, toProbabilities } from "./losses.js";

describe("losses from logits", () => {
  it("softmax cross-entropy equals -log softmax of the true class, with gradient softmax - onehot", () => {
    const z = fromRows([[1, 2, 3], [0, 0, 0]], "float64");
    const y = fromRows([[2], [0]], "float64");
    const dz = zeros(2, 3, "float64");
    const loss = lossForward("softmax-cross-entropy", z, y, dz);
    const p = [1, 2, 3].map((v) => Math.exp(v) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
    expect(loss).toBeCloseTo((-Math.log(p[2]!) + Math.log(3)) / 2, 14);
    expect(dz.data[2]).toBeCloseTo((p[2]! - 1) / 2, 14);
    expect(dz.data[3]).toBeCloseTo((1 / 3 - 1) / 2, 14);
  });

  it("stays finite for huge logits", () => {
    const z = fromRows([[1000, -1000]], "float64");
    expect(lossForward("softmax-cross-entropy", z, fromRows([[1]], "float64"))).toBeCloseTo(2000, 10);
    expect(lossForward("sigmoid-cross-entropy", fromRows([[-800]], "float64"), fromRows([[1]], "float64"))).toBeCloseTo(800, 10);
    expect(lossForward("sigmoid-cross-entropy", fromRows([[800]], "float64"), fromRows([[1]], "float64"))).toBe(0);
  });

  it("sigmoid cross-entropy matches -[y log p + (1-y) log(1-p)]", () => {
    const z = fromRows([[0.3], [-1.2]], "float64");
    const y = fromRows([[1], [0]], "float64");
    const dz = zeros(2, 1, "float64");
    const p = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = (-Math.log(p(0.3)) - Math.log(1 - p(-1.2))) / 2;
    expect(lossForward("sigmoid-cross-entropy", z, y, dz)).toBeCloseTo(expected, 14);
    expect(dz.data[0]).toBeCloseTo((p(0.3) - 1) / 2, 14);
    expect(dz.data[1]).toBeCloseTo(p(-1.2) / 2, 14);
  });

  it("mse is the mean of squared errors over rows and outputs", () => {
    const z = fromRows([[1, 2], [3, 4]], "float64");
    const y = fromRows([[0, 2], [3, 6]], "float64");
    const dz = zeros(2, 2, "float64");
    expect(lossForward("mse", z, y, dz)).toBe((1 + 0 + 0 + 4) / 4);
    expect(Array.from(dz.data)).toEqual([0.5, 0, 0, -1]);
  });

  it("counts correct predictions and turns logits into probabilities", () => {
    const z = fromRows([[0.1, 0.9], [2, -1]], "float64");
    expect(countCorrect("softmax-cross-entropy", z, fromRows([[1], [1]], "float64"))).toBe(1);
    toProbabilities("softmax-cross-entropy", z);
    expect(z.data[0]! + z.data[1]!).toBeCloseTo(1, 15);
    expect(countCorrect("sigmoid-cross-entropy", fromRows([[0.2], [-0.3]], "float64"), fromRows([[1], [1]], "float64"))).toBe(1);
  });

  it("refuses labels out of range, naming the value and the range", () => {
    expect(() => checkTargets("softmax-cross-entropy", 3, fromRows([[0], [3]]), "training data")).toThrow(
      "training data: label 3 at row 1 is out of range; allowed are the integers 0..2",
    );
    expect(() => checkTargets("softmax-cross-entropy", 3, fromRows([[1.5]]), "dev data")).toThrow(/label 1.5/);
    expect(() => checkTargets("sigmoid-cross-entropy", 1, fromRows([[2]]), "training data")).toThrow(/allows 0 or 1/);
  });
});
