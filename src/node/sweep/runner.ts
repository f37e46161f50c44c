// One sweep runner behind `tune` and the advice benchmark: a tune search and a
// batch of independent experiment runs, on this machine's worker threads (the
// default; no Redis needed) or as BullMQ jobs on a Redis (queue.ts) that any
// number of `dropout-lab worker` processes train. Both give the same results:
// a trial and a run are pure functions of their inputs, and the schedule's
// decisions never depend on where or in which order the jobs ran.

import { availableParallelism } from "node:os";
import type { TrialSegment, CheckpointHandle } from "../../analysis/tune.js";
import type { TuneResult } from "../../analysis/tune-schedule.js";
import type { ExperimentConfig } from "../../config/experiment.js";
import type { BackendName } from "../../backend/select.js";
import type { LoadedData } from "../load.js";
import type { ExperimentResult } from "../experiment.js";
import { runExperiments } from "../runs.js";
import { tuneInWorkers } from "./tune-pool.js";
import { parseRedisUrl } from "./redis.js";
import { openQueueRunner } from "./queue.js";
import { tuneExperimentOf, type TuneSweep } from "./spec.js";

/** Independent experiment runs: results in the order of `configs`; `onDone` hears each as it finishes. */
export type Runner = (configs: readonly ExperimentConfig[], onDone?: (result: ExperimentResult) => void) => Promise<readonly ExperimentResult[]>;

/** Progress over all workers of a queue (the local runner reports through onRunDone only). */
export interface SweepProgress {
  readonly sweep: string;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly total: number;
  /** Workers connected to the sweep's queue. */
  readonly workers: number;
}

export interface TuneOptions {
  /** Called as each run (one trial on one seed) ends; pruned runs never end, so `done` may stop short of `total`. */
  readonly onRunDone?: (done: number, total: number, index: number, segment: TrialSegment<CheckpointHandle>) => void;
  readonly onProgress?: (progress: SweepProgress) => void;
}

export interface SweepRunner {
  /** Where the work runs, for messages ("4 worker threads", "queue on redis://host:6379"): never credentials. */
  readonly where: string;
  /** tune's search of `sweep` on data already loaded from sweep.config (its network's sizes come from it). */
  tune(sweep: TuneSweep, data: LoadedData, options?: TuneOptions): Promise<TuneResult>;
  readonly runs: Runner;
  close(): Promise<void>;
}

export interface SweepRunnerOptions {
  /** redis://HOST:PORT[/DB] (or "" for REDIS_URL): run on the queue; absent: local worker threads. */
  readonly queue?: string;
  /** Local worker threads (default: the number of cores). */
  readonly workers?: number;
  /** Kernels of experiment runs (default auto). */
  readonly backend?: BackendName;
  /** Queue: attempts per job before it counts as failed. */
  readonly attempts?: number;
}

/** The runner the options ask for; an unreachable or malformed queue URL is an InputError within a few seconds. */
export async function openSweepRunner(options: SweepRunnerOptions = {}): Promise<SweepRunner> {
  const backend = options.backend ?? "auto";
  if (options.queue !== undefined) {
    return openQueueRunner({ target: parseRedisUrl(options.queue), backend, ...(options.attempts !== undefined ? { attempts: options.attempts } : {}) });
  }
  const workers = options.workers ?? availableParallelism();
  return {
    where: `${workers} worker thread${workers === 1 ? "" : "s"}`,
    tune: (sweep, data, tuneOptions = {}) =>
      tuneInWorkers(tuneExperimentOf(sweep, data.train), sweep.seeds, { workers, ...(tuneOptions.onRunDone ? { onRunDone: tuneOptions.onRunDone } : {}) }),
    runs: (configs, onDone) => runExperiments(configs, { workers, backend, ...(onDone ? { onDone: (_i: number, r: ExperimentResult) => onDone(r) } : {}) }),
    close: async () => {},
  };
}
