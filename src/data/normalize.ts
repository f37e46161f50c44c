// Standardization: z = (x - mean) / std per column, with the statistics
// computed on the training rows only and then applied unchanged to dev and
// test, so no information from held-out data leaks into the features.

import { InputError } from "../core/errors.js";
import { zeros, dtypeOf, type Matrix } from "../core/matrix.js";

/** Per-column statistics, in float64. */
export interface ColumnStats {
  /** mean_j = (1/n) * sum_i x_ij over the rows used. */
  readonly mean: Float64Array;
  /** std_j = sqrt((1/n) * sum_i (x_ij - mean_j)^2): the population standard deviation. */
  readonly std: Float64Array;
}

/**
 * Mean and standard deviation of each column over `rows` (all rows when
 * omitted). Two passes (mean, then squared deviations) for accuracy.
 */
export function columnStats(x: Matrix, rows?: ArrayLike<number>): ColumnStats {
  const n = rows ? rows.length : x.rows;
  if (n === 0) throw new InputError("column statistics need at least one row, got 0");
  const cols = x.cols, X = x.data;
  const mean = new Float64Array(cols), std = new Float64Array(cols);
  const row = (k: number) => (rows ? rows[k]! : k);
  for (let k = 0; k < n; k++) {
    const r = row(k) * cols;
    for (let j = 0; j < cols; j++) mean[j] = mean[j]! + X[r + j]!;
  }
  for (let j = 0; j < cols; j++) mean[j] = mean[j]! / n;
  for (let k = 0; k < n; k++) {
    const r = row(k) * cols;
    for (let j = 0; j < cols; j++) {
      const d = X[r + j]! - mean[j]!;
      std[j] = std[j]! + d * d;
    }
  }
  for (let j = 0; j < cols; j++) std[j] = Math.sqrt(std[j]! / n);
  return { mean, std };
}

/** Indices of the columns whose standard deviation is 0 (constant in the rows the stats came from). */
export function constantColumns(stats: ColumnStats): number[] {
  const out: number[] = [];
  stats.std.forEach((s, j) => {
    if (s === 0) out.push(j);
  });
  return out;
}

/**
 * out_ij = (x_ij - mean_j) / s_j, where s_j = std_j, or 1 for a constant
 * column (std_j = 0): such a column is centred but never divided by zero.
 * `out` may be `x`; without it a new matrix of x's dtype is returned.
 */
export function standardize(x: Matrix, stats: ColumnStats, out?: Matrix): Matrix {
  const cols = x.cols;
  if (stats.mean.length !== cols || stats.std.length !== cols) {
    throw new InputError(`standardize: statistics cover ${stats.mean.length} columns, the matrix has ${cols}`);
  }
  const o = out ?? zeros(x.rows, cols, dtypeOf(x.data));
  if (o.rows !== x.rows || o.cols !== cols) throw new InputError(`standardize: out is ${o.rows}x${o.cols}, expected ${x.rows}x${cols}`);
  const X = x.data, O = o.data;
  const scale = Float64Array.from(stats.std, (s) => (s === 0 ? 1 : 1 / s));
  for (let i = 0; i < x.rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) O[r + j] = (X[r + j]! - stats.mean[j]!) * scale[j]!;
  }
  return o;
}
