// The optimizers' update rules as plain kernels of the Backend interface: one
// param (a weight matrix or a bias) at a time, in place. src/optim/ chooses
// the rule and its hyperparameters and calls these through a backend; the
// wasm backend runs the same arithmetic in WebAssembly (assembly/optim.ts), bit
// for bit. Every operation is in float64 and the weight is rounded to its
// dtype once, when stored.

import type { Matrix } from "./matrix.js";

/** Hyperparameters of one momentum step (see Backend.momentumStep). */
export interface MomentumStep {
  readonly lr: number;
  readonly beta: number;
  readonly nesterov: boolean;
  /** Decoupled weight decay rate (0 for biases). */
  readonly wd: number;
}

/** Hyperparameters of one Adam step (see Backend.adamStep). */
export interface AdamStep {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  /** Bias corrections 1 − β1^t and 1 − β2^t of this update t. */
  readonly correction1: number;
  readonly correction2: number;
  readonly epsilon: number;
  /** Decoupled weight decay rate (0 for biases). */
  readonly wd: number;
}

/** w ← w − lr·(g + wd·w). */
export function sgdStep(w: Matrix, g: Matrix, lr: number, wd: number): void {
  const wv = w.data, gv = g.data;
  for (let i = 0; i < wv.length; i++) {
    const wi = wv[i]!;
    wv[i] = wi - lr * (gv[i]! + wd * wi);
  }
}

/** v ← β·v + g; u = v (classical) or g + β·v (Nesterov); w ← w − lr·(u + wd·w). */
export function momentumStep(w: Matrix, g: Matrix, v: Float64Array, { lr, beta, nesterov, wd }: MomentumStep): void {
  const wv = w.data, gv = g.data;
  for (let i = 0; i < wv.length; i++) {
    const gi = gv[i]!;
    // "+ 0" turns a -0 into +0 and changes no other value: JSON has no -0,
    // so a state without one survives serialization bit for bit.
    const vi = beta * v[i]! + gi + 0;
    v[i] = vi;
    const u = nesterov ? gi + beta * vi : vi;
    const wi = wv[i]!;
    wv[i] = wi - lr * (u + wd * wi);
  }
}

/** m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; u = (m/c1) / (√(v/c2) + ε); w ← w − lr·(u + wd·w). */
export function adamStep(w: Matrix, g: Matrix, m: Float64Array, v: Float64Array, { lr, beta1, beta2, correction1, correction2, epsilon, wd }: AdamStep): void {
  const wv = w.data, gv = g.data;
  for (let i = 0; i < wv.length; i++) {
    const gi = gv[i]!;
    // "+ 0" as in momentumStep (v >= 0 is never -0).
    const mi = beta1 * m[i]! + (1 - beta1) * gi + 0;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const u = mi / correction1 / (Math.sqrt(vi / correction2) + epsilon);
    const wi = wv[i]!;
    wv[i] = wi - lr * (u + wd * wi);
  }
}

/** A zero-filled float64 state vector in ordinary memory. */
export function stateVector(length: number): Float64Array {
  return new Float64Array(length);
}
