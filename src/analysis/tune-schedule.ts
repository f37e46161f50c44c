// The tuner's search loop: every live trial on every seed, rung by rung, the
// trials under the median stopped at each rung (successive halving), and the
// table with the advisor's distance from the best as a paired difference.
// tuneSchedule is a generator so that tune (one thread, here) and the sweep
// runners (src/node/sweep/: worker threads or Redis jobs) drive exactly the
// same decisions; the trials themselves are in tune.ts.

import { InputError, checkNumber, show } from "../core/errors.js";
import type { Backend } from "../core/backend.js";
import type { TrainData } from "../train/fit.js";
import { compare, interval, type Comparison } from "./intervals.js";
import { mean, median } from "./stats.js";
import {
  runTrialSegment,
  searchedLayers,
  trialCount,
  validateTuneExperiment,
  type CheckpointHandle,
  type SegmentRequest,
  type TrialCheckpoint,
  type TrialResult,
  type TrialRun,
  type TrialSegment,
  type TuneExperiment,
} from "./tune.js";

export interface TuneResult {
  /** The seeds every trial ran on; the first also draws a random search's keepProbs. */
  readonly seeds: readonly number[];
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
  /**
   * Paired by seed, best - advisor on dev accuracy (absent when the advisor is
   * the best). The best was chosen on this dev set, so the gap leans in the
   * search's favour; the advice benchmark retrains the choice on fresh seeds.
   */
  readonly advisorComparison?: Comparison;
  /** Epochs trained over all trials (the search's cost). */
  readonly epochsTrained: number;
}

function trialResult(index: number, runs: readonly TrialRun[], keepProbs: readonly number[], pruned: boolean): TrialResult {
  return {
    index,
    keepProbs,
    devAccuracy: mean(runs.map((r) => r.devAccuracy)),
    devLoss: mean(runs.map((r) => r.devLoss)),
    trainAccuracy: mean(runs.map((r) => r.trainAccuracy)),
    epochs: Math.max(...runs.map((r) => r.epochs)),
    stoppedEarly: pruned,
    advisor: index === 0,
    dev: interval(runs.map((r) => r.devAccuracy)),
    runs,
  };
}

/** Seeds as a list: one seed or several distinct ones. */
function seedList(seeds: number | readonly number[]): readonly number[] {
  const list = typeof seeds === "number" ? [seeds] : seeds;
  if (list.length === 0) throw new InputError("tuning needs at least one seed");
  list.forEach((s, i) => checkNumber(`seeds[${i}]`, s, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  if (new Set(list).size !== list.length) throw new InputError(`seeds must be distinct, got ${show(list)}`);
  return list;
}

/**
 * The search as a generator: it yields each rung's segment requests (every
 * live trial on every seed whose run has not ended) and receives their
 * segments in the same order, so a synchronous loop (tune) and a sweep runner
 * (src/node/sweep/) drive exactly the same decisions.
 */
export function* tuneSchedule<C extends CheckpointHandle = TrialCheckpoint>(
  experiment: TuneExperiment,
  seeds: number | readonly number[],
): Generator<SegmentRequest<C>[], TuneResult, TrialSegment<C>[]> {
  validateTuneExperiment(experiment);
  const list = seedList(seeds);
  const epochs = experiment.train.epochs;
  const rungs = [...(experiment.pruning?.rungs ?? []), epochs];
  const count = trialCount(experiment);
  const key = (index: number, seed: number) => `${index}/${seed}`;
  const latest = new Map<string, TrialSegment<C>>();
  const keepProbsOf = new Map<number, readonly number[]>();
  const pruned = new Set<number>();
  let live = Array.from({ length: count }, (_, i) => i);
  let epochsTrained = 0;
  for (const rung of rungs) {
    const requests: SegmentRequest<C>[] = [];
    for (const index of live) {
      for (const seed of list) {
        const last = latest.get(key(index, seed));
        if (last && last.result.finished) continue;
        const from = last?.checkpoint;
        requests.push(from ? { index, seed, until: rung, from } : { index, seed, until: rung });
      }
    }
    const segments = requests.length > 0 ? yield requests : [];
    if (segments.length !== requests.length) throw new Error(`tuneSchedule: got ${segments.length} segments for ${requests.length} requests`);
    segments.forEach((s, i) => {
      const r = requests[i]!;
      epochsTrained += s.result.epochs - (r.from?.epoch ?? 0);
      latest.set(key(r.index, r.seed), s);
      keepProbsOf.set(r.index, s.keepProbs);
    });
    if (rung === epochs) break;
    const meanDev = (index: number) => mean(list.map((seed) => latest.get(key(index, seed))!.result.devAccuracy));
    const bar = median(live.map(meanDev));
    const stopped = live.filter((i) => i !== 0 && meanDev(i) < bar && list.some((seed) => !latest.get(key(i, seed))!.result.finished));
    for (const i of stopped) pruned.add(i);
    live = live.filter((i) => !stopped.includes(i));
  }
  const order = (a: TrialResult, b: TrialResult) =>
    Number(a.stoppedEarly) - Number(b.stoppedEarly) || b.devAccuracy - a.devAccuracy || a.devLoss - b.devLoss || a.index - b.index;
  const trials = Array.from({ length: count }, (_, index) => {
    const runs = list.map((seed) => latest.get(key(index, seed))!.result);
    return trialResult(index, runs, keepProbsOf.get(index)!, pruned.has(index));
  }).sort(order);
  const best = trials[0]!;
  const advisor = trials.find((t) => t.index === 0)!;
  const advisorComparison =
    best.index === 0 ? undefined : compare(advisor.runs.map((r) => r.devAccuracy), best.runs.map((r) => r.devAccuracy));
  return {
    seeds: list,
    trials,
    searchedLayers: [...searchedLayers(experiment)],
    rungs,
    best,
    advisor,
    advisorGap: best.devAccuracy - advisor.devAccuracy,
    ...(advisorComparison ? { advisorComparison } : {}),
    epochsTrained,
  };
}

/** Runs the whole search in this thread (browser or Node) on already loaded data, on `backend` (default js). */
export function tune(experiment: TuneExperiment, data: TrainData, seeds: number | readonly number[], backend?: Backend): TuneResult {
  const list = seedList(seeds);
  const schedule = tuneSchedule(experiment, list);
  let step = schedule.next();
  while (!step.done) {
    step = schedule.next(step.value.map((r) => runTrialSegment(experiment, r.index, r.seed, data, r.until, r.from, { drawSeed: list[0]!, ...(backend ? { backend } : {}) })));
  }
  return step.value;
}
