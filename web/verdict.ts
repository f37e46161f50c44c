// What Compare's three runs show, in one line computed from their numbers.
// Each run is judged by its test accuracy where training stands and at its
// best dev epoch (the epoch early stopping with restored weights would keep);
// a difference is named only when it exceeds the sampling noise of the test
// set, otherwise the line says there is no measurable difference and how wide
// the noise is.
// Pure: no DOM, so it is tested without a browser.

import type { EpochPoint } from "./protocol.js";

/** z of a two-sided 95% interval. */
const Z95 = 1.959964;

/** The evaluation with the highest dev accuracy (the earliest of ties); undefined before the first epoch ends. */
export function bestDevEpoch(epochs: readonly EpochPoint[]): EpochPoint | undefined {
  let best: EpochPoint | undefined;
  for (const e of epochs) {
    if (e.epoch === 0 || e.devAccuracy === undefined) continue;
    if (!best || e.devAccuracy > best.devAccuracy!) best = e;
  }
  return best;
}

/**
 * Wilson score interval of a proportion p observed on n examples (95%):
 * (p + z²/2n ± z sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilson(p: number, n: number, z = Z95): { lo: number; hi: number } {
  const z2 = z * z;
  const centre = p + z2 / (2 * n), half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lo: (centre - half) / (1 + z2 / n), hi: (centre + half) / (1 + z2 / n) };
}

export interface ComparedRun {
  readonly label: string;
  /** The run's latest evaluation (the end of training once it is done). */
  readonly last: EpochPoint | undefined;
  /** The run's evaluation at its best dev epoch. */
  readonly best: EpochPoint | undefined;
}

const pts = (x: number) => `${(100 * x).toFixed(1)} pts`;

/**
 * Dropout's test accuracy p2 against no regularization's p1: the difference d
 * and its 95% half-width z·sqrt(p₁(1−p₁)/n + p₂(1−p₂)/n) (the runs share the
 * test set, so this unpaired width is on the cautious side); a winner is
 * named only when |d| exceeds it.
 */
function contrast(p1: number, p2: number, n: number): string {
  const d = p2 - p1;
  const half = Z95 * Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n);
  const noise = `±${pts(half)} at 95% on ${n.toLocaleString("en-US")} test points`;
  return Math.abs(d) <= half
    ? `dropout vs none ${d >= 0 ? "+" : "−"}${pts(Math.abs(d))}, within the test set's noise (${noise}): no measurable difference`
    : `dropout ${d > 0 ? "beats" : "trails"} no regularization by ${pts(Math.abs(d))}, more than the test set's noise (${noise})`;
}

/**
 * One line on Compare's runs, from their numbers: test accuracy where training
 * stands (after its last epoch) and at each run's best dev epoch (what early
 * stopping with restored weights would keep), each time dropout (the last run)
 * against no regularization (the first).
 */
export function compareVerdict(runs: readonly ComparedRun[], testSize: number): string {
  const ready = runs.length >= 2 && testSize >= 1 && runs.every((r) => r.best?.testAccuracy !== undefined && r.last?.testAccuracy !== undefined);
  if (!ready) return "Press play: once the runs have trained an epoch, this line compares their test accuracy.";
  const at = (pick: (r: ComparedRun) => EpochPoint, withEpoch: boolean) =>
    runs.map((r) => `${r.label} ${(100 * pick(r).testAccuracy!).toFixed(1)}%${withEpoch ? ` (epoch ${pick(r).epoch})` : ""}`).join(", ");
  const first = runs[0]!, drop = runs[runs.length - 1]!;
  const epoch = Math.max(...runs.map((r) => r.last!.epoch));
  const end = contrast(first.last!.testAccuracy!, drop.last!.testAccuracy!, testSize);
  const best = contrast(first.best!.testAccuracy!, drop.best!.testAccuracy!, testSize);
  return `Test accuracy after ${epoch} epoch${epoch === 1 ? "" : "s"}: ${at((r) => r.last!, false)}; ${end}. At each run's best dev epoch (what early stopping keeps): ${at((r) => r.best!, true)}; ${best}.`;
}
