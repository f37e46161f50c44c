// The playground's experiment state: the fields a person can set, their
// validation, and the two texts they serialize to (the URL hash and the
// matching `dropout-lab train` command). It is a thin page-side view of the
// one experiment schema (src/config/experiment.ts): every state converts to an
// ExperimentConfig and is checked by the schema's own validators, so the page,
// the URL and the CLI agree on what a run is. Pure: no DOM, runs in Node too.

import { keepProbName } from "./labels.js";
import { MNIST_SUBSET_SIZE } from "./sizes.js";
import { DEFAULT_VIEW, VIEW_FIELDS, type ViewSettings } from "./view-settings.js";
import {
  ACTIVATIONS,
  DEFAULT_SYNTHETIC_SIZE,
  InputError,
  checkKeepProb,
  checkNumber,
  parseActivation,
  type Activation,
  type NetworkSpec,
} from "../src/index.js";
import {
  OPTIMIZER_NAMES,
  experimentToCommand,
  parseOptimizerName,
  resolveNetworkSpec,
  validateExperiment,
  type ExperimentConfig,
} from "../src/toolkit.js";

/** The data sets the page offers; "mnist" is a bundled subset of the CLI's 10,000 digits. */
export const PAGE_DATA = ["circle", "xor", "gauss", "spiral", "four-inputs", "mnist"] as const;
export type PageData = (typeof PAGE_DATA)[number];
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Input features and classes of each page data set (2 classes use one sigmoid output). */
export const DATA_SHAPES: { readonly [D in PageData]: { readonly features: number; readonly classes: number } } = {
  circle: { features: 2, classes: 2 },
  xor: { features: 2, classes: 2 },
  gauss: { features: 2, classes: 2 },
  spiral: { features: 2, classes: 2 },
  "four-inputs": { features: 4, classes: 2 },
  mnist: { features: 784, classes: 10 },
};

/** Limits that keep a browser tab responsive (the engine itself accepts up to MAX_UNITS per layer). */
export const PAGE_LIMITS = { maxHiddenLayers: 6, maxUnits: 256, maxBatch: 10000, maxL2: 1000, maxThreads: 16, minSize: 100, maxSize: 5000, minTrainFraction: 0.05 } as const;

/** The kernels the worker trains with: "js" (the plain reference, the default) or "wasm" (WebAssembly SIMD). */
export const PAGE_BACKENDS = ["js", "wasm"] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];


/** The CLI's default split is 70% train, 15% dev, 15% test; the page keeps dev = test and lets the train share vary. */
export const CLI_TRAIN_FRACTION = 0.7;

export interface PageState {
  readonly data: PageData;
  /** Synthetic sets: noise level in [0, 1] (flipped labels near the boundary, wider clusters); ignored for mnist. */
  readonly noise: number;
  /** Synthetic sets: number of examples before the split (the CLI's --size, default 500); ignored for mnist. */
  readonly size: number;
  /** Share of the examples used for training, in [0.05, 0.9]; the rest is split evenly into dev and test. */
  readonly trainFraction: number;
  /** Units per layer, inputs first, outputs last (inputs and outputs follow the data). */
  readonly layers: readonly number[];
  readonly activation: Activation;
  /** keepProbs[l] for the units of layer l: index 0 = the inputs, then each hidden layer; 0 < keepProb <= 1. */
  readonly keepProbs: readonly number[];
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly batch: number;
  /** Training stops after this many epochs (passes over the training split). */
  readonly epochs: number;
  /** Coupled L2 strength lambda: J gains (lambda / 2m) * sum of squared weights. */
  readonly l2: number;
  /** Max-norm c: each unit's incoming weight vector is rescaled to norm <= c; undefined = off. */
  readonly maxNorm: number | undefined;
  readonly seed: number;
  /** Train none / L2 / dropout side by side on the same data and seed. */
  readonly compare: boolean;
  /** Kernels: js reproduces `dropout-lab train --backend js` bit for bit; wasm is faster and rounds within float32 of it. */
  readonly backend: PageBackend;
  /**
   * Threads sharing the wasm backend's large products, the training worker's
   * included (1 for js). Results do not depend on it; where the page is not
   * cross-origin isolated the worker uses one and says so.
   */
  readonly threads: number;
  /** How the page shows the run (never part of the run itself). */
  readonly view: ViewSettings;
}

