// Runs the advice benchmark (study-plan.ts) and keeps every finished run on
// disk, so a killed study resumes where it stopped: the same seeds give the
// same table, whatever was cached. Runs go to the worker pool (or any runner
// of the same shape) in two batches: everything that does not depend on a
// choice (the none and advised arms, the searches, the bootstrap models, the
// training-set sizes), then the retraining of what the searches chose.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BackendName } from "../backend/select.js";
import { resolveNetworkSpec, type ExperimentConfig } from "../config/experiment.js";
import { outcomeOf } from "../analysis/diagnose.js";
import { adviseRecipe, applyRecipe, type Recipe } from "../analysis/recipe.js";
import { ARMS, bestOnDev, keepProbGrid, studyRow, type Arm, type StudyRow, type StudyRun } from "../analysis/study.js";
import { compareDecompositions, decompose, exampleTerms, type Decomposition } from "../analysis/bias-variance.js";
import { compare, type Comparison } from "../analysis/intervals.js";
import { labelsOf } from "../data/dataset.js";
import { loadExperimentData, type ExperimentResult } from "./experiment.js";
import { writeJsonAtomic } from "./files.js";
import { runExperiments } from "./runs.js";
import type { Runner } from "./sweep/runner.js";
import { studyPlan, type StudyPlan } from "./study-plan.js";


/** What the store keeps of a run: enough for every table, nothing per step. */
export interface StoredRun extends StudyRun {
  readonly testPredictions?: readonly number[];
  readonly testLabels?: readonly number[];
  readonly seconds: number;
}

export interface StudyOptions {
  readonly quick: boolean;
  /** The plan to run (default studyPlan(quick)); tests pass a small one. */
  readonly plan?: StudyPlan;
  /** Where results.json, index.html and runs/ (the resume store) go. */
  readonly outDir: string;
  readonly workers?: number;
  readonly backend?: BackendName;
  readonly runner?: Runner;
  /** Called as each run is done (cached runs count at once). */
  readonly onProgress?: (done: number, total: number, cached: boolean) => void;
}

export interface VarianceResult {
  readonly name: string;
  readonly models: number;
  readonly none: Decomposition;
  readonly dropout: Decomposition;
  readonly keepProbs: readonly number[];
  /** dropout - none per term, paired by test example. */
  readonly change: Record<"error" | "bias" | "variance" | "netVariance", Comparison>;
}

export interface SizeResult {
  readonly trainSize: number;
  readonly none: number;
  readonly advised: number;
  readonly gain: Comparison;
}

export interface StudyResult {
  readonly quick: boolean;
  readonly rows: readonly StudyRow[];
  readonly variance: readonly VarianceResult[];
  readonly sizes: readonly SizeResult[];
  readonly runs: { readonly total: number; readonly cached: number };
  readonly seconds: number;
  readonly plan: StudyPlan;
}

const keyOf = (c: ExperimentConfig) => createHash("sha256").update(JSON.stringify(c)).digest("hex").slice(0, 24);

function toStored(r: ExperimentResult, labels: readonly number[] | undefined): StoredRun {
  return {
    ...outcomeOf(r.config.seed, r.history, r.test.accuracy),
    devSize: r.data.dev,
    ...(r.testPredictions ? { testPredictions: r.testPredictions } : {}),
    ...(labels ? { testLabels: labels } : {}),
    seconds: r.seconds,
  };
}

