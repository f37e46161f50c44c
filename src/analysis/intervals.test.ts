import { describe, expect, it } from "vitest";
import { compare, describeDifference, formatInterval, interval, studentTCdf, studentTQuantile } from "./intervals.js";

describe("Student's t", () => {
  it("matches tabulated 97.5% quantiles", () => {
    // scipy.stats.t.ppf(0.975, [1, 2, 4, 9, 29, 1000])
    const table: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [4, 2.7764451051977934],
      [9, 2.262157162798205],
      [29, 2.045229642132703],
      [1000, 1.9623390808264083],
    ];
    for (const [df, q] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 9);
  });

  it("is symmetric and inverts its CDF", () => {
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 9);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 14);
    expect(studentTCdf(studentTQuantile(0.9, 3), 3)).toBeCloseTo(0.9, 10);
    expect(() => studentTQuantile(1, 3)).toThrow(/p in \(0, 1\)/);
  });
});

describe("interval", () => {
  it("gives mean ± t·sd/√n with the sample sd", () => {
    const iv = interval([1, 2, 3, 4, 5]);
    // sd = sqrt(2.5); half = qt(0.975, 4) * sd / sqrt(5)
    const half = 2.7764451051977934 * Math.sqrt(2.5 / 5);
    expect(iv.mean).toBe(3);
    expect(iv.sd).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(iv.halfWidth).toBeCloseTo(half, 9);
    expect(iv.low).toBeCloseTo(3 - half, 9);
    expect(iv.high).toBeCloseTo(3 + half, 9);
  });

  it("gives no interval for one seed rather than a fake zero width", () => {
    const iv = interval([0.97]);
    expect(iv).toMatchObject({ n: 1, mean: 0.97, sd: null, low: null, high: null, halfWidth: null });
    expect(formatInterval(iv)).toBe("97.00% (1 seed)");
  });
});

describe("paired comparison", () => {
  it("names an effect only when the interval of the difference excludes zero", () => {
    const a = [0.960, 0.962, 0.958, 0.961, 0.959];
    const clear = compare(a, a.map((v, i) => v + 0.006 + 0.0005 * (i % 2)));
    expect(clear.direction).toBe("higher");
    expect(describeDifference(clear, "dropout - none")).toMatch(/^dropout - none: \+0\.6\d pts, 95% interval \[\+0\.\d\d, \+0\.\d\d\] over 5 seeds \(higher\)$/);
    expect(compare(a, a.map((v) => v - 0.01)).direction).toBe("lower");
  });

  it("says 'no measurable difference' with the ± width when the difference is within the noise", () => {
    // differences +0.3, -0.2, +0.1, -0.3, +0.2 pts: mean 0.02 pts, well inside its interval
    const a = [0.95, 0.95, 0.95, 0.95, 0.95];
    const b = [0.953, 0.948, 0.951, 0.947, 0.952];
    const c = compare(a, b);
    expect(c.direction).toBe("no measurable difference");
    expect(c.difference.low!).toBeLessThan(0);
    expect(c.difference.high!).toBeGreaterThan(0);
    expect(describeDifference(c)).toMatch(/^B - A: no measurable difference \(\+0\.02 ± 0\.3\d pts, 5 seeds\)$/);
  });

  it("pairs by seed: a shared seed effect cancels in the difference", () => {
    // large seed-to-seed spread in both arms, constant +0.5 pt difference
    const a = [0.90, 0.95, 0.92, 0.97, 0.93];
    const b = a.map((v) => v + 0.005);
    const c = compare(a, b);
    expect(c.a.halfWidth!).toBeGreaterThan(0.02);
    expect(c.difference.halfWidth!).toBeLessThan(1e-12);
    expect(c.direction).toBe("higher");
  });

  it("refuses arms of different lengths", () => {
    expect(() => compare([1, 2], [1])).toThrow(/same number of seeds/);
  });
});
