import { describe, it, expect } from "vitest";
import { InputError } from "../core/errors.js";
import { learningRate, validateScheduleSpec, type ScheduleSpec } from "./schedule.js";

describe("learningRate", () => {
  it("constant", () => {
    for (const epoch of [0, 1, 17, 1000]) expect(learningRate({ kind: "constant" }, 0.3, epoch)).toBe(0.3);
  });

  it("step: lr * factor^floor(epoch/every)", () => {
    const spec: ScheduleSpec = { kind: "step", every: 10, factor: 0.5 };
    // epochs 0 and 9: 0.5^0 = 1; 10: 0.5^1; 25: 0.5^2; 9.99 (a fraction of an epoch): still 0.5^0
    expect(learningRate(spec, 0.2, 0)).toBe(0.2);
    expect(learningRate(spec, 0.2, 9)).toBe(0.2);
    expect(learningRate(spec, 0.2, 9.99)).toBe(0.2);
    expect(learningRate(spec, 0.2, 10)).toBe(0.1);
    expect(learningRate(spec, 0.2, 25)).toBe(0.05);
  });

  it("exponential: lr * rate^epoch", () => {
    const spec: ScheduleSpec = { kind: "exponential", rate: 0.9 };
    expect(learningRate(spec, 0.1, 0)).toBe(0.1);
    expect(learningRate(spec, 0.1, 1)).toBeCloseTo(0.09, 15);
    expect(learningRate(spec, 0.1, 2)).toBeCloseTo(0.081, 15);
    expect(learningRate(spec, 0.1, 10)).toBeCloseTo(0.1 * 0.3486784401, 15);
  });

  it("cosine: lr * (minFactor + (1 - minFactor)(1 + cos(pi min(e, E)/E))/2)", () => {
    const spec: ScheduleSpec = { kind: "cosine", epochs: 10, minFactor: 0.1 };
    // e = 0: cos 0 = 1 -> factor 1; e = 5: cos(pi/2) = 0 -> 0.1 + 0.9/2 = 0.55;
    // e = 10 and beyond (15: clamped to 10, not cos(1.5 pi) = 0): cos(pi) = -1 -> 0.1; e = 2.5: cos(pi/4) -> 0.1 + 0.9 (1 + √2/2)/2 = 0.868198...
    expect(learningRate(spec, 2, 0)).toBe(2);
    expect(learningRate(spec, 2, 5)).toBeCloseTo(1.1, 15);
    expect(learningRate(spec, 2, 10)).toBeCloseTo(0.2, 15);
    expect(learningRate(spec, 2, 15)).toBeCloseTo(0.2, 15);
    expect(learningRate(spec, 2, 30)).toBeCloseTo(0.2, 15);
    expect(learningRate(spec, 2, 2.5)).toBeCloseTo(2 * (0.1 + (0.9 * (1 + Math.SQRT1_2)) / 2), 15);
    expect(learningRate(spec, 2, 2.5)).toBeCloseTo(1.7363961030678928, 14);
    expect(learningRate({ kind: "cosine", epochs: 4, minFactor: 0 }, 1, 4)).toBe(0);
  });

  it("rejects a bad base rate or epoch, naming the value", () => {
    expect(() => learningRate({ kind: "constant" }, 0, 0)).toThrow(/base learning rate must be a number > 0, got 0/);
    expect(() => learningRate({ kind: "constant" }, NaN, 0)).toThrow(/base learning rate .*got NaN/);
    expect(() => learningRate({ kind: "constant" }, 0.1, -1)).toThrow(/epoch must be a number >= 0, got -1/);
    expect(() => learningRate({ kind: "step", every: 0, factor: 0.5 }, 0.1, 3)).toThrow(InputError);
  });
});

describe("validateScheduleSpec", () => {
  it("accepts each kind and returns a copy", () => {
    const specs: ScheduleSpec[] = [
      { kind: "constant" },
      { kind: "step", every: 1, factor: 1 },
      { kind: "exponential", rate: 0.95 },
      { kind: "cosine", epochs: 50, minFactor: 0 },
    ];
    for (const spec of specs) {
      const out = validateScheduleSpec(spec);
      expect(out).toEqual(spec);
      expect(out).not.toBe(spec);
    }
  });

  const bad: [string, unknown, RegExp][] = [
    ["every = 0", { kind: "step", every: 0, factor: 0.5 }, /schedule\.every must be an integer >= 1, got 0/],
    ["fractional every", { kind: "step", every: 2.5, factor: 0.5 }, /schedule\.every must be an integer >= 1, got 2\.5/],
    ["factor > 1", { kind: "step", every: 3, factor: 1.5 }, /schedule\.factor must be a number in \(0, 1\], got 1\.5/],
    ["factor = 0", { kind: "step", every: 3, factor: 0 }, /schedule\.factor must be a number in \(0, 1\], got 0/],
    ["NaN rate", { kind: "exponential", rate: NaN }, /schedule\.rate .*got NaN/],
    ["missing epochs", { kind: "cosine", minFactor: 0.1 }, /schedule\.epochs .*got undefined/],
    ["negative minFactor", { kind: "cosine", epochs: 10, minFactor: -1 }, /schedule\.minFactor must be a number in \[0, 1\], got -1/],
    ["unknown kind", { kind: "linear" }, /schedule\.kind must be one of "constant", "step", "exponential", "cosine", got "linear"/],
    ["unknown field", { kind: "constant", rate: 0.9 }, /schedule has unknown field "rate"/],
    ["null", null, /schedule must be an object/],
  ];
  for (const [name, spec, message] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => validateScheduleSpec(spec)).toThrow(InputError);
      expect(() => validateScheduleSpec(spec)).toThrow(message);
    });
  }
});
