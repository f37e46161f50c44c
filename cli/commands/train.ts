// `dropout-lab train`: trains one experiment, with progress, optional
// per-epoch checkpoints (atomic) and exact resume, and reports the History and
// the test-set result; early stopping ends it at convergence with the best
// epoch's weights. `--recipe advised` applies the dropout recipe (each field
// overridable by its own flag); `--seeds` trains the same experiment on several
// seeds in parallel and summarizes them with 95% intervals.

import { Command } from "commander";
import { join } from "node:path";
import {
  InputError,
  evaluate,
  finalEpoch,
  startTrainer,
  type EpochRecord,
  type Trainer,
} from "../../src/index.js";
import {
  adviseRecipe,
  applyRecipe,
  experimentRun,
  formatInterval,
  interval,
  parseRecipeName,
  resolveNetworkSpec,
  trainOptionsOf,
  validateExperiment,
  type ExperimentConfig,
  type Recipe,
  type RecipeField,
} from "../../src/toolkit.js";
import { checkOutputPaths, loadExperimentData, runExperiments, type LoadedData } from "../../src/node/index.js";
import { CHECKPOINT_FILE, checkResumedNetwork, lockCheckpointDir, readCheckpoint, resumeEpochs, resumedExperiment, writeCheckpoint, type Checkpoint } from "../checkpoint-file.js";
import { dataInputs } from "../outputs.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { saveModel } from "../model-file.js";
import { createProgress } from "../progress.js";
import { log, pct, printJson, table } from "../run.js";
import { addBackendFlag, backendChoiceFromFlag, backendNameFromFlag } from "../backend-flag.js";
import { REPORT_FILES, writeRunReport } from "../run-report.js";
import { inferInputKind } from "../input-kind.js";
import { seedsFlag } from "../parse.js";
import { workerCount } from "../workers-flag.js";

interface TrainFlags extends ExperimentFlags {
  save?: string;
  out?: string;
  checkpoint?: string;
  resume?: string;
  json?: boolean;
  backend?: string;
  recipe?: string;
  seeds?: string;
  workers?: string;
}

/** The train flags that are not experiment flags (they may come with --resume). */
const OWN_FLAGS = ["save", "out", "checkpoint", "resume", "json", "backend"];

export function trainCommand(): Command {
  const cmd = new Command("train").description("train a network with per-layer dropout and report noisy cost, clean J and accuracy");
  addExperimentFlags(cmd);
  addBackendFlag(cmd);
  return cmd
    .option("--save <file>", "write the trained model (network + experiment) as JSON")
    .option("--out <dir>", "write DIR/history.json and DIR/index.html (noisy cost, clean J and accuracy plots)")
    .option("--checkpoint <dir>", "write DIR/checkpoint.json atomically after every epoch")
    .option("--resume <dir>", "continue the run checkpointed in DIR (its experiment is used; ends bit-identical to an uninterrupted run)")
    .option("--recipe <name>", "advised: the dropout recipe (the advisor's keepProbs, 3x the epochs, twice the patience, max-norm 3); a flag given overrides its field")
    .option("--seeds <n|list>", "train on several seeds in parallel (a count from --seed on, or a list) and summarize them with 95% intervals")
    .option("--workers <n>", "with --seeds: worker threads (default: the number of cores)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText(
      "after",
      `
Examples:
  $ dropout-lab train --data mnist --hidden 256,256 --keep-probs 1,0.5,0.5 --epochs 5 --save model.json
  $ dropout-lab train --data circle --layers 2,16,16,1 --activation tanh --keep-probs 1,0.8,0.8 --json
  $ dropout-lab train --data mnist --epochs 20 --checkpoint run1   (then after a crash: --resume run1)
  $ dropout-lab train --data mnist --hidden 512,512 --recipe advised --seeds 3`,
    )
    .action(async (flags: TrainFlags) => {
      await train(flags);
    });
}

