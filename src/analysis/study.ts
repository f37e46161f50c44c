// The advice benchmark: is the advisor's recipe right on real data? For each
// data set and network size, four arms trained to convergence on the same
// seeds: (a) no regularization, (b) the advisor's recipe, (c) the best
// keepProbs of a search over the largest layers (chosen on dev, then
// retrained on the seeds), (d) L2 with its lambda chosen on dev. From them:
// the advisor's regret (c - b), dropout's measured effect (b - a), and
// diagnose's verdict from the same runs, checked against that effect. Pure:
// configs in, configs out, results in, rows out; src/node/study.ts runs it.

import type { ExperimentConfig } from "../config/experiment.js";
import type { InputKind } from "./advisor.js";
import { conclude, judgeBaseline, type RunOutcome, type Verdict } from "./diagnose.js";
import { compare, interval, type Comparison, type Interval } from "./intervals.js";
import type { Recipe } from "./recipe.js";
import { defaultSearchLayers } from "./tune.js";

export const ARMS = ["none", "advised", "searched", "l2"] as const;
export type Arm = (typeof ARMS)[number];

/** One data set of the study and the networks it is tried with. */
export interface StudyCase {
  /** Row label, e.g. "fashion-mnist 5k". */
  readonly name: string;
  readonly inputKind: InputKind;
  /** The experiment without dropout; its layers fix the network ("hidden" is resolved by the caller). */
  readonly networks: readonly { readonly name: string; readonly config: ExperimentConfig }[];
}

export interface StudySettings {
  /** Seeds of every arm's final runs. */
  readonly seeds: readonly number[];
  /** Seeds of the search runs (keepProbs grid and L2 lambdas), chosen on their mean dev accuracy. */
  readonly searchSeeds: readonly number[];
  /** keepProbs tried for each searched layer. */
  readonly grid: readonly number[];
  /** L2 strengths lambda tried (coupled: (lambda / 2m) Σ w²). */
  readonly lambdas: readonly number[];
}

/** The searched keepProb combinations for `layers`: every grid value on each searched layer, the advice elsewhere. */
export function keepProbGrid(layers: readonly number[], advice: readonly number[], grid: readonly number[]): number[][] {
  const searched = defaultSearchLayers(layers);
  const out: number[][] = [];
  const total = grid.length ** searched.length;
  for (let i = 0; i < total; i++) {
    const keep = [...advice];
    let rest = i;
    for (let l = searched.length - 1; l >= 0; l--) {
      keep[searched[l]!] = grid[rest % grid.length]!;
      rest = Math.floor(rest / grid.length);
    }
    out.push(keep);
  }
  return out;
}

/** One measured run as the study keeps it. */
export interface StudyRun extends RunOutcome {
  readonly devSize: number;
}

export interface ArmResult {
  /** Test accuracy over the seeds, each run at its best dev epoch. */
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly seeds: number;
  readonly config: ExperimentConfig;
  readonly test: Interval;
  readonly dev: Interval;
}

/** The row the study reports per data set and network. */
export interface StudyRow {
  readonly data: string;
  readonly network: string;
  readonly layers: readonly number[];
  readonly arms: Readonly<Record<Arm, ArmResult>>;
  /** searched - advised test accuracy, paired by seed. */
  readonly regret: { readonly mean: number; readonly low: number | null; readonly high: number | null; readonly direction: Comparison["direction"] };
  /** advised - none test accuracy, paired by seed. */
  readonly dropoutEffect: { readonly mean: number; readonly low: number | null; readonly high: number | null; readonly direction: Comparison["direction"] };
  readonly diagnose: { readonly verdict: Verdict; readonly useDropout: boolean; readonly agrees: boolean | null; readonly reason: string };
  /** The searched arm's keepProbs and the L2 arm's lambda, as chosen on dev. */
  readonly chosen: { readonly keepProbs: readonly number[]; readonly lambda: number };
}

function armResult(config: ExperimentConfig, runs: readonly StudyRun[]): ArmResult {
  const test = interval(runs.map((r) => r.testAccuracy!));
  return { mean: test.mean, low: test.low, high: test.high, seeds: runs.length, config, test, dev: interval(runs.map((r) => r.devAccuracy)) };
}

const diff = (c: Comparison) => ({ mean: c.difference.mean, low: c.difference.low, high: c.difference.high, direction: c.direction });

/**
 * A row from the four arms' runs (each in seed order). diagnose's verdict is
 * computed from the none and advised runs exactly as `dropout-lab diagnose`
 * computes it; it agrees when it recommends dropout where dropout measurably
 * raised test accuracy, and recommends against it where it did not; with one
 * seed there is no interval and agreement is null (inconclusive).
 */
export function studyRow(
  data: string,
  network: string,
  configs: Readonly<Record<Arm, ExperimentConfig>>,
  runs: Readonly<Record<Arm, readonly StudyRun[]>>,
  recipe: Recipe,
  chosen: { keepProbs: readonly number[]; lambda: number },
): StudyRow {
  const arms = Object.fromEntries(ARMS.map((a) => [a, armResult(configs[a], runs[a])])) as Record<Arm, ArmResult>;
  const test = (a: Arm) => runs[a].map((r) => r.testAccuracy!);
  const effect = compare(test("none"), test("advised"));
  const regret = compare(test("advised"), test("searched"));
  const seeds = runs.none.map((r) => r.seed);
  const judgement = judgeBaseline(runs.none, runs.none[0]!.devSize, configs.none.keepProbs ?? [], {});
  const d = conclude(judgement, seeds, judgement.verdict === "overfitting" ? recipe : undefined, judgement.verdict === "overfitting" ? runs.advised : undefined);
  const useDropout = d.recommendation.useDropout;
  const agrees = effect.difference.halfWidth === null ? null : effect.direction === "higher" ? useDropout : !useDropout;
  return {
    data,
    network,
    layers: configs.none.layers ?? [],
    arms,
    regret: diff(regret),
    dropoutEffect: diff(effect),
    diagnose: { verdict: d.verdict, useDropout, agrees, reason: d.recommendation.reason },
    chosen,
  };
}

/** Index of the best candidate by mean dev accuracy over its search runs (ties: the first). */
export function bestOnDev(candidates: readonly (readonly RunOutcome[])[]): number {
  let best = 0, bestValue = -Infinity;
  candidates.forEach((runs, i) => {
    const v = runs.reduce((a, r) => a + r.devAccuracy, 0) / runs.length;
    if (v > bestValue) [best, bestValue] = [i, v];
  });
  return best;
}
