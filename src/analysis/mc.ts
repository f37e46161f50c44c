// Monte-Carlo dropout (Gal and Ghahramani 2016): keep dropout on at test time,
// run T stochastic passes and read the spread of the answers as uncertainty.
// The predictive mean is the average of the T passes' predictions; eval mode
// instead scales the weights (inverted dropout: no scaling at test time), which
// equals that average exactly only for a network linear in its dropped units.
// This module measures both, the per-class spread, the predictive entropy, how
// the MC average's accuracy approaches (or beats) eval mode as T grows, and how
// well calibrated either one is.

import { InputError, checkNumber } from "../core/errors.js";
import { zeros, type Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";
import { targetColumns, type Dataset } from "../data/dataset.js";
import { argmaxRow, toProbabilities, type LossKind } from "../nn/losses.js";
import type { Network } from "../nn/network.js";

export interface McOptions {
  /** Number of stochastic passes T, an integer in [1, 10000]. Default 100. */
  readonly samples?: number;
  /** Stream the dropout masks come from (each layer takes its own child "dropout/l"). */
  readonly rng: Rng;
  /** Rows per forward pass (memory bound). Default 1024. */
  readonly chunk?: number;
}

/** One point of the convergence curve: the MC average over the first `samples` passes. */
export interface McCurvePoint {
  readonly samples: number;
  /** Accuracy of the MC average's prediction; null for regression. */
  readonly accuracy: number | null;
  /**
   * RMS over examples and outputs of (MC average - eval-mode prediction), in
   * prediction space (probabilities for classifiers, values for regression).
   */
  readonly difference: number;
}

export interface McResult {
  readonly samples: number;
  readonly examples: number;
  readonly loss: LossKind;
  /**
   * Predictive mean per example: class probabilities (softmax), the
   * probability of class 1 (sigmoid, one column), or the outputs (mse).
   */
  readonly mean: readonly (readonly number[])[];
  /** Standard deviation over the T passes of each of those columns. */
  readonly std: readonly (readonly number[])[];
  /** Predictive entropy -Σ_k p̄_k ln p̄_k of the mean (nats; binary entropy for sigmoid); null for mse. */
  readonly entropy: readonly number[] | null;
  /** The eval-mode (weight-scaling) prediction in the same space as `mean`. */
  readonly evalPrediction: readonly (readonly number[])[];
  readonly evalAccuracy: number | null;
  /** Accuracy of the MC average after all T passes; null for regression. */
  readonly mcAccuracy: number | null;
  /** One point for every T' = 1..T. */
  readonly curve: readonly McCurvePoint[];
  /** Mean predictive entropy of the examples the MC average gets right and wrong (null mean when none); null for mse. */
  readonly entropyByOutcome: {
    readonly correct: { readonly count: number; readonly meanEntropy: number | null };
    readonly wrong: { readonly count: number; readonly meanEntropy: number | null };
  } | null;
}

/** Runs T dropout-on passes of `network` over `data` and summarizes the predictive distribution. */
export function mcDropout(network: Network, data: Dataset, options: McOptions): McResult {
  const T = checkNumber("MC samples", options.samples ?? 100, { min: 1, max: 10000, integer: true });
  const chunk = checkNumber("chunk", options.chunk ?? 1024, { min: 1, integer: true });
  if (data.features !== network.inputs) {
    throw new InputError(`the data has ${data.features} features per example but the network's first layer expects ${network.inputs}`);
  }
  if (data.size < 1) throw new InputError("Monte-Carlo dropout needs at least one example");
  const loss = network.spec.loss;
  const classify = loss !== "mse";
  const k = network.outputs;
  const n = data.size;
  const rows = Math.min(chunk, n);
  const x = zeros(rows, data.features, network.dtype);
  const y = zeros(rows, targetColumns(data.task), network.dtype);
  const idx = new Int32Array(rows);
  const mean: number[][] = [], std: number[][] = [], evalPrediction: number[][] = [];
  const correctAt = new Float64Array(T), sqDiffAt = new Float64Array(T);
  const labels: number[] = [];
  let evalCorrect = 0;

  for (let start = 0; start < n; start += rows) {
    const m = Math.min(rows, n - start);
    for (let i = 0; i < m; i++) idx[i] = start + i;
    const bx = view(x, m), by = view(y, m);
    data.gather(idx.subarray(0, m), bx, by);
    for (let i = 0; i < m; i++) labels.push(by.data[i * by.cols]!);
    const evalOut = Float64Array.from(predict(network, bx, loss, { mode: "eval" }).data.subarray(0, m * k));
    const sum = new Float64Array(m * k), sumSq = new Float64Array(m * k);
    for (let t = 0; t < T; t++) {
      const out = predict(network, bx, loss, { mode: "train", rng: options.rng }).data;
      let sq = 0, correct = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < k; j++) {
          const v = out[i * k + j]!;
          const s = (sum[i * k + j] = sum[i * k + j]! + v);
          sumSq[i * k + j] = sumSq[i * k + j]! + v * v;
          sq += (s / (t + 1) - evalOut[i * k + j]!) ** 2;
        }
        if (classify && predictedClass(loss, sum, i * k, k, t + 1) === by.data[i]) correct++;
      }
      sqDiffAt[t] = sqDiffAt[t]! + sq;
      correctAt[t] = correctAt[t]! + correct;
    }
    for (let i = 0; i < m; i++) {
      const mu: number[] = [], sd: number[] = [], ev: number[] = [];
      for (let j = 0; j < k; j++) {
        const a = sum[i * k + j]! / T;
        mu.push(a);
        sd.push(Math.sqrt(Math.max(0, sumSq[i * k + j]! / T - a * a)));
        ev.push(evalOut[i * k + j]!);
      }
      mean.push(mu);
      std.push(sd);
      evalPrediction.push(ev);
      if (classify && predictedClass(loss, evalOut, i * k, k) === by.data[i]) evalCorrect++;
    }
  }

  const curve: McCurvePoint[] = [];
  for (let t = 0; t < T; t++) {
    curve.push({ samples: t + 1, accuracy: classify ? correctAt[t]! / n : null, difference: Math.sqrt(sqDiffAt[t]! / (n * k)) });
  }
  if (!classify) {
    return { samples: T, examples: n, loss, mean, std, entropy: null, evalPrediction, evalAccuracy: null, mcAccuracy: null, curve, entropyByOutcome: null };
  }
  const entropy = mean.map((mu) => predictiveEntropy(loss, mu));
  const right = { count: 0, total: 0 }, wrong = { count: 0, total: 0 };
  mean.forEach((mu, i) => {
    const bucket = predictedClass(loss, mu, 0, k) === labels[i] ? right : wrong;
    bucket.count++;
    bucket.total += entropy[i]!;
  });
  const summary = (b: { count: number; total: number }) => ({ count: b.count, meanEntropy: b.count === 0 ? null : b.total / b.count });
  return {
    samples: T,
    examples: n,
    loss,
    mean,
    std,
    entropy,
    evalPrediction,
    evalAccuracy: evalCorrect / n,
    mcAccuracy: right.count / n,
    curve,
    entropyByOutcome: { correct: summary(right), wrong: summary(wrong) },
  };
}

