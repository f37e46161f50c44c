// Dropout makes a unit spread its weights: when any input can vanish, a unit
// that leans on one input is often left with nothing, so training moves weight
// onto the backups ("one weight of 100 becomes four of about 25"). This module
// measures how concentrated each unit's incoming weights are, per unit and per
// layer of any network, and runs the classic demonstration: one sigmoid unit
// on the four-inputs set trained with no penalty, with L2, and with dropout on
// its inputs, from the same seed.

import { InputError, checkKeepProb, checkNumber, show } from "../core/errors.js";
import type { Matrix } from "../core/matrix.js";
import type { Dataset } from "../data/dataset.js";
import { Rng } from "../core/rng.js";
import { DEFAULT_NOISE, synthetic } from "../data/synthetic.js";
import type { Network, NetworkSpec } from "../nn/network.js";
import type { OptimizerSpec } from "../optim/optimizer.js";
import { evaluate } from "../train/evaluate.js";
import { startRun } from "../train/run.js";
import { mean, quantiles, type Quantiles } from "./stats.js";

/** How concentrated one unit's incoming weights w_1..w_n are. */
export interface UnitSpread {
  /** Row of the weight matrix (0-based unit index). */
  readonly unit: number;
  /** max_j |w_j| / Σ_j |w_j|: 1 when one input carries everything, 1/n when all weigh the same. */
  readonly largestShare: number;
  /** (Σ_j |w_j|)² / Σ_j w_j²: 1 for a single nonzero weight, n for n equal magnitudes. */
  readonly effectiveInputs: number;
}

/** The spread of every unit of one weight matrix (units x inputs) and its summary. */
export interface LayerSpread {
  /** Parameter name, e.g. "W1". */
  readonly name: string;
  readonly units: number;
  readonly inputs: number;
  readonly meanLargestShare: number;
  readonly meanEffectiveInputs: number;
  /** Distribution of largestShare over the units. */
  readonly largestShare: Quantiles;
  /** Distribution of effectiveInputs over the units. */
  readonly effectiveInputs: Quantiles;
  readonly perUnit: readonly UnitSpread[];
}

/**
 * largestShare = max|w| / Σ|w| and effectiveInputs = (Σ|w|)² / Σw² of one
 * weight vector. A vector of zeros uses no input: both are reported as 0.
 */
export function weightSpread(weights: ArrayLike<number>): { largestShare: number; effectiveInputs: number } {
  let l1 = 0, l2 = 0, max = 0;
  for (let j = 0; j < weights.length; j++) {
    const a = Math.abs(weights[j]!);
    l1 += a;
    l2 += a * a;
    if (a > max) max = a;
  }
  if (l1 === 0) return { largestShare: 0, effectiveInputs: 0 };
  return { largestShare: max / l1, effectiveInputs: (l1 * l1) / l2 };
}

/** Spread of each row (unit) of a units x inputs weight matrix, with means and quantiles over the units. */
export function matrixSpread(name: string, w: Matrix): LayerSpread {
  const perUnit: UnitSpread[] = [];
  for (let u = 0; u < w.rows; u++) {
    perUnit.push({ unit: u, ...weightSpread(w.data.subarray(u * w.cols, (u + 1) * w.cols)) });
  }
  const shares = perUnit.map((s) => s.largestShare), eff = perUnit.map((s) => s.effectiveInputs);
  return {
    name,
    units: w.rows,
    inputs: w.cols,
    meanLargestShare: mean(shares),
    meanEffectiveInputs: mean(eff),
    largestShare: quantiles(shares),
    effectiveInputs: quantiles(eff),
    perUnit,
  };
}

/** Spread of every weight matrix of a network, W1 (first hidden layer) to WL (output). */
export function networkSpread(network: Network): LayerSpread[] {
  return network.dense.map((d) => matrixSpread(d.weight.name, d.weight.value));
}

/** The three ways the four-inputs unit is trained. */
export type SpreadMethod = "none" | "l2" | "dropout";
export const SPREAD_METHODS: readonly SpreadMethod[] = ["none", "l2", "dropout"];

export interface FourInputsOptions {
  /** Root seed: data from stream "data" (dev set "dev"), weights "init", training "train". Default 1. */
  readonly seed?: number;
  /** Training examples (the dev set has as many). Default 500. */
  readonly size?: number;
  /** The generator's noise level in [0, 1]. Default DEFAULT_NOISE (0.1). */
  readonly noise?: number;
  /**
   * Binary classification data to use instead of the four-inputs generator
   * (then size and noise must be left out); the unit gets one input per feature.
   */
  readonly data?: { readonly train: Dataset; readonly dev: Dataset };
  /** Default 100. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Default 0.1. */
  readonly lr?: number;
  /** Default plain SGD. */
  readonly optimizer?: OptimizerSpec;
  /** keepProb of the inputs in the dropout run, 0 < keepProb <= 1. Default 0.5. */
  readonly keepProb?: number;
  /** Coupled L2 λ of the L2 run (cost term (λ/2m) Σ w², m training examples). Default DEFAULT_SPREAD_L2_PER_EXAMPLE * m. */
  readonly l2?: number;
}

/**
 * Default L2 strength of the four-inputs comparison, per training example:
 * λ = 0.1 m makes the cost term (λ/2m) Σw² = 0.05 Σw². That is the size of
 * dropout's own quadratic penalty here: for a logistic unit with input dropout
 * at keepProb p, Wager et al. (2013) give ≈ ½ ((1-p)/p) Σ_j w_j² E[σ'(z) x_j²],
 * and with p = 0.5, σ'(z) <= 1/4 and E[x_j²] ≈ 1-1.6 on this set it is at most
 * ≈ 0.05-0.2 Σw². So L2 and dropout are compared at a comparable strength.
 */
