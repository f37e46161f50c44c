// Is dropout needed here? Dropout is a cure for overfitting: it is the default
// in vision (high-dimensional inputs, too little data per weight) and often
// unneeded on structured data. This trains the network without dropout to
// convergence (early stopping, best epoch restored) over several seeds,
// compares training and dev accuracy, and gives a verdict; when the network
// overfits it trains the advisor's recipe on the same seeds and recommends
// dropout only if the paired 95% interval of the dev-accuracy change is above
// zero. The words follow the interval, never the other way round.

import { InputError, checkNumber, show } from "../core/errors.js";
import type { Backend } from "../core/backend.js";
import type { Dataset } from "../data/dataset.js";
import { validateNetworkSpec, type NetworkSpec } from "../nn/network.js";
import { startRun } from "../train/run.js";
import { finalEpoch, type History } from "../train/history.js";
import type { StopReason } from "../train/early-stopping.js";
import { validateTrainOptions, type TrainOptions } from "../train/options.js";
import type { Advice, InputKind } from "./advisor.js";
import { compare, interval, type Comparison, type Interval } from "./intervals.js";
import { adviseRecipe, type Recipe, type RecipeChange } from "./recipe.js";

export type Verdict = "overfitting" | "underfitting" | "fine";
export const VERDICTS: readonly Verdict[] = ["overfitting", "underfitting", "fine"];

/**
 * Default thresholds (see judgeBaseline):
 * - MIN_GAP: a train/dev gap under 2 accuracy points is not worth dropout's
 *   price (it typically needs 2-3 times the epochs to converge);
 * - GAP_SE_MULTIPLE: the gap must also exceed 2 standard errors of the dev
 *   accuracy, or it may be the luck of a small dev set;
 * - ACCEPTABLE_TRAIN_ERROR: above 10% training error the network does not fit
 *   even the data it sees; set it to your estimate of the best achievable
 *   error (human-level or Bayes error) plus a margin for noisy data.
 */
export const MIN_GAP = 0.02;
export const GAP_SE_MULTIPLE = 2;
export const ACCEPTABLE_TRAIN_ERROR = 0.1;
/** Early stopping's patience when a comparison is asked to converge and the options give none. */
export const DEFAULT_PATIENCE = 10;
/** The epoch cap of a comparison that trains to convergence when the user gives none (early stopping usually ends it sooner). */
export const DEFAULT_EPOCH_CAP = 100;
/** Seeds of a comparison when none are given: enough for a t interval, few enough to wait for. */
export const DEFAULT_SEEDS = 3;

/** One training run, read at the epoch whose weights it ended with (the best one under early stopping). */
export interface RunOutcome {
  readonly seed: number;
  readonly trainAccuracy: number;
  readonly devAccuracy: number;
  /** Measured once, on the restored weights. */
  readonly testAccuracy?: number;
  /** The epoch the results come from. */
  readonly bestEpoch: number;
  /** Epochs trained. */
  readonly epochs: number;
  /** Why training ended: patience (converged) or the epoch cap; absent without early stopping. */
  readonly stopReason?: StopReason;
}

/** A run's outcome from its History (and its test accuracy, when measured). */
export function outcomeOf(seed: number, history: History, testAccuracy?: number): RunOutcome {
  const e = finalEpoch(history);
  if (e.trainAccuracy === undefined || e.devAccuracy === undefined) throw new InputError("a run outcome needs train and dev accuracies (a classification task with a dev set)");
  return {
    seed,
    trainAccuracy: e.trainAccuracy,
    devAccuracy: e.devAccuracy,
    ...(testAccuracy === undefined ? {} : { testAccuracy }),
    bestEpoch: e.epoch,
    epochs: history.epochs.at(-1)!.epoch,
    ...(history.stop ? { stopReason: history.stop.reason } : {}),
  };
}

/** One setting over its seeds. */
export interface ArmSummary {
  readonly keepProbs: readonly number[];
  readonly runs: readonly RunOutcome[];
  readonly trainAccuracy: Interval;
  readonly devAccuracy: Interval;
  /** train - dev accuracy, per seed. */
  readonly gap: Interval;
  readonly testAccuracy?: Interval;
  /** Runs that ended at the epoch cap instead of by early stopping (not converged). */
  readonly hitCap: number;
}

