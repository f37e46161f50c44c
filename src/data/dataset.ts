// The data contract between loaders and training. A Dataset hands out batches
// by index, so images can stay Uint8 in memory and be scaled per batch, while
// small tabular or synthetic sets simply keep a float matrix.

import { InputError } from "../core/errors.js";
import { zeros, type DType, type Matrix } from "../core/matrix.js";

/**
 * What the targets mean.
 * - classification: one target column holding the class index 0..classes-1;
 * - regression: `outputs` real-valued target columns.
 */
export type Task =
  | { readonly kind: "classification"; readonly classes: number; readonly classNames?: readonly string[] }
  | { readonly kind: "regression"; readonly outputs: number };

export interface Dataset {
  readonly size: number;
  readonly features: number;
  readonly task: Task;
  /** Names of the feature columns, when known (tabular data). */
  readonly featureNames?: readonly string[];
  /**
   * Copies the examples `indices` into the first indices.length rows of `x`
   * (features, float) and `y` (targets: targetColumns(task) columns).
   */
  gather(indices: ArrayLike<number>, x: Matrix, y: Matrix): void;
}

/** Number of target columns a task's `y` matrix has. */
export function targetColumns(task: Task): number {
  return task.kind === "classification" ? 1 : task.outputs;
}

/** A dataset over in-memory float matrices (tabular and synthetic data). */
export function tensorDataset(x: Matrix, y: Matrix, task: Task, featureNames?: readonly string[]): Dataset {
  if (x.rows !== y.rows) throw new InputError(`features have ${x.rows} rows but targets have ${y.rows}; they must match`);
  if (y.cols !== targetColumns(task)) throw new InputError(`targets have ${y.cols} columns, the ${task.kind} task needs ${targetColumns(task)}`);
  return {
    size: x.rows,
    features: x.cols,
    task,
    ...(featureNames ? { featureNames } : {}),
    gather(indices, bx, by) {
      copyRows(bx.data, x.data, indices, x.cols);
      copyRows(by.data, y.data, indices, y.cols);
    },
  };
}

/**
 * Row indices[r] of `from` (rows of `width` values) into row r of `to`: a
 * plain loop, since a subarray and set() per row cost more than the copy for
 * the narrow rows of tabular data (a 256-row batch of 2 features spent a
 * quarter of a training step there).
 */
function copyRows(to: Float32Array | Float64Array, from: Float32Array | Float64Array, indices: ArrayLike<number>, width: number): void {
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]! * width, dst = r * width;
    for (let j = 0; j < width; j++) to[dst + j] = from[src + j]!;
  }
}

/**
 * A dataset of 8-bit images kept as bytes: pixel p becomes p / 255 only when a
 * batch is gathered. `labels[i]` is the class of image i.
 */
export function uint8ImageDataset(pixels: Uint8Array, labels: Uint8Array, features: number, classes: number, classNames?: readonly string[]): Dataset {
  const size = labels.length;
  if (pixels.length !== size * features) {
    throw new InputError(`image data has ${pixels.length} bytes, expected ${size} images x ${features} pixels = ${size * features}`);
  }
  for (let i = 0; i < size; i++) {
    if (labels[i]! >= classes) throw new InputError(`label ${labels[i]} of image ${i} is out of range; allowed are 0..${classes - 1}`);
  }
  return {
    size,
    features,
    task: classNames ? { kind: "classification", classes, classNames } : { kind: "classification", classes },
    gather(indices, bx, by) {
      const X = bx.data;
      for (let r = 0; r < indices.length; r++) {
        const i = indices[r]!;
        const src = i * features;
        if (X instanceof Float32Array) scaleBytes(X, r * features, pixels, src, features, SCALED32);
        else scaleBytes(X, r * features, pixels, src, features, SCALED64);
        by.data[r] = labels[i]!;
      }
    },
  };
}

/** b / 255 for every byte b, as each dtype stores it (what `b * (1 / 255)` rounds to). */
const SCALED64 = Float64Array.from({ length: 256 }, (_, b) => b * (1 / 255));
const SCALED32 = Float32Array.from(SCALED64);

/** out[dst + j] = table[bytes[src + j]] for j < count: one call per dtype keeps each loop's element types fixed. */
function scaleBytes<T extends Float32Array | Float64Array>(out: T, dst: number, bytes: Uint8Array, src: number, count: number, table: T): void {
  for (let j = 0; j < count; j++) out[dst + j] = table[bytes[src + j]!]!;
}

/** A view of `data` restricted to the examples `indices` (splits without copying). */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const idx = Int32Array.from(indices as ArrayLike<number>);
  for (const i of idx) if (i < 0 || i >= data.size) throw new InputError(`subset index ${i} is out of range 0..${data.size - 1}`);
  let scratch = new Int32Array(0);
  return {
    size: idx.length,
    features: data.features,
    task: data.task,
    ...(data.featureNames ? { featureNames: data.featureNames } : {}),
    gather(indices, bx, by) {
      if (scratch.length < indices.length) scratch = new Int32Array(indices.length);
      for (let r = 0; r < indices.length; r++) scratch[r] = idx[indices[r]!]!;
      data.gather(scratch.subarray(0, indices.length), bx, by);
    },
  };
}

/** The whole dataset as two matrices (x: size x features, y: size x target columns), e.g. for closed-form analyses. */
/** A classification set's labels, in example order. */
export function labelsOf(data: Dataset): number[] {
  if (data.task.kind !== "classification") throw new InputError(`labels need a classification task, this one is ${data.task.kind}`);
  return Array.from(materialize(data).y.data);
}

export function materialize(data: Dataset, dtype: DType = "float32"): { x: Matrix; y: Matrix } {
  const x = zeros(data.size, data.features, dtype);
  const y = zeros(data.size, targetColumns(data.task), dtype);
  data.gather(Int32Array.from({ length: data.size }, (_, i) => i), x, y);
  return { x, y };
}
