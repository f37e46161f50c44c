// Checks the advisor's keepProbs with a real search: the keepProbs of the
// largest layers are searched (grid or random) on the dev set, and the
// advisor's own setting runs as one more trial, so the table shows how far
// its choice is from the best one found.
//
// Comparisons are made at convergence and over seeds: with the training
// options' early stopping each run trains until its dev metric stops
// improving and is read at its best epoch; every trial runs on every seed
// (common random numbers: trial A and trial B share each seed's initial
// weights, shuffles and masks), so the advisor's distance from the best is a
// paired difference with a 95% interval.
//
// Determinism: a run is a pure function of (experiment, trial index, seed,
// data). Pruning runs in rungs: every live trial trains to the rung's epoch,
// then those whose mean dev accuracy over the seeds is below the median stop.
// Each segment resumes from a checkpoint (weights and trainer state,
// bit-exact), so the table never depends on how many workers run the segments
// or in which order they finish. This file holds the experiment and its
// trials; the search loop over rungs and seeds is tune-schedule.ts. Both run
// in the browser too; src/node/sweep/ runs the same segments on Node worker
// threads or as jobs on a Redis queue.

import { InputError, checkNumber, checkKeepProb, show } from "../core/errors.js";
import type { FloatArray } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { validateNetworkSpec, type NetworkSpec } from "../nn/network.js";
import type { TrainData, TrainerState } from "../train/fit.js";
import { startRun } from "../train/run.js";
import { finalEpoch, type EpochRecord, type History } from "../train/history.js";
import { monitoredValue, improves } from "../train/early-stopping.js";
import { validateTrainOptions, type TrainOptions } from "../train/options.js";
import { ADVISOR_CONSTANTS, advise, type InputKind } from "./advisor.js";
import type { Backend } from "../core/backend.js";
import type { Interval } from "./intervals.js";

/** Grid values tried for each searched layer by default. */
export const DEFAULT_GRID: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Which keepProbs are searched (indices into the network's keepProbs; by
 * default the hidden layers fed by a large matrix, see defaultSearchLayers)
 * and how: every combination of `values` (grid), or `trials` draws uniform in
 * [min, max] rounded to 0.01 (random; defaults 0.3 and 1).
 */
export type SearchSpec =
  | { readonly kind: "grid"; readonly layers?: readonly number[]; readonly values?: readonly number[] }
  | { readonly kind: "random"; readonly layers?: readonly number[]; readonly trials: number; readonly min?: number; readonly max?: number };

/** Everything a trial needs besides the data: plain JSON. */
export interface TuneExperiment {
  /** Layer sizes, activation, loss; its keepProbs are replaced trial by trial. */
  readonly network: NetworkSpec;
  readonly train: TrainOptions;
  /** Default: a grid over DEFAULT_GRID. */
  readonly search?: SearchSpec;
  /** Epochs (ascending, each below train.epochs) at which trials below the median dev accuracy stop. */
  readonly pruning?: { readonly rungs: readonly number[] };
  /** Passed to the advisor. */
  readonly inputKind?: InputKind;
}

/** How a segment runs, beside what it trains. */
export interface SegmentOptions {
  /** Seed whose "trial/<index>" streams draw a random search's keepProbs (default the run's seed). */
  readonly drawSeed?: number;
  /** Kernels the trial trains on (default js; results differ between backends within float32 rounding). */
  readonly backend?: Backend;
}

/** One trial on one seed. */
export interface TrialRun {
  readonly seed: number;
  /** Eval-mode dev accuracy at the epoch read: the best one under early stopping (so far, while running), else the last. */
  readonly devAccuracy: number;
  readonly devLoss: number;
  readonly trainAccuracy: number;
  /** The epoch read. */
  readonly bestEpoch: number;
  /** Epochs trained. */
  readonly epochs: number;
  /** True once the run has ended (early stopping or the epoch cap). */
  readonly finished: boolean;
}

/** One row of the table: a trial over its seeds. */
export interface TrialResult {
  readonly index: number;
  readonly keepProbs: readonly number[];
  /** Mean over the seeds of each run's dev accuracy at the epoch read. */
  readonly devAccuracy: number;
  readonly devLoss: number;
  readonly trainAccuracy: number;
  /** The most epochs any of its runs trained. */
  readonly epochs: number;
  /** Pruned at a rung (its runs did not finish). */
  readonly stoppedEarly: boolean;
  /** Trial 0 is the advisor's setting. */
  readonly advisor: boolean;
  /** Mean, sd and 95% interval of the dev accuracy over the seeds. */
  readonly dev: Interval;
  readonly runs: readonly TrialRun[];
}