/** The recipe fields set by their own flags (they keep the user's value under --recipe). */
function givenRecipeFields(flags: TrainFlags): Set<RecipeField> {
  const given = new Set<RecipeField>();
  if (flags.keepProbs !== undefined) given.add("keepProbs");
  if (flags.epochs !== undefined) given.add("epochs");
  if (flags.patience !== undefined) given.add("patience");
  if (flags.maxNorm !== undefined) given.add("maxNorm");
  if (flags.momentum !== undefined || flags.optimizer !== undefined) given.add("optimizer");
  if (flags.lr !== undefined) given.add("lr");
  return given;
}

/** The experiment the flags describe, with the recipe applied when one is asked for (it needs the data's size). */
function resolveExperiment(flags: TrainFlags): { config: ExperimentConfig; data: LoadedData; recipe?: Recipe } {
  const recipeName = flags.recipe === undefined ? undefined : parseRecipeName(flags.recipe);
  const base = experimentFromFlags(flags);
  const data = loadExperimentData(base);
  if (!recipeName) return { config: base, data };
  const layers = resolveNetworkSpec(base, data.train).layers;
  const inputKind = inferInputKind(base.data);
  const recipe = adviseRecipe({ layers, examples: data.train.size, ...(inputKind ? { inputKind } : {}) }, base);
  const config = validateExperiment(applyRecipe({ ...base, layers, hidden: undefined } as ExperimentConfig, recipe, givenRecipeFields(flags)));
  return { config, data, recipe };
}

function refuseWithSeeds(flags: TrainFlags): void {
  for (const [flag, value] of [["--save", flags.save], ["--out", flags.out], ["--checkpoint", flags.checkpoint], ["--resume", flags.resume]] as const) {
    if (value !== undefined) throw new InputError(`${flag} writes one run; it cannot be combined with --seeds (train each seed with --seed instead)`);
  }
}

function epochRow(e: EpochRecord, noisy: number | undefined, classification: boolean): string[] {
  return [
    String(e.epoch),
    noisy === undefined ? "-" : noisy.toFixed(4),
    e.cleanCost.toFixed(4),
    classification ? pct(e.trainAccuracy) : e.trainLoss.toFixed(4),
    classification ? pct(e.devAccuracy) : (e.devLoss ?? Number.NaN).toFixed(4),
  ];
}

function recipeLines(recipe: Recipe, config: ExperimentConfig): string[] {
  return recipe.changes.map((c) => `recipe: ${c.flag} ${c.field === "keepProbs" ? config.keepProbs?.join(",") : c.to} (${c.reason}; ${c.source})`);
}

