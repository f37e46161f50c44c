// Seeded train/dev/test splits. A split is a permutation of the example
// indices drawn from an Rng the caller passes in (by convention
// rng.stream("split")), cut into three parts, so the same seed always gives
// the same split and no split draws from a global generator.

import { InputError, checkNumber } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import { subset, type Dataset } from "./dataset.js";

/** Default share of the examples held out for model selection (dev) and for the final test. */
export const DEFAULT_DEV_FRACTION = 0.15;
export const DEFAULT_TEST_FRACTION = 0.15;

export interface SplitFractions {
  /** Share of the examples in the dev split, 0 <= devFraction < 1. */
  readonly devFraction: number;
  /** Share of the examples in the test split, 0 <= testFraction < 1. */
  readonly testFraction: number;
}

/** Example indices of each split; together they are a permutation of 0..n-1. */
export interface SplitIndices {
  readonly train: Int32Array;
  readonly dev: Int32Array;
  readonly test: Int32Array;
}

/** Validates the fractions: each in [0, 1), their sum below 1. */
export function checkFractions(fractions: SplitFractions): SplitFractions {
  const devFraction = checkNumber("devFraction", fractions.devFraction, { min: 0, max: 1, maxExclusive: true });
  const testFraction = checkNumber("testFraction", fractions.testFraction, { min: 0, max: 1, maxExclusive: true });
  if (devFraction + testFraction >= 1) {
    throw new InputError(`devFraction + testFraction must be below 1 to leave training data, got ${devFraction} + ${testFraction}`);
  }
  return { devFraction, testFraction };
}

/**
 * Shuffles 0..n-1 with `rng` (Fisher-Yates) and cuts the permutation: the
 * first round(n * testFraction) indices are the test split, the next
 * round(n * devFraction) the dev split, the rest the training split.
 */
export function splitIndices(n: number, fractions: SplitFractions, rng: Rng): SplitIndices {
  checkNumber("number of examples to split", n, { min: 1, integer: true });
  const { devFraction, testFraction } = checkFractions(fractions);
  const nTest = Math.round(n * testFraction);
  const nDev = Math.round(n * devFraction);
  if (n - nTest - nDev < 1) {
    throw new InputError(`devFraction ${devFraction} and testFraction ${testFraction} leave no training examples out of ${n}; lower them`);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  return {
    test: order.slice(0, nTest),
    dev: order.slice(nTest, nTest + nDev),
    train: order.slice(nTest + nDev),
  };
}

/** Views of `data` for each split (no copying). */
export function splitDataset(data: Dataset, split: SplitIndices): { train: Dataset; dev: Dataset; test: Dataset } {
  return { train: subset(data, split.train), dev: subset(data, split.dev), test: subset(data, split.test) };
}
