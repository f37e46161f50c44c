// Is dropout needed here? Dropout is a cure for overfitting: it is the default
// in vision (high-dimensional inputs, too little data per weight) and often
// unneeded on structured data. This trains the network without dropout,
// compares training and dev accuracy, and gives a verdict with a
// recommendation; when it recommends dropout it also trains with the advised
// keepProbs and reports what changed on the dev set.

import { InputError, checkNumber, show } from "../core/errors.js";
import type { Backend } from "../core/backend.js";
import { Rng } from "../core/rng.js";
import type { Dataset } from "../data/dataset.js";
import { Network, validateNetworkSpec, type NetworkSpec } from "../nn/network.js";
import { fit } from "../train/fit.js";
import { validateTrainOptions, type TrainOptions } from "../train/options.js";
import { advise, type Advice, type InputKind } from "./advisor.js";

export type Verdict = "overfitting" | "underfitting" | "fine";
export const VERDICTS: readonly Verdict[] = ["overfitting", "underfitting", "fine"];

/**
 * Default thresholds (see diagnose):
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

export interface DiagnoseOptions {
  /** Root seed: weights "init", training "train" (the same for both runs). Default 1. */
  readonly seed?: number;
  /** Passed to the advisor. */
  readonly inputKind?: InputKind;
  /** Training error above this is underfitting, in [0, 1). Default ACCEPTABLE_TRAIN_ERROR. */
  readonly acceptableTrainError?: number;
  /** Smallest gap that counts as overfitting, in [0, 1). Default MIN_GAP. */
  readonly minGap?: number;
  /** Train again with the advised keepProbs when recommending dropout. Default true. */
  readonly compare?: boolean;
  /** Kernels both runs train on (default the plain js backend). */
  readonly backend?: Backend;
}

export interface FitSummary {
  readonly trainAccuracy: number;
  readonly devAccuracy: number;
  /** trainAccuracy - devAccuracy */
  readonly gap: number;
}

export interface DiagnoseResult extends FitSummary {
  /** max(minGap, 2 · standard error of the dev accuracy): the gap that counts. */
  readonly gapThreshold: number;
  readonly verdict: Verdict;
  readonly recommendation: { readonly useDropout: boolean; readonly keepProbs: readonly number[]; readonly reason: string };
  /** The advisor's per-layer reasons (present when the verdict is overfitting). */
  readonly advice?: Advice;
  /** The run with the recommended keepProbs (when dropout is recommended and compare is on). */
  readonly withDropout?: FitSummary & { readonly devAccuracyChange: number };
}

/**
 * Trains `spec` with every keepProb at 1 on data.train and reads the final
 * epoch's eval-mode accuracies. With a = dev accuracy over n dev examples,
 * se = sqrt(â(1-â)/n) with â = (correct + 1)/(n + 2) (never 0), and
 * threshold = max(minGap, 2 se):
 * - "underfitting" when the training error 1 - trainAccuracy exceeds
 *   acceptableTrainError: fix the fit first, dropout would only add bias;
 * - "overfitting" when gap = trainAccuracy - devAccuracy > threshold:
 *   recommend the advisor's keepProbs (advise(layers, examples = training
 *   set size)) and, unless compare is false, train with them from the same
 *   seed and report the dev accuracy change;
 * - "fine" otherwise: no dropout needed.
 */
export function diagnose(spec: NetworkSpec, data: { readonly train: Dataset; readonly dev: Dataset }, train: TrainOptions, options: DiagnoseOptions = {}): DiagnoseResult {
  const base = validateNetworkSpec(spec);
  validateTrainOptions(train);
  const seed = checkNumber("seed", options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const acceptable = checkNumber("acceptableTrainError", options.acceptableTrainError ?? ACCEPTABLE_TRAIN_ERROR, { min: 0, max: 1, maxExclusive: true });
  const minGap = checkNumber("minGap", options.minGap ?? MIN_GAP, { min: 0, max: 1, maxExclusive: true });
  for (const [name, set] of [["training data", data.train], ["dev data", data.dev]] as const) {
    if (set.task.kind !== "classification") throw new InputError(`diagnose compares accuracies, so it needs classification data; the ${name} is a ${show(set.task.kind)} task`);
    if (set.size < 1) throw new InputError(`the ${name} is empty`);
  }
  const off = base.keepProbs.map(() => 1);
  const without = trainAndMeasure({ ...base, keepProbs: off }, data, train, seed, options.backend);
  const n = data.dev.size;
  const smoothed = (Math.round(without.devAccuracy * n) + 1) / (n + 2);
  const se = Math.sqrt((smoothed * (1 - smoothed)) / n);
  const gapThreshold = Math.max(minGap, GAP_SE_MULTIPLE * se);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const measured = `training accuracy ${pct(without.trainAccuracy)}, dev ${pct(without.devAccuracy)}, gap ${pct(without.gap)}`;

  if (1 - without.trainAccuracy > acceptable) {
    return {
      ...without,
      gapThreshold,
      verdict: "underfitting",
      recommendation: {
        useDropout: false,
        keepProbs: off,
        reason: `Without dropout: ${measured}. The training error ${pct(1 - without.trainAccuracy)} is above the acceptable ${pct(acceptable)}: the network does not fit the data it sees, and dropout would make that worse. No dropout; try a larger network, longer training or a better learning rate.`,
      },
    };
  }
  if (without.gap <= gapThreshold) {
    return {
      ...without,
      gapThreshold,
      verdict: "fine",
      recommendation: {
        useDropout: false,
        keepProbs: off,
        reason: `Without dropout: ${measured}, within ${pct(gapThreshold)} (the larger of ${pct(minGap)} and 2 standard errors of the dev accuracy on ${n} examples). No meaningful overfitting: no dropout needed.`,
      },
    };
  }
  const advice = advise({ layers: base.layers, examples: data.train.size, ...(options.inputKind ? { inputKind: options.inputKind } : {}) });
  const useDropout = advice.keepProbs.some((p) => p < 1);
  const reason =
    `Without dropout: ${measured}, above ${pct(gapThreshold)}: the network overfits. ` +
    (useDropout
      ? `Use dropout with keepProbs [${advice.keepProbs.join(", ")}] (the advisor's rule for these layer sizes and ${data.train.size} training examples).`
      : `The advisor finds no weight matrix large enough to drop (keepProbs all 1 for these layer sizes and ${data.train.size} examples); try L2, more data or a smaller network instead.`);
  const result: DiagnoseResult = { ...without, gapThreshold, verdict: "overfitting", recommendation: { useDropout, keepProbs: advice.keepProbs, reason }, advice };
  if (!useDropout || options.compare === false) return result;
  const dropped = trainAndMeasure({ ...base, keepProbs: advice.keepProbs }, data, train, seed, options.backend);
  return { ...result, withDropout: { ...dropped, devAccuracyChange: dropped.devAccuracy - without.devAccuracy } };
}

function trainAndMeasure(spec: NetworkSpec, data: { readonly train: Dataset; readonly dev: Dataset }, train: TrainOptions, seed: number, backend?: Backend): FitSummary {
  const root = Rng.fromSeed(seed);
  const net = new Network(spec, root.stream("init"), backend ? { backend } : {});
  const last = fit(net, data, train, root.stream("train")).epochs.at(-1)!;
  const trainAccuracy = last.trainAccuracy!, devAccuracy = last.devAccuracy!;
  return { trainAccuracy, devAccuracy, gap: trainAccuracy - devAccuracy };
}
