// The native backend: matrix products through the machine's BLAS (cblas_sgemm
// and cblas_dgemm) and the optimizer updates in native code, both reached
// through a platform (Node's addon, src/node/native.ts); every other kernel
// from a one-thread wasm backend. WebAssembly SIMD is 128 bits wide; the
// machine's BLAS uses its full vector width and its own threads, and products
// are most of a training step. The dropout masks stay the wasm ones and the
// updates follow the plain rules operation for operation, so both are bit for
// bit those of the plain backend and the same seed drops the same units here
// as everywhere. Matrices from `zeros` live in the wasm backend's memory; the
// BLAS and the updates read and write them there in place.
//
// Threads: the BLAS owns the cores. Large updates split across its threads
// (OpenMP, where the addon was built with it); the wasm part runs on the
// calling thread alone, with no helper threads that would compete with them.
// `threads` is the one setting.
//
// This file touches neither Node nor the DOM: the BLAS arrives as an object.

import type { Backend } from "../core/backend.js";
import { InputError } from "../core/errors.js";
import { shapeError, updateCount } from "./checks.js";
import type { DType, Matrix } from "../core/matrix.js";
import { createWasmBackend, type KernelVariant } from "./wasm.js";

/** Product layouts as the platform's gemm numbers them (the same as assembly/gemm.ts). */
export type GemmLayout = 0 | 1 | 2;
const NN: GemmLayout = 0;
const NT: GemmLayout = 1;
const TN: GemmLayout = 2;

/**
 * c = op(a)·op(b), row-major, c m x n with inner dimension k: layout 0 is a·b
 * (a m x k, b k x n), 1 is a·bᵀ (b n x k), 2 is aᵀ·b (a k x m). `threads` is
 * the most threads the BLAS may use for it.
 */
export type Gemm<T extends Float32Array | Float64Array> = (layout: GemmLayout, m: number, n: number, k: number, a: T, b: T, c: T, threads: number) => void;

/**
 * A BLAS a platform loaded, with the optimizer updates in native code: what a
 * native backend needs. The updates take n weights (float32) and their float64
 * state, follow src/core/optim-kernels.ts bit for bit, and may split across
 * `threads` threads: the BLAS's own where the platform builds them with OpenMP.
 */
export interface NativeBlas {
  /** One line naming the library, its kernel and threading, and where it was loaded from. */
  readonly description: string;
  /** True where the thread count reaches the library (openblas_set_num_threads); else it picks its own. */
  readonly threadControl: boolean;
  readonly sgemm: Gemm<Float32Array>;
  readonly dgemm: Gemm<Float64Array>;
  readonly sgd: (n: number, w: Float32Array, g: Float32Array, lr: number, wd: number, threads: number) => void;
  readonly momentum: (n: number, w: Float32Array, g: Float32Array, v: Float64Array, lr: number, beta: number, nesterov: boolean, wd: number, threads: number) => void;
  readonly adam: (
    n: number, w: Float32Array, g: Float32Array, m: Float64Array, v: Float64Array,
    lr: number, beta1: number, beta2: number, correction1: number, correction2: number, epsilon: number, wd: number, threads: number,
  ) => void;
}

export interface NativeBackendOptions {
  /** Threads the BLAS may use for one product (default 1). */
  readonly threads?: number;
  /** The wasm kernels (small products, elementwise): as createWasmBackend's `relaxed`. */
  readonly relaxed?: boolean;
  /**
   * Products with fewer multiply-adds (m·n·k) than this run on the wasm
   * kernels instead of the BLAS (default DEFAULT_MIN_BLAS; 0: every product
   * goes to the BLAS).
   */
  readonly minBlas?: number;
}

/** Most BLAS threads a backend may ask for. */
export const MAX_BLAS_THREADS = 256;

/**
 * Default of NativeBackendOptions.minBlas. Measured on an AMD EPYC (OpenBLAS
 * 0.3.21, Haswell kernels): one call through the addon costs about 1 µs, and
 * OpenBLAS is faster than the wasm kernels down to the products of a 2-8-8-1
 * network on 256 points, so only empty-ish products stay in wasm.
 */
export const DEFAULT_MIN_BLAS = 64;

export interface NativeStats {
  /** Products the BLAS computed. */
  readonly blasProducts: number;
  /** Products below minBlas, or with mixed float32/float64 operands, computed by the wasm or plain kernels. */
  readonly otherProducts: number;
}

/** A Backend whose products run on the machine's BLAS. */
export interface NativeBackend extends Backend {
  /** Threads the BLAS may use for one product. */
  readonly threads: number;
  /** The BLAS, in one line (NativeBlas.description). */
  readonly blas: string;
  /** The wasm kernels' variant (small products, elementwise kernels). */
  readonly variant: KernelVariant;
  /** Products with fewer multiply-adds than this stay in wasm. */
  readonly minBlas: number;
  stats(): NativeStats;
}

