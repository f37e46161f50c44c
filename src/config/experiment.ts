// The one experiment schema. CLI flags, --config files, the playground's URL,
// saved models and reports all serialize from this flat object, so a run can
// be described once and replayed anywhere: `experimentToArgs` gives the exact
// `dropout-lab train` flags, and parsing those flags gives the object back.

import { InputError, checkNumber, show } from "../core/errors.js";
import { parseActivation, type Activation } from "../nn/activations.js";
import { parseInit, type InitKind } from "../nn/init.js";
import { parseLoss, type LossKind } from "../nn/losses.js";
import { MAX_PARAMETERS, countParameters, validateNetworkSpec, type Network, type NetworkSpec } from "../nn/network.js";
import { defaultOptimizerSpec, validateOptimizerSpec, type OptimizerSpec } from "../optim/optimizer.js";
import { validateScheduleSpec, type ScheduleSpec } from "../optim/schedule.js";
import type { TrainOptions } from "../train/options.js";
import { initNetwork, startRun, type NetworkSetup, type RunSetup, type TrainingRun } from "../train/run.js";
import { parseMonitor, type Monitor } from "../train/early-stopping.js";
import { parseDataSpec } from "../data/spec.js";
import type { Dataset, Task } from "../data/dataset.js";

export interface ExperimentConfig {
  /** Data spec text: "mnist", "fashion-mnist[:DIR]", "penguins", "seattle-weather", "csv:PATH", or a synthetic set name. */
  readonly data: string;
  /** Tables: the label column. */
  readonly label?: string;
  /** Tables: columns to leave out. */
  readonly ignore?: readonly string[];
  /** Tables: keep identifier-like text columns (distinct on most rows), which are left out by default. */
  readonly keepIdColumns?: boolean;
  /** Synthetic sets: noise level in [0, 1]. */
  readonly noise?: number;
  /** Synthetic sets: number of examples. */
  readonly size?: number;
  /** Seed of the data split (and synthetic data) when it must stay fixed while `seed` varies; default seed. */
  readonly splitSeed?: number;
  /** Train on a bootstrap resample (with replacement, from `seed`) of the training split: bias-variance experiments. */
  readonly bootstrap?: boolean;
  /** Train on only the first N examples of the training split (dev and test unchanged): training-set size experiments. */
  readonly trainSize?: number;
  /** Share of the examples in the dev split (default 0.15). */
  readonly devFraction?: number;
  /** Share of the examples in the test split (default 0.15; fashion-mnist has its own test file). */
  readonly testFraction?: number;
  /** All layer sizes, inputs first (e.g. 784,256,256,10). Exclusive with `hidden`. */
  readonly layers?: readonly number[];
  /** Hidden layer sizes only; inputs and outputs come from the data. */
  readonly hidden?: readonly number[];
  readonly activation: Activation;
  /** Per layer, input first, one per hidden layer; all 1 (no dropout) when absent. */
  readonly keepProbs?: readonly number[];
  /** Defaults from the data: softmax for 3+ classes, sigmoid for 2 classes with 1 output, mse for regression. */
  readonly loss?: LossKind;
  readonly init?: InitKind;
  readonly optimizer: OptimizerSpec;
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly schedule?: ScheduleSpec;
  /** Coupled L2 strength lambda in (lambda / 2m) Σ w². */
  readonly l2: number;
  readonly maxNorm?: number;
  /** Early stopping: stop after this many epochs without improvement of `monitor` (epochs is then the cap). */
  readonly patience?: number;
  /** What early stopping watches (default dev-accuracy); needs patience. */
  readonly monitor?: Monitor;
  /** Smallest change that counts as an improvement (default 0); needs patience. */
  readonly minDelta?: number;
  /** Restore the best epoch's weights at the end (default true); needs patience. */
  readonly restoreBest?: boolean;
  readonly seed: number;
}

