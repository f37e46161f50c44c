// The one data structure of the engine: a dense row-major matrix over a typed
// array, one example per row. float32 by default, float64 where precision
// matters (gradient checks, reference tests).

import { InputError } from "./errors.js";

export type DType = "float32" | "float64";
export type FloatArray = Float32Array | Float64Array;

/** A rows x cols matrix; element (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;
}

export function allocate(length: number, dtype: DType = "float32"): FloatArray {
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}

export function zeros(rows: number, cols: number, dtype: DType = "float32"): Matrix {
  return { rows, cols, data: allocate(rows * cols, dtype) };
}

/** Wraps existing data; throws if the length does not match rows * cols. */
export function matrix(rows: number, cols: number, data: FloatArray): Matrix {
  if (data.length !== rows * cols) {
    throw new InputError(`matrix data has ${data.length} values, expected rows * cols = ${rows} * ${cols} = ${rows * cols}`);
  }
  return { rows, cols, data };
}

/** Builds a matrix from nested arrays (all rows the same length). */
export function fromRows(values: readonly (readonly number[])[], dtype: DType = "float32"): Matrix {
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0]!.length;
  const m = zeros(rows, cols, dtype);
  values.forEach((row, i) => {
    if (row.length !== cols) throw new InputError(`row ${i} has ${row.length} values, expected ${cols} like row 0`);
    m.data.set(row, i * cols);
  });
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** A copy converted to `dtype`. */
export function cast(m: Matrix, dtype: DType): Matrix {
  const out = zeros(m.rows, m.cols, dtype);
  out.data.set(m.data);
  return out;
}

/** A view of rows [start, end) sharing storage with `m`. */
export function rowSlice(m: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) };
}

/** Returns `buffer` if it already has the shape and dtype, else a fresh matrix: lets hot loops reuse buffers. */
export function ensure(buffer: Matrix | undefined, rows: number, cols: number, dtype: DType): Matrix {
  if (buffer && buffer.rows === rows && buffer.cols === cols && dtypeOf(buffer.data) === dtype) return buffer;
  return zeros(rows, cols, dtype);
}

/** Throws naming `what` unless every value is finite; `rowOffset` shifts the row number reported. */
export function checkFinite(what: string, m: Matrix, rowOffset = 0): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`${what} has a non-finite value ${v} at row ${rowOffset + Math.floor(i / m.cols)}, column ${i % m.cols}; only finite numbers are allowed`);
    }
  }
}
