// What Compare's three runs show, in one line computed from their numbers.
// Each run is judged at its best dev epoch (the epoch early stopping with
// restored weights would keep), by its test accuracy there; a difference is
// named only when it exceeds the sampling noise of the test set, otherwise
// the line says there is no measurable difference and how wide the noise is.
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
  /** The run's evaluation at its best dev epoch. */
  readonly best: EpochPoint | undefined;
}

/**
 * One line on Compare's runs: each one's test accuracy at its best dev epoch,
 * then dropout (the last run) against no regularization (the first): the
 * difference d and its 95% half-width z·sqrt(p₁(1−p₁)/n + p₂(1−p₂)/n) (the
 * runs share the test set, so this unpaired width is on the cautious side).
 */
export function compareVerdict(runs: readonly ComparedRun[], testSize: number): string {
  const scored = runs.filter((r) => r.best?.testAccuracy !== undefined);
  if (scored.length < runs.length || runs.length < 2 || testSize < 1) return "Press play: the runs are compared at their best dev epoch once they have trained.";
  const acc = (r: ComparedRun) => r.best!.testAccuracy!;
  const list = runs.map((r) => `${r.label} ${(100 * acc(r)).toFixed(1)}% (epoch ${r.best!.epoch})`).join(", ");
  const base = runs[0]!, drop = runs[runs.length - 1]!;
  const p1 = acc(base), p2 = acc(drop);
  const d = p2 - p1;
  const half = Z95 * Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / testSize);
  const pts = (x: number) => `${(100 * x).toFixed(1)} pts`;
  const noise = `±${pts(half)} at 95% on ${testSize.toLocaleString("en-US")} test points`;
  const verdict =
    Math.abs(d) <= half
      ? `dropout vs none: ${d >= 0 ? "+" : "−"}${pts(Math.abs(d))}, within the test set's noise (${noise}): no measurable difference here`
      : `dropout ${d > 0 ? "beats" : "trails"} no regularization by ${pts(Math.abs(d))}, more than the test set's noise (${noise})`;
  return `Test accuracy at each run's best dev epoch: ${list}. ${verdict[0]!.toUpperCase()}${verdict.slice(1)}.`;
}
