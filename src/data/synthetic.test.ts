import { describe, expect, it } from "vitest";
import { toRows } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { materialize } from "./dataset.js";
import { SYNTHETIC_NAMES } from "./spec.js";
import { LINEAR_FEATURE_SDS, LINEAR_TRUE_WEIGHTS, synthetic } from "./synthetic.js";

const make = (name: (typeof SYNTHETIC_NAMES)[number], seed: number, n = 400, noise = 0.1) => synthetic(name, { n, noise, rng: Rng.fromSeed(seed) });

function rowsOf(name: (typeof SYNTHETIC_NAMES)[number], seed: number, n?: number, noise?: number) {
  const { x, y } = materialize(make(name, seed, n, noise).data, "float64");
  return { x: toRows(x), y: Array.from(y.data) };
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Solves the normal equations (XᵀX) w = Xᵀy by Gaussian elimination with partial pivoting. */
function leastSquares(x: number[][], y: number[]): number[] {
  const d = x[0]!.length;
  const a = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[i]! * r[j]!, 0)),
    x.reduce((s, r, k) => s + r[i]! * y[k]!, 0),
  ]);
  for (let c = 0; c < d; c++) {
    const p = a.slice(c).reduce((best, row, k) => (Math.abs(row[c]!) > Math.abs(a[best]![c]!) ? c + k : best), c);
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < d; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= d; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
    }
  }
  const w = Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = a[r]![d]!;
    for (let k = r + 1; k < d; k++) s -= a[r]![k]! * w[k]!;
    w[r] = s / a[r]![r]!;
  }
  return w;
}

describe("synthetic", () => {
  it.each(SYNTHETIC_NAMES)("%s is deterministic per seed, differs across seeds, and has n examples", (name) => {
    const a = rowsOf(name, 1), b = rowsOf(name, 1), c = rowsOf(name, 2);
    expect(a).toEqual(b);
    expect(a.x).not.toEqual(c.x);
    expect(a.x.length).toBe(400);
    expect(rowsOf(name, 1, 7).x.length).toBe(7);
  });

  it.each(["circle", "xor", "gauss", "spiral"] as const)("%s: two balanced classes in roughly [-6, 6]^2", (name) => {
    const { x, y } = rowsOf(name, 5);
    const ones = y.filter((v) => v === 1).length;
    expect(ones).toBeGreaterThan(120);
    expect(ones).toBeLessThan(280);
    const inside = x.filter((p) => Math.abs(p[0]!) <= 6 && Math.abs(p[1]!) <= 6).length;
    expect(inside / x.length).toBeGreaterThan(0.98);
  });

  it("circle and xor labels follow the geometry exactly without noise", () => {
    const circle = rowsOf("circle", 3, 400, 0);
    circle.x.forEach((p, i) => expect(circle.y[i]).toBe(Math.hypot(p[0]!, p[1]!) < 2.5 ? 1 : 0));
    const xor = rowsOf("xor", 3, 400, 0);
    xor.x.forEach((p, i) => expect(xor.y[i]).toBe(p[0]! * p[1]! >= 0 ? 1 : 0));
    expect(xor.x.every((p) => Math.abs(p[0]!) >= 0.3 && Math.abs(p[1]!) >= 0.3)).toBe(true);
  });

  it("gauss spreads with noise", () => {
    const spread = (noise: number) => {
      const { x } = rowsOf("gauss", 9, 2000, noise);
      const pos = x.slice(0, 1000).map((p) => p[0]!);
      const m = pos.reduce((s, v) => s + v, 0) / pos.length;
      return Math.sqrt(pos.reduce((s, v) => s + (v - m) ** 2, 0) / pos.length);
    };
    expect(spread(0)).toBeCloseTo(Math.sqrt(0.5), 1);
    expect(spread(0.5)).toBeCloseTo(2, 1);
  });

  it("four-inputs: the strong feature is the most correlated with the label, the backups still carry signal", () => {
    const { x, y } = rowsOf("four-inputs", 11, 4000);
    const corr = [0, 1, 2, 3].map((j) => correlation(x.map((r) => r[j]!), y));
    for (const k of [1, 2, 3]) {
      expect(corr[0]!).toBeGreaterThan(corr[k]! + 0.1);
      expect(corr[k]!).toBeGreaterThan(0.4);
    }
    expect(make("four-inputs", 1).data.featureNames).toEqual(["strong", "backup1", "backup2", "backup3"]);
  });

  it("linear: features have different variances and least squares recovers the true weights", () => {
    const gen = make("linear", 13, 4000);
    expect(gen.trueWeights).toEqual(LINEAR_TRUE_WEIGHTS);
    expect(gen.data.task).toEqual({ kind: "regression", outputs: 1 });
    const { x, y } = rowsOf("linear", 13, 4000);
    LINEAR_FEATURE_SDS.forEach((sd, j) => {
      const s = Math.sqrt(x.reduce((acc, r) => acc + r[j]! ** 2, 0) / x.length);
      expect(s / sd).toBeGreaterThan(0.95);
      expect(s / sd).toBeLessThan(1.05);
    });
    leastSquares(x, y).forEach((w, j) => expect(w).toBeCloseTo(LINEAR_TRUE_WEIGHTS[j]!, 1));
  });

  it("validates size and noise", () => {
    expect(() => make("circle", 1, 1)).toThrow("size must be an integer in [2, 10000000], got 1");
    expect(() => make("circle", 1, 10, 1.5)).toThrow("noise must be a number in [0, 1], got 1.5");
  });
});