/** The store: one JSON file per finished run under outDir/runs, named by the config's hash. */
function createStore(outDir: string, runner: Runner, onProgress: StudyOptions["onProgress"]) {
  const dir = join(outDir, "runs");
  mkdirSync(dir, { recursive: true });
  let done = 0, cached = 0;
  const seen = new Set<string>(), ranHere = new Set<string>();
  const labels = new Map<string, readonly number[]>();
  const testLabels = (c: ExperimentConfig): readonly number[] | undefined => {
    if (!c.bootstrap) return undefined;
    const key = `${c.data}/${c.splitSeed}`;
    if (!labels.has(key)) labels.set(key, labelsOf(loadExperimentData(c).test));
    return labels.get(key);
  };
  /** Runs this study already holds: each file is read (or each run stored) once, then served from here. */
  const known = new Map<string, StoredRun>();
  const read = (c: ExperimentConfig): StoredRun | undefined => {
    const key = keyOf(c);
    if (known.has(key)) return known.get(key);
    const path = join(dir, `${key}.json`);
    if (!existsSync(path)) return undefined;
    const json = JSON.parse(readFileSync(path, "utf8")) as { config: unknown; run: StoredRun };
    if (JSON.stringify(json.config) !== JSON.stringify(c)) return undefined;
    known.set(key, json.run);
    return json.run;
  };
  return {
    stats: () => ({ total: seen.size, cached }),
    async run(configs: readonly ExperimentConfig[]): Promise<StoredRun[]> {
      const unique = [...new Map(configs.map((c) => [keyOf(c), c])).values()];
      const results = new Map<string, StoredRun>();
      const missing: ExperimentConfig[] = [];
      for (const c of unique) {
        const key = keyOf(c);
        const hit = read(c);
        const fresh = !seen.has(key);
        seen.add(key);
        if (hit) {
          results.set(key, hit);
          if (fresh && !ranHere.has(key)) {
            cached++;
            onProgress?.(++done, seen.size, true);
          }
        } else missing.push(c);
      }
      if (missing.length > 0) {
        await runner(missing, (r) => {
          const stored = toStored(r, testLabels(r.config));
          results.set(keyOf(r.config), stored);
          known.set(keyOf(r.config), stored);
          ranHere.add(keyOf(r.config));
          writeJsonAtomic(join(dir, `${keyOf(r.config)}.json`), { config: r.config, run: stored });
          onProgress?.(++done, seen.size, false);
        });
      }
      return configs.map((c) => results.get(keyOf(c))!);
    },
  };
}

/** The arms' first-batch configs of one case network: none, advised, the keepProbs grid and the L2 lambdas. */
function armConfigs(config: ExperimentConfig, inputKind: StudyPlan["cases"][number]["inputKind"]) {
  const data = loadExperimentData(config);
  const spec = resolveNetworkSpec(config, data.train);
  const { hidden: _h, ...rest } = config;
  const none: ExperimentConfig = { ...rest, layers: spec.layers, keepProbs: spec.keepProbs.map(() => 1) };
  const recipe: Recipe = adviseRecipe({ layers: spec.layers, examples: data.train.size, inputKind }, none);
  const advised = applyRecipe(none, recipe, new Set());
  return { none, advised, recipe };
}

