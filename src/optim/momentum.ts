// SGD with momentum, classical or Nesterov, in the PyTorch convention (the
// velocity accumulates raw gradients; the learning rate multiplies only the
// step). It is SGD along a smoothed direction: with beta = 0 it is exactly SGD.

import type { Param } from "../nn/layer.js";
import { decayRate } from "./sgd.js";

/**
 * One momentum step in place. For every weight w with gradient g and velocity v:
 *   v ← β·v + g
 *   u = v            (classical)
 *   u = g + β·v      (Nesterov, with the new v)
 *   w ← w − lr·(u + wd·w)
 * where wd is decoupled weight decay (`weightDecay` on penalized params, 0 on
 * biases). `velocity[p]` holds v for `params[p]`, one float64 per weight.
 */
export function momentumUpdate(
  params: readonly Param[],
  velocity: readonly Float64Array[],
  lr: number,
  beta: number,
  nesterov: boolean,
  weightDecay: number,
): void {
  for (let p = 0; p < params.length; p++) {
    const param = params[p]!;
    const w = param.value.data, g = param.grad.data, v = velocity[p]!;
    const wd = decayRate(param, weightDecay);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      // "+ 0" turns a -0 into +0 and changes no other value: JSON has no -0,
      // so a state without one survives serialization bit for bit.
      const vi = beta * v[i]! + gi + 0;
      v[i] = vi;
      const u = nesterov ? gi + beta * vi : vi;
      const wi = w[i]!;
      w[i] = wi - lr * (u + wd * wi);
    }
  }
}
