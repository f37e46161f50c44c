// Adam (Kingma and Ba 2015) with bias correction: SGD along the gradient's
// running mean divided by the root of its running uncentred variance, so each
// weight gets its own step size. With decoupled weight decay it is AdamW.

import type { Backend } from "../core/backend.js";
import type { Param } from "../nn/layer.js";
import { decayRate } from "./sgd.js";

/**
 * One Adam step in place; `t` is the number of this update, counting from 1.
 * For every weight w with gradient g and moments m, v:
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 *   u = m̂ / (√v̂ + ε)
 *   w ← w − lr·(u + wd·w)
 * where wd is decoupled weight decay (`weightDecay` on penalized params, 0 on
 * biases). `m[p]` and `v[p]` belong to `params[p]`, one float64 per weight;
 * the arithmetic is the backend's adamStep (src/core/optim-kernels.ts).
 */
export function adamUpdate(
  backend: Backend,
  params: readonly Param[],
  m: readonly Float64Array[],
  v: readonly Float64Array[],
  t: number,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  weightDecay: number,
): void {
  const correction1 = 1 - Math.pow(beta1, t);
  const correction2 = 1 - Math.pow(beta2, t);
  for (let p = 0; p < params.length; p++) {
    const param = params[p]!;
    const wd = decayRate(param, weightDecay);
    backend.adamStep(param.value, param.grad, m[p]!, v[p]!, { lr, beta1, beta2, correction1, correction2, epsilon, wd });
  }
}