/** Weights and trainer state between two segments of a trial (typed arrays: cheap to send to a worker). */
export interface TrialCheckpoint {
  readonly epoch: number;
  readonly params: readonly FloatArray[];
  readonly trainer: TrainerState;
}

/**
 * What the schedule passes from one segment of a run to the next: the
 * checkpoint itself, or a handle to one kept in a sweep runner's store. The
 * schedule reads only its epoch.
 */
export interface CheckpointHandle {
  readonly epoch: number;
}

export interface SegmentRequest<C extends CheckpointHandle = TrialCheckpoint> {
  readonly index: number;
  readonly seed: number;
  /** Train up to this epoch. */
  readonly until: number;
  readonly from?: C;
}

export interface TrialSegment<C extends CheckpointHandle = TrialCheckpoint> {
  /** The trial's keepProbs (the advisor's for trial 0). */
  readonly keepProbs: readonly number[];
  readonly result: TrialRun;
  /** Absent once the trial has trained all its epochs. */
  readonly checkpoint?: C;
}

/**
 * The hidden layers fed by a large weight matrix: P_l >= ADVISOR_CONSTANTS.largeFraction · P_max
 * (the advisor's "strong dropout" size). Falls back to the hidden layer with
 * the largest feeding matrix, or to the input layer for a net without hidden layers.
 */
export function defaultSearchLayers(layers: readonly number[]): number[] {
  const params = layers.slice(1).map((n, l) => n * layers[l]!);
  const largest = Math.max(...params);
  const hidden = params.slice(0, -1).map((p, i) => ({ index: i + 1, p }));
  if (hidden.length === 0) return [0];
  const large = hidden.filter((h) => h.p >= ADVISOR_CONSTANTS.largeFraction * largest).map((h) => h.index);
  if (large.length > 0) return large;
  return [hidden.reduce((a, b) => (b.p > a.p ? b : a)).index];
}

/** Validates an experiment (network, training options, search, rungs); returns it unchanged. */
export function validateTuneExperiment(experiment: TuneExperiment): TuneExperiment {
  if (typeof experiment !== "object" || experiment === null) throw new InputError(`the tuning experiment must be an object, got ${show(experiment)}`);
  const spec = validateNetworkSpec(experiment.network);
  const train = validateTrainOptions(experiment.train);
  const nKeep = spec.keepProbs.length;
  const search = experiment.search;
  if (search !== undefined) {
    if (search.kind !== "grid" && search.kind !== "random") throw new InputError(`search.kind must be "grid" or "random", got ${show((search as { kind: unknown }).kind)}`);
    if (search.layers !== undefined) {
      if (!Array.isArray(search.layers) || search.layers.length === 0) throw new InputError(`search.layers must list keepProb indices, got ${show(search.layers)}`);
      search.layers.forEach((l, i) => checkNumber(`search.layers[${i}]`, l, { min: 0, max: nKeep - 1, integer: true }));
      if (new Set(search.layers).size !== search.layers.length) throw new InputError(`search.layers must not repeat an index, got ${show(search.layers)}`);
    }
    if (search.kind === "grid" && search.values !== undefined) {
      if (!Array.isArray(search.values) || search.values.length === 0) throw new InputError(`search.values must list keepProbs, got ${show(search.values)}`);
      search.values.forEach((v, i) => checkKeepProb(`search.values[${i}]`, v));
    }
    if (search.kind === "random") {
      checkNumber("search.trials", search.trials, { min: 1, max: 10000, integer: true });
      const min = checkNumber("search.min", search.min ?? 0.3, { min: 0.01, max: 1 });
      checkNumber("search.max", search.max ?? 1, { min, max: 1 });
    }
  }
  const rungs = experiment.pruning?.rungs;
  if (rungs !== undefined) {
    if (!Array.isArray(rungs)) throw new InputError(`--rungs must list epochs, got ${show(rungs)}`);
    rungs.forEach((r, i) => checkNumber(`--rungs[${i}]`, r, { min: i === 0 ? 1 : rungs[i - 1]! + 1, max: train.epochs - 1, integer: true }));
  }
  return experiment;
}

export function searchedLayers(experiment: TuneExperiment): readonly number[] {
  return experiment.search?.layers ?? defaultSearchLayers(experiment.network.layers);
}

