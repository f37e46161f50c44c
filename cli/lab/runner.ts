// The lab's run cache: sections that compare the same experiment (the MNIST
// comparison feeds both the dropout section and diagnose's) ask for the same
// configs, and each config runs once. Runs are pure functions of their config,
// so a cached result is the result. Missing runs go to the worker pool
// together, so independent runs of one request train in parallel.

import type { BackendName } from "../../src/index.js";
import type { ExperimentConfig } from "../../src/toolkit.js";
import { runExperiments, type ExperimentResult } from "../../src/node/index.js";

export type LabRunner = (configs: readonly ExperimentConfig[], onDone?: (result: ExperimentResult) => void) => Promise<readonly ExperimentResult[]>;

export function createLabRunner(workers: number, backend: BackendName): LabRunner {
  const cache = new Map<string, Promise<ExperimentResult>>();
  return async (configs, onDone) => {
    const keys = configs.map((c) => JSON.stringify(c));
    const missing = configs.filter((_, i) => !cache.has(keys[i]!) && keys.indexOf(keys[i]!) === i);
    if (missing.length > 0) {
      const batch = runExperiments(missing, { workers, backend, ...(onDone ? { onDone: (_i: number, r: ExperimentResult) => onDone(r) } : {}) });
      missing.forEach((c, i) => cache.set(JSON.stringify(c), batch.then((rs) => rs[i]!)));
    }
    return Promise.all(keys.map((k) => cache.get(k)!));
  };
}
