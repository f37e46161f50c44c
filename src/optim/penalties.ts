// The weight penalties dropout is compared with and combined with: coupled L2
// (a term of the cost J, hence of its gradient) and the max-norm constraint
// (Srivastava et al. 2014, sec. 5.1). Both touch only params with
// `penalize === true` (weights, not biases). A weight matrix is units x inputs:
// row i holds the incoming weights of unit i. Decoupled weight decay is a
// different thing and lives in the optimizers (sgd.ts).

import { checkNumber } from "../core/errors.js";
import type { Param } from "../nn/layer.js";

function checkL2(lambda: number, m: number): void {
  checkNumber("L2 lambda", lambda, { min: 0 });
  checkNumber("number of training examples m", m, { min: 1, integer: true });
}

/** The L2 term of the cost: (λ / 2m) · Σ w² over every penalized weight; λ >= 0, m an integer >= 1. */
export function l2Cost(params: readonly Param[], lambda: number, m: number): number {
  checkL2(lambda, m);
  let sum = 0;
  for (const param of params) {
    if (!param.penalize) continue;
    const w = param.value.data;
    for (let i = 0; i < w.length; i++) sum += w[i]! * w[i]!;
  }
  return (lambda / (2 * m)) * sum;
}

/** Adds the gradient of l2Cost to the penalized params' gradients: grad ← grad + (λ / m) · w. */
export function addL2Gradient(params: readonly Param[], lambda: number, m: number): void {
  checkL2(lambda, m);
  const scale = lambda / m;
  for (const param of params) {
    if (!param.penalize) continue;
    const w = param.value.data, g = param.grad.data;
    for (let i = 0; i < w.length; i++) g[i] = g[i]! + scale * w[i]!;
  }
}

/**
 * Max-norm constraint: every row (one unit's incoming weights) of every
 * penalized param whose L2 norm ‖w‖ exceeds c is rescaled to w · c/‖w‖, so its
 * norm becomes c (up to the rounding of the param's dtype); other rows are left
 * alone. c > 0. Returns how many rows were rescaled.
 */
export function applyMaxNorm(params: readonly Param[], c: number): number {
  checkNumber("max-norm c", c, { min: 0, minExclusive: true });
  let rescaled = 0;
  for (const param of params) {
    if (!param.penalize) continue;
    const { rows, cols, data: w } = param.value;
    for (let r = 0; r < rows; r++) {
      const start = r * cols, end = start + cols;
      let sum = 0;
      for (let i = start; i < end; i++) sum += w[i]! * w[i]!;
      const norm = Math.sqrt(sum);
      if (norm <= c) continue;
      const scale = c / norm;
      for (let i = start; i < end; i++) w[i] = w[i]! * scale;
      rescaled++;
    }
  }
  return rescaled;
}
