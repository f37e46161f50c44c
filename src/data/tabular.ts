// Turns a raw Table into train/dev/test Datasets a network can eat, with every
// decision written down as a note. Pure (no Node imports), so the browser can
// encode tables too.
//
// Column rules, applied to the cells that are not missing (see table.ts):
// - numeric: every cell parses as a number. Standardized with the mean and
//   std of the TRAINING split only; a column constant in training is centred
//   but not scaled (no division by zero) and noted.
// - a column where more than half, but not all, of the cells are numbers is
//   taken to be numeric with bad cells: an error naming the first bad cell's
//   row, the column and the value.
// - categorical: half or fewer of the cells are numbers (codes like "A1" or
//   "2nd" included). One-hot encoded over the categories seen in the TRAINING
//   split, sorted; a category first seen in dev or test encodes as all zeros
//   (noted). Feature names read "Island=Biscoe".
// - identifier-like: categorical with at least 20 cells and distinct values on
//   more than half of them (dates, names, ids): left out with a note, since
//   one-hot codes of names only let a model memorize rows (keepIdColumns keeps
//   them). Numeric ids are not detected; list them in `ignore`.
// - one-hot width is capped: a column with more than MAX_CATEGORIES training
//   categories keeps the most frequent ones; the rest encode as all zeros.
// - a column with no values at all is left out with a note.
// Sizes are checked before anything is allocated: at most MAX_FEATURES columns,
// features and a MAX_ENCODED_VALUES encoded matrix. Notes that list values
// name a few (NOTE_VALUES) and count the rest.
// Rows with a missing cell in the label or in any column used are dropped and
// counted. The label gives a classification task (class names sorted: by
// value when all are numbers, else by code unit) unless regression is asked
// for, which needs a numeric label (targets kept in their own units).

import { InputError, show } from "../core/errors.js";
import { matrix, zeros } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";
import { tensorDataset, type Dataset, type Task } from "./dataset.js";
import { columnStats, standardize } from "./normalize.js";
import { DEFAULT_DEV_FRACTION, DEFAULT_TEST_FRACTION, splitDataset, splitIndices } from "./split.js";
import { isMissing, parseNumber, whereRow, type Table } from "./table.js";

export type TaskKind = "classification" | "regression";

/** Categorical columns need at least this many cells before they can count as identifiers. */
export const IDENTIFIER_MIN_CELLS = 20;
/** A categorical column with distinct values on more than this share of its cells is identifier-like. */
export const IDENTIFIER_DISTINCT_SHARE = 0.5;
/** Most one-hot features one categorical column gets: its most frequent training categories. */
export const MAX_CATEGORIES = 256;
/** Most values of the encoded feature matrix (rows x features): 512 MiB of float32. */
export const MAX_ENCODED_VALUES = 2 ** 27;
/** Most features (and columns) a table may have: the network's MAX_UNITS inputs. */
export const MAX_FEATURES = 65536;
/** Values a note lists before "and N more". */
export const NOTE_VALUES = 5;

/** "a", "b", "c" and 12 more: a list for a note, cut to NOTE_VALUES. */
export function listForNote(values: readonly string[]): string {
  const shown = values.slice(0, NOTE_VALUES).map((v) => show(v)).join(", ");
  return values.length > NOTE_VALUES ? `${shown} and ${values.length - NOTE_VALUES} more` : shown;
}
/** A numeric label with more distinct values than this needs an explicit task choice. */
export const MAX_NUMERIC_CLASSES = 20;

export interface TabularOptions {
  /** Name of the label column. */
  readonly label: string;
  /** Columns to leave out. */
  readonly ignore?: readonly string[];
  /** Keep identifier-like columns (one-hot encoded, capped) instead of leaving them out. */
  readonly keepIdColumns?: boolean;
  /** Default: classification. */
  readonly task?: TaskKind;
  readonly devFraction?: number;
  readonly testFraction?: number;
  /** The split is drawn from rng.stream("split"). */
  readonly rng: Rng;
}

export interface TabularData {
  readonly train: Dataset;
  readonly dev: Dataset;
  readonly test: Dataset;
  readonly notes: string[];
  /** Rows dropped for missing values. */
  readonly droppedRows: number;
  readonly classNames?: string[];
  readonly featureNames: string[];
}

type ColumnKind = "numeric" | "categorical";

interface Profile {
  nonMissing: number;
  numbers: number;
  /** First row whose (non-missing) cell is not a number, or -1. */
  firstText: number;
  distinct: Set<string>;
}

function profile(table: Table, j: number): Profile {
  const p: Profile = { nonMissing: 0, numbers: 0, firstText: -1, distinct: new Set() };
  table.rows.forEach((row, i) => {
    const cell = row[j]!;
    if (isMissing(cell)) return;
    p.nonMissing++;
    p.distinct.add(cell);
    if (parseNumber(cell) !== undefined) p.numbers++;
    else if (p.firstText < 0) p.firstText = i;
  });
  return p;
}

