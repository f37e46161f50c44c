// The experiment flags, shared by every command that trains: each maps onto
// one field of the experiment schema. Precedence: built-in defaults, then
// --config FILE, then the flags given.

import type { Command } from "commander";
import {
  ACTIVATIONS,
  InputError,
  show,
  type OptimizerSpec,
} from "../src/index.js";
import {
  DEFAULT_EXPERIMENT,
  OPTIMIZER_NAMES,
  parseOptimizerName,
  parseScheduleText,
  validateExperiment,
  type ExperimentConfig,
} from "../src/toolkit.js";
import { readJsonFile } from "../src/node/index.js";
import { numberFlag, numberListFlag } from "./parse.js";

export interface ExperimentFlags {
  config?: string;
  data?: string;
  label?: string;
  ignore?: string;
  keepIdColumns?: boolean;
  noise?: string;
  size?: string;
  trainSize?: string;
  splitSeed?: string;
  bootstrap?: boolean;
  devFraction?: string;
  testFraction?: string;
  layers?: string;
  hidden?: string;
  activation?: string;
  keepProbs?: string;
  loss?: string;
  init?: string;
  optimizer?: string;
  lr?: string;
  batch?: string;
  epochs?: string;
  schedule?: string;
  l2?: string;
  maxNorm?: string;
  momentum?: string;
  patience?: string;
  monitor?: string;
  minDelta?: string;
  restoreBest?: boolean;
  seed?: string;
}

export function addExperimentFlags(cmd: Command, defaults: Partial<ExperimentConfig> = {}): Command {
  const d = { ...DEFAULT_EXPERIMENT, ...defaults };
  return cmd
    .option("--config <file>", "experiment as JSON (the same schema the flags map onto); flags given override it")
    .option("--data <name>", `mnist, fashion-mnist[:DIR], penguins, seattle-weather, csv:PATH, circle, xor, gauss, spiral, four-inputs, linear (default ${d.data})`)
    .option("--label <column>", "CSV: the label column")
    .option("--ignore <columns>", "tables: comma-separated columns to leave out")
    .option("--keep-id-columns", "tables: keep identifier-like text columns (a name or id on almost every row), left out by default")
    .option("--noise <level>", "synthetic sets: noise in [0, 1] (default 0.1)")
    .option("--size <n>", "synthetic sets: number of examples (default 500)")
    .option("--split-seed <n>", "seed of the data split when it must stay fixed while --seed varies (default: --seed)")
    .option("--bootstrap", "train on a bootstrap resample (with replacement, drawn from --seed) of the training split")
    .option("--train-size <n>", "train on only the first n examples of the training split (dev and test unchanged)")
    .option("--dev-fraction <f>", "share of the examples in the dev split (default 0.15)")
    .option("--test-fraction <f>", "share of the examples in the test split (default 0.15)")
    .option("--layers <sizes>", "all layer sizes, inputs first, e.g. 784,256,256,10")
    .option("--hidden <sizes>", `hidden sizes only, inputs and outputs from the data, e.g. 64,32 (default ${d.hidden?.join(",")})`)
    .option("--activation <name>", `${ACTIVATIONS.join(", ")} (default ${d.activation})`)
    .option("--keep-probs <list>", "keepProb per layer, input first, one per hidden layer, each in (0, 1], e.g. 1,0.5,0.5 (default: all 1)")
    .option("--loss <name>", "softmax-cross-entropy, sigmoid-cross-entropy, mse (default: from the data)")
    .option("--init <name>", "he or glorot (default: he for relu units, glorot otherwise)")
    .option("--optimizer <name>", `${OPTIMIZER_NAMES.join(", ")} (default momentum)`)
    .option("--lr <rate>", `learning rate (default ${d.lr})`)
    .option("--batch <n>", `minibatch size (default ${d.batchSize})`)
    .option("--epochs <n>", `epochs (default ${d.epochs})`)
    .option("--schedule <spec>", "constant, step:EVERY:FACTOR, exponential:RATE, cosine:EPOCHS[:MINFACTOR]")
    .option("--l2 <lambda>", "coupled L2: adds (lambda/2m) * sum of squared weights to J (default 0)")
    .option("--max-norm <c>", "rescale each unit's incoming weights to norm <= c after each update")
    .option("--momentum <beta>", "momentum coefficient in [0, 1) for --optimizer momentum or nesterov (default 0.9)")
    .option("--patience <n>", "early stopping: stop after n epochs without improvement of --monitor (--epochs is then the cap)")
    .option("--monitor <metric>", "early stopping watches dev-accuracy or dev-loss (default dev-accuracy)")
    .option("--min-delta <d>", "early stopping: the smallest change that counts as an improvement (default 0)")
    .option("--restore-best", "early stopping: end with the best epoch's weights (the default)")
    .option("--no-restore-best", "early stopping: end with the last epoch's weights")
    .option("--seed <n>", `seed of every random stream (default ${d.seed})`);
}

