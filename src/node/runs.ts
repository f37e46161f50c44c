// Runs independent experiments in parallel on worker threads, one per core by
// default. Each run is a pure function of its config (experiment.ts), so the
// results are the same as running them one after another, in any order.

import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startWorker } from "./worker-start.js";
import { InputError, RunError } from "../core/errors.js";
import type { ExperimentConfig } from "../config/experiment.js";
import type { BackendName } from "../backend/select.js";
import { runExperiment, type ExperimentResult } from "./experiment.js";

export interface RunOptions {
  /** Worker threads; 0 runs in this thread. Default: the number of cores, at most the number of runs. */
  readonly workers?: number;
  readonly keepNetwork?: boolean;
  /** Kernels for every run (default auto). */
  readonly backend?: BackendName;
  /** Called as each run finishes (in completion order); results are returned in input order. */
  readonly onDone?: (index: number, result: ExperimentResult) => void;
}

export async function runExperiments(configs: readonly ExperimentConfig[], options: RunOptions = {}): Promise<ExperimentResult[]> {
  const workers = Math.min(options.workers ?? availableParallelism(), configs.length);
  const results: ExperimentResult[] = new Array(configs.length);
  if (workers <= 1) {
    configs.forEach((config, i) => {
      results[i] = runExperiment(config, { keepNetwork: options.keepNetwork ?? false, backend: options.backend ?? "auto" });
      options.onDone?.(i, results[i]!);
    });
    return results;
  }
  let next = 0;
  const runOne = (worker: Worker, index: number) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { ok: true; result: ExperimentResult } | { ok: false; message: string; name: string }) => {
        worker.off("error", onError);
        if (msg.ok) {
          results[index] = msg.result;
          options.onDone?.(index, msg.result);
          resolve();
        } else reject(msg.name === "InputError" ? new InputError(msg.message) : new RunError(`run ${index + 1} failed: ${msg.message}`));
      };
      const onError = (e: Error) => {
        worker.off("message", onMessage);
        reject(e);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.postMessage({ config: configs[index], keepNetwork: options.keepNetwork ?? false, backend: options.backend ?? "auto" });
    });
  const lanes = Array.from({ length: workers }, async () => {
    const worker = startWorker(import.meta.url, "run-worker");
    try {
      while (next < configs.length) await runOne(worker, next++);
    } finally {
      await worker.terminate();
    }
  });
  await Promise.all(lanes);
  return results;
}
