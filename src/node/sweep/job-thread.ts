// The worker thread behind a queue worker's job slot (job-pool.ts): training
// is synchronous, so it runs here, leaving the worker process's event loop free
// to renew BullMQ's job locks (a blocked loop would let every long trial look
// stalled). A tune segment trains one epoch at a time from the store's last
// checkpoint and posts each epoch's entry for the store; a run is
// runExperiment. Loaded data sets are kept for the next job of the same data.

import { parentPort } from "node:worker_threads";
// A job's backend "auto" or "native" reaches the machine's BLAS in this thread too, as in the local pools.
import "../native.js";
import { runTrialSegment, validateTuneExperiment, type TrialCheckpoint, type TrialSegment } from "../../analysis/tune.js";
import { InputError } from "../../core/errors.js";
import type { ExperimentConfig } from "../../config/experiment.js";
import { selectBackend, type BackendName } from "../../backend/select.js";
import { loadData, type LoadedData } from "../load.js";
import { loadOptionsOf, runExperiment, type ExperimentResult } from "../experiment.js";
import { decodeSegment, encodeSegment } from "./checkpoints.js";
import { checkTrialIndex, tuneExperimentOf, type TuneSweep } from "./spec.js";

/** Messages to the thread. */
export type ToJobThread =
  | { readonly type: "segment"; readonly id: number; readonly sweep: TuneSweep; readonly index: number; readonly seed: number; readonly until: number; readonly stored?: string }
  | { readonly type: "run"; readonly id: number; readonly config: ExperimentConfig; readonly backend: BackendName };

/** A finished segment job, before the worker adds its name. */
export interface SegmentDone {
  readonly keepProbs: readonly number[];
  readonly result: TrialSegment["result"];
  readonly checkpointEpoch?: number;
  readonly resumedFrom: number;
}

/** Messages from the thread. */
export type FromJobThread =
  | { readonly type: "epoch"; readonly id: number; readonly epoch: number; readonly entry: string }
  | { readonly type: "segment"; readonly id: number; readonly done: SegmentDone }
  | { readonly type: "run"; readonly id: number; readonly result: ExperimentResult }
  | { readonly type: "error"; readonly id: number; readonly error: { readonly name: string; readonly message: string } };

const port = parentPort;
if (!port) throw new Error("job-thread must run in a worker thread");

/** Data sets kept between jobs, by spec and loader options (the two most recent). */
const cache = new Map<string, LoadedData>();
function dataOf(config: ExperimentConfig): LoadedData {
  const key = JSON.stringify([config.data, loadOptionsOf(config)]);
  const hit = cache.get(key);
  if (hit) return hit;
  const loaded = loadData(config.data, loadOptionsOf(config));
  cache.set(key, loaded);
  if (cache.size > 2) cache.delete(cache.keys().next().value!);
  return loaded;
}

function runSegment(m: Extract<ToJobThread, { type: "segment" }>): SegmentDone {
  const loaded = dataOf(m.sweep.config);
  const experiment = validateTuneExperiment(tuneExperimentOf(m.sweep, loaded.train));
  checkTrialIndex(experiment, m.index);
  const data = { train: loaded.train, dev: loaded.dev };
  const drawSeed = m.sweep.seeds[0]!;
  const stored = m.stored === undefined ? undefined : decodeSegment(m.stored, experiment, loaded.train.size, `checkpoint of trial ${m.index} seed ${m.seed}`);
  if (stored && stored.result.seed !== m.seed) throw new InputError(`the checkpoint of trial ${m.index} seed ${m.seed} holds seed ${stored.result.seed}`);
  // An entry past `until` belongs to a later rung (this job is a stale duplicate): train from scratch, which gives the same bits.
  const usable = stored && stored.result.epochs <= m.until ? stored : undefined;
  if (usable && (!usable.checkpoint || usable.result.epochs === m.until)) return doneOf(usable, usable.result.epochs);
  let from: TrialCheckpoint | undefined = usable?.checkpoint;
  const resumedFrom = from?.epoch ?? 0;
  let last: TrialSegment | undefined;
  for (let epoch = resumedFrom + 1; epoch <= m.until; epoch++) {
    last = runTrialSegment(experiment, m.index, m.seed, data, epoch, from, { drawSeed, backend: selectBackend(m.sweep.backend) });
    port!.postMessage({ type: "epoch", id: m.id, epoch: last.result.epochs, entry: encodeSegment(last) } satisfies FromJobThread);
    from = last.checkpoint;
    if (!from) break;
  }
  return doneOf(last!, resumedFrom);
}

function doneOf(segment: TrialSegment, resumedFrom: number): SegmentDone {
  return {
    keepProbs: segment.keepProbs,
    result: segment.result,
    ...(segment.checkpoint ? { checkpointEpoch: segment.checkpoint.epoch } : {}),
    resumedFrom,
  };
}

port.on("message", (m: ToJobThread) => {
  try {
    switch (m.type) {
      case "segment":
        port.postMessage({ type: "segment", id: m.id, done: runSegment(m) } satisfies FromJobThread);
        return;
      case "run":
        port.postMessage({ type: "run", id: m.id, result: runExperiment(m.config, { backend: m.backend, data: dataOf(m.config) }) } satisfies FromJobThread);
        return;
      default: {
        const never: never = m;
        throw new Error(`job-thread: unknown message ${String(never)}`);
      }
    }
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
    port.postMessage({ type: "error", id: m.id, error } satisfies FromJobThread);
  }
});
