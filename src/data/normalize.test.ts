import { describe, expect, it } from "vitest";
import { fromRows, toRows } from "../core/matrix.js";
import { columnStats, constantColumns, standardize } from "./normalize.js";

describe("standardization", () => {
  const x = fromRows([[1, 5, 10], [3, 5, 20], [5, 5, 60], [100, 5, -1000]], "float64");

  it("computes population mean and std over the chosen rows only", () => {
    const s = columnStats(x, [0, 1, 2]);
    expect(Array.from(s.mean)).toEqual([3, 5, 30]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(0);
    expect(constantColumns(s)).toEqual([1]);
  });

  it("applies the statistics unchanged to other rows and centres constant columns without dividing by zero", () => {
    const s = columnStats(x, [0, 1, 2]);
    const z = toRows(standardize(x, s));
    expect(z[0]![0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 12);
    expect(z.map((r) => r[1])).toEqual([0, 0, 0, 0]);
    expect(z[3]![0]).toBeCloseTo(97 / Math.sqrt(8 / 3), 10);
  });

  it("writes in place when out is x, and checks shapes", () => {
    const y = fromRows([[1, 2], [3, 4]], "float64");
    const s = columnStats(y);
    expect(standardize(y, s, y)).toBe(y);
    expect(toRows(y)).toEqual([[-1, -1], [1, 1]]);
    expect(() => standardize(fromRows([[1]]), s)).toThrow(/statistics cover 2 columns, the matrix has 1/);
    expect(() => columnStats(y, [])).toThrow(/at least one row/);
  });
});
