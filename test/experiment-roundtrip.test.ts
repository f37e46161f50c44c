// The one experiment schema round-trips through every form it takes: CLI
// flags (experimentToArgs -> the train command's parser), JSON (--config) and
// saved models.

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { experimentToArgs, experimentToCommand, validateExperiment, type ExperimentConfig } from "../src/toolkit.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../cli/experiment-flags.js";

function parseFlags(args: readonly string[]): ExperimentConfig {
  const cmd = addExperimentFlags(new Command("train")).exitOverride();
  cmd.parse([...args], { from: "user" });
  return experimentFromFlags(cmd.opts<ExperimentFlags>());
}

const CASES: ExperimentConfig[] = [
  { data: "mnist", layers: [784, 256, 256, 10], activation: "relu", keepProbs: [1, 0.5, 0.5], optimizer: { kind: "momentum", beta: 0.9, nesterov: false }, lr: 0.02, batchSize: 64, epochs: 12, l2: 0, seed: 1 },
  { data: "circle", noise: 0.2, size: 300, devFraction: 0.2, testFraction: 0.1, hidden: [8, 8], activation: "tanh", keepProbs: [0.9, 0.5, 0.7], optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, lr: 0.003, batchSize: 10, epochs: 5, l2: 0.01, maxNorm: 3, seed: 42, schedule: { kind: "step", every: 2, factor: 0.5 } },
  { data: "csv:some dir/table.csv", label: "class name", ignore: ["id", "name"], keepIdColumns: true, hidden: [], activation: "sigmoid", loss: "softmax-cross-entropy", init: "glorot", optimizer: { kind: "momentum", beta: 0.9, nesterov: true }, lr: 0.1, batchSize: 32, epochs: 3, l2: 0, seed: 7, schedule: { kind: "cosine", epochs: 3, minFactor: 0.1 } },
  { data: "fashion-mnist:/data/fm", hidden: [64], activation: "leaky-relu", optimizer: { kind: "sgd" }, lr: 0.05, batchSize: 128, epochs: 2, l2: 0, seed: 0, schedule: { kind: "exponential", rate: 0.9 } },
  // early stopping and the recipe's momentum
  { data: "mnist", hidden: [512, 512], activation: "relu", keepProbs: [0.9, 0.5, 0.5], optimizer: { kind: "momentum", beta: 0.95, nesterov: false }, lr: 0.05, batchSize: 64, epochs: 90, l2: 0, maxNorm: 3, patience: 10, monitor: "dev-loss", minDelta: 0.001, restoreBest: false, seed: 3 },
  { data: "penguins", hidden: [16], activation: "relu", optimizer: { kind: "momentum", beta: 0.99, nesterov: true }, lr: 0.01, batchSize: 32, epochs: 100, l2: 0, patience: 5, seed: 1 },
];

describe("experiment schema round trips", () => {
  it.each(CASES.map((c, i) => [i, c] as const))("case %i: flags -> config -> flags", (_i, config) => {
    const args = experimentToArgs(config)!;
    expect(args).toBeDefined();
    expect(parseFlags(args)).toEqual(validateExperiment(config));
  });

  it.each(CASES.map((c, i) => [i, c] as const))("case %i: JSON -> config", (_i, config) => {
    expect(validateExperiment(JSON.parse(JSON.stringify(config)))).toEqual(validateExperiment(config));
  });

  it("quotes what a shell would split", () => {
    expect(experimentToCommand(CASES[2]!)).toContain("--data 'csv:some dir/table.csv' --label 'class name'");
  });

  it("refuses early-stopping settings without patience, naming the flag", () => {
    expect(() => parseFlags(["--monitor", "dev-loss"])).toThrow(/--monitor is an early-stopping setting; it needs patience/);
    expect(() => parseFlags(["--patience", "3", "--monitor", "val_acc"])).toThrow(/--monitor must be one of dev-accuracy, dev-loss; got "val_acc"/);
    expect(() => parseFlags(["--optimizer", "adam", "--momentum", "0.9"])).toThrow(/--momentum applies to --optimizer momentum or nesterov, not adam/);
  });

  it("refuses unknown fields and names them", () => {
    expect(() => validateExperiment({ ...CASES[0], keep_probs: [1] })).toThrow(/unknown field "keep_probs"/);
  });
});
