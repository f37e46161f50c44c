// Argument checks the fast backends (wasm, native) share: their kernels take
// raw typed arrays, so shapes are checked here before any memory is touched,
// with one wording for every kernel's error.

import { InputError } from "../core/errors.js";
import type { Matrix } from "../core/matrix.js";

export function shapeError(op: string, detail: string): InputError {
  return new InputError(`${op}: incompatible shapes (${detail})`);
}

/** Weights in an optimizer update, after checking that the gradient and the state vectors given hold as many (else an InputError). */
export function updateCount(op: string, w: Matrix, g: Matrix, s0?: Float64Array, s1?: Float64Array): number {
  const n = w.rows * w.cols;
  if (g.rows * g.cols !== n || w.data.length < n || g.data.length < n) {
    throw shapeError(op, `weights ${w.rows}x${w.cols} (${w.data.length} values), gradient ${g.rows}x${g.cols} (${g.data.length} values)`);
  }
  if (s0 !== undefined && s0.length !== n) throw shapeError(op, `state vector 0 has ${s0.length} values for ${n} weights`);
  if (s1 !== undefined && s1.length !== n) throw shapeError(op, `state vector 1 has ${s1.length} values for ${n} weights`);
  return n;
}