/** Number of trials: the advisor's setting plus every grid point (or every random draw). */
export function trialCount(experiment: TuneExperiment): number {
  const s = experiment.search ?? { kind: "grid" };
  if (s.kind === "random") return 1 + s.trials;
  return 1 + (s.values ?? DEFAULT_GRID).length ** searchedLayers(experiment).length;
}

/**
 * The keepProbs of trial `index`: trial 0 is the advisor's advice for the
 * layer sizes and `examples` training examples; every other trial replaces
 * the searched layers' entries of that advice with grid point index - 1
 * (last searched layer fastest) or with draws from stream "trial/<index>" of
 * the seed.
 */
export function trialKeepProbs(experiment: TuneExperiment, index: number, seed: number, examples: number): number[] {
  const count = trialCount(experiment);
  checkNumber("trial index", index, { min: 0, max: count - 1, integer: true });
  const advice = advise({ layers: experiment.network.layers, examples, ...(experiment.inputKind ? { inputKind: experiment.inputKind } : {}) });
  const keep = [...advice.keepProbs];
  if (index === 0) return keep;
  const layers = searchedLayers(experiment);
  const s = experiment.search ?? { kind: "grid" };
  if (s.kind === "random") {
    const rng = Rng.fromSeed(seed).stream(`trial/${index}`);
    const lo = s.min ?? 0.3, hi = s.max ?? 1;
    for (const l of layers) keep[l] = Math.max(lo, Math.min(hi, Math.round((lo + (hi - lo) * rng.uniform()) * 100) / 100));
    return keep;
  }
  const values = s.values ?? DEFAULT_GRID;
  let rest = index - 1;
  for (let i = layers.length - 1; i >= 0; i--) {
    keep[layers[i]!] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  return keep;
}

/**
 * The epoch a run is read at: with early stopping the best so far by its
 * monitor (the restored one once the run has ended), otherwise the last.
 */
function epochRead(history: History, train: TrainOptions): EpochRecord {
  const es = train.earlyStopping;
  if (history.stop || !es) return finalEpoch(history);
  let best: EpochRecord = history.epochs.at(-1)!;
  let value: number | null = null;
  for (const e of history.epochs.slice(1)) {
    const v = monitoredValue(es.monitor, e)!;
    if (improves(es.monitor, v, value, es.minDelta)) {
      value = v;
      best = e;
    }
  }
  return best;
}

/**
 * Trains trial `index` on `seed` up to epoch `until` (or until early stopping
 * ends it), from scratch or from `from`. Weights come from stream "init" and
 * shuffles and masks from "train" of the seed, the same for every trial
 * (common random numbers: trials differ only in their keepProbs); a random
 * search's keepProbs come from `options.drawSeed`. Pure: the same arguments
 * give the same segment.
 */
export function runTrialSegment(
  experiment: TuneExperiment,
  index: number,
  seed: number,
  data: TrainData,
  until: number,
  from?: TrialCheckpoint,
  options: SegmentOptions = {},
): TrialSegment {
  const { train } = experiment;
  checkNumber("until", until, { min: (from?.epoch ?? 0) + 1, max: train.epochs, integer: true });
  const dev = data.dev;
  if (!dev || dev.size === 0 || dev.task.kind !== "classification") {
    throw new InputError("tuning ranks trials by dev accuracy: it needs a non-empty classification dev set");
  }
  const keepProbs = trialKeepProbs(experiment, index, options.drawSeed ?? seed, data.train.size);
  const { network: net, trainer } = startRun({ ...experiment.network, keepProbs }, data, train, seed, {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(from ? { weights: from.params, resume: from.trainer } : {}),
  });
  while (trainer.epoch < until && !trainer.done) trainer.runEpoch();
  const read = epochRead(trainer.history, train);
  const finished = trainer.done;
  const result: TrialRun = {
    seed,
    devAccuracy: read.devAccuracy!,
    devLoss: read.devLoss!,
    trainAccuracy: read.trainAccuracy!,
    bestEpoch: read.epoch,
    epochs: trainer.epoch,
    finished,
  };
  if (finished) return { keepProbs, result };
  return { keepProbs, result, checkpoint: { epoch: trainer.epoch, params: net.params().map((p) => p.value.data.slice()), trainer: trainer.snapshot() } };
}

/** A whole run of one trial on one seed, without pruning. */
export function runTrial(experiment: TuneExperiment, index: number, seed: number, data: TrainData, options: SegmentOptions = {}): TrialRun {
  return runTrialSegment(experiment, index, seed, data, experiment.train.epochs, undefined, options).result;
}