/** The network's prediction for a batch: probabilities for classifiers, outputs for mse. */
function predict(network: Network, x: Matrix, loss: LossKind, ctx: { mode: "eval" } | { mode: "train"; rng: Rng }): Matrix {
  const z = network.forward(x, ctx);
  toProbabilities(loss, z);
  return z;
}

/**
 * The class a prediction row stands for: argmax (softmax) or p > 1/2 (sigmoid).
 * `row` may hold sums of `count` predictions (argmax does not depend on the scale).
 */
function predictedClass(loss: LossKind, row: ArrayLike<number>, offset: number, k: number, count = 1): number {
  if (loss === "sigmoid-cross-entropy") return row[offset]! > 0.5 * count ? 1 : 0;
  return argmaxRow(row, offset, k);
}

function predictiveEntropy(loss: LossKind, mu: readonly number[]): number {
  const term = (q: number) => (q > 0 ? -q * Math.log(q) : 0);
  if (loss === "sigmoid-cross-entropy") return term(mu[0]!) + term(1 - mu[0]!);
  return mu.reduce((h, q) => h + term(q), 0);
}

function view(m: Matrix, rows: number): Matrix {
  return { rows, cols: m.cols, data: m.data.subarray(0, rows * m.cols) };
}

/** One confidence bin of a reliability diagram. */
export interface CalibrationBin {
  /** The bin covers confidences in (lo, hi] (the first bin also includes lo). */
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Mean confidence of the predictions in the bin; null when the bin is empty. */
  readonly confidence: number | null;
  /** Share of the bin's predictions that are right; null when the bin is empty. */
  readonly accuracy: number | null;
}

