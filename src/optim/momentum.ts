// SGD with momentum, classical or Nesterov, in the PyTorch convention (the
// velocity accumulates raw gradients; the learning rate multiplies only the
// step). It is SGD along a smoothed direction: with beta = 0 it is exactly SGD.

import type { Backend } from "../core/backend.js";
import type { Param } from "../nn/layer.js";
import { decayRate } from "./sgd.js";

/**
 * One momentum step in place. For every weight w with gradient g and velocity v:
 *   v ← β·v + g
 *   u = v            (classical)
 *   u = g + β·v      (Nesterov, with the new v)
 *   w ← w − lr·(u + wd·w)
 * where wd is decoupled weight decay (`weightDecay` on penalized params, 0 on
 * biases). `velocity[p]` holds v for `params[p]`, one float64 per weight; the
 * arithmetic is the backend's momentumStep (src/core/optim-kernels.ts).
 */
export function momentumUpdate(
  backend: Backend,
  params: readonly Param[],
  velocity: readonly Float64Array[],
  lr: number,
  beta: number,
  nesterov: boolean,
  weightDecay: number,
): void {
  for (let p = 0; p < params.length; p++) {
    const param = params[p]!;
    backend.momentumStep(param.value, param.grad, velocity[p]!, { lr, beta, nesterov, wd: decayRate(param, weightDecay) });
  }
}
