import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.js";
import { loadData, type LoadOptions } from "../load.js";
import { tune } from "../../analysis/tune-schedule.js";
import { tuneInWorkers, type WorkerTuneExperiment } from "./tune-pool.js";

const ADAM = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
const LOAD: LoadOptions = { seed: 3, size: 300, noise: 0.2, devFraction: 0.3 };
const EXPERIMENT: WorkerTuneExperiment = {
  network: { layers: [2, 16, 16, 1], activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" },
  train: { epochs: 6, batchSize: 16, lr: 0.02, optimizer: ADAM },
  pruning: { rungs: [2, 4] },
  data: { spec: "circle", options: LOAD },
};
const loaded = loadData("circle", LOAD);
const DATA = { train: loaded.train, dev: loaded.dev };

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
    await expect(tuneInWorkers({ ...EXPERIMENT, data: { spec: "circle", options: { ...LOAD, label: "y" } } }, 1, { workers: 1 })).rejects.toThrow(InputError);
  });

});
