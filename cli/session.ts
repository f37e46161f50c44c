// The trainer for an experiment, built the same way for every command (the
// same seed always gives the same split, initial weights and training streams).

import { Rng, Trainer, trainOptionsOf, type ExperimentConfig, type Network, type TrainerState } from "../src/index.js";
import type { LoadedData } from "../src/node/index.js";

export { loadExperimentData, createNetwork } from "../src/node/index.js";

export function createTrainer(config: ExperimentConfig, data: LoadedData, network: Network, resume?: TrainerState): Trainer {
  return new Trainer(network, { train: data.train, dev: data.dev }, trainOptionsOf(config), Rng.fromSeed(config.seed).stream("train"), resume);
}
