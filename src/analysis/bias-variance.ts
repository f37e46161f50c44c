// "Small, spread-out weights reduce variance": measured. K networks trained
// on bootstrap resamples of the training set predict the same test examples;
// Domingos' (2000) decomposition of the 0-1 loss splits their mean test error
// into bias (the main prediction is wrong) and variance (the networks disagree
// with their main prediction), with intervals over the test examples and a
// paired difference between two settings (with and without dropout).

import { InputError } from "../core/errors.js";
import { compare, interval, type Comparison, type Interval } from "./intervals.js";

/** The per-example terms of the decomposition (means over the test set are in Decomposition). */
export interface ExampleTerms {
  /** L(x) = (1/K) Σ_k 1[y_k ≠ t]: the models' mean 0-1 loss. */
  readonly loss: Float64Array;
  /** B(x) = 1[y_m ≠ t], y_m the main (most frequent) prediction. */
  readonly bias: Float64Array;
  /** V(x) = (1/K) Σ_k 1[y_k ≠ y_m]. */
  readonly variance: Float64Array;
  /** V(x) where B(x) = 0, else 0: variance that adds to the error. */
  readonly unbiasedVariance: Float64Array;
  /** V(x) · P(y = t | y ≠ y_m) where B(x) = 1, else 0: variance that removes error. */
  readonly biasedVariance: Float64Array;
}

export interface Decomposition {
  readonly models: number;
  readonly examples: number;
  /** Means over the test examples, each with a 95% t interval over them. */
  readonly error: Interval;
  readonly bias: Interval;
  readonly variance: Interval;
  readonly unbiasedVariance: Interval;
  readonly biasedVariance: Interval;
  /** unbiased - biased variance: error = bias + netVariance exactly (noise taken as 0). */
  readonly netVariance: Interval;
}

/**
 * Domingos' decomposition of the 0-1 loss (noise taken as 0). For each
 * example with label t and predictions y_1..y_K: y_m is the most frequent
 * prediction (ties: the smallest class), B = 1[y_m ≠ t], V = P_k(y_k ≠ y_m),
 * and L = B + c V with c = 1 when B = 0 and c = -P(y = t | y ≠ y_m) when
 * B = 1 (-1 for two classes). `predictions[k][i]` is model k's class for
 * example i.
 */
export function exampleTerms(predictions: readonly ArrayLike<number>[], labels: ArrayLike<number>): ExampleTerms {
  const K = predictions.length, n = labels.length;
  if (K < 2) throw new InputError(`a bias-variance decomposition needs at least 2 models, got ${K}`);
  if (n < 1) throw new InputError("a bias-variance decomposition needs at least one test example");
  predictions.forEach((p, k) => {
    if (p.length !== n) throw new InputError(`model ${k} predicts ${p.length} examples, the labels cover ${n}`);
  });
  const loss = new Float64Array(n), bias = new Float64Array(n), variance = new Float64Array(n);
  const unbiasedVariance = new Float64Array(n), biasedVariance = new Float64Array(n);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    counts.clear();
    const t = labels[i]!;
    let wrong = 0;
    for (let k = 0; k < K; k++) {
      const y = predictions[k]![i]!;
      counts.set(y, (counts.get(y) ?? 0) + 1);
      if (y !== t) wrong++;
    }
    let main = Infinity, best = -1;
    for (const [y, c] of counts) if (c > best || (c === best && y < main)) [main, best] = [y, c];
    const off = K - best;
    loss[i] = wrong / K;
    bias[i] = main === t ? 0 : 1;
    variance[i] = off / K;
    if (main === t) unbiasedVariance[i] = off / K;
    else biasedVariance[i] = off === 0 ? 0 : (off / K) * ((counts.get(t) ?? 0) / off);
  }
  return { loss, bias, variance, unbiasedVariance, biasedVariance };
}

export function decompose(predictions: readonly ArrayLike<number>[], labels: ArrayLike<number>): Decomposition {
  const t = exampleTerms(predictions, labels);
  const net = t.unbiasedVariance.map((u, i) => u - t.biasedVariance[i]!);
  const iv = (a: Float64Array) => interval(Array.from(a));
  return {
    models: predictions.length,
    examples: labels.length,
    error: iv(t.loss),
    bias: iv(t.bias),
    variance: iv(t.variance),
    unbiasedVariance: iv(t.unbiasedVariance),
    biasedVariance: iv(t.biasedVariance),
    netVariance: iv(net),
  };
}

/** Two settings on the same test examples: each term's difference B - A, paired by example. */
export function compareDecompositions(a: ExampleTerms, b: ExampleTerms): Record<"error" | "bias" | "variance" | "netVariance", Comparison> {
  const net = (t: ExampleTerms) => Array.from(t.unbiasedVariance, (u, i) => u - t.biasedVariance[i]!);
  return {
    error: compare(Array.from(a.loss), Array.from(b.loss)),
    bias: compare(Array.from(a.bias), Array.from(b.bias)),
    variance: compare(Array.from(a.variance), Array.from(b.variance)),
    netVariance: compare(net(a), net(b)),
  };
}