/**
 * The first experiment a person sees is one where dropout's point shows: few
 * training points (100 of 2,000), heavy label noise, a wide network, a long
 * budget. Measured with the CLI over seeds 1-4 (none / dropout 1,0.5,0.5, test
 * accuracy after 1000 epochs): 85/88, 88/95, 80/87, 89/92 %, while at each
 * run's best dev epoch both reach about 92%: without regularization the
 * network memorizes the noise as it trains on, with dropout it does not.
 */
export const DEFAULT_STATE: PageState = {
  data: "gauss",
  noise: 0.5,
  size: 2000,
  trainFraction: 0.05,
  layers: [2, 32, 32, 1],
  activation: "tanh",
  keepProbs: [1, 0.5, 0.5],
  optimizer: "sgd",
  lr: 0.1,
  batch: 10,
  epochs: 1000,
  l2: 0,
  maxNorm: undefined,
  seed: 1,
  compare: false,
  backend: "js",
  threads: 1,
  view: DEFAULT_VIEW,
};

export function isSyntheticData(data: PageData): boolean {
  return data !== "mnist";
}

export function outputsOf(data: PageData): number {
  const { classes } = DATA_SHAPES[data];
  return classes === 2 ? 1 : classes;
}

/** The experiment in the schema's terms (what the CLI would run). */
export function toConfig(s: PageState): ExperimentConfig {
  return {
    data: s.data,
    ...(isSyntheticData(s.data) ? { noise: s.noise, ...(s.size === DEFAULT_SYNTHETIC_SIZE ? {} : { size: s.size }) } : {}),
    layers: [...s.layers],
    activation: s.activation,
    keepProbs: [...s.keepProbs],
    optimizer: parseOptimizerName(s.optimizer),
    lr: s.lr,
    batchSize: s.batch,
    epochs: s.epochs,
    l2: s.l2,
    ...(s.maxNorm !== undefined ? { maxNorm: s.maxNorm } : {}),
    seed: s.seed,
  };
}

/** The network the state describes, validated by the engine. */
export function networkSpecOf(s: PageState): NetworkSpec {
  const { features, classes } = DATA_SHAPES[s.data];
  return resolveNetworkSpec(toConfig(s), { features, task: { kind: "classification", classes } });
}

/** Dev and test fractions of the split (each half of what training leaves). */
export function splitFractions(s: PageState): { devFraction: number; testFraction: number } {
  const held = Math.round((1 - s.trainFraction) * 1000) / 2000;
  return { devFraction: held, testFraction: held };
}

/** Training examples after the split (as splitIndices rounds it); synthetic sets have `size` examples. */
export function trainExamples(s: PageState): number {
  const n = s.data === "mnist" ? MNIST_SUBSET_SIZE : s.size;
  const f = splitFractions(s);
  return n - Math.round(n * f.devFraction) - Math.round(n * f.testFraction);
}

/** The `dropout-lab train` line that runs this experiment, on the same kernels (the CLI picks its own thread count). */
export function cliCommand(s: PageState): string {
  const f = splitFractions(s);
  const split = s.trainFraction === CLI_TRAIN_FRACTION ? [] : ["--dev-fraction", String(f.devFraction), "--test-fraction", String(f.testFraction)];
  return experimentToCommand(toConfig(s), "train", [...split, "--backend", s.backend]);
}

