// The lab's MNIST comparison: a network large enough to overfit the 7,000
// training digits, trained without dropout and with the advisor's recipe, each
// to convergence (early stopping, best epoch restored) on the same seeds.
// Both the dropout section and diagnose's section read it; the lab's run
// cache trains each config once.

import { resolveNetworkSpec, type ExperimentConfig, type Recipe } from "../../src/toolkit.js";
import { diagnosisConfigs, loadExperimentData, type ExperimentResult } from "../../src/node/index.js";
import type { LabContext } from "./section.js";

/** The base experiment: what `dropout-lab diagnose` would be given. */
export function mnistBase(ctx: LabContext): ExperimentConfig {
  const hidden = ctx.quick ? 64 : 256;
  return {
    data: "mnist",
    layers: [784, hidden, hidden, 10],
    activation: "relu",
    optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
    lr: 0.05,
    batchSize: 64,
    epochs: ctx.quick ? 8 : 30,
    patience: ctx.quick ? 2 : 5,
    l2: 0,
    seed: ctx.seed,
  };
}

/** Seeds of the comparison: ctx.seed, ctx.seed + 1, ... */
export function mnistSeeds(ctx: LabContext): number[] {
  return Array.from({ length: ctx.quick ? 2 : 3 }, (_, i) => ctx.seed + i);
}

export interface MnistComparison {
  readonly base: ExperimentConfig;
  readonly seeds: readonly number[];
  readonly withoutDropout: ExperimentConfig;
  readonly advised: ExperimentConfig;
  readonly recipe: Recipe;
  /** Per seed, in seed order. */
  readonly none: readonly ExperimentResult[];
  readonly dropout: readonly ExperimentResult[];
}

export async function mnistComparison(ctx: LabContext): Promise<MnistComparison> {
  const base = mnistBase(ctx);
  const seeds = mnistSeeds(ctx);
  const data = loadExperimentData(base);
  const spec = resolveNetworkSpec(base, data.train);
  const { withoutDropout, advised, recipe } = diagnosisConfigs(base, spec, data.train.size, "image");
  const runs = await ctx.run([...seeds.map((seed) => ({ ...withoutDropout, seed })), ...seeds.map((seed) => ({ ...advised, seed }))]);
  return { base, seeds, withoutDropout, advised, recipe, none: runs.slice(0, seeds.length), dropout: runs.slice(seeds.length) };
}
