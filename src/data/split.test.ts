import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { fromRows, toRows } from "../core/matrix.js";
import { tensorDataset, materialize } from "./dataset.js";
import { splitDataset, splitIndices } from "./split.js";

describe("splitIndices", () => {
  it("cuts a seeded permutation into test, dev and train", () => {
    const s = splitIndices(100, { devFraction: 0.2, testFraction: 0.1 }, Rng.fromSeed(1));
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([70, 20, 10]);
    const all = [...s.train, ...s.dev, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("is the same for the same seed and differs for another", () => {
    const f = { devFraction: 0.15, testFraction: 0.15 };
    const a = splitIndices(50, f, Rng.fromSeed(7)), b = splitIndices(50, f, Rng.fromSeed(7)), c = splitIndices(50, f, Rng.fromSeed(8));
    expect(a).toEqual(b);
    expect(a.train).not.toEqual(c.train);
  });

  it("allows empty dev and test splits", () => {
    const s = splitIndices(5, { devFraction: 0, testFraction: 0 }, Rng.fromSeed(1));
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([5, 0, 0]);
  });

  it("rejects bad fractions and splits that leave nothing to train on", () => {
    const r = Rng.fromSeed(1);
    expect(() => splitIndices(10, { devFraction: -0.1, testFraction: 0 }, r)).toThrow("devFraction must be a number in [0, 1), got -0.1");
    expect(() => splitIndices(10, { devFraction: 0.5, testFraction: 0.5 }, r)).toThrow("devFraction + testFraction must be below 1 to leave training data, got 0.5 + 0.5");
    expect(() => splitIndices(2, { devFraction: 0.4, testFraction: 0.4 }, r)).toThrow(/leave no training examples out of 2/);
  });

  it("splitDataset gives views holding the chosen rows", () => {
    const data = tensorDataset(fromRows([[0], [1], [2], [3]]), fromRows([[0], [1], [0], [1]]), { kind: "classification", classes: 2 });
    const parts = splitDataset(data, { train: Int32Array.of(3, 1), dev: Int32Array.of(0), test: Int32Array.of(2) });
    expect(toRows(materialize(parts.train).x)).toEqual([[3], [1]]);
    expect(toRows(materialize(parts.test).y)).toEqual([[0]]);
  });
});
