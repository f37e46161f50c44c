// The kernel interface. Layers call kernels only through a Backend, so a faster
// implementation (WebAssembly SIMD, worker threads) replaces the plain one
// without touching any layer. Kernels are pure: they read their inputs, write
// `out` (which must be preallocated with the right shape), and keep no state.

import type { DType, Matrix } from "./matrix.js";
import type { AdamStep, MomentumStep } from "./optim-kernels.js";
import type { Rng } from "./rng.js";

/** Element-wise nonlinearities. Each doc gives f(x) and f'(x) in terms of y = f(x). */
export type Activation = "relu" | "leaky-relu" | "tanh" | "sigmoid" | "linear";

export const ACTIVATIONS: readonly Activation[] = ["relu", "leaky-relu", "tanh", "sigmoid", "linear"];

/** Slope of leaky-relu for x < 0 (the value Keras and PyTorch use by default is 0.01). */
export const LEAKY_SLOPE = 0.01;

export interface Backend {
  readonly name: string;
  /**
   * A zero-filled matrix in memory this backend works on fastest (a WebAssembly
   * backend can place it in its own linear memory). Layers allocate their
   * parameters and buffers through this; kernels still accept any Matrix.
   */
  zeros(rows: number, cols: number, dtype: DType): Matrix;
  /** out = a · b, with a: m x k, b: k x n, out: m x n. */
  matmulNN(a: Matrix, b: Matrix, out: Matrix): void;
  /** out = a · bᵀ, with a: m x k, b: n x k, out: m x n (forward pass: X · Wᵀ). */
  matmulNT(a: Matrix, b: Matrix, out: Matrix): void;
  /** out = aᵀ · b, with a: k x m, b: k x n, out: m x n (weight gradient: dYᵀ · X). */
  matmulTN(a: Matrix, b: Matrix, out: Matrix): void;
  /** out[i, j] = f(x[i, j] + bias[j]): bias add fused with the activation. `out` may be `x`. */
  biasActivation(x: Matrix, bias: Matrix, activation: Activation, out: Matrix): void;
  /** out = dy ⊙ f'(x) written in terms of y = f(x). `out` may be `dy`. */
  activationBackward(y: Matrix, dy: Matrix, activation: Activation, out: Matrix): void;
  /** out[j] = sum_i x[i, j] (bias gradient). `out` is 1 x cols. */
  columnSums(x: Matrix, out: Matrix): void;
  /** out = x ⊙ mask * scale (inverted dropout, forward and backward alike). `out` may be `x`. */
  applyMask(x: Matrix, mask: Uint8Array, scale: number, out: Matrix): void;
  /** rng.bernoulliMask(keepProb, out): the same mask from the same stream on every backend, drawn as fast as this one can. */
  dropoutMask(rng: Rng, keepProb: number, out: Uint8Array): void;
  /**
   * A zero-filled float64 vector for optimizer state, where this backend's
   * update kernels reach it fastest (a wasm backend over shared memory places
   * it there; the view never goes stale). Any Float64Array works as state.
   */
  stateVector(length: number): Float64Array;
  /** One SGD update of a param in place (src/core/optim-kernels.ts gives the rule). */
  sgdStep(w: Matrix, g: Matrix, lr: number, wd: number): void;
  /** One momentum update of a param and its velocity `v` in place. */
  momentumStep(w: Matrix, g: Matrix, v: Float64Array, step: MomentumStep): void;
  /** One Adam update of a param and its moments `m`, `v` in place. */
  adamStep(w: Matrix, g: Matrix, m: Float64Array, v: Float64Array, step: AdamStep): void;
}