export async function runStudy(options: StudyOptions): Promise<StudyResult> {
  const started = performance.now();
  const plan = options.plan ?? studyPlan(options.quick);
  const { seeds, searchSeeds, grid, lambdas } = plan.settings;
  const runner: Runner =
    options.runner ??
    ((configs, onDone) => runExperiments(configs, { ...(options.workers !== undefined ? { workers: options.workers } : {}), backend: options.backend ?? "auto", ...(onDone ? { onDone: (_i, r) => onDone(r) } : {}) }));
  const store = createStore(options.outDir, runner, options.onProgress);
  const withSeeds = (c: ExperimentConfig, list: readonly number[]) => list.map((seed) => ({ ...c, seed }));

  const nets = plan.cases.flatMap((c) => c.networks.map((n) => ({ data: c.name, network: n.name, ...armConfigs(n.config, c.inputKind) })));
  const searches = nets.map((n) => ({
    keep: keepProbGrid(n.none.layers!, n.recipe.advice.keepProbs, grid).map((keepProbs) => ({ ...n.advised, keepProbs })),
    l2: lambdas.map((l2) => ({ ...n.none, l2 })),
  }));
  const varianceArms = plan.variance.cases.map((v) => {
    const a = armConfigs(v.config, v.inputKind);
    const models = Array.from({ length: plan.variance.models }, (_, k) => k + 1);
    return { name: v.name, keepProbs: a.advised.keepProbs!, none: withSeeds({ ...a.none, bootstrap: true }, models), dropout: withSeeds({ ...a.advised, bootstrap: true }, models) };
  });
  const sizeArms = plan.sizes.trainSizes.map((n) => {
    const a = armConfigs({ ...plan.sizes.config, trainSize: n }, plan.sizes.inputKind);
    return { trainSize: n, none: withSeeds(a.none, plan.sizes.seeds), advised: withSeeds(a.advised, plan.sizes.seeds) };
  });

  // first batch: everything that depends on no choice, in one request so the pool stays busy
  const first = [
    ...nets.flatMap((n, i) => [...withSeeds(n.none, seeds), ...withSeeds(n.advised, seeds), ...searches[i]!.keep.flatMap((c) => withSeeds(c, searchSeeds)), ...searches[i]!.l2.flatMap((c) => withSeeds(c, searchSeeds))]),
    ...varianceArms.flatMap((v) => [...v.none, ...v.dropout]),
    ...sizeArms.flatMap((s) => [...s.none, ...s.advised]),
  ];
  await store.run(first);
  const chosen = await Promise.all(
    nets.map(async (n, i) => {
      const keepRuns = await Promise.all(searches[i]!.keep.map((c) => store.run(withSeeds(c, searchSeeds))));
      const l2Runs = await Promise.all(searches[i]!.l2.map((c) => store.run(withSeeds(c, searchSeeds))));
      const keepProbs = searches[i]!.keep[bestOnDev(keepRuns)]!.keepProbs!;
      const lambda = lambdas[bestOnDev(l2Runs)]!;
      return { keepProbs, lambda, searched: { ...n.advised, keepProbs }, l2: { ...n.none, l2: lambda } };
    }),
  );
  // second batch: the searches' choices, retrained on the study's seeds
  await store.run(chosen.flatMap((c) => [...withSeeds(c.searched, seeds), ...withSeeds(c.l2, seeds)]));

  const rows: StudyRow[] = [];
  for (const [i, n] of nets.entries()) {
    const c = chosen[i]!;
    const configs: Record<Arm, ExperimentConfig> = { none: n.none, advised: n.advised, searched: c.searched, l2: c.l2 };
    const runs = Object.fromEntries(await Promise.all(ARMS.map(async (a) => [a, await store.run(withSeeds(configs[a], seeds))] as const))) as unknown as Record<Arm, StudyRun[]>;
    rows.push(studyRow(n.data, n.network, configs, runs, n.recipe, { keepProbs: c.keepProbs, lambda: c.lambda }));
  }
  const variance: VarianceResult[] = [];
  for (const v of varianceArms) {
    const none = await store.run(v.none), dropout = await store.run(v.dropout);
    const labels = none[0]!.testLabels!;
    const preds = (runs: StoredRun[]) => runs.map((r) => r.testPredictions!);
    variance.push({
      name: v.name,
      models: none.length,
      keepProbs: v.keepProbs,
      none: decompose(preds(none), labels),
      dropout: decompose(preds(dropout), labels),
      change: compareDecompositions(exampleTerms(preds(none), labels), exampleTerms(preds(dropout), labels)),
    });
  }
  const sizes: SizeResult[] = [];
  for (const s of sizeArms) {
    const none = await store.run(s.none), advised = await store.run(s.advised);
    const gain = compare(none.map((r) => r.testAccuracy!), advised.map((r) => r.testAccuracy!));
    sizes.push({ trainSize: s.trainSize, none: gain.a.mean, advised: gain.b.mean, gain });
  }
  const result: StudyResult = { quick: options.quick, rows, variance, sizes, runs: store.stats(), seconds: (performance.now() - started) / 1000, plan };
  writeJsonAtomic(join(options.outDir, "results.json"), result);
  return result;
}
