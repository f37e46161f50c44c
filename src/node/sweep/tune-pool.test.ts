import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.js";
import { tune } from "../../analysis/tune-schedule.js";
import { tuneInWorkers, type WorkerTuneExperiment } from "./tune-pool.js";

import { TUNE_DATA as DATA, TUNE_DATA_SPEC, TUNE_EXPERIMENT, TUNE_LOAD } from "../../analysis/tune.fixtures.js";

const EXPERIMENT: WorkerTuneExperiment = { ...TUNE_EXPERIMENT, data: { spec: TUNE_DATA_SPEC, options: TUNE_LOAD } };

describe("the keepProb search on worker threads", () => {
  it("gives the same table for 1 and 2 worker threads, in-thread, and for two runs with the same seed", async () => {
    const inThread = JSON.stringify(tune(EXPERIMENT, DATA, 1));
    const one = JSON.stringify(await tuneInWorkers(EXPERIMENT, 1, { workers: 1 }));
    const two = JSON.stringify(await tuneInWorkers(EXPERIMENT, 1, { workers: 2 }));
    const again = JSON.stringify(await tuneInWorkers(EXPERIMENT, 1, { workers: 2 }));
    expect(one).toBe(inThread);
    expect(two).toBe(inThread);
    expect(again).toBe(inThread);
    expect(JSON.stringify(tune(EXPERIMENT, DATA, 2))).not.toBe(inThread);
    // several seeds: the pool hands out (trial, seed) runs in any order and the table stays the same
    expect(JSON.stringify(await tuneInWorkers(EXPERIMENT, [1, 2], { workers: 2 }))).toBe(JSON.stringify(tune(EXPERIMENT, DATA, [1, 2])));
  });

  it("reports a worker's data error as an InputError", async () => {
    await expect(tuneInWorkers({ ...EXPERIMENT, data: { spec: "circle", options: { ...TUNE_LOAD, label: "y" } } }, 1, { workers: 1 })).rejects.toThrow(InputError);
  });

});