/** Throws an InputError unless the whole state is valid (schema, network spec and page limits). */
export function checkState(s: PageState): PageState {
  validateExperiment(toConfig(s));
  networkSpecOf(s);
  const hidden = s.layers.slice(1, -1);
  if (hidden.length > PAGE_LIMITS.maxHiddenLayers) {
    throw new InputError(`the page allows at most ${PAGE_LIMITS.maxHiddenLayers} hidden layers, got ${hidden.length}`);
  }
  hidden.forEach((n, i) => checkNumber(`hidden layer ${i + 1} size`, n, { min: 1, max: PAGE_LIMITS.maxUnits, integer: true }));
  checkNumber("batch", s.batch, { min: 1, max: PAGE_LIMITS.maxBatch, integer: true });
  checkNumber("l2", s.l2, { min: 0, max: PAGE_LIMITS.maxL2 });
  checkNumber("train-fraction", s.trainFraction, { min: PAGE_LIMITS.minTrainFraction, max: 0.9 });
  checkNumber("size", s.size, { min: PAGE_LIMITS.minSize, max: PAGE_LIMITS.maxSize, integer: true });
  checkNumber("threads", s.threads, { min: 1, max: PAGE_LIMITS.maxThreads, integer: true });
  if (s.backend !== "wasm" && s.threads !== 1) throw new InputError(`threads applies to the wasm backend only (backend=wasm); got threads=${s.threads} with backend=${s.backend}`);
  return s;
}

function num(what: string, text: string): number {
  const t = text.trim();
  const v = Number(t);
  if (t === "" || !Number.isFinite(v)) throw new InputError(`${what} must be a number, got ${JSON.stringify(text)}`);
  return v;
}

function numList(what: string, text: string): number[] {
  return text.split(",").map((part) => num(what, part));
}

/** keepProbs resized to `n` values: extra ones dropped, new hidden layers start at `fill`. */
function fitKeepProbs(keepProbs: readonly number[], n: number, fill = 1): number[] {
  return Array.from({ length: n }, (_, i) => keepProbs[i] ?? fill);
}

/** The state with new layer sizes (inputs and outputs forced by the data), keepProbs resized to match. */
export function withLayers(s: PageState, layers: readonly number[]): PageState {
  return { ...s, layers: [...layers], keepProbs: fitKeepProbs(s.keepProbs, layers.length - 1) };
}

/** The state with new hidden layer sizes; the input and output sizes come from the data. */
export function withHidden(s: PageState, hidden: readonly number[]): PageState {
  return withLayers(s, [DATA_SHAPES[s.data].features, ...hidden, outputsOf(s.data)]);
}

function parseData(text: string): PageData {
  const t = text.trim();
  if ((PAGE_DATA as readonly string[]).includes(t)) return t as PageData;
  throw new InputError(`data must be one of ${PAGE_DATA.join(", ")}; got ${JSON.stringify(text)}`);
}

function parseBackend(text: string): PageBackend {
  const t = text.trim();
  if ((PAGE_BACKENDS as readonly string[]).includes(t)) return t as PageBackend;
  throw new InputError(`backend must be one of ${PAGE_BACKENDS.join(", ")}; got ${JSON.stringify(text)}`);
}

function parseOptimizer(text: string): OptimizerName {
  const t = text.trim();
  parseOptimizerName(t);
  return t as OptimizerName;
}

/** One setting as it appears in the URL: its key (the CLI flag's name), how to read it and how to write it. */
export interface Field {
  readonly key: string;
  apply(s: PageState, text: string): PageState;
  /** The URL's text, undefined when the URL leaves the setting out (its default). */
  format(s: PageState): string | undefined;
  /** The value as "kept ..." messages name it, when format leaves it out (default "(off)"). */
  text?(s: PageState): string;
}

