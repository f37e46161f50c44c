// Gradient checking: compares back-propagated gradients with central finite
// differences of the cost J = mean loss + (lambda / 2m) Σ w², in float64, with
// every dropout mask frozen so both sides see the same thinned network.
// Reported as Ng's relative error ||g - ĝ|| / (||g|| + ||ĝ||); below 1e-7 means
// the backward pass is right.

import { InputError } from "../core/errors.js";
import { cast, type Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";
import { lossForward } from "../nn/losses.js";
import { Network } from "../nn/network.js";
import { addL2Gradient, l2Cost } from "../optim/penalties.js";

export interface GradCheckResult {
  /** Relative error over all checked entries together. */
  readonly relativeError: number;
  /** The worst per-parameter relative error. */
  readonly maxRelativeError: number;
  readonly perParam: readonly { readonly name: string; readonly relativeError: number; readonly checked: number }[];
  readonly passed: boolean;
}

export interface GradCheckOptions {
  /** Coupled L2 strength (0 = none). */
  readonly l2?: number;
  /** m in (lambda / 2m); defaults to the number of rows of x. */
  readonly m?: number;
  /** Finite-difference step. */
  readonly epsilon?: number;
  /** Check at most this many entries per parameter (spread evenly); all when undefined. */
  readonly maxPerParam?: number;
  readonly threshold?: number;
}

/** A float64 copy of a network (same spec and weights), for checks that need the precision. */
export function toFloat64(network: Network, rng: Rng): Network {
  const copy = new Network(network.spec, rng, { dtype: "float64" });
  const src = network.params(), dst = copy.params();
  dst.forEach((p, i) => p.value.data.set(src[i]!.value.data));
  return copy;
}

/**
 * Checks the gradients of `network` (must be float64) on the batch (x, y).
 * Dropout masks are drawn once from `rng`, frozen for the check, then released.
 */
export function gradientCheck(network: Network, x: Matrix, y: Matrix, rng: Rng, options: GradCheckOptions = {}): GradCheckResult {
  if (network.dtype !== "float64") throw new InputError("gradientCheck needs a float64 network (use toFloat64)");
  const l2 = options.l2 ?? 0;
  const m = options.m ?? x.rows;
  const eps = options.epsilon ?? 1e-6;
  const threshold = options.threshold ?? 1e-7;
  const x64 = cast(x, "float64"), y64 = cast(y, "float64");
  const params = network.params();
  const loss = network.spec.loss;
  const dz = { rows: x.rows, cols: network.outputs, data: new Float64Array(x.rows * network.outputs) };

  network.forward(x64, { mode: "train", rng });
  network.freezeMasks();
  try {
    const cost = (): number => {
      const z = network.forward(x64, { mode: "train", rng });
      return lossForward(loss, z, y64) + (l2 > 0 ? l2Cost(params, l2, m) : 0);
    };
    const z = network.forward(x64, { mode: "train", rng });
    lossForward(loss, z, y64, dz);
    network.backward(dz);
    if (l2 > 0) addL2Gradient(params, l2, m);
    const analytic = params.map((p) => Float64Array.from(p.grad.data));

    let diff2 = 0, a2 = 0, n2 = 0, worst = 0;
    const perParam = params.map((p, pi) => {
      const w = p.value.data;
      const count = w.length;
      const take = options.maxPerParam === undefined ? count : Math.min(count, options.maxPerParam);
      let d = 0, aa = 0, nn = 0;
      for (let t = 0; t < take; t++) {
        const i = take === count ? t : Math.floor((t * count) / take);
        const saved = w[i]!;
        w[i] = saved + eps;
        const plus = cost();
        w[i] = saved - eps;
        const minus = cost();
        w[i] = saved;
        const numeric = (plus - minus) / (2 * eps);
        const g = analytic[pi]![i]!;
        d += (g - numeric) ** 2;
        aa += g * g;
        nn += numeric * numeric;
      }
      diff2 += d;
      a2 += aa;
      n2 += nn;
      const rel = relative(d, aa, nn);
      worst = Math.max(worst, rel);
      return { name: p.name, relativeError: rel, checked: take };
    });
    const relativeError = relative(diff2, a2, n2);
    return { relativeError, maxRelativeError: worst, perParam, passed: worst < threshold };
  } finally {
    network.unfreezeMasks();
  }
}

function relative(diff2: number, a2: number, n2: number): number {
  const denom = Math.sqrt(a2) + Math.sqrt(n2);
  return denom === 0 ? 0 : Math.sqrt(diff2) / denom;
}
