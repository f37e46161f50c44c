// Descriptive statistics shared by the analyses: means, quantiles and the
// noise level of a series around its trend. Plain numbers in, plain numbers
// out, so every result built from them serializes to JSON as it is.

import { InputError } from "../core/errors.js";

/** Five-number summary plus the 10th and 90th percentiles of a sample. */
export interface Quantiles {
  readonly min: number;
  readonly q10: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly q90: number;
  readonly max: number;
}

/** Arithmetic mean (1/n) Σ x_i; throws on an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new InputError("the mean of an empty sample is undefined; give at least one value");
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Population standard deviation sqrt((1/n) Σ (x_i - mean)²); 0 for a single value. */
export function std(values: readonly number[]): number {
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * The q-quantile (0 <= q <= 1) of `sorted` (ascending) by linear interpolation
 * between order statistics: position h = (n - 1) q, value x_⌊h⌋ + (h - ⌊h⌋)(x_⌈h⌉ - x_⌊h⌋)
 * (type 7 of Hyndman and Fan, the default of NumPy and R).
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new InputError("the quantile of an empty sample is undefined; give at least one value");
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h), hi = Math.ceil(h);
  const a = sorted[lo]!, b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/** min, q10, q25, median, q75, q90, max of a sample (type-7 quantiles). */
export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) throw new InputError("the quantiles of an empty sample are undefined; give at least one value");
  const s = [...values].sort((a, b) => a - b);
  return {
    min: s[0]!,
    q10: quantileSorted(s, 0.1),
    q25: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    q75: quantileSorted(s, 0.75),
    q90: quantileSorted(s, 0.9),
    max: s[s.length - 1]!,
  };
}

/** The median of a sample (type-7: the mean of the two middle values for even n). */
export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Noise level of a series around its trend by von Neumann's successive
 * differences: sqrt( Σ_{t=1}^{T-1} (c_{t+1} - c_t)² / (2 (T - 1)) ).
 * For c_t = trend(t) + e_t with independent noise of standard deviation σ and
 * a trend that changes little from one point to the next, this estimates σ;
 * the slow trend contributes only its squared step sizes. Needs T >= 2.
 */
export function successiveDifferenceStd(series: readonly number[]): number {
  if (series.length < 2) throw new InputError(`successive differences need at least 2 values, got ${series.length}`);
  let s = 0;
  for (let t = 1; t < series.length; t++) s += (series[t]! - series[t - 1]!) ** 2;
  return Math.sqrt(s / (2 * (series.length - 1)));
}