async function train(flags: TrainFlags): Promise<void> {
  if (flags.seeds !== undefined) {
    await trainSeeds(flags);
    return;
  }
  const started = performance.now();
  const choice = backendChoiceFromFlag(flags.backend);
  const backend = choice.backend;
  let config: ExperimentConfig;
  let data: LoadedData;
  let recipe: Recipe | undefined;
  let resume: Checkpoint | undefined;
  const notes: string[] = [];
  const checkpointDir = flags.checkpoint ?? flags.resume;
  const checkOutputs = (c: ExperimentConfig) =>
    checkOutputPaths(
      [
        { flag: "--save", path: flags.save, kind: "file" },
        { flag: "--out", path: flags.out, kind: "dir", files: REPORT_FILES },
        { flag: flags.checkpoint === undefined ? "--resume" : "--checkpoint", path: checkpointDir, kind: "dir", files: [CHECKPOINT_FILE] },
      ],
      dataInputs(c, flags.config),
    );
  if (flags.resume !== undefined) {
    const epochs = resumeEpochs({ ...flags }, OWN_FLAGS);
    resume = readCheckpoint(flags.resume, backend);
    const resumed = resumedExperiment(resume, epochs, backend);
    config = resumed.experiment;
    notes.push(...resumed.notes);
    checkOutputs(config);
    data = loadExperimentData(config);
  } else {
    checkOutputs(experimentFromFlags(flags));
    ({ config, data, recipe } = resolveExperiment(flags));
  }
  if (checkpointDir !== undefined) process.once("exit", lockCheckpointDir(flags.checkpoint === undefined ? "--resume" : "--checkpoint", checkpointDir));
  if (resume) checkResumedNetwork(join(flags.resume!, CHECKPOINT_FILE), resume.network, resolveNetworkSpec(config, data.train));
  const { network, trainer } = resume
    ? { network: resume.network, trainer: startTrainer(resume.network, data, trainOptionsOf(config), config.seed, resume.trainer) }
    : experimentRun(config, data, { backend });
  for (const note of [...data.info.notes, ...notes]) log(`note: ${note}`); // after every check, so a refusal is one line
  const progress = createProgress("train");
  const priorSeconds = resume?.seconds ?? 0;
  const classification = network.spec.loss !== "mse";
  const text = !flags.json;
  const widths = [5, 10, 8, 10, 10];
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  if (text) {
    const es = config.patience === undefined ? "" : `; early stopping on ${config.monitor ?? "dev-accuracy"}, patience ${config.patience}, cap ${config.epochs} epochs`;
    process.stdout.write(`${data.name}: ${data.train.size} train / ${data.dev.size} dev / ${data.test.size} test; network ${network.spec.layers.join("-")} ${network.spec.activation}, keepProbs ${network.spec.keepProbs.join("/")}${es}\n`);
    if (recipe) process.stdout.write(recipeLines(recipe, config).join("\n") + "\n");
    process.stdout.write(line(["epoch", "noisy cost", "clean J", classification ? "train acc" : "train loss", classification ? "dev acc" : "dev loss"]) + "\n");
    for (const e of trainer.history.epochs) process.stdout.write(line(epochRow(e, meanNoisy(trainer, e.epoch), classification)) + "\n");
  }
  const onEpoch = (e: EpochRecord) => {
    progress.epoch(e);
    if (!text) return;
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
    process.stdout.write(line(epochRow(e, meanNoisy(trainer, e.epoch), classification)) + "\n");
  };
  while (!trainer.done) {
    trainer.runEpoch({ onStep: progress.step, onEpoch });
    if (checkpointDir) writeCheckpoint(checkpointDir, config, trainer, priorSeconds + (performance.now() - started) / 1000);
  }
  progress.done();
  const test = evaluate(network, data.test);
  const testCost = test.loss;
  const noTest = data.test.size === 0; // evaluate() of no examples is NaN
  if (flags.save) saveModel(flags.save, network, config);
  const seconds = priorSeconds + (performance.now() - started) / 1000;
  const history = trainer.history;
  if (flags.out) await writeRunReport(flags.out, config, history, test, seconds);
  if (flags.json) {
    printJson({
      config,
      network: network.spec,
      data: { name: data.name, train: data.train.size, dev: data.dev.size, test: data.test.size, droppedRows: data.info.droppedRows, notes: data.info.notes },
      history,
      ...(recipe ? { recipe: recipe.changes } : {}),
      test: noTest ? { examples: 0 } : { ...(test.accuracy === undefined ? {} : { accuracy: test.accuracy }), cost: testCost },
      seconds,
      backend: choice.reason,
      ...(flags.save ? { saved: flags.save } : {}),
    });
    return;
  }
  const stop = history.stop;
  if (stop) {
    const why = stop.reason === "patience" ? `stopped: ${config.monitor ?? "dev-accuracy"} did not improve for ${config.patience} epochs` : `reached the epoch cap (${config.epochs}) before early stopping`;
    process.stdout.write(`${why}; ${stop.restored ? `weights restored from the best epoch ${stop.bestEpoch}` : `best epoch ${stop.bestEpoch}, last epoch's weights kept`}\n`);
  }
  const testText = noTest ? "test: none (the test split is empty)" : `test ${classification ? `accuracy ${pct(test.accuracy)}, ` : ""}loss ${testCost.toFixed(4)}${stop?.restored ? ` (best epoch ${stop.bestEpoch}'s weights)` : ""}`;
  process.stdout.write(`${testText}; ${seconds.toFixed(1)} s` + (flags.save ? `; saved ${flags.save}` : "") + "\n");
  process.stdout.write(`backend: ${choice.reason}\n`);
}

/** The mean noisy minibatch cost of an epoch (undefined for epoch 0, before any step). */
function meanNoisy(trainer: Trainer, epoch: number): number | undefined {
  // an epoch's steps are contiguous and its record follows them: read back from the end instead of scanning the whole run
  const steps = trainer.history.steps;
  let sum = 0, n = 0;
  for (let i = steps.length - 1; i >= 0 && steps[i]!.epoch >= epoch; i--) {
    if (steps[i]!.epoch === epoch) {
      sum += steps[i]!.cost;
      n++;
    }
  }
  return n === 0 ? undefined : sum / n;
}

/** `train --seeds`: the same experiment on each seed, in parallel, summarized with 95% intervals. */
async function trainSeeds(flags: TrainFlags): Promise<void> {
  refuseWithSeeds(flags);
  const started = performance.now();
  const { config, data, recipe } = resolveExperiment(flags);
  const seeds = seedsFlag(flags.seeds!, config.seed);
  for (const note of data.info.notes) log(`note: ${note}`);
  const tty = process.stderr.isTTY;
  let done = 0;
  const results = await runExperiments(
    seeds.map((seed) => ({ ...config, seed })),
    {
      workers: workerCount(flags.workers),
      backend: backendNameFromFlag(flags.backend),
      onDone: (_i, r) => {
        if (tty) log(`train: seed ${r.config.seed} done (${++done}/${seeds.length}, ${r.seconds.toFixed(1)} s)`);
      },
    },
  );
  const classification = data.test.task.kind === "classification";
  const runs = results.map((r) => {
    const e = finalEpoch(r.history);
    return { seed: r.config.seed, epoch: e.epoch, epochs: r.history.epochs.at(-1)!.epoch, stop: r.history.stop?.reason ?? null, train: e.trainAccuracy ?? e.trainLoss, dev: e.devAccuracy ?? e.devLoss, test: r.test.accuracy ?? r.test.loss, cleanCost: e.cleanCost };
  });
  const summary = {
    train: interval(runs.map((r) => r.train!)),
    dev: interval(runs.map((r) => r.dev!)),
    test: interval(runs.map((r) => r.test)),
  };
  const seconds = (performance.now() - started) / 1000;
  if (flags.json) {
    printJson({ config, seeds, metric: classification ? "accuracy" : "loss", ...(recipe ? { recipe: recipe.changes } : {}), runs, summary, seconds });
    return;
  }
  const f = (x: number | undefined) => (classification ? pct(x) : (x ?? Number.NaN).toFixed(4));
  const iv = (i: (typeof summary)["test"]) => (classification ? formatInterval(i) : formatInterval(i, 1, 4, ""));
  process.stdout.write(`${data.name}: ${data.train.size} train / ${data.dev.size} dev / ${data.test.size} test; ${results[0]!.spec.layers.join("-")}, keepProbs ${results[0]!.spec.keepProbs.join("/")}; ${seeds.length} seeds\n`);
  if (recipe) process.stdout.write(recipeLines(recipe, config).join("\n") + "\n");
  const metric = classification ? "acc" : "loss";
  process.stdout.write(
    table(
      ["seed", "epoch read", "epochs", "stopped by", `train ${metric}`, `dev ${metric}`, `test ${metric}`],
      runs.map((r) => [String(r.seed), String(r.epoch), String(r.epochs), r.stop ?? "-", f(r.train), f(r.dev), f(r.test)]),
    ) + "\n",
  );
  process.stdout.write(`mean ± 95% interval over ${seeds.length} seeds: train ${iv(summary.train)}, dev ${iv(summary.dev)}, test ${iv(summary.test)}; ${seconds.toFixed(1)} s\n`);
}
