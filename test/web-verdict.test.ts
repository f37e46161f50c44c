// Compare's one-line verdict (web/verdict.ts), without a browser: the best dev
// epoch, the Wilson interval against a hand-computed case, and a difference
// named only beyond the test set's noise.

import { describe, expect, it } from "vitest";
import type { EpochPoint } from "../web/protocol.js";
import { bestDevEpoch, compareVerdict, wilson } from "../web/verdict.js";

const point = (epoch: number, devAccuracy: number, testAccuracy: number): EpochPoint => ({ epoch, step: epoch * 10, cleanCost: 1, devAccuracy, testLoss: 1, testAccuracy });

describe("Compare's verdict", () => {
  it("the best dev epoch is the first with the highest dev accuracy, never epoch 0", () => {
    const epochs = [point(0, 0.99, 0.5), point(1, 0.8, 0.7), point(2, 0.9, 0.85), point(3, 0.9, 0.8), point(4, 0.85, 0.9)];
    expect(bestDevEpoch(epochs)?.epoch).toBe(2);
    expect(bestDevEpoch([point(0, 0.9, 0.9)])).toBeUndefined();
  });

  it("Wilson's 95% interval of 8 right out of 10: (0.8 + z²/20 ± z·sqrt(0.016 + z²/400)) / (1 + z²/10)", () => {
    const { lo, hi } = wilson(0.8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
  });

  it("names a winner only beyond the noise: 4.8 pts on 950 test points is, on 75 it is not", () => {
    const runs = (n: number, none: number, drop: number) => [
      { label: "no regularization", last: point(1000, 0.9, none), best: point(100, 0.92, 0.92) },
      { label: "L2 λ=1", last: point(1000, 0.91, 0.913), best: point(300, 0.92, 0.923) },
      { label: "dropout 1,0.5,0.5", last: point(1000, 0.92, drop), best: point(400, 0.92, 0.927) },
    ].slice(0, n);
    // 1.96 * sqrt((0.856 * 0.144 + 0.904 * 0.096) / n): 2.9 pts for n = 950, 10.4 for n = 75
    const big = compareVerdict(runs(3, 0.856, 0.904), 950);
    expect(big).toContain("Test accuracy after 1000 epochs: no regularization 85.6%, L2 λ=1 91.3%, dropout 1,0.5,0.5 90.4%; dropout beats no regularization by 4.8 pts, more than the test set's noise (±2.9 pts at 95% on 950 test points).");
    expect(big).toContain("best dev epoch (what early stopping keeps): no regularization 92.0% (epoch 100), L2 λ=1 92.3% (epoch 300), dropout 1,0.5,0.5 92.7% (epoch 400); dropout vs none +0.7 pts, within the test set's noise");
    expect(compareVerdict(runs(3, 0.856, 0.904), 75)).toContain("dropout vs none +4.8 pts, within the test set's noise (±10.4 pts at 95% on 75 test points): no measurable difference.");
    expect(compareVerdict(runs(3, 0.904, 0.856), 950)).toContain("dropout trails no regularization by 4.8 pts");
    expect(compareVerdict(runs(1, 0.9, 0.9), 950)).toMatch(/^Press play/);
  });
});