export const DEFAULT_EXPERIMENT: ExperimentConfig = {
  data: "mnist",
  hidden: [128],
  activation: "relu",
  optimizer: defaultOptimizerSpec("momentum"),
  lr: 0.05,
  batchSize: 64,
  epochs: 10,
  l2: 0,
  seed: 1,
};

const KEYS = [
  "data", "label", "ignore", "keepIdColumns", "noise", "size", "splitSeed", "bootstrap", "trainSize", "devFraction", "testFraction", "layers", "hidden", "activation", "keepProbs", "loss", "init",
  "optimizer", "lr", "batchSize", "epochs", "schedule", "l2", "maxNorm", "patience", "monitor", "minDelta", "restoreBest", "seed",
] as const;

function intList(what: string, value: unknown, min: number): number[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(`${what} must be a non-empty list of integers, got ${show(value)}`);
  return value.map((v, i) => checkNumber(`${what}[${i}]`, v, { min, max: 65536, integer: true }));
}

/** Validates a whole experiment (e.g. a --config file), naming the field of any error. */
export function validateExperiment(value: unknown): ExperimentConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`an experiment must be a JSON object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new InputError(`experiment has an unknown field ${show(key)}; the fields are: ${KEYS.join(", ")}`);
  }
  if (typeof v.data !== "string") throw new InputError(`data must be a string such as "mnist", got ${show(v.data)}`);
  parseDataSpec(v.data);
  if (v.layers !== undefined && v.hidden !== undefined) throw new InputError("give either layers (all sizes) or hidden (hidden sizes only), not both");
  const out: Record<string, unknown> = {
    data: v.data,
    activation: parseActivation(v.activation),
    optimizer: validateOptimizerSpec(v.optimizer),
    lr: checkNumber("lr", v.lr, { min: 0, minExclusive: true, max: 10 }),
    batchSize: checkNumber("batchSize", v.batchSize, { min: 1, max: 1e7, integer: true }),
    epochs: checkNumber("epochs", v.epochs, { min: 1, max: 1e6, integer: true }),
    l2: checkNumber("l2", v.l2 ?? 0, { min: 0 }),
    seed: checkNumber("seed", v.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
  };
  if (v.label !== undefined) out.label = checkString("label", v.label);
  if (v.ignore !== undefined) {
    if (!Array.isArray(v.ignore)) throw new InputError(`ignore must be a list of column names, got ${show(v.ignore)}`);
    out.ignore = v.ignore.map((c, i) => checkString(`ignore[${i}]`, c));
  }
  if (v.keepIdColumns !== undefined) {
    if (typeof v.keepIdColumns !== "boolean") throw new InputError(`keepIdColumns must be true or false, got ${show(v.keepIdColumns)}`);
    if (v.keepIdColumns) out.keepIdColumns = true;
  }
  if (v.noise !== undefined) out.noise = checkNumber("noise", v.noise, { min: 0, max: 1 });
  if (v.size !== undefined) out.size = checkNumber("size", v.size, { min: 2, max: 1e7, integer: true });
  if (v.splitSeed !== undefined) out.splitSeed = checkNumber("splitSeed", v.splitSeed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  if (v.bootstrap !== undefined) {
    if (typeof v.bootstrap !== "boolean") throw new InputError(`bootstrap must be true or false, got ${show(v.bootstrap)}`);
    out.bootstrap = v.bootstrap;
  }
  if (v.trainSize !== undefined) out.trainSize = checkNumber("trainSize", v.trainSize, { min: 1, max: 1e8, integer: true });
  if (v.devFraction !== undefined) out.devFraction = checkNumber("devFraction", v.devFraction, { min: 0, max: 1, maxExclusive: true });
  if (v.testFraction !== undefined) out.testFraction = checkNumber("testFraction", v.testFraction, { min: 0, max: 1, maxExclusive: true });
  if (v.layers !== undefined) out.layers = intList("layers", v.layers, 1);
  if (v.hidden !== undefined) out.hidden = Array.isArray(v.hidden) && v.hidden.length === 0 ? [] : intList("hidden", v.hidden, 1);
  if (v.keepProbs !== undefined) {
    if (!Array.isArray(v.keepProbs)) throw new InputError(`keepProbs must be a list of numbers in (0, 1], got ${show(v.keepProbs)}`);
    out.keepProbs = v.keepProbs.map((p, i) => checkNumber(`keepProbs[${i}]`, p, { min: 0, minExclusive: true, max: 1 }));
  }
  if (v.loss !== undefined) out.loss = parseLoss(v.loss);
  if (v.init !== undefined) out.init = parseInit(v.init);
  if (v.schedule !== undefined) out.schedule = validateScheduleSpec(v.schedule);
  if (v.maxNorm !== undefined) out.maxNorm = checkNumber("maxNorm", v.maxNorm, { min: 0, minExclusive: true });
  if (v.patience !== undefined) out.patience = checkNumber("patience", v.patience, { min: 1, max: 1e6, integer: true });
  for (const key of ["monitor", "minDelta", "restoreBest"] as const) {
    if (v[key] !== undefined && v.patience === undefined) throw new InputError(`${key} is an early-stopping setting; it needs patience (the number of epochs without improvement before stopping)`);
  }
  if (v.monitor !== undefined) out.monitor = parseMonitor(v.monitor);
  if (v.minDelta !== undefined) out.minDelta = checkNumber("minDelta", v.minDelta, { min: 0, max: 1e6 });
  if (v.restoreBest !== undefined) {
    if (typeof v.restoreBest !== "boolean") throw new InputError(`restoreBest must be true or false, got ${show(v.restoreBest)}`);
    out.restoreBest = v.restoreBest;
  }
  const config = out as unknown as ExperimentConfig;
  checkParameterCount(config);
  const sizes = config.layers ? config.layers.length : config.hidden ? config.hidden.length + 2 : undefined;
  if (sizes !== undefined && config.keepProbs && config.keepProbs.length !== sizes - 1) {
    throw new InputError(
      `keepProbs needs ${sizes - 1} values (the input layer, then each of the ${sizes - 2} hidden layers; the output is never dropped), got ${show(config.keepProbs)}`,
    );
  }
  return config;
}

/** The sizes known before the data is loaded (all of `layers`, or the hidden-to-hidden part of `hidden`) must stay under MAX_PARAMETERS. */
function checkParameterCount(config: ExperimentConfig): void {
  const [field, sizes] = config.layers ? ["layers", config.layers] : ["hidden", config.hidden ?? []];
  const count = countParameters(sizes);
  if (count > MAX_PARAMETERS) {
    throw new InputError(`${field} ${sizes.join(",")} make ${field === "hidden" ? "at least " : ""}${count} parameters; at most ${MAX_PARAMETERS} (2^25) are allowed`);
  }
}

function checkString(what: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new InputError(`${what} must be a non-empty string, got ${show(value)}`);
  return value;
}

/** The loss a task calls for, given the number of outputs. */
export function defaultLoss(task: Task, outputs: number): LossKind {
  if (task.kind === "regression") return "mse";
  return outputs === 1 ? "sigmoid-cross-entropy" : "softmax-cross-entropy";
}

/**
 * The network for this experiment on data of `features` inputs and `task`:
 * `hidden` expands to [features, ...hidden, outputs] (2 classes use 1 sigmoid
 * output, more classes one softmax output each, regression one per target).
 */
export function resolveNetworkSpec(config: ExperimentConfig, data: { features: number; task: Task }): NetworkSpec {
  const outputs = data.task.kind === "regression" ? data.task.outputs : data.task.classes === 2 ? 1 : data.task.classes;
  const layers = config.layers ?? [data.features, ...(config.hidden ?? DEFAULT_EXPERIMENT.hidden!), outputs];
  const loss = config.loss ?? defaultLoss(data.task, layers[layers.length - 1]!);
  const count = countParameters(layers);
  if (count > MAX_PARAMETERS) {
    throw new InputError(
      `${config.layers ? "layers (--layers)" : "hidden (--hidden)"} ${(config.layers ?? config.hidden ?? []).join(",")} on data of ${data.features} inputs and ${outputs} outputs make a network of ${count} parameters; at most ${MAX_PARAMETERS} (2^25) are allowed`,
    );
  }
  return validateNetworkSpec({
    layers,
    activation: config.activation,
    keepProbs: config.keepProbs ?? layers.slice(1).map(() => 1),
    loss,
    ...(config.init ? { init: config.init } : {}),
  });
}

export function trainOptionsOf(config: ExperimentConfig): TrainOptions {
  return {
    epochs: config.epochs,
    batchSize: config.batchSize,
    lr: config.lr,
    optimizer: config.optimizer,
    ...(config.schedule ? { schedule: config.schedule } : {}),
    l2: config.l2,
    ...(config.maxNorm !== undefined ? { maxNorm: config.maxNorm } : {}),
    ...(config.patience !== undefined
      ? { earlyStopping: { patience: config.patience, monitor: config.monitor ?? "dev-accuracy", minDelta: config.minDelta ?? 0, restoreBest: config.restoreBest ?? true } }
      : {}),
  };
}

/** The experiment's network on its training data, weights from its seed (train/run.ts). */
export function experimentNetwork(config: ExperimentConfig, train: { features: number; task: Task }, setup: NetworkSetup = {}): Network {
  return initNetwork(resolveNetworkSpec(config, train), config.seed, setup);
}

/** The experiment's network and trainer, built from its seed as every command builds them (train/run.ts). */
export function experimentRun(config: ExperimentConfig, data: { readonly train: Dataset; readonly dev?: Dataset }, setup: RunSetup = {}): TrainingRun {
  return startRun(resolveNetworkSpec(config, data.train), data, trainOptionsOf(config), config.seed, setup);
}

/** Optimizer names as flags write them: sgd, momentum, nesterov, adam (each with its default hyperparameters). */
export const OPTIMIZER_NAMES = ["sgd", "momentum", "nesterov", "adam"] as const;

export function parseOptimizerName(text: string): OptimizerSpec {
  switch (text) {
    case "sgd":
    case "momentum":
    case "adam":
      return defaultOptimizerSpec(text);
    case "nesterov":
      return { ...defaultOptimizerSpec("momentum"), nesterov: true } as OptimizerSpec;
    default:
      throw new InputError(`--optimizer must be one of ${OPTIMIZER_NAMES.join(", ")}; got ${show(text)}`);
  }
}

/** The flag name of a spec, or undefined when its hyperparameters differ from that name's defaults (then only --config can say it). */
export function optimizerName(spec: OptimizerSpec): (typeof OPTIMIZER_NAMES)[number] | undefined {
  for (const name of OPTIMIZER_NAMES) if (JSON.stringify(parseOptimizerName(name)) === JSON.stringify(spec)) return name;
  return undefined;
}

/** The flags that give `spec`: --optimizer NAME, plus --momentum BETA for a momentum optimizer with another beta; undefined when no flags can. */
export function optimizerArgs(spec: OptimizerSpec): string[] | undefined {
  const name = optimizerName(spec);
  if (name) return ["--optimizer", name];
  if (spec.kind === "momentum" && spec.weightDecay === undefined) {
    return ["--optimizer", spec.nesterov ? "nesterov" : "momentum", "--momentum", String(spec.beta)];
  }
  return undefined;
}

/** Schedule text: constant, step:EVERY:FACTOR, exponential:RATE, cosine:EPOCHS[:MINFACTOR]. */
export function parseScheduleText(text: string): ScheduleSpec {
  const [kind, ...args] = text.split(":");
  const num = (i: number) => (args[i] === undefined ? undefined : Number(args[i]));
  const bad = () => new InputError(`--schedule must be constant, step:EVERY:FACTOR, exponential:RATE or cosine:EPOCHS[:MINFACTOR]; got ${show(text)}`);
  const arity = (n: number, m = n) => {
    if (args.length < n || args.length > m) throw bad();
  };
  switch (kind) {
    case "constant":
      arity(0);
      return { kind };
    case "step":
      arity(2);
      return validateScheduleSpec({ kind, every: num(0), factor: num(1) }, "--schedule");
    case "exponential":
      arity(1);
      return validateScheduleSpec({ kind, rate: num(0) }, "--schedule");
    case "cosine":
      arity(1, 2);
      return validateScheduleSpec({ kind, epochs: num(0), minFactor: num(1) ?? 0 }, "--schedule");
    default:
      throw bad();
  }
}

export function formatSchedule(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case "constant":
      return "constant";
    case "step":
      return `step:${spec.every}:${spec.factor}`;
    case "exponential":
      return `exponential:${spec.rate}`;
    case "cosine":
      return spec.minFactor === 0 ? `cosine:${spec.epochs}` : `cosine:${spec.epochs}:${spec.minFactor}`;
    default: {
      const never: never = spec;
      throw new Error(`unhandled schedule ${show(never)}`);
    }
  }
}

/**
 * The `dropout-lab train` flags that reproduce `config`. Returns undefined for
 * an optimizer whose hyperparameters have no flag (such runs need --config).
 */
export function experimentToArgs(config: ExperimentConfig): string[] | undefined {
  const opt = optimizerArgs(config.optimizer);
  if (!opt) return undefined;
  const args = ["--data", config.data];
  if (config.label !== undefined) args.push("--label", config.label);
  if (config.ignore?.length) args.push("--ignore", config.ignore.join(","));
  if (config.keepIdColumns) args.push("--keep-id-columns");
  if (config.noise !== undefined) args.push("--noise", String(config.noise));
  if (config.size !== undefined) args.push("--size", String(config.size));
  if (config.splitSeed !== undefined) args.push("--split-seed", String(config.splitSeed));
  if (config.bootstrap) args.push("--bootstrap");
  if (config.trainSize !== undefined) args.push("--train-size", String(config.trainSize));
  if (config.devFraction !== undefined) args.push("--dev-fraction", String(config.devFraction));
  if (config.testFraction !== undefined) args.push("--test-fraction", String(config.testFraction));
  if (config.layers) args.push("--layers", config.layers.join(","));
  if (config.hidden) args.push("--hidden", config.hidden.length ? config.hidden.join(",") : "none");
  args.push("--activation", config.activation);
  if (config.keepProbs) args.push("--keep-probs", config.keepProbs.join(","));
  if (config.loss) args.push("--loss", config.loss);
  if (config.init) args.push("--init", config.init);
  args.push(...opt, "--lr", String(config.lr), "--batch", String(config.batchSize), "--epochs", String(config.epochs));
  if (config.schedule) args.push("--schedule", formatSchedule(config.schedule));
  args.push("--l2", String(config.l2));
  if (config.maxNorm !== undefined) args.push("--max-norm", String(config.maxNorm));
  if (config.patience !== undefined) args.push("--patience", String(config.patience));
  if (config.monitor !== undefined) args.push("--monitor", config.monitor);
  if (config.minDelta !== undefined) args.push("--min-delta", String(config.minDelta));
  if (config.restoreBest === false) args.push("--no-restore-best");
  else if (config.restoreBest === true) args.push("--restore-best");
  args.push("--seed", String(config.seed));
  return args;
}

/** A shell-safe command line: `dropout-lab <command> <flags>`. */
export function experimentToCommand(config: ExperimentConfig, command = "train", extra: readonly string[] = []): string {
  const args = experimentToArgs(config);
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  if (!args) return `dropout-lab ${command} --config experiment.json ${extra.map(quote).join(" ")}`.trim();
  return ["dropout-lab", command, ...args, ...extra].map(quote).join(" ");
}
