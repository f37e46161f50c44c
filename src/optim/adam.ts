// Adam (Kingma and Ba 2015) with bias correction: SGD along the gradient's
// running mean divided by the root of its running uncentred variance, so each
// weight gets its own step size. With decoupled weight decay it is AdamW.

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
 * biases). `m[p]` and `v[p]` belong to `params[p]`, one float64 per weight.
 */
export function adamUpdate(
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
    const w = param.value.data, g = param.grad.data, mp = m[p]!, vp = v[p]!;
    const wd = decayRate(param, weightDecay);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      // "+ 0" turns a -0 into +0 and changes no other value: JSON has no -0,
      // so a state without one survives serialization bit for bit (v >= 0 is never -0).
      const mi = beta1 * mp[i]! + (1 - beta1) * gi + 0;
      const vi = beta2 * vp[i]! + (1 - beta2) * gi * gi;
      mp[i] = mi;
      vp[i] = vi;
      const u = mi / correction1 / (Math.sqrt(vi / correction2) + epsilon);
      const wi = w[i]!;
      w[i] = wi - lr * (u + wd * wi);
    }
  }
}
