// One training run, built the same way by every face of the toolkit: the CLI,
// the lab, diagnose, tune and its sweep workers, the study and the playground
// all start their runs here, so a seed means the same initial weights and the
// same shuffles and dropout masks wherever it is used. Before this file each
// of them forked the seed's streams by hand.

import type { Backend } from "../core/backend.js";
import type { DType, FloatArray } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { Trainer, type TrainData, type TrainerState } from "./fit.js";
import type { TrainOptions } from "./options.js";

/**
 * The streams of a run's seed: `init` draws the initial weights, `train`
 * (forked further into shuffling and one stream per dropout layer) everything
 * training draws. Other consumers of a seed (the data split, MC dropout, the
 * cost check) use other names, so they never share draws with a run.
 */
export const RUN_STREAMS = { init: "init", train: "train" } as const;

export interface NetworkSetup {
  /** Kernels the network runs on (default the plain js backend). */
  readonly backend?: Backend;
  readonly dtype?: DType;
  /**
   * Weights to start from instead of the seed's initialization, one array per
   * parameter in params() order (a continued or resumed run).
   */
  readonly weights?: readonly FloatArray[];
}

export interface RunSetup extends NetworkSetup {
  /** A trainer snapshot() to carry on from: step, optimizer state, streams, history. */
  readonly resume?: TrainerState;
}

export interface TrainingRun {
  readonly network: Network;
  readonly trainer: Trainer;
}

/** The network of `spec` with weights from stream "init" of `seed` (or `setup.weights`). */
export function initNetwork(spec: NetworkSpec, seed: number, setup: NetworkSetup = {}): Network {
  const network = new Network(spec, Rng.fromSeed(seed).stream(RUN_STREAMS.init), {
    ...(setup.backend ? { backend: setup.backend } : {}),
    ...(setup.dtype ? { dtype: setup.dtype } : {}),
  });
  if (setup.weights) {
    const params = network.params();
    if (setup.weights.length !== params.length) {
      throw new RangeError(`initNetwork: got ${setup.weights.length} weight arrays for a network with ${params.length} parameters`);
    }
    params.forEach((p, i) => {
      const w = setup.weights![i]!;
      if (w.length !== p.value.data.length) throw new RangeError(`initNetwork: weight array ${i} has ${w.length} values, parameter ${i} has ${p.value.data.length}`);
      p.value.data.set(w);
    });
  }
  return network;
}

/** The trainer of `network`, drawing from stream "train" of `seed`; `resume` carries on from a snapshot. */
export function startTrainer(network: Network, data: TrainData, options: TrainOptions, seed: number, resume?: TrainerState): Trainer {
  return new Trainer(network, data, options, Rng.fromSeed(seed).stream(RUN_STREAMS.train), resume);
}

/** A fresh run (or a continued one, with `setup.weights` and `setup.resume`): network and trainer from one seed. */
export function startRun(spec: NetworkSpec, data: TrainData, options: TrainOptions, seed: number, setup: RunSetup = {}): TrainingRun {
  const network = initNetwork(spec, seed, setup);
  return { network, trainer: startTrainer(network, data, options, seed, setup.resume) };
}
