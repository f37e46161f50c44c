// Checks the advisor's keepProbs with a real search: the keepProbs of the
// largest layers are searched (grid or random) on the dev set, and the
// advisor's own setting runs as one more trial, so the table shows how far
// its choice is from the best one found.
//
// Determinism: a trial is a pure function of (experiment, trial index, seed,
// data). Early stopping runs in rungs: every live trial trains to the rung's
// epoch, then those below the median dev accuracy at that epoch stop. Each
// segment resumes from a checkpoint (weights and trainer state, bit-exact), so
// the table never depends on how many workers run the segments or in which
// order they finish. This file runs in the browser too; tune-workers.ts runs
// the same segments on Node worker threads.

import { InputError, checkNumber, checkKeepProb, show } from "../core/errors.js";
import type { FloatArray } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { Network, validateNetworkSpec, type NetworkSpec } from "../nn/network.js";
import { Trainer, type TrainData, type TrainerState } from "../train/fit.js";
import { validateTrainOptions, type TrainOptions } from "../train/options.js";
import { LARGE_FRACTION, advise, type InputKind } from "./advisor.js";
import { selectBackend, type BackendName } from "../backend/select.js";
import { median } from "./stats.js";

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
  readonly earlyStopping?: { readonly rungs: readonly number[] };
  /** Passed to the advisor. */
  readonly inputKind?: InputKind;
  /** Kernels the trials train on (default js; results differ between backends within float32 rounding). */
  readonly backend?: BackendName;
}

/** One row of the table. */
export interface TrialResult {
  readonly index: number;
  readonly keepProbs: readonly number[];
  /** Eval-mode dev accuracy after `epochs` epochs. */
  readonly devAccuracy: number;
  readonly devLoss: number;
  readonly trainAccuracy: number;
  readonly epochs: number;
  readonly stoppedEarly: boolean;
  /** Trial 0 is the advisor's setting. */
  readonly advisor: boolean;
}

/** Weights and trainer state between two segments of a trial (typed arrays: cheap to send to a worker). */
export interface TrialCheckpoint {
  readonly epoch: number;
  readonly params: readonly FloatArray[];
  readonly trainer: TrainerState;
}

export interface SegmentRequest {
  readonly index: number;
  /** Train up to this epoch. */
  readonly until: number;
  readonly from?: TrialCheckpoint;
}

export interface TrialSegment {
  readonly result: TrialResult;
  /** Absent once the trial has trained all its epochs. */
  readonly checkpoint?: TrialCheckpoint;
}

export interface TuneResult {
  readonly seed: number;
  /** Finished trials by dev accuracy (then dev loss, then index), followed by the stopped ones in the same order. */
  readonly trials: readonly TrialResult[];
  /** The keepProbs indices searched. */
  readonly searchedLayers: readonly number[];
  /** Epochs at which trials were compared, the last being train.epochs. */
  readonly rungs: readonly number[];
  /** The best finished trial. */
  readonly best: TrialResult;
  readonly advisor: TrialResult;
  /** best.devAccuracy - advisor.devAccuracy (0 when the advisor's setting is the best). */
  readonly advisorGap: number;
  /** Epochs trained over all trials (the search's cost). */
  readonly epochsTrained: number;
}

/**
 * The hidden layers fed by a large weight matrix: P_l >= LARGE_FRACTION · P_max
 * (the advisor's "strong dropout" size). Falls back to the hidden layer with
 * the largest feeding matrix, or to the input layer for a net without hidden layers.
 */
export function defaultSearchLayers(layers: readonly number[]): number[] {
  const params = layers.slice(1).map((n, l) => n * layers[l]!);
  const largest = Math.max(...params);
  const hidden = params.slice(0, -1).map((p, i) => ({ index: i + 1, p }));
  if (hidden.length === 0) return [0];
  const large = hidden.filter((h) => h.p >= LARGE_FRACTION * largest).map((h) => h.index);
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
  const rungs = experiment.earlyStopping?.rungs;
  if (rungs !== undefined) {
    if (!Array.isArray(rungs)) throw new InputError(`earlyStopping.rungs must list epochs, got ${show(rungs)}`);
    rungs.forEach((r, i) => checkNumber(`earlyStopping.rungs[${i}]`, r, { min: i === 0 ? 1 : rungs[i - 1]! + 1, max: train.epochs - 1, integer: true }));
  }
  return experiment;
}

