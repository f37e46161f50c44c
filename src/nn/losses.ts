// Losses computed from the output layer's logits (its pre-activation), so the
// output nonlinearity and the loss are fused and numerically stable. Each
// returns the MEAN loss over the batch rows and, when asked, writes
// dLoss/dLogits of that mean.

import { InputError, show } from "../core/errors.js";
import type { Matrix } from "../core/matrix.js";
import { sigmoid } from "../core/ops.js";

/**
 * - softmax-cross-entropy: K >= 2 logits, target column = class index;
 *   L = logsumexp(z) - z_y,  dL/dz = softmax(z) - onehot(y).
 * - sigmoid-cross-entropy: 1 logit, target 0 or 1;
 *   L = max(z, 0) - z*y + log(1 + e^-|z|),  dL/dz = sigmoid(z) - y.
 * - mse: K real outputs, K targets; L = (1/K) Σ_k (z_k - y_k)^2,  dL/dz = (2/K)(z - y).
 */
export type LossKind = "softmax-cross-entropy" | "sigmoid-cross-entropy" | "mse";
export const LOSSES: readonly LossKind[] = ["softmax-cross-entropy", "sigmoid-cross-entropy", "mse"];

export function parseLoss(value: unknown): LossKind {
  if (typeof value === "string" && (LOSSES as readonly string[]).includes(value)) return value as LossKind;
  throw new InputError(`loss must be one of ${LOSSES.join(", ")}; got ${show(value)}`);
}

/** Columns the target matrix must have for this loss and output width. */
export function lossTargetColumns(kind: LossKind, outputs: number): number {
  return kind === "mse" ? outputs : 1;
}

/** Throws an InputError unless the output width fits the loss. */
export function checkLossOutputs(kind: LossKind, outputs: number): void {
  if (kind === "softmax-cross-entropy" && outputs < 2) {
    throw new InputError(`softmax-cross-entropy needs at least 2 output units, got ${outputs}; use 1 output with sigmoid-cross-entropy for two classes`);
  }
  if (kind === "sigmoid-cross-entropy" && outputs !== 1) {
    throw new InputError(`sigmoid-cross-entropy needs exactly 1 output unit, got ${outputs}`);
  }
}

/**
 * Validates targets for a loss: class indices must be integers in [0, K) for
 * softmax, 0 or 1 for sigmoid, and finite for mse. `what` names the data set.
 */
export function checkTargets(kind: LossKind, outputs: number, y: Matrix, what: string, rowOffset = 0): void {
  const d = y.data;
  for (let i = 0; i < y.rows * y.cols; i++) {
    const v = d[i]!;
    const row = rowOffset + Math.floor(i / y.cols);
    switch (kind) {
      case "softmax-cross-entropy":
        if (!Number.isInteger(v) || v < 0 || v >= outputs) throw new InputError(`${what}: label ${v} at row ${row} is out of range; allowed are the integers 0..${outputs - 1}`);
        break;
      case "sigmoid-cross-entropy":
        if (v !== 0 && v !== 1) throw new InputError(`${what}: label ${v} at row ${row} is out of range; a 1-output classifier allows 0 or 1`);
        break;
      case "mse":
        if (!Number.isFinite(v)) throw new InputError(`${what}: target ${v} at row ${row} is not finite`);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unhandled loss ${String(never)}`);
      }
    }
  }
}

/** Mean loss over the rows of `z`; writes d(mean loss)/dz into `dz` when given. */
export function lossForward(kind: LossKind, z: Matrix, y: Matrix, dz?: Matrix): number {
  const m = z.rows, k = z.cols, Z = z.data, Y = y.data, D = dz?.data;
  let total = 0;
  switch (kind) {
    case "softmax-cross-entropy":
      for (let i = 0; i < m; i++) {
        const r = i * k;
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, Z[r + j]!);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(Z[r + j]! - max);
        const label = Y[i]!;
        total += Math.log(sum) + max - Z[r + label]!;
        if (D) {
          for (let j = 0; j < k; j++) D[r + j] = (Math.exp(Z[r + j]! - max) / sum - (j === label ? 1 : 0)) / m;
        }
      }
      return total / m;
    case "sigmoid-cross-entropy":
      for (let i = 0; i < m; i++) {
        const v = Z[i]!, t = Y[i]!;
        // e = e^-|v| serves both the cost and sigmoid(v) (as core/ops.ts computes it: the same value)
        const e = Math.exp(-Math.abs(v));
        total += Math.max(v, 0) - v * t + Math.log1p(e);
        if (D) D[i] = ((v >= 0 ? 1 / (1 + e) : e / (1 + e)) - t) / m;
      }
      return total / m;
    case "mse":
      for (let i = 0; i < m * k; i++) {
        const e = Z[i]! - Y[i]!;
        total += e * e;
        if (D) D[i] = (2 * e) / (m * k);
      }
      return total / (m * k);
    default: {
      const never: never = kind;
      throw new Error(`unhandled loss ${String(never)}`);
    }
  }
}

/** Number of rows whose prediction is right: argmax for softmax, z > 0 for sigmoid. */
export function countCorrect(kind: LossKind, z: Matrix, y: Matrix): number {
  const m = z.rows, k = z.cols, Z = z.data, Y = y.data;
  let correct = 0;
  if (kind === "sigmoid-cross-entropy") {
    for (let i = 0; i < m; i++) if ((Z[i]! > 0 ? 1 : 0) === Y[i]) correct++;
    return correct;
  }
  for (let i = 0; i < m; i++) if (argmaxRow(Z, i * k, k) === Y[i]) correct++;
  return correct;
}

export function argmaxRow(data: ArrayLike<number>, offset: number, length: number): number {
  let best = 0, bestValue = -Infinity;
  for (let j = 0; j < length; j++) {
    const v = data[offset + j]!;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/** Turns logits into probabilities (softmax rows, or sigmoid of the single logit) in place; mse outputs are left as they are. */
export function toProbabilities(kind: LossKind, z: Matrix): void {
  const m = z.rows, k = z.cols, Z = z.data;
  if (kind === "mse") return;
  if (kind === "sigmoid-cross-entropy") {
    for (let i = 0; i < m; i++) Z[i] = sigmoid(Z[i]!);
    return;
  }
  for (let i = 0; i < m; i++) {
    const r = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, Z[r + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(Z[r + j]! - max);
      Z[r + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) Z[r + j] = Z[r + j]! / sum;
  }
}
