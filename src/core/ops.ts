// The plain TypeScript backend: straightforward loops over typed arrays, laid
// out so the innermost loop walks memory contiguously. It is the reference the
// faster backends are tested against.

import { adamStep, momentumStep, sgdStep, stateVector } from "./optim-kernels.js";
import { InputError } from "./errors.js";
import { zeros, type Matrix } from "./matrix.js";
import { LEAKY_SLOPE, type Activation, type Backend } from "./backend.js";

function shapeError(op: string, detail: string): InputError {
  return new InputError(`${op}: incompatible shapes (${detail})`);
}

export function matmulNN(a: Matrix, b: Matrix, out: Matrix): void {
  const m = a.rows, k = a.cols, n = b.cols;
  if (b.rows !== k || out.rows !== m || out.cols !== n) {
    throw shapeError("matmulNN", `${m}x${k} · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
  }
  const A = a.data, B = b.data, C = out.data;
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = A[i * k + p]!;
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] = C[ci + j]! + av * B[bp + j]!;
    }
  }
}

export function matmulNT(a: Matrix, b: Matrix, out: Matrix): void {
  const m = a.rows, k = a.cols, n = b.rows;
  if (b.cols !== k || out.rows !== m || out.cols !== n) {
    throw shapeError("matmulNT", `${m}x${k} · (${n}x${b.cols})ᵀ -> ${out.rows}x${out.cols}`);
  }
  const A = a.data, B = b.data, C = out.data;
  // Four rows of b at a time: each a-row value is loaded once for four dot products.
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const av = A[ai + p]!;
        s0 += av * B[b0 + p]!;
        s1 += av * B[b1 + p]!;
        s2 += av * B[b2 + p]!;
        s3 += av * B[b3 + p]!;
      }
      const c = i * n + j;
      C[c] = s0;
      C[c + 1] = s1;
      C[c + 2] = s2;
      C[c + 3] = s3;
    }
    for (; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p]! * B[bj + p]!;
      C[i * n + j] = s;
    }
  }
}

export function matmulTN(a: Matrix, b: Matrix, out: Matrix): void {
  const k = a.rows, m = a.cols, n = b.cols;
  if (b.rows !== k || out.rows !== m || out.cols !== n) {
    throw shapeError("matmulTN", `(${k}x${m})ᵀ · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
  }
  const A = a.data, B = b.data, C = out.data;
  C.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m, bp = p * n;
    for (let i = 0; i < m; i++) {
      const av = A[ap + i]!;
      if (av === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j] = C[ci + j]! + av * B[bp + j]!;
    }
  }
}

export function biasActivation(x: Matrix, bias: Matrix, activation: Activation, out: Matrix): void {
  const rows = x.rows, cols = x.cols;
  if (bias.rows * bias.cols !== cols || out.rows !== rows || out.cols !== cols) {
    throw shapeError("biasActivation", `${rows}x${cols} + bias ${bias.rows}x${bias.cols} -> ${out.rows}x${out.cols}`);
  }
  const X = x.data, Bv = bias.data, O = out.data;
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    switch (activation) {
      case "linear":
        for (let j = 0; j < cols; j++) O[r + j] = X[r + j]! + Bv[j]!;
        break;
      case "relu":
        for (let j = 0; j < cols; j++) {
          const v = X[r + j]! + Bv[j]!;
          O[r + j] = v > 0 ? v : 0;
        }
        break;
      case "leaky-relu":
        for (let j = 0; j < cols; j++) {
          const v = X[r + j]! + Bv[j]!;
          O[r + j] = v > 0 ? v : LEAKY_SLOPE * v;
        }
        break;
      case "tanh":
        for (let j = 0; j < cols; j++) O[r + j] = Math.tanh(X[r + j]! + Bv[j]!);
        break;
      case "sigmoid":
        for (let j = 0; j < cols; j++) O[r + j] = sigmoid(X[r + j]! + Bv[j]!);
        break;
      default:
        return assertNever(activation);
    }
  }
}

export function activationBackward(y: Matrix, dy: Matrix, activation: Activation, out: Matrix): void {
  const n = y.rows * y.cols;
  if (dy.rows * dy.cols !== n || out.rows * out.cols !== n) {
    throw shapeError("activationBackward", `y ${y.rows}x${y.cols}, dy ${dy.rows}x${dy.cols}, out ${out.rows}x${out.cols}`);
  }
  const Y = y.data, D = dy.data, O = out.data;
  switch (activation) {
    case "linear":
      if (O !== D) O.set(D.subarray(0, n));
      return;
    case "relu":
      for (let i = 0; i < n; i++) O[i] = Y[i]! > 0 ? D[i]! : 0;
      return;
    case "leaky-relu":
      for (let i = 0; i < n; i++) O[i] = Y[i]! > 0 ? D[i]! : LEAKY_SLOPE * D[i]!;
      return;
    case "tanh":
      for (let i = 0; i < n; i++) {
        const v = Y[i]!;
        O[i] = D[i]! * (1 - v * v);
      }
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) {
        const v = Y[i]!;
        O[i] = D[i]! * v * (1 - v);
      }
      return;
    default:
      return assertNever(activation);
  }
}

export function columnSums(x: Matrix, out: Matrix): void {
  const rows = x.rows, cols = x.cols;
  if (out.rows * out.cols !== cols) throw shapeError("columnSums", `${rows}x${cols} -> ${out.rows}x${out.cols}`);
  const X = x.data, O = out.data;
  O.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) O[j] = O[j]! + X[r + j]!;
  }
}

export function applyMask(x: Matrix, mask: Uint8Array, scale: number, out: Matrix): void {
  const n = x.rows * x.cols;
  if (mask.length < n || out.rows * out.cols !== n) {
    throw shapeError("applyMask", `x ${x.rows}x${x.cols}, mask ${mask.length}, out ${out.rows}x${out.cols}`);
  }
  const X = x.data, O = out.data;
  for (let i = 0; i < n; i++) O[i] = mask[i] ? X[i]! * scale : 0;
}

/** Logistic function 1 / (1 + e^-x), computed without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}

/** The plain backend. */
export const jsBackend: Backend = {
  name: "js",
  zeros,
  matmulNN,
  matmulNT,
  matmulTN,
  biasActivation,
  activationBackward,
  columnSums,
  applyMask,
  dropoutMask: (rng, keepProb, out) => void rng.bernoulliMask(keepProb, out),
  stateVector,
  sgdStep,
  momentumStep,
  adamStep,
};
