// Stochastic gradient descent: the step every optimizer here ends with.
// Momentum and Adam each compute a direction u per weight and then take this
// same step along it, decoupled weight decay included, so the three differ only
// in how u is made from the gradient.
//
// Decoupled weight decay (SGDW / AdamW, Loshchilov and Hutter 2019) shrinks a
// weight directly: w ← w − lr·wd·w. It is not coupled L2, which adds
// (λ/2m)·Σw² to the cost J and so (λ/m)·w to the gradient (see penalties.ts):
// with plain SGD the two coincide when wd = λ/m, but under momentum or Adam
// coupled L2 goes through the velocity or the adaptive scaling and decoupled
// decay does not.

import type { Backend } from "../core/backend.js";
import type { Param } from "../nn/layer.js";

/** The decoupled weight-decay rate of one param: `weightDecay` for penalized params (weights), 0 for biases. */
export function decayRate(param: Param, weightDecay: number): number {
  return param.penalize ? weightDecay : 0;
}

/**
 * One SGD step in place, for every weight w with gradient g:
 *   w ← w − lr·(g + wd·w)
 * where wd is `weightDecay` on penalized params and 0 elsewhere. SGD keeps no state.
 */
export function sgdUpdate(backend: Backend, params: readonly Param[], lr: number, weightDecay: number): void {
  for (let p = 0; p < params.length; p++) {
    const param = params[p]!;
    backend.sgdStep(param.value, param.grad, lr, decayRate(param, weightDecay));
  }
}
