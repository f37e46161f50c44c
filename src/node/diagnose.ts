// diagnose on an experiment config, its runs in parallel on worker threads:
// the runs without dropout (one per seed) first, the verdict from them, then
// (when the network overfits) the advisor's recipe on the same seeds. Each run
// is runExperiment of a config, so every number can be reproduced with
// `dropout-lab train` and the seed; each trains to convergence (early
// stopping, best weights restored) and measures test once on those weights.

import type { BackendName } from "../backend/select.js";
import { resolveNetworkSpec, type ExperimentConfig } from "../config/experiment.js";
import type { NetworkSpec } from "../nn/network.js";
import type { InputKind } from "../analysis/advisor.js";
import { DEFAULT_PATIENCE, conclude, judgeBaseline, outcomeOf, type DiagnoseResult, type RunOutcome, type Thresholds } from "../analysis/diagnose.js";
import { adviseRecipe, applyRecipe, type Recipe } from "../analysis/recipe.js";
import { loadExperimentData, type ExperimentResult } from "./experiment.js";
import { runExperiments } from "./runs.js";

export interface DiagnoseExperimentOptions extends Thresholds {
  /** Seeds of the paired runs (each seed: its own split, weights, shuffles and masks, shared by both arms). */
  readonly seeds: readonly number[];
  readonly inputKind?: InputKind;
  /** Train the advised recipe when the network overfits. Default true. */
  readonly compare?: boolean;
  readonly backend?: BackendName;
  readonly workers?: number;
  /** Called as each run ends. */
  readonly onRun?: (phase: "without dropout" | "advised recipe", done: number, total: number, result: ExperimentResult) => void;
  /** Runs configs (default runExperiments on `workers` threads); the lab passes one that reuses finished runs. */
  readonly runner?: (configs: readonly ExperimentConfig[], onDone: (result: ExperimentResult) => void) => Promise<readonly ExperimentResult[]>;
}

export interface ExperimentDiagnosis extends DiagnoseResult {
  readonly spec: NetworkSpec;
  readonly data: { readonly name: string; readonly train: number; readonly dev: number; readonly test: number };
  /** The configs of the first seed's runs: `dropout-lab train` reproduces them (change --seed for the others). */
  readonly configs: { readonly withoutDropout: ExperimentConfig; readonly advised?: ExperimentConfig };
}

/** The config with early stopping (DEFAULT_PATIENCE) when it has none. */
export function convergingConfig(config: ExperimentConfig): ExperimentConfig {
  return config.patience === undefined ? { ...config, patience: DEFAULT_PATIENCE } : config;
}

export function outcomes(results: readonly ExperimentResult[]): RunOutcome[] {
  return results.map((r) => outcomeOf(r.config.seed, r.history, r.test.accuracy));
}

/** The two arms diagnose compares, as the configs of the first seed: without dropout (converging), and the advised recipe on it. */
export function diagnosisConfigs(config: ExperimentConfig, spec: NetworkSpec, examples: number, inputKind?: InputKind): { withoutDropout: ExperimentConfig; advised: ExperimentConfig; recipe: Recipe } {
  const withoutDropout = convergingConfig({ ...config, layers: spec.layers, keepProbs: spec.keepProbs.map(() => 1) });
  delete (withoutDropout as { hidden?: unknown }).hidden;
  const recipe = adviseRecipe({ layers: spec.layers, examples, ...(inputKind ? { inputKind } : {}) }, withoutDropout);
  return { withoutDropout, advised: applyRecipe(withoutDropout, recipe, new Set()), recipe };
}

export async function diagnoseExperiment(config: ExperimentConfig, options: DiagnoseExperimentOptions): Promise<ExperimentDiagnosis> {
  const data = loadExperimentData(config);
  const spec = resolveNetworkSpec(config, data.train);
  const arms = diagnosisConfigs({ ...config, seed: options.seeds[0]! }, spec, data.train.size, options.inputKind);
  const { withoutDropout, recipe } = arms;
  const runner =
    options.runner ??
    ((configs: readonly ExperimentConfig[], onDone: (r: ExperimentResult) => void) =>
      runExperiments(configs, {
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.backend ? { backend: options.backend } : {}),
        onDone: (_i, r) => onDone(r),
      }));
  const run = async (phase: "without dropout" | "advised recipe", base: ExperimentConfig) => {
    let done = 0;
    const results = await runner(
      options.seeds.map((seed) => ({ ...base, seed })),
      (r) => options.onRun?.(phase, ++done, options.seeds.length, r),
    );
    return outcomes(results);
  };
  const summary = { name: data.name, train: data.train.size, dev: data.dev.size, test: data.test.size };
  const judgement = judgeBaseline(await run("without dropout", withoutDropout), data.dev.size, withoutDropout.keepProbs!, options);
  const configs = { withoutDropout };
  if (judgement.verdict !== "overfitting") return { ...conclude(judgement, options.seeds, undefined, undefined), spec, data: summary, configs };
  if (options.compare === false || !recipe.advice.keepProbs.some((p) => p < 1)) {
    return { ...conclude(judgement, options.seeds, recipe, undefined), spec, data: summary, configs };
  }
  const result = conclude(judgement, options.seeds, recipe, await run("advised recipe", arms.advised));
  return { ...result, spec, data: summary, configs: { ...configs, advised: arms.advised } };
}
