// The model file `train --save` writes and `eval`/`predict --load` read: a
// saved network plus the experiment that produced it, so evaluation can load
// the same data with the same split.

import { InputError, loadNetwork, saveNetwork, validateExperiment, type Backend, type ExperimentConfig, type Network } from "../src/index.js";
import { readJsonFile, writeJsonAtomic } from "../src/node/index.js";

export function saveModel(path: string, network: Network, experiment: ExperimentConfig): void {
  writeJsonAtomic(path, { ...saveNetwork(network), experiment });
}

/** Loads a model onto `backend` (use the one it was trained on for bit-identical results). */
export function loadModel(path: string, backend: Backend): { network: Network; experiment: ExperimentConfig } {
  const json = readJsonFile(path, "--load");
  const network = loadNetwork(json, { source: path, backend });
  const experiment = (json as { experiment?: unknown }).experiment;
  if (experiment === undefined) throw new InputError(`${path}: the model file has no experiment section (was it written by dropout-lab train --save?)`);
  try {
    return { network, experiment: validateExperiment(experiment) };
  } catch (e) {
    throw new InputError(`${path}: experiment: ${(e as Error).message}`);
  }
}