export interface Calibration {
  /**
   * Expected calibration error (Guo et al. 2017): ECE = Σ_b (n_b / n) |acc_b − conf_b|
   * over equal-width confidence bins, where a prediction's confidence is the
   * probability of the class it predicts. 0 for a perfectly calibrated model.
   */
  readonly ece: number;
  readonly bins: readonly CalibrationBin[];
}

/**
 * Calibration of classifier predictions against the true labels: each row is
 * one example's prediction in mcDropout's space (class probabilities for
 * softmax, the probability of class 1 for sigmoid), so the same function
 * measures eval mode (`evalPrediction`) and the MC average (`mean`).
 */
export function calibration(predictions: readonly (readonly number[])[], labels: ArrayLike<number>, loss: LossKind, bins = 10): Calibration {
  if (loss === "mse") throw new InputError("calibration needs a classifier (softmax or sigmoid cross-entropy), got mse");
  checkNumber("calibration bins", bins, { min: 1, max: 1000, integer: true });
  if (predictions.length !== labels.length) throw new InputError(`calibration needs one label per prediction, got ${predictions.length} predictions and ${labels.length} labels`);
  if (predictions.length === 0) throw new InputError("calibration needs at least one prediction");
  const count = new Float64Array(bins), confSum = new Float64Array(bins), right = new Float64Array(bins);
  predictions.forEach((row, i) => {
    const k = row.length;
    const predicted = predictedClass(loss, row, 0, k);
    const confidence = loss === "sigmoid-cross-entropy" ? Math.max(row[0]!, 1 - row[0]!) : row[predicted]!;
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
    count[b] = count[b]! + 1;
    confSum[b] = confSum[b]! + confidence;
    if (predicted === labels[i]) right[b] = right[b]! + 1;
  });
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b]!;
    const confidence = n ? confSum[b]! / n : null, accuracy = n ? right[b]! / n : null;
    if (n) ece += (n / predictions.length) * Math.abs(accuracy! - confidence!);
    out.push({ lo: b / bins, hi: (b + 1) / bins, count: n, confidence, accuracy });
  }
  return { ece, bins: out };
}

/**
 * How well an uncertainty score separates wrong predictions from right ones:
 * the probability that a randomly drawn wrong prediction scores higher than a
 * randomly drawn right one, ties counting half (the area under the ROC curve
 * of the score as a detector of errors; 0.5 = no separation, 1 = perfect).
 * Null when either group is empty.
 */
export function errorDetectionAuc(rightScores: readonly number[], wrongScores: readonly number[]): number | null {
  if (rightScores.length === 0 || wrongScores.length === 0) return null;
  const right = [...rightScores].sort((a, b) => a - b);
  // For each wrong score: right scores strictly below it, plus half of those equal, by binary search.
  const below = (v: number, strict: boolean) => {
    let lo = 0, hi = right.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? right[mid]! < v : right[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let wins = 0;
  for (const w of wrongScores) {
    const less = below(w, true), lessOrEqual = below(w, false);
    wins += less + (lessOrEqual - less) / 2;
  }
  return wins / (right.length * wrongScores.length);
}