export const DEFAULT_SPREAD_L2_PER_EXAMPLE = 0.1;

/** One training run of the four-inputs unit. */
export interface SpreadRun {
  readonly method: SpreadMethod;
  /** The network's keepProbs ([1] or [keepProb]). */
  readonly keepProbs: readonly number[];
  /** Coupled L2 λ (0 unless method is "l2"). */
  readonly l2: number;
  /** Final weight of each input (strong, backup1..3). */
  readonly weights: readonly number[];
  readonly bias: number;
  readonly largestShare: number;
  readonly effectiveInputs: number;
  readonly trainAccuracy: number;
  readonly devAccuracy: number;
  /** The weights after each epoch, epoch 0 being the initialization. */
  readonly evolution: readonly { readonly epoch: number; readonly weights: readonly number[] }[];
}

export interface FourInputsResult {
  readonly seed: number;
  /** "four-inputs" (the generator) or "custom" (options.data). */
  readonly data: "four-inputs" | "custom";
  /** Training examples. */
  readonly size: number;
  /** The generator's noise level (absent for custom data). */
  readonly noise?: number;
  readonly keepProb: number;
  readonly featureNames: readonly string[];
  /** One run per method, in the order none, l2, dropout. */
  readonly runs: readonly SpreadRun[];
  /** Dropout minus no penalty: effectiveInputs gained and largestShare lost (positive = more spread). */
  readonly dropoutVsNone: { readonly effectiveInputsGain: number; readonly largestShareDrop: number };
  readonly notes: readonly string[];
}

/**
 * A single sigmoid unit (layers [4, 1], sigmoid-cross-entropy) on the
 * four-inputs set, trained three ways from the same seed (same data, same
 * initial weights, same shuffling): no penalty; coupled L2; dropout on its
 * inputs at `keepProb`. Returns each input's weight, both spread metrics and
 * the weights' path over the epochs for each way.
 *
 * How much dropout spreads depends on the data: its penalty on a weight
 * scales with σ'(z) = σ(z)(1 - σ(z)), so when one input alone predicts the
 * label almost surely, the unit is confident, the penalty fades and that
 * input keeps most of the weight. Spreading shows when the label is a noisy
 * function of the signal (see the tests).
 */
export function fourInputsExperiment(options: FourInputsOptions = {}): FourInputsResult {
  const seed = checkNumber("seed", options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const keepProb = checkKeepProb("keepProb", options.keepProb ?? 0.5);
  if (options.data && (options.size !== undefined || options.noise !== undefined)) {
    throw new InputError(`size (${show(options.size)}) and noise (${show(options.noise)}) apply to the four-inputs generator only; leave them out when passing data`);
  }
  const root = Rng.fromSeed(seed);
  const generated = options.data ? undefined : generate(options, root);
  const train = options.data?.train ?? generated!.train.data;
  const dev = options.data?.dev ?? generated!.dev.data;
  const size = train.size;
  const l2 = checkNumber("l2", options.l2 ?? DEFAULT_SPREAD_L2_PER_EXAMPLE * size, { min: 0 });
  const trainOptions = {
    epochs: options.epochs ?? 100,
    batchSize: options.batchSize ?? 32,
    lr: options.lr ?? 0.1,
    optimizer: options.optimizer ?? ({ kind: "sgd" } as const),
  };
  const runs = SPREAD_METHODS.map((method): SpreadRun => {
    const keepProbs = [method === "dropout" ? keepProb : 1];
    const lambda = method === "l2" ? l2 : 0;
    const spec: NetworkSpec = { layers: [train.features, 1], activation: "linear", keepProbs, loss: "sigmoid-cross-entropy" };
    // The same seed for every way: the same initial weights, shuffles and dropout stream.
    const { network: net, trainer } = startRun(spec, { train }, { ...trainOptions, ...(lambda > 0 ? { l2: lambda } : {}) }, seed);
    const weightsNow = () => Array.from(net.dense[0]!.weight.value.data);
    const evolution = [{ epoch: 0, weights: weightsNow() }];
    trainer.run({ onEpoch: (rec) => evolution.push({ epoch: rec.epoch, weights: weightsNow() }) });
    const weights = weightsNow();
    return {
      method,
      keepProbs,
      l2: lambda,
      weights,
      bias: net.dense[0]!.bias.value.data[0]!,
      ...weightSpread(weights),
      trainAccuracy: evaluate(net, train).accuracy ?? 0,
      devAccuracy: evaluate(net, dev).accuracy ?? 0,
      evolution,
    };
  });
  const none = runs[SPREAD_METHODS.indexOf("none")]!, drop = runs[SPREAD_METHODS.indexOf("dropout")]!;
  return {
    seed,
    data: generated ? "four-inputs" : "custom",
    size,
    ...(generated ? { noise: generated.noise } : {}),
    keepProb,
    featureNames: train.featureNames ? [...train.featureNames] : Array.from({ length: train.features }, (_, j) => `x${j + 1}`),
    runs,
    dropoutVsNone: {
      effectiveInputsGain: drop.effectiveInputs - none.effectiveInputs,
      largestShareDrop: none.largestShare - drop.largestShare,
    },
    notes: generated ? [...generated.train.notes] : [],
  };
}

function generate(options: FourInputsOptions, root: Rng) {
  const n = checkNumber("size", options.size ?? 500, { min: 2, max: 1_000_000, integer: true });
  const noise = checkNumber("noise", options.noise ?? DEFAULT_NOISE, { min: 0, max: 1 });
  return {
    noise,
    train: synthetic("four-inputs", { n, noise, rng: root.stream("data") }),
    dev: synthetic("four-inputs", { n, noise, rng: root.stream("dev") }),
  };
}
