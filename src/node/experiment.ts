// One experiment, start to finish, as a pure function of its config: load the
// data, build the network from the seed, train, evaluate on the test split.
// Used in-process and inside worker threads (runs.ts), so a run gives the same
// numbers wherever it executes.

import { resolve } from "node:path";
import type { Backend } from "../core/backend.js";
import { formatDataSpec, parseDataSpec } from "../data/spec.js";
import { Rng } from "../core/rng.js";
import { experimentNetwork, experimentRun, type ExperimentConfig } from "../config/experiment.js";
import type { NetworkSpec } from "../nn/network.js";
import { saveNetwork, type SavedNetwork } from "../nn/serialize.js";
import { evaluate, predictClasses } from "../train/evaluate.js";
import type { TrainCallbacks } from "../train/fit.js";
import type { History } from "../train/history.js";
import { loadData, type LoadOptions, type LoadedData } from "./load.js";
import { selectBackend, type BackendName } from "../backend/select.js";
import { checkCost, type CheckResult } from "../analysis/check.js";

export interface ExperimentResult {
  readonly config: ExperimentConfig;
  readonly spec: NetworkSpec;
  readonly data: { readonly name: string; readonly train: number; readonly dev: number; readonly test: number };
  readonly history: History;
  readonly test: { readonly accuracy?: number; readonly loss: number };
  /** Classifiers: each test example's predicted class, in test-set order (for bias-variance decompositions). */
  readonly testPredictions?: readonly number[];
  readonly seconds: number;
  /** The trained network, when asked for. */
  readonly network?: SavedNetwork;
}

/**
 * The experiment with its data path (csv:PATH, fashion-mnist:DIR) made
 * absolute against `cwd`, so a model or checkpoint saved with it reads the
 * same file from any directory.
 */
export function withAbsoluteDataPath(config: ExperimentConfig, cwd: string = process.cwd()): ExperimentConfig {
  const spec = parseDataSpec(config.data);
  if (spec.name === "csv") return { ...config, data: formatDataSpec({ name: "csv", path: resolve(cwd, spec.path) }) };
  if (spec.name === "fashion-mnist") return { ...config, data: formatDataSpec({ name: "fashion-mnist", dir: resolve(cwd, spec.dir) }) };
  return config;
}

/** The loader options an experiment's data fields stand for. */
export function loadOptionsOf(config: ExperimentConfig): LoadOptions {
  return {
    seed: config.splitSeed ?? config.seed,
    ...(config.bootstrap ? { bootstrapSeed: config.seed } : {}),
    ...(config.label !== undefined ? { label: config.label } : {}),
    ...(config.ignore ? { ignore: [...config.ignore] } : {}),
    ...(config.keepIdColumns ? { keepIdColumns: true } : {}),
    ...(config.noise !== undefined ? { noise: config.noise } : {}),
    ...(config.size !== undefined ? { size: config.size } : {}),
    ...(config.trainSize !== undefined ? { trainSize: config.trainSize } : {}),
    ...(config.devFraction !== undefined ? { devFraction: config.devFraction } : {}),
    ...(config.testFraction !== undefined ? { testFraction: config.testFraction } : {}),
  };
}

export function loadExperimentData(config: ExperimentConfig): LoadedData {
  return loadData(config.data, loadOptionsOf(config));
}

/** A backend given by name (selected here) or as an object; undefined keeps the network's default. */
function backendOf(backend: Backend | BackendName | undefined): Backend | undefined {
  return typeof backend === "string" ? selectBackend(backend) : backend;
}

export function runExperiment(
  config: ExperimentConfig,
  options: { keepNetwork?: boolean; backend?: Backend | BackendName; data?: LoadedData; callbacks?: TrainCallbacks } = {},
): ExperimentResult {
  const started = performance.now();
  const data = options.data ?? loadExperimentData(config);
  const backend = backendOf(options.backend);
  const { network, trainer } = experimentRun(config, data, backend ? { backend } : {});
  trainer.run(options.callbacks);
  const test = evaluate(network, data.test);
  return {
    config,
    spec: network.spec,
    data: { name: data.name, train: data.train.size, dev: data.dev.size, test: data.test.size },
    history: trainer.history,
    test: test.accuracy === undefined ? { loss: test.loss } : { accuracy: test.accuracy, loss: test.loss },
    ...(network.spec.loss !== "mse" && data.test.size > 0 ? { testPredictions: Array.from(predictClasses(network, data.test).predicted) } : {}),
    seconds: (performance.now() - started) / 1000,
    ...(options.keepNetwork ? { network: saveNetwork(network) } : {}),
  };
}

/**
 * The cost-function check (analysis/check.ts) of an experiment's freshly
 * initialized network on its training data, with the experiment's learning
 * rate and L2; masks come from the seed's "check" stream. `dropout-lab check`
 * and the lab's check section both call this, so they measure the same thing.
 */
export function checkExperiment(
  config: ExperimentConfig,
  options: { backend?: Backend | BackendName; iterations?: number; jitterSteps?: number } = {},
): CheckResult {
  const data = loadExperimentData(config);
  const backend = backendOf(options.backend);
  return checkCost(experimentNetwork(config, data.train, backend ? { backend } : {}), data.train, {
    lr: config.lr,
    l2: config.l2,
    rng: Rng.fromSeed(config.seed).stream("check"),
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
    ...(options.jitterSteps !== undefined ? { jitterSteps: options.jitterSteps } : {}),
  });
}