function badNumber(table: Table, i: number, j: number, p: Profile, hint: string): InputError {
  const col = table.columns[j]!;
  return new InputError(
    `${whereRow(table, i)}, column ${show(col)}: value ${show(table.rows[i]![j])} is not a number, but ${p.numbers} of the column's ${p.nonMissing} values are, so it is numeric; ${hint}`,
  );
}

function columnIndex(table: Table, name: string, what: string): number {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new InputError(`${table.source} has no ${what} column ${show(name)}; the columns are ${table.columns.map((c) => show(c)).join(", ")}`);
  return j;
}

function sortClassNames(names: string[]): string[] {
  const numeric = names.every((v) => parseNumber(v) !== undefined);
  return numeric ? names.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0)) : names.sort();
}

/** Encodes `table` (see the module comment for the rules) and splits it with rng.stream("split"). */
export function tabularData(table: Table, options: TabularOptions): TabularData {
  const notes: string[] = [];
  const src = table.source;
  if (table.columns.length > MAX_FEATURES + 1) {
    throw new InputError(`${src} has ${table.columns.length} columns; at most ${MAX_FEATURES + 1} (features and a label) are allowed`);
  }
  const labelCol = columnIndex(table, options.label, "label");
  const ignored = new Set<number>();
  for (const name of options.ignore ?? []) {
    const j = columnIndex(table, name, "ignored");
    if (j === labelCol) throw new InputError(`${src}: column ${show(name)} is the label and cannot be ignored`);
    ignored.add(j);
    notes.push(`${src}: left out column ${show(name)} (listed in ignore)`);
  }

  // Decide each feature column's kind.
  const used: { j: number; kind: ColumnKind }[] = [];
  const empty: string[] = [];
  const identifiers: string[] = [];
  table.columns.forEach((name, j) => {
    if (j === labelCol || ignored.has(j)) return;
    const p = profile(table, j);
    if (p.nonMissing === 0) {
      empty.push(name);
    } else if (p.numbers === p.nonMissing) {
      used.push({ j, kind: "numeric" });
    } else if (2 * p.numbers > p.nonMissing) {
      throw badNumber(table, p.firstText, j, p, "fix it, mark it missing (empty or NA), or list the column in ignore");
    } else if (!options.keepIdColumns && p.nonMissing >= IDENTIFIER_MIN_CELLS && p.distinct.size > IDENTIFIER_DISTINCT_SHARE * p.nonMissing) {
      identifiers.push(`${show(name)} (${p.distinct.size} distinct values in ${p.nonMissing} rows)`);
    } else {
      used.push({ j, kind: "categorical" });
    }
  });
  if (empty.length > 0) notes.push(`${src}: left out ${empty.length === 1 ? "column" : `${empty.length} columns`} ${listForNote(empty)} (no values)`);
  if (identifiers.length === 1) notes.push(`${src}: left out column ${identifiers[0]!.replace(" (", " (identifier-like: ")}; --keep-id-columns keeps it`);
  if (identifiers.length > 1) {
    const listed = identifiers.slice(0, NOTE_VALUES).join(", ") + (identifiers.length > NOTE_VALUES ? ` and ${identifiers.length - NOTE_VALUES} more` : "");
    notes.push(`${src}: left out ${identifiers.length} identifier-like columns (distinct on more than half the rows): ${listed}; --keep-id-columns keeps them`);
  }
  if (used.length === 0) throw new InputError(`${src}: no feature columns are left besides the label ${show(options.label)}`);

  // Drop rows with a missing cell in the label or a used column.
  const missingPerColumn = new Map<number, number>();
  const kept: number[] = [];
  table.rows.forEach((row, i) => {
    let ok = true;
    for (const j of [labelCol, ...used.map((u) => u.j)]) {
      if (isMissing(row[j]!)) {
        missingPerColumn.set(j, (missingPerColumn.get(j) ?? 0) + 1);
        ok = false;
      }
    }
    if (ok) kept.push(i);
  });
  const droppedRows = table.rows.length - kept.length;
  if (droppedRows > 0) {
    const perColumn = [...missingPerColumn].map(([j, c]) => `${table.columns[j]}: ${c}`).join(", ");
    notes.push(`${src}: dropped ${droppedRows} of ${table.rows.length} rows with missing values (${perColumn})`);
  }
  if (kept.length === 0) throw new InputError(`${src}: every row has a missing value in the label or a feature column; nothing is left to train on`);

  // Targets.
  const n = kept.length;
  const taskKind = options.task ?? "classification";
  const labels = kept.map((i) => table.rows[i]![labelCol]!);
  const y = zeros(n, 1);
  let task: Task;
  let classNames: string[] | undefined;
  if (taskKind === "regression") {
    labels.forEach((v, k) => {
      const num = parseNumber(v);
      if (num === undefined) {
        throw new InputError(`${whereRow(table, kept[k]!)}, label column ${show(options.label)}: value ${show(v)} is not a number; regression needs a numeric label`);
      }
      y.data[k] = num;
    });
    task = { kind: "regression", outputs: 1 };
  } else {
    classNames = sortClassNames([...new Set(labels)]);
    if (classNames.length < 2) throw new InputError(`${src}: label column ${show(options.label)} has a single class ${show(classNames[0])}; classification needs at least 2`);
    if (options.task === undefined && classNames.length > MAX_NUMERIC_CLASSES && classNames.every((v) => parseNumber(v) !== undefined)) {
      throw new InputError(
        `${src}: label column ${show(options.label)} is numeric with ${classNames.length} distinct values; choose task "regression", or "classification" to treat each value as a class`,
      );
    }
    const classIndex = new Map(classNames.map((c, k) => [c, k]));
    labels.forEach((v, k) => (y.data[k] = classIndex.get(v)!));
    task = { kind: "classification", classes: classNames.length, classNames };
  }

  // Split, then fit the encoders on the training rows only.
  const split = splitIndices(
    n,
    { devFraction: options.devFraction ?? DEFAULT_DEV_FRACTION, testFraction: options.testFraction ?? DEFAULT_TEST_FRACTION },
    options.rng.stream("split"),
  );
  const inTrain = new Uint8Array(n);
  for (const k of split.train) inTrain[k] = 1;

  const numericCols = used.filter((u) => u.kind === "numeric");
  const raw = matrix(n, numericCols.length, new Float64Array(n * numericCols.length));
  kept.forEach((i, k) => numericCols.forEach((u, c) => (raw.data[k * numericCols.length + c] = parseNumber(table.rows[i]![u.j]!)!)));
  const stats = columnStats(raw, split.train);
  const scaled = standardize(raw, stats);
  const constant = numericCols.flatMap((u, c) => (stats.std[c] === 0 ? [c] : []));
  if (constant.length === 1) {
    const c = constant[0]!;
    notes.push(`${src}: column ${show(table.columns[numericCols[c]!.j])} is constant (${stats.mean[c]}) in the training split; centred, not scaled`);
  } else if (constant.length > 1) {
    notes.push(`${src}: ${constant.length} columns are constant in the training split (${listForNote(constant.map((c) => table.columns[numericCols[c]!.j]!))}); centred, not scaled`);
  }

  const featureNames: string[] = [];
  let width = numericCols.length;
  const encoders: ((k: number, out: Float32Array, at: number) => number)[] = [];
  let numericAt = 0;
  for (const u of used) {
    const name = table.columns[u.j]!;
    if (u.kind === "numeric") {
      const c = numericAt++;
      featureNames.push(name);
      encoders.push((k, out, at) => {
        out[at] = scaled.data[k * numericCols.length + c]!;
        return 1;
      });
      continue;
    }
    const counts = new Map<string, number>();
    for (const k of split.train) {
      const cell = table.rows[kept[k]!]![u.j]!;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    let categories = [...counts.keys()].sort();
    if (categories.length > MAX_CATEGORIES) {
      const all = categories.length;
      categories = [...categories].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_CATEGORIES).sort();
      notes.push(`${src}: column ${show(name)} has ${all} categories in training; one-hot keeps the ${MAX_CATEGORIES} most frequent, the other ${all - MAX_CATEGORIES} encode as all zeros`);
    }
    width += categories.length;
    if (width > MAX_FEATURES) throw new InputError(`${src}: the encoded table has more than ${MAX_FEATURES} features by column ${show(name)}; list wide categorical columns in ignore`);
    const index = new Map(categories.map((c, m) => [c, m]));
    for (const c of categories) featureNames.push(`${name}=${c}`);
    const unseen = new Map<string, number>();
    kept.forEach((i, k) => {
      const cell = table.rows[i]![u.j]!;
      if (!inTrain[k] && !index.has(cell)) unseen.set(cell, (unseen.get(cell) ?? 0) + 1);
    });
    if (unseen.size > 0) {
      const count = [...unseen.values()].reduce((a, b) => a + b, 0);
      notes.push(`${src}: column ${show(name)}: ${count} dev/test rows have categories not seen in training (${listForNote([...unseen.keys()])}); encoded as all zeros`);
    }
    encoders.push((k, out, at) => {
      const m = index.get(table.rows[kept[k]!]![u.j]!);
      if (m !== undefined) out[at + m] = 1;
      return categories.length;
    });
  }

  if (n * featureNames.length > MAX_ENCODED_VALUES) {
    throw new InputError(`${src}: ${n} rows x ${featureNames.length} features make ${n * featureNames.length} values; at most ${MAX_ENCODED_VALUES} (2^27) are allowed; leave out columns with ignore`);
  }
  const x = zeros(n, featureNames.length);
  const X = x.data as Float32Array;
  for (let k = 0; k < n; k++) {
    let at = k * featureNames.length;
    for (const encode of encoders) at += encode(k, X, at);
  }
  const nCategorical = used.length - numericCols.length;
  notes.push(
    `${src}: ${numericCols.length} numeric columns standardized with training-split mean and std, ${nCategorical} categorical columns one-hot encoded: ${featureNames.length} features`,
  );

  const all = tensorDataset(x, y, task, featureNames);
  const parts = splitDataset(all, split);
  return { ...parts, notes, droppedRows, ...(classNames ? { classNames } : {}), featureNames };
}
