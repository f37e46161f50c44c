// The model file `train --save` writes and `eval`/`predict --load` read: a
// saved network plus the experiment that produced it, so evaluation can load
// the same data with the same split. The network's checksum covers the
// weights; `experimentChecksum` covers the experiment (its seed and data
// decide what eval measures), and its data path is stored absolute.

import { createHash } from "node:crypto";
import { InputError, loadNetwork, saveNetwork, show, type Backend, type Network } from "../src/index.js";
import { validateExperiment, type ExperimentConfig } from "../src/toolkit.js";
import { FILE_LIMITS, readJsonFile, withAbsoluteDataPath, writeJsonAtomic } from "../src/node/index.js";

/** SHA-256 (first 16 hex digits) of the experiment's JSON text as saved. */
function experimentChecksum(experiment: unknown): string {
  return createHash("sha256").update(JSON.stringify(experiment)).digest("hex").slice(0, 16);
}

export function saveModel(path: string, network: Network, config: ExperimentConfig): void {
  const experiment = withAbsoluteDataPath(config);
  writeJsonAtomic(path, { ...saveNetwork(network), experiment, experimentChecksum: experimentChecksum(experiment) });
}

/** Loads a model onto `backend` (use the one it was trained on for bit-identical results). */
export function loadModel(path: string, backend: Backend): { network: Network; experiment: ExperimentConfig } {
  const json = readJsonFile(path, "--load", FILE_LIMITS.model);
  const network = loadNetwork(json, { source: path, backend });
  const { experiment, experimentChecksum: checksum } = json as { experiment?: unknown; experimentChecksum?: unknown };
  if (experiment === undefined) throw new InputError(`${path}: the model file has no experiment section (was it written by dropout-lab train --save?)`);
  if (checksum !== experimentChecksum(experiment)) {
    throw new InputError(
      checksum === undefined
        ? `${path}: the model file has no experimentChecksum (written by an older dropout-lab?); train and save it again`
        : `${path}: experiment checksum mismatch: the experiment (seed, data, split) was changed after the model was saved, got ${show(checksum)}`,
    );
  }
  try {
    return { network, experiment: validateExperiment(experiment) };
  } catch (e) {
    throw new InputError(`${path}: experiment: ${(e as Error).message}`);
  }
}
