// The small search the tuner's tests share (in one thread, tune.test.ts, and
// on worker threads, src/node/sweep/tune-pool.test.ts): a 2-16-16-1 tanh net
// on 300 points of the circle set, 6 epochs of Adam, pruning rungs at 2 and 4.

import { loadData, type LoadOptions } from "../node/load.js";
import type { TuneExperiment } from "./tune.js";

const ADAM = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
export const TUNE_DATA_SPEC = "circle";
export const TUNE_LOAD: LoadOptions = { seed: 3, size: 300, noise: 0.2, devFraction: 0.3 };
export const TUNE_EXPERIMENT: TuneExperiment = {
  network: { layers: [2, 16, 16, 1], activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" },
  train: { epochs: 6, batchSize: 16, lr: 0.02, optimizer: ADAM },
  pruning: { rungs: [2, 4] },
};
const loaded = loadData(TUNE_DATA_SPEC, TUNE_LOAD);
export const TUNE_DATA = { train: loaded.train, dev: loaded.dev };