/** Data with at least `count` values, else an InputError (a view of grown wasm memory has length 0). */
function checked<T extends Float32Array | Float64Array>(op: string, what: string, data: T, count: number): T {
  if (data.length < count) {
    throw new InputError(`${op}: ${what} has ${data.length} values, expected ${count}${data.length === 0 ? " (a view of wasm memory taken before the memory grew is empty: read matrix.data again)" : ""}`);
  }
  return data;
}

/** A native backend over `blas`; throws an InputError for a thread count or minBlas out of range. */
export function createNativeBackend(blas: NativeBlas, options: NativeBackendOptions = {}): NativeBackend {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_BLAS_THREADS) {
    throw new InputError(`native backend: threads must be an integer from 1 to ${MAX_BLAS_THREADS}, got ${threads}`);
  }
  const minBlas = options.minBlas ?? DEFAULT_MIN_BLAS;
  if (!(minBlas >= 0)) throw new InputError(`native backend: minBlas must be a number >= 0, got ${minBlas}`);
  const wasm = createWasmBackend(options.relaxed === undefined ? {} : { relaxed: options.relaxed });
  let blasProducts = 0, otherProducts = 0;

  /** op(a)·op(b) into out on the BLAS when large enough and of one float type, else on `other`. */
  function product(layout: GemmLayout, a: Matrix, b: Matrix, out: Matrix, m: number, n: number, k: number, op: string, other: (a: Matrix, b: Matrix, out: Matrix) => void): void {
    if (m * n * k >= minBlas) {
      const A = a.data, B = b.data, C = out.data;
      if (A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array) {
        blas.sgemm(layout, m, n, k, checked(op, "a", A, m * k), checked(op, "b", B, k * n), checked(op, "out", C, m * n), threads);
        blasProducts++;
        return;
      }
      if (A instanceof Float64Array && B instanceof Float64Array && C instanceof Float64Array) {
        blas.dgemm(layout, m, n, k, checked(op, "a", A, m * k), checked(op, "b", B, k * n), checked(op, "out", C, m * n), threads);
        blasProducts++;
        return;
      }
    }
    otherProducts++;
    other(a, b, out);
  }

  return {
    name: "native",
    threads,
    blas: blas.description,
    variant: wasm.variant,
    minBlas,

    zeros: (rows: number, cols: number, dtype: DType): Matrix => wasm.zeros(rows, cols, dtype),

    matmulNN(a, b, out) {
      const m = a.rows, k = a.cols, n = b.cols;
      if (b.rows !== k || out.rows !== m || out.cols !== n) throw shapeError("matmulNN", `${m}x${k} · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
      product(NN, a, b, out, m, n, k, "matmulNN", wasm.matmulNN);
    },

    matmulNT(a, b, out) {
      const m = a.rows, k = a.cols, n = b.rows;
      if (b.cols !== k || out.rows !== m || out.cols !== n) throw shapeError("matmulNT", `${m}x${k} · (${n}x${b.cols})ᵀ -> ${out.rows}x${out.cols}`);
      product(NT, a, b, out, m, n, k, "matmulNT", wasm.matmulNT);
    },

    matmulTN(a, b, out) {
      const k = a.rows, m = a.cols, n = b.cols;
      if (b.rows !== k || out.rows !== m || out.cols !== n) throw shapeError("matmulTN", `(${k}x${m})ᵀ · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
      product(TN, a, b, out, m, n, k, "matmulTN", wasm.matmulTN);
    },

    biasActivation: wasm.biasActivation,
    activationBackward: wasm.activationBackward,
    columnSums: wasm.columnSums,
    applyMask: wasm.applyMask,
    dropoutMask: wasm.dropoutMask,
    stateVector: wasm.stateVector,
    sgdStep(w, g, lr, wd) {
      const n = updateCount("sgdStep", w, g);
      if (!(w.data instanceof Float32Array && g.data instanceof Float32Array)) return wasm.sgdStep(w, g, lr, wd);
      blas.sgd(n, w.data, g.data, lr, wd, threads);
    },

    momentumStep(w, g, v, step) {
      const n = updateCount("momentumStep", w, g, v);
      if (!(w.data instanceof Float32Array && g.data instanceof Float32Array)) return wasm.momentumStep(w, g, v, step);
      blas.momentum(n, w.data, g.data, v, step.lr, step.beta, step.nesterov, step.wd, threads);
    },

    adamStep(w, g, m, v, step) {
      const n = updateCount("adamStep", w, g, m, v);
      if (!(w.data instanceof Float32Array && g.data instanceof Float32Array)) return wasm.adamStep(w, g, m, v, step);
      blas.adam(n, w.data, g.data, m, v, step.lr, step.beta1, step.beta2, step.correction1, step.correction2, step.epsilon, step.wd, threads);
    },

    stats: () => ({ blasProducts, otherProducts }),
  };
}