export function summarizeArm(keepProbs: readonly number[], runs: readonly RunOutcome[]): ArmSummary {
  if (runs.length === 0) throw new InputError("an arm needs at least one run");
  const tests = runs.map((r) => r.testAccuracy);
  return {
    keepProbs,
    runs,
    trainAccuracy: interval(runs.map((r) => r.trainAccuracy)),
    devAccuracy: interval(runs.map((r) => r.devAccuracy)),
    gap: interval(runs.map((r) => r.trainAccuracy - r.devAccuracy)),
    ...(tests.every((t) => t !== undefined) ? { testAccuracy: interval(tests as number[]) } : {}),
    hitCap: runs.filter((r) => r.stopReason === "max-epochs").length,
  };
}

export interface Thresholds {
  /** Training error above this is underfitting, in [0, 1). Default ACCEPTABLE_TRAIN_ERROR. */
  readonly acceptableTrainError?: number;
  /** Smallest gap that counts as overfitting, in [0, 1). Default MIN_GAP. */
  readonly minGap?: number;
}

export interface Judgement {
  readonly verdict: Verdict;
  /** max(minGap, 2 · standard error of one dev accuracy): the gap that counts. */
  readonly gapThreshold: number;
  readonly baseline: ArmSummary;
  /** What was measured without dropout, in words. */
  readonly measured: string;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pts = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(2)} pts`;

/**
 * The verdict from the runs without dropout. With a the mean dev accuracy
 * over n dev examples, se = sqrt(â(1-â)/n) with â = (round(a n) + 1)/(n + 2)
 * (never 0), and threshold = max(minGap, 2 se):
 * - "underfitting" when the mean training error exceeds acceptableTrainError;
 * - "overfitting" when the mean gap (train - dev accuracy) exceeds the
 *   threshold and, with 2+ seeds, its 95% interval lies above zero;
 * - "fine" otherwise.
 */
export function judgeBaseline(runs: readonly RunOutcome[], devSize: number, keepProbs: readonly number[], thresholds: Thresholds = {}): Judgement {
  const acceptable = checkNumber("acceptableTrainError", thresholds.acceptableTrainError ?? ACCEPTABLE_TRAIN_ERROR, { min: 0, max: 1, maxExclusive: true });
  const minGap = checkNumber("minGap", thresholds.minGap ?? MIN_GAP, { min: 0, max: 1, maxExclusive: true });
  checkNumber("dev set size", devSize, { min: 1, integer: true });
  const baseline = summarizeArm(keepProbs, runs);
  const dev = baseline.devAccuracy.mean, train = baseline.trainAccuracy.mean, gap = baseline.gap;
  const smoothed = (Math.round(dev * devSize) + 1) / (devSize + 2);
  const gapThreshold = Math.max(minGap, GAP_SE_MULTIPLE * Math.sqrt((smoothed * (1 - smoothed)) / devSize));
  const seeds = runs.length === 1 ? "1 seed" : `mean of ${runs.length} seeds`;
  const measured = `training accuracy ${pct(train)}, dev ${pct(dev)}, gap ${pct(gap.mean)} (${seeds}, each at its best dev epoch)`;
  const verdict: Verdict = 1 - train > acceptable ? "underfitting" : gap.mean > gapThreshold && (gap.low === null || gap.low > 0) ? "overfitting" : "fine";
  return { verdict, gapThreshold, baseline, measured };
}

export interface DiagnoseResult {
  readonly seeds: readonly number[];
  /** The baseline's means (no dropout), for a quick read; the intervals are in baseline. */
  readonly trainAccuracy: number;
  readonly devAccuracy: number;
  readonly gap: number;
  readonly gapThreshold: number;
  readonly verdict: Verdict;
  readonly baseline: ArmSummary;
  readonly recommendation: { readonly useDropout: boolean; readonly keepProbs: readonly number[]; readonly reason: string };
  /** The advisor's per-layer reasons (present when the verdict is overfitting). */
  readonly advice?: Advice;
  /** The recipe's training changes beside the keepProbs (when the verdict is overfitting). */
  readonly recipe?: readonly RecipeChange[];
  /** The advised recipe's runs on the same seeds, and the paired changes (when it was measured). */
  readonly withDropout?: ArmSummary & {
    /** Mean dev-accuracy change (advised - none). */
    readonly devAccuracyChange: number;
    readonly devChange: Comparison;
    readonly testChange?: Comparison;
  };
}

/**
 * The recommendation from the verdict and, when measured, the advised runs.
 * Dropout is recommended only when the paired interval of the dev-accuracy
 * change lies above zero; measured worse, it says so and does not recommend it.
 */
export function conclude(judgement: Judgement, seeds: readonly number[], recipe: Recipe | undefined, advised: readonly RunOutcome[] | undefined): DiagnoseResult {
  const { verdict, gapThreshold, baseline, measured } = judgement;
  const off = baseline.keepProbs.map(() => 1);
  const base = { seeds, trainAccuracy: baseline.trainAccuracy.mean, devAccuracy: baseline.devAccuracy.mean, gap: baseline.gap.mean, gapThreshold, verdict, baseline };
  const capNote = baseline.hitCap > 0 ? ` Note: ${baseline.hitCap} of ${seeds.length} runs without dropout reached the epoch cap before early stopping; raise --epochs for a converged comparison.` : "";
  if (verdict === "underfitting") {
    const reason = `Without dropout: ${measured}. The training error is above the acceptable level: the network does not fit the data it sees, and dropout would make that worse. No dropout; try a larger network, longer training or a better learning rate.${capNote}`;
    return { ...base, recommendation: { useDropout: false, keepProbs: off, reason } };
  }
  if (verdict === "fine") {
    const reason = `Without dropout: ${measured}, within ${pct(gapThreshold)} (the larger of the minimum gap and 2 standard errors of the dev accuracy) or not clearly above zero. No meaningful overfitting: no dropout needed.${capNote}`;
    return { ...base, recommendation: { useDropout: false, keepProbs: off, reason } };
  }
  if (!recipe) throw new Error("conclude: an overfitting verdict needs the recipe");
  const keepProbs = recipe.advice.keepProbs;
  const overfits = `Without dropout: ${measured}, above ${pct(gapThreshold)}: the network overfits.`;
  const withAdvice = { advice: recipe.advice, recipe: recipe.changes };
  if (!keepProbs.some((p) => p < 1)) {
    const reason = `${overfits} The advisor finds no weight matrix large enough to drop (keepProbs all 1 for these layer sizes); try L2, more data or a smaller network instead.${capNote}`;
    return { ...base, ...withAdvice, recommendation: { useDropout: false, keepProbs: off, reason } };
  }
  const kp = `[${keepProbs.join(", ")}]`;
  if (!advised) {
    const reason = `${overfits} The advisor's recipe is keepProbs ${kp} (not measured here: run with the comparison on to see whether it helps).${capNote}`;
    return { ...base, ...withAdvice, recommendation: { useDropout: true, keepProbs, reason } };
  }
  const arm = summarizeArm(keepProbs, advised);
  const devChange = compare(baseline.runs.map((r) => r.devAccuracy), advised.map((r) => r.devAccuracy));
  const tests = [baseline.runs, advised].map((rs) => rs.map((r) => r.testAccuracy));
  const testChange = tests.every((t) => t.every((v) => v !== undefined)) ? compare(tests[0] as number[], tests[1] as number[]) : undefined;
  const d = devChange.difference;
  const change =
    d.halfWidth === null
      ? `${pts(d.mean)} on dev from one seed, with no interval`
      : `${pts(d.mean)} on dev, 95% interval [${pts(d.low!)}, ${pts(d.high!)}] over ${d.n} paired seeds`;
  const armCap = arm.hitCap > 0 ? ` ${arm.hitCap} of ${seeds.length} runs with dropout reached the epoch cap: they may not have converged.` : "";
  let useDropout: boolean, advice: string;
  if (devChange.direction === "higher") {
    useDropout = true;
    advice = `The advised recipe (keepProbs ${kp}) measured ${change}: dropout helps here. Use it.`;
  } else if (devChange.direction === "lower") {
    useDropout = false;
    advice = `The advised recipe (keepProbs ${kp}) measured ${change}: worse with dropout. Not recommended; try weaker dropout (dropout-lab tune) or L2.`;
  } else {
    useDropout = false;
    advice =
      d.halfWidth === null
        ? `The advised recipe (keepProbs ${kp}) measured ${change}: one seed cannot tell an effect from noise; run with 2 or more seeds before choosing dropout.`
        : `The advised recipe (keepProbs ${kp}) made no measurable difference (${pts(d.mean)} ± ${(100 * d.halfWidth).toFixed(2)} pts on dev over ${d.n} seeds): dropout is not shown to help here.`;
  }
  return {
    ...base,
    ...withAdvice,
    recommendation: { useDropout, keepProbs: useDropout ? keepProbs : off, reason: `${overfits} ${advice}${armCap}${capNote}` },
    withDropout: { ...arm, devAccuracyChange: d.mean, devChange, ...(testChange ? { testChange } : {}) },
  };
}