function searchedLayers(experiment: TuneExperiment): readonly number[] {
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
 * Trains trial `index` up to epoch `until`, from scratch or from `from`.
 * Weights come from stream "init" and shuffles and masks from "train" of the
 * seed, the same for every trial (common random numbers: trials differ only
 * in their keepProbs). Pure: the same arguments give the same segment.
 */
export function runTrialSegment(experiment: TuneExperiment, index: number, seed: number, data: TrainData, until: number, from?: TrialCheckpoint): TrialSegment {
  const { train } = experiment;
  checkNumber("until", until, { min: (from?.epoch ?? 0) + 1, max: train.epochs, integer: true });
  const dev = data.dev;
  if (!dev || dev.size === 0 || dev.task.kind !== "classification") {
    throw new InputError("tuning ranks trials by dev accuracy: it needs a non-empty classification dev set");
  }
  const keepProbs = trialKeepProbs(experiment, index, seed, data.train.size);
  const root = Rng.fromSeed(seed);
  const net = new Network({ ...experiment.network, keepProbs }, root.stream("init"), { backend: selectBackend(experiment.backend ?? "js") });
  if (from) net.params().forEach((p, i) => p.value.data.set(from.params[i]!));
  const trainer = new Trainer(net, data, train, root.stream("train"), from?.trainer);
  while (trainer.epoch < until) trainer.runEpoch();
  const last = trainer.history.epochs.at(-1)!;
  const result: TrialResult = {
    index,
    keepProbs,
    devAccuracy: last.devAccuracy!,
    devLoss: last.devLoss!,
    trainAccuracy: last.trainAccuracy!,
    epochs: until,
    stoppedEarly: false,
    advisor: index === 0,
  };
  if (until === train.epochs) return { result };
  return { result, checkpoint: { epoch: until, params: net.params().map((p) => p.value.data.slice()), trainer: trainer.snapshot() } };
}

/** A whole trial without early stopping: runTrial(experiment, index, seed, data). */
export function runTrial(experiment: TuneExperiment, index: number, seed: number, data: TrainData): TrialResult {
  return runTrialSegment(experiment, index, seed, data, experiment.train.epochs).result;
}

/**
 * The search as a generator: it yields each rung's segment requests and
 * receives their segments in the same order, so a synchronous loop (tune) and
 * a worker pool (tune-workers.ts) drive exactly the same decisions.
 */
export function* tuneSchedule(experiment: TuneExperiment, seed: number): Generator<SegmentRequest[], TuneResult, TrialSegment[]> {
  validateTuneExperiment(experiment);
  checkNumber("seed", seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const epochs = experiment.train.epochs;
  const rungs = [...(experiment.earlyStopping?.rungs ?? []), epochs];
  const latest = new Map<number, TrialSegment>();
  let live = Array.from({ length: trialCount(experiment) }, (_, i) => i);
  let epochsTrained = 0;
  for (const rung of rungs) {
    const requests = live.map((index): SegmentRequest => {
      const from = latest.get(index)?.checkpoint;
      return from ? { index, until: rung, from } : { index, until: rung };
    });
    const segments = yield requests;
    if (segments.length !== requests.length) throw new Error(`tuneSchedule: got ${segments.length} segments for ${requests.length} requests`);
    segments.forEach((s, i) => {
      epochsTrained += rung - (requests[i]!.from?.epoch ?? 0);
      latest.set(requests[i]!.index, s);
    });
    if (rung === epochs) break;
    const bar = median(live.map((i) => latest.get(i)!.result.devAccuracy));
    const stopped = live.filter((i) => i !== 0 && latest.get(i)!.result.devAccuracy < bar);
    for (const i of stopped) latest.set(i, { result: { ...latest.get(i)!.result, stoppedEarly: true } });
    live = live.filter((i) => !stopped.includes(i));
  }
  const order = (a: TrialResult, b: TrialResult) =>
    Number(a.stoppedEarly) - Number(b.stoppedEarly) || b.devAccuracy - a.devAccuracy || a.devLoss - b.devLoss || a.index - b.index;
  const trials = [...latest.values()].map((s) => s.result).sort(order);
  const best = trials[0]!;
  const advisor = latest.get(0)!.result;
  return {
    seed,
    trials,
    searchedLayers: [...searchedLayers(experiment)],
    rungs,
    best,
    advisor,
    advisorGap: best.devAccuracy - advisor.devAccuracy,
    epochsTrained,
  };
}

/** Runs the whole search in this thread (browser or Node) on already loaded data. */
export function tune(experiment: TuneExperiment, data: TrainData, seed: number): TuneResult {
  const schedule = tuneSchedule(experiment, seed);
  let step = schedule.next();
  while (!step.done) {
    step = schedule.next(step.value.map((r) => runTrialSegment(experiment, r.index, seed, data, r.until, r.from)));
  }
  return step.value;
}
