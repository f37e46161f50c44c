// Eval-mode measurements over a whole data set, in chunks so memory stays
// bounded: the mean loss, accuracy for classifiers, and the clean cost J.

import { InputError } from "../core/errors.js";
import { zeros, type Matrix } from "../core/matrix.js";
import { targetColumns, type Dataset } from "../data/dataset.js";
import { argmaxRow, countCorrect, lossForward } from "../nn/losses.js";
import type { Network } from "../nn/network.js";
import { l2Cost } from "../optim/penalties.js";

export interface Evaluation {
  /** Mean loss over the set (no penalty). */
  readonly loss: number;
  /** Fraction of correct predictions; undefined for regression. */
  readonly accuracy?: number;
}

const CHUNK = 1024;

/**
 * Runs `network` in eval mode over `data` in chunks of at most `chunk` rows
 * (reused buffers, so memory stays bounded), calling `visit` with each
 * chunk's outputs z, targets y and the index of its first example.
 */
function forEachChunk(network: Network, data: Dataset, chunk: number, visit: (z: Matrix, y: Matrix, start: number) => void): void {
  const rows = Math.min(chunk, Math.max(1, data.size));
  const x = zeros(rows, data.features, network.dtype);
  const y = zeros(rows, targetColumns(data.task), network.dtype);
  const idx = new Int32Array(rows);
  for (let start = 0; start < data.size; start += rows) {
    const n = Math.min(rows, data.size - start);
    for (let i = 0; i < n; i++) idx[i] = start + i;
    const bx = n === rows ? x : view(x, n), by = n === rows ? y : view(y, n);
    data.gather(idx.subarray(0, n), bx, by);
    visit(network.forward(bx, { mode: "eval" }), by, start);
  }
}

/** Mean loss and accuracy of `network` on `data`, dropout off. */
export function evaluate(network: Network, data: Dataset, chunk = CHUNK): Evaluation {
  let lossSum = 0, correct = 0;
  forEachChunk(network, data, chunk, (z, y) => {
    lossSum += lossForward(network.spec.loss, z, y) * z.rows;
    if (network.spec.loss !== "mse") correct += countCorrect(network.spec.loss, z, y);
  });
  const loss = lossSum / data.size;
  return network.spec.loss === "mse" ? { loss } : { loss, accuracy: correct / data.size };
}

/**
 * The class each example gets in eval mode (argmax of the outputs; for one
 * sigmoid output, 1 when its logit is above 0), and the true classes.
 */
export function predictClasses(network: Network, data: Dataset, chunk = CHUNK): { predicted: Int32Array; labels: Int32Array } {
  if (network.spec.loss === "mse") throw new InputError("class predictions need a classifier; this network is a regression (mse)");
  const predicted = new Int32Array(data.size), labels = new Int32Array(data.size);
  forEachChunk(network, data, chunk, (z, y, start) => {
    for (let i = 0; i < z.rows; i++) {
      predicted[start + i] = z.cols === 1 ? (z.data[i]! > 0 ? 1 : 0) : argmaxRow(z.data, i * z.cols, z.cols);
      labels[start + i] = y.data[i]!;
    }
  });
  return { predicted, labels };
}

/** Clean J: eval-mode mean loss over `train` + (l2 / 2m) Σ w², m = train.size. */
export function cleanCost(network: Network, train: Dataset, l2: number): { cost: number; evaluation: Evaluation } {
  const evaluation = evaluate(network, train);
  return { cost: evaluation.loss + (l2 > 0 ? l2Cost(network.params(), l2, train.size) : 0), evaluation };
}

function view(m: Matrix, rows: number): Matrix {
  return { rows, cols: m.cols, data: m.data.subarray(0, rows * m.cols) };
}
