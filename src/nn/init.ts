// Weight initialization. Drawn from an explicit stream so the same seed gives
// the same network; biases start at zero.

import { InputError, show } from "../core/errors.js";
import type { Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";

export type InitKind = "he" | "glorot";
export const INITS: readonly InitKind[] = ["he", "glorot"];

export function parseInit(value: unknown): InitKind {
  if (value === "he" || value === "glorot") return value;
  throw new InputError(`init must be one of ${INITS.join(", ")}; got ${show(value)}`);
}

/**
 * Fills a units x inputs weight matrix.
 * - he: w ~ N(0, 2 / fanIn) (He et al. 2015), for relu units;
 * - glorot: w ~ U(-a, a), a = sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010).
 */
export function initWeights(w: Matrix, kind: InitKind, rng: Rng): void {
  const fanOut = w.rows, fanIn = w.cols, d = w.data;
  switch (kind) {
    case "he": {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < d.length; i++) d[i] = rng.normal() * std;
      return;
    }
    case "glorot": {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < d.length; i++) d[i] = (2 * rng.uniform() - 1) * a;
      return;
    }
    default: {
      const never: never = kind;
      throw new Error(`unhandled init ${String(never)}`);
    }
  }
}