/** Maps error messages that name schema fields back to the flag a person typed. */
const FLAG_OF: Record<string, string> = {
  keepProbs: "--keep-probs",
  batchSize: "--batch",
  maxNorm: "--max-norm",
  patience: "--patience",
  monitor: "--monitor",
  minDelta: "--min-delta",
  restoreBest: "--no-restore-best",
  lr: "--lr",
  epochs: "--epochs",
  l2: "--l2",
  seed: "--seed",
  noise: "--noise",
  size: "--size",
  layers: "--layers",
  hidden: "--hidden",
  devFraction: "--dev-fraction",
  trainSize: "--train-size",
  splitSeed: "--split-seed",
  testFraction: "--test-fraction",
};

/** Builds and validates the experiment from defaults, --config and flags. */
export function experimentFromFlags(flags: ExperimentFlags, defaults: Partial<ExperimentConfig> = {}): ExperimentConfig {
  let base: Record<string, unknown> = { ...DEFAULT_EXPERIMENT, ...defaults };
  if (flags.config) {
    const file = readJsonFile(flags.config, "--config");
    if (typeof file !== "object" || file === null || Array.isArray(file)) throw new InputError(`--config ${JSON.stringify(flags.config)} must hold a JSON object`);
    if ("layers" in file && "hidden" in file) throw new InputError(`--config ${show(flags.config)}: give either layers (all sizes) or hidden (hidden sizes only), not both`);
    base = { ...base, ...(file as Record<string, unknown>) };
    if ("layers" in file) delete base.hidden;
  }
  const over: Record<string, unknown> = {};
  if (flags.data !== undefined) over.data = flags.data;
  if (flags.label !== undefined) over.label = flags.label;
  if (flags.ignore !== undefined) over.ignore = flags.ignore.split(",").map((s) => s.trim()).filter(Boolean);
  if (flags.keepIdColumns) over.keepIdColumns = true;
  if (flags.noise !== undefined) over.noise = numberFlag("--noise", flags.noise);
  if (flags.size !== undefined) over.size = numberFlag("--size", flags.size);
  if (flags.splitSeed !== undefined) over.splitSeed = numberFlag("--split-seed", flags.splitSeed);
  if (flags.bootstrap !== undefined) over.bootstrap = flags.bootstrap;
  if (flags.trainSize !== undefined) over.trainSize = numberFlag("--train-size", flags.trainSize);
  if (flags.devFraction !== undefined) over.devFraction = numberFlag("--dev-fraction", flags.devFraction);
  if (flags.testFraction !== undefined) over.testFraction = numberFlag("--test-fraction", flags.testFraction);
  if (flags.layers !== undefined) {
    over.layers = numberListFlag("--layers", flags.layers);
    delete base.hidden;
  }
  if (flags.hidden !== undefined) {
    over.hidden = flags.hidden === "none" ? [] : numberListFlag("--hidden", flags.hidden);
    delete base.layers;
  }
  if (flags.activation !== undefined) over.activation = flags.activation;
  if (flags.keepProbs !== undefined) over.keepProbs = numberListFlag("--keep-probs", flags.keepProbs);
  if (flags.loss !== undefined) over.loss = flags.loss;
  if (flags.init !== undefined) over.init = flags.init;
  if (flags.optimizer !== undefined) over.optimizer = parseOptimizerName(flags.optimizer);
  if (flags.lr !== undefined) over.lr = numberFlag("--lr", flags.lr);
  if (flags.batch !== undefined) over.batchSize = numberFlag("--batch", flags.batch);
  if (flags.epochs !== undefined) over.epochs = numberFlag("--epochs", flags.epochs);
  if (flags.schedule !== undefined) over.schedule = parseScheduleText(flags.schedule);
  if (flags.l2 !== undefined) over.l2 = numberFlag("--l2", flags.l2);
  if (flags.maxNorm !== undefined) over.maxNorm = numberFlag("--max-norm", flags.maxNorm);
  if (flags.momentum !== undefined) {
    const beta = numberFlag("--momentum", flags.momentum, { min: 0, max: 1, maxExclusive: true });
    const opt = (over.optimizer ?? base.optimizer) as OptimizerSpec;
    if (opt.kind !== "momentum") throw new InputError(`--momentum applies to --optimizer momentum or nesterov, not ${opt.kind}`);
    over.optimizer = { ...opt, beta };
  }
  if (flags.patience !== undefined) over.patience = numberFlag("--patience", flags.patience);
  if (flags.monitor !== undefined) over.monitor = flags.monitor;
  if (flags.minDelta !== undefined) over.minDelta = numberFlag("--min-delta", flags.minDelta);
  if (flags.restoreBest !== undefined) over.restoreBest = flags.restoreBest;
  if (flags.seed !== undefined) over.seed = numberFlag("--seed", flags.seed);
  try {
    return validateExperiment({ ...base, ...over });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const m = /^(\w+)(\[\d+\])?( .*)$/s.exec(e.message);
    const field = m?.[1];
    if (m && field && FLAG_OF[field] && field in over) throw new InputError(`${FLAG_OF[field]}${m[2] ?? ""}${m[3]}`);
    throw e;
  }
}