const FIELDS: readonly Field[] = [
  {
    key: "data",
    apply: (s, t) => {
      const data = parseData(t);
      return withHidden({ ...s, data }, s.layers.slice(1, -1));
    },
    format: (s) => s.data,
  },
  { key: "noise", apply: (s, t) => ({ ...s, noise: checkNumber("noise", num("noise", t), { min: 0, max: 1 }) }), format: (s) => (isSyntheticData(s.data) ? String(s.noise) : undefined) },
  { key: "size", apply: (s, t) => ({ ...s, size: num("size", t) }), format: (s) => (isSyntheticData(s.data) ? String(s.size) : undefined), text: (s) => String(s.size) },
  { key: "train-fraction", apply: (s, t) => ({ ...s, trainFraction: num("train-fraction", t) }), format: (s) => String(s.trainFraction) },
  {
    key: "layers",
    apply: (s, t) => {
      const layers = numList("layers", t);
      const { features } = DATA_SHAPES[s.data], outputs = outputsOf(s.data);
      if (layers.length < 2 || layers[0] !== features || layers[layers.length - 1] !== outputs) {
        throw new InputError(`layers for ${s.data} must start with ${features} inputs and end with ${outputs} output${outputs === 1 ? "" : "s"}, e.g. ${features},8,${outputs}; got ${JSON.stringify(t)}`);
      }
      return withLayers(s, layers);
    },
    format: (s) => s.layers.join(","),
  },
  { key: "activation", apply: (s, t) => ({ ...s, activation: parseActivation(t.trim()) }), format: (s) => s.activation },
  {
    key: "keep-probs",
    apply: (s, t) => {
      const keepProbs = numList("keep-probs", t);
      if (keepProbs.length !== s.layers.length - 1) {
        throw new InputError(`keep-probs needs ${s.layers.length - 1} values (the input layer, then each hidden layer), got ${JSON.stringify(t)}`);
      }
      keepProbs.forEach((p, i) => checkKeepProb(`keep-probs[${i}]${i === 0 ? " (input layer)" : ""}`, p));
      return { ...s, keepProbs };
    },
    format: (s) => s.keepProbs.join(","),
  },
  { key: "optimizer", apply: (s, t) => ({ ...s, optimizer: parseOptimizer(t) }), format: (s) => s.optimizer },
  { key: "lr", apply: (s, t) => ({ ...s, lr: num("lr", t) }), format: (s) => String(s.lr) },
  { key: "batch", apply: (s, t) => ({ ...s, batch: num("batch", t) }), format: (s) => String(s.batch) },
  { key: "epochs", apply: (s, t) => ({ ...s, epochs: num("epochs", t) }), format: (s) => String(s.epochs) },
  { key: "l2", apply: (s, t) => ({ ...s, l2: num("l2", t) }), format: (s) => String(s.l2) },
  {
    key: "max-norm",
    apply: (s, t) => ({ ...s, maxNorm: t.trim() === "" || t.trim() === "off" ? undefined : num("max-norm", t) }),
    format: (s) => (s.maxNorm === undefined ? undefined : String(s.maxNorm)),
  },
  { key: "seed", apply: (s, t) => ({ ...s, seed: num("seed", t) }), format: (s) => String(s.seed) },
  {
    key: "compare",
    apply: (s, t) => {
      if (t !== "0" && t !== "1") throw new InputError(`compare must be 0 or 1, got ${JSON.stringify(t)}`);
      return { ...s, compare: t === "1" };
    },
    format: (s) => (s.compare ? "1" : undefined),
  },
  {
    key: "backend",
    apply: (s, t) => {
      const backend = parseBackend(t);
      return { ...s, backend, threads: backend === "wasm" ? s.threads : 1 };
    },
    format: (s) => (s.backend === "js" ? undefined : s.backend),
    text: (s) => s.backend,
  },
  { key: "threads", apply: (s, t) => ({ ...s, threads: num("threads", t) }), format: (s) => (s.threads === 1 ? undefined : String(s.threads)), text: (s) => String(s.threads) },
  ...VIEW_FIELDS.map((v): Field => ({ key: v.key, apply: (s, t) => ({ ...s, view: v.apply(s.view, t) }), format: (s) => v.format(s.view), text: (s) => v.text(s.view) })),
];

/** Settings a run can change between epochs and carry on from its weights ("continue from these weights"). */
const CONTINUABLE: readonly (keyof PageState)[] = ["keepProbs", "l2", "lr", "maxNorm", "epochs"];