export interface DiagnoseOptions extends Thresholds {
  /** Seeds of the paired runs: weights "init", training "train" of each. Default [1, 2, 3]. */
  readonly seeds?: readonly number[];
  /** Passed to the advisor. */
  readonly inputKind?: InputKind;
  /** Train the advised recipe when the network overfits. Default true. */
  readonly compare?: boolean;
  /** Kernels every run trains on (default the plain js backend). */
  readonly backend?: Backend;
}

/** `train` with early stopping (DEFAULT_PATIENCE on dev accuracy, best weights restored) unless it has its own. */
export function converging(train: TrainOptions): TrainOptions {
  return train.earlyStopping ? train : { ...train, earlyStopping: { patience: DEFAULT_PATIENCE, monitor: "dev-accuracy", minDelta: 0, restoreBest: true } };
}

/** The recipe's settings on a network spec and training options. */
export function recipeRun(spec: NetworkSpec, train: TrainOptions, recipe: Recipe): { spec: NetworkSpec; train: TrainOptions } {
  const s = recipe.settings;
  const es = train.earlyStopping ?? converging(train).earlyStopping!;
  return {
    spec: { ...spec, keepProbs: s.keepProbs ?? spec.keepProbs },
    train: {
      ...train,
      ...(s.epochs !== undefined ? { epochs: s.epochs } : {}),
      ...(s.maxNorm !== undefined ? { maxNorm: s.maxNorm } : {}),
      ...(s.optimizer !== undefined ? { optimizer: s.optimizer } : {}),
      earlyStopping: { ...es, patience: s.patience ?? es.patience },
    },
  };
}

