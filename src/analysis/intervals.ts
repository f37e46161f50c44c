// Replicates and intervals: every comparison of training settings is run over
// several seeds, paired (arm A and arm B share each seed, so the same split,
// initial weights and shuffles), and reported as mean, standard deviation and
// a 95% Student-t interval, of each arm and of the difference. Verdict words
// follow the interval: an effect is named only when its interval excludes 0.

import { InputError } from "../core/errors.js";
import { mean } from "./stats.js";

/** Mean, sample sd and a two-sided t interval of a sample. */
export interface Interval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation sqrt(Σ (x - mean)² / (n - 1)); null for n = 1. */
  readonly sd: number | null;
  /** mean ± t_{(1+level)/2, n-1} · sd / sqrt(n); null for n = 1 (no interval from one seed). */
  readonly low: number | null;
  readonly high: number | null;
  readonly halfWidth: number | null;
  readonly level: number;
}

/** The interval of a difference B - A over paired seeds, with the words it allows. */
export interface Comparison {
  readonly a: Interval;
  readonly b: Interval;
  /** Over the per-seed differences b_i - a_i. */
  readonly difference: Interval;
  /** "higher" or "lower" when the interval of the difference excludes 0, otherwise "no measurable difference". */
  readonly direction: Direction;
}

export type Direction = "higher" | "lower" | "no measurable difference";

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms; relative
 * error below 1e-14 over the range used here).
 */
function logGamma(x: number): number {
  const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with df degrees of freedom: 1 - ½ I_{df/(df+t²)}(df/2, ½) for t >= 0. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with df >= 1 degrees of freedom (bisection on the CDF to 1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new InputError(`a quantile needs p in (0, 1), got ${p}`);
  if (!(df >= 1)) throw new InputError(`Student's t needs df >= 1, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean, sample sd and the two-sided `level` t interval of `values` (at least one). */
export function interval(values: readonly number[], level = 0.95): Interval {
  const n = values.length;
  const m = mean(values);
  if (n < 2) return { n, mean: m, sd: null, low: null, high: null, halfWidth: null, level };
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const halfWidth = (studentTQuantile((1 + level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, low: m - halfWidth, high: m + halfWidth, halfWidth, level };
}

/** Which way an interval of a difference points: an effect only when the interval excludes 0. */
export function directionOf(difference: Interval): Direction {
  if (difference.low !== null && difference.low > 0) return "higher";
  if (difference.high !== null && difference.high < 0) return "lower";
  return "no measurable difference";
}

/** Paired comparison of arm B against arm A: a[i] and b[i] come from the same seed. */
export function compare(a: readonly number[], b: readonly number[], level = 0.95): Comparison {
  if (a.length !== b.length || a.length === 0) throw new InputError(`a paired comparison needs the same number of seeds in both arms (at least 1), got ${a.length} and ${b.length}`);
  const difference = interval(b.map((v, i) => v - a[i]!), level);
  return { a: interval(a, level), b: interval(b, level), difference, direction: directionOf(difference) };
}

/** "97.13% ± 0.21" style text of an interval, scaled by `scale` (100 for accuracies in percent). */
export function formatInterval(iv: Interval, scale = 100, digits = 2, unit = scale === 100 ? "%" : ""): string {
  const m = (iv.mean * scale).toFixed(digits);
  return iv.halfWidth === null ? `${m}${unit} (1 seed)` : `${m}${unit} ± ${(iv.halfWidth * scale).toFixed(digits)}`;
}

/**
 * One sentence for a paired difference in accuracy points: names an effect
 * only when the 95% interval excludes 0, e.g. "+0.62 pts [+0.31, +0.93]:
 * higher" or "no measurable difference (-0.10 ± 0.45 pts)".
 */
export function describeDifference(c: Comparison, what = "B - A"): string {
  const d = c.difference;
  const pts = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(2)}`;
  if (d.halfWidth === null) return `${what}: ${pts(d.mean)} pts from one seed; no interval (use 2 or more seeds to tell an effect from noise)`;
  if (c.direction === "no measurable difference") return `${what}: no measurable difference (${pts(d.mean)} ± ${(100 * d.halfWidth).toFixed(2)} pts, ${d.n} seeds)`;
  return `${what}: ${pts(d.mean)} pts, 95% interval [${pts(d.low!)}, ${pts(d.high!)}] over ${d.n} seeds (${c.direction})`;
}