/** How `a` and `b` differ as runs: "same" (the view at most), "continuable" (only CONTINUABLE settings) or "new". */
export function runChange(a: PageState, b: PageState): "same" | "continuable" | "new" {
  const key = (s: PageState, skip: readonly string[]) => JSON.stringify(Object.entries(s).filter(([k]) => k !== "view" && !skip.includes(k)));
  if (key(a, []) === key(b, [])) return "same";
  return key(a, CONTINUABLE) === key(b, CONTINUABLE) ? "continuable" : "new";
}

export const SETTING_KEYS: readonly string[] = FIELDS.map((f) => f.key);

/**
 * Applies one setting given as text (a URL value or a form field): returns the
 * new, fully valid state, or throws an InputError naming the value and what is
 * allowed, in which case the caller keeps `s`.
 */
export function applySetting(s: PageState, key: string, text: string): PageState {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) throw new InputError(`unknown setting ${JSON.stringify(key)}; the settings are ${SETTING_KEYS.join(", ")}`);
  return checkState(field.apply(s, text));
}

/** Sets the hidden layer sizes from text such as "8,8" (empty: no hidden layer); throws like applySetting. */
export function applyHidden(s: PageState, text: string): PageState {
  const t = text.trim();
  const hidden = t === "" || t === "none" ? [] : numList("hidden layer sizes", t);
  hidden.forEach((n, i) => checkNumber(`hidden layer ${i + 1} size`, n, { min: 1, max: PAGE_LIMITS.maxUnits, integer: true }));
  return checkState(withHidden(s, hidden));
}

/** Sets the kernels and, for wasm, the thread count (js: one thread); throws like applySetting. */
export function applyBackend(s: PageState, backend: PageBackend, threads = 1): PageState {
  return checkState({ ...s, backend, threads: backend === "wasm" ? threads : 1 });
}

/** Sets the keepProb of one layer (0 = inputs) from text; throws like applySetting, naming the layer. */
export function applyKeepProb(s: PageState, index: number, text: string): PageState {
  const p = checkKeepProb(`keepProb of ${keepProbName(index)}`, num(`keepProb of ${keepProbName(index)}`, text));
  return checkState({ ...s, keepProbs: s.keepProbs.map((q, i) => (i === index ? p : q)) });
}

/** A setting's current value as text, for "kept ..." messages. */
export function settingText(s: PageState, key: string): string {
  if (key === "hidden") return s.layers.slice(1, -1).join(",") || "none";
  const field = FIELDS.find((f) => f.key === key);
  return field?.format(s) ?? field?.text?.(s) ?? "(off)";
}

/** The URL hash text of a state: `data=circle&noise=0.1&...` (commas left readable). */
export function serializeState(s: PageState): string {
  const parts: string[] = [];
  for (const f of FIELDS) {
    const v = f.format(s);
    if (v !== undefined) parts.push(`${f.key}=${encodeURIComponent(v).replace(/%2C/gi, ",")}`);
  }
  return parts.join("&");
}

/**
 * Reads a URL hash (or query) over `base`, setting by setting in a fixed order
 * (data before layers before keep-probs): a bad value is refused with a message
 * and that setting keeps its value from `base`.
 */
export function parseState(text: string, base: PageState = DEFAULT_STATE): { state: PageState; errors: string[] } {
  const params = new URLSearchParams(text.replace(/^[#?]/, ""));
  const errors: string[] = [];
  for (const key of new Set(params.keys())) {
    if (!SETTING_KEYS.includes(key)) errors.push(`unknown setting ${JSON.stringify(key)} in the URL ignored; the settings are ${SETTING_KEYS.join(", ")}`);
  }
  let state = base;
  for (const f of FIELDS) {
    const value = params.get(f.key);
    if (value === null) continue;
    try {
      state = applySetting(state, f.key, value);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(`${e.message}; kept ${f.key}=${settingText(state, f.key)}`);
    }
  }
  return { state, errors };
}

export { ACTIVATIONS, OPTIMIZER_NAMES, keepProbName };