/**
 * diagnose in this thread (the browser, or small data): every run trains to
 * convergence with `converging(train)`, one after another. Node users with
 * worker threads have diagnoseExperiment (dropout-lab/node), which runs the
 * same comparison on an experiment config in parallel.
 */
export function diagnose(spec: NetworkSpec, data: { readonly train: Dataset; readonly dev: Dataset }, train: TrainOptions, options: DiagnoseOptions = {}): DiagnoseResult {
  const base = validateNetworkSpec(spec);
  const trainOptions = converging(validateTrainOptions(train));
  const seeds = options.seeds ?? Array.from({ length: DEFAULT_SEEDS }, (_, i) => i + 1);
  if (seeds.length === 0) throw new InputError("diagnose needs at least one seed");
  seeds.forEach((s, i) => checkNumber(`seeds[${i}]`, s, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  for (const [name, set] of [["training data", data.train], ["dev data", data.dev]] as const) {
    if (set.task.kind !== "classification") throw new InputError(`diagnose compares accuracies, so it needs classification data; the ${name} is a ${show(set.task.kind)} task`);
    if (set.size < 1) throw new InputError(`the ${name} is empty`);
  }
  const off = { ...base, keepProbs: base.keepProbs.map(() => 1) };
  const run = (s: NetworkSpec, t: TrainOptions, seed: number): RunOutcome =>
    outcomeOf(seed, startRun(s, data, t, seed, options.backend ? { backend: options.backend } : {}).trainer.run());
  const judgement = judgeBaseline(seeds.map((seed) => run(off, trainOptions, seed)), data.dev.size, off.keepProbs, options);
  if (judgement.verdict !== "overfitting") return conclude(judgement, seeds, undefined, undefined);
  const recipe = adviseRecipe(
    { layers: base.layers, examples: data.train.size, ...(options.inputKind ? { inputKind: options.inputKind } : {}) },
    { epochs: trainOptions.epochs, optimizer: trainOptions.optimizer, lr: trainOptions.lr, patience: trainOptions.earlyStopping!.patience, ...(trainOptions.maxNorm !== undefined ? { maxNorm: trainOptions.maxNorm } : {}) },
  );
  if (options.compare === false || !recipe.advice.keepProbs.some((p) => p < 1)) return conclude(judgement, seeds, recipe, undefined);
  const advised = recipeRun(off, trainOptions, recipe);
  return conclude(judgement, seeds, recipe, seeds.map((seed) => run(advised.spec, advised.train, seed)));
}
