// The timing protocol every JavaScript peer goes through (bench/peers/torch_peer.py
// mirrors it): warm-up, a number of steps per repetition chosen so that one
// repetition lasts about `targetSeconds`, then repetitions that alternate the
// variants (with and without dropout) so both see the same machine load; the
// result is the median with min and max. Also the line protocol by which a
// child process hands its result to bench/run.ts.

import type { Timing } from "./workloads.js";

/** One variant of a workload in one peer. */
export interface Runner {
  /**
   * Runs exactly `steps` training steps and returns the seconds they took.
   * Setup for a new step count (slicing a pool, building a trainer) happens
   * before the runner starts its clock.
   */
  run(steps: number): number | Promise<number>;
}

/** Throughput over the repetitions, in units (examples or steps) per second. */
export interface Series {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number[];
  readonly stepsPerRep: number;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Dropout's share of the step time, 1 − (with dropout ÷ without), from the
 * repetitions paired as measured (each pair ran back to back, so a slow drift
 * of the machine's speed hits both): the median of the pairs' ratios.
 */
export function dropoutShare(withDropout: Series, without: Series): number {
  const n = Math.min(withDropout.samples.length, without.samples.length);
  if (n === 0) return 1 - withDropout.median / without.median;
  return 1 - median(Array.from({ length: n }, (_, i) => withDropout.samples[i]! / without.samples[i]!));
}

function series(samples: number[], stepsPerRep: number): Series {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples, stepsPerRep };
}

/**
 * Measures each named variant. Warm-up doubles the step count from 1 until a
 * run lasts half of `timing.targetSeconds` (compiling and warming the JIT on
 * the way), which also fixes the steps per repetition; then `timing.reps`
 * timed repetitions taken in turn across the variants.
 */
export async function measure<K extends string>(
  variants: Record<K, Runner>,
  unitsPerStep: number,
  timing: Timing,
  maxSteps: number,
): Promise<Record<K, Series>> {
  const names = Object.keys(variants) as K[];
  const steps = {} as Record<K, number>;
  for (const name of names) {
    const runner = variants[name];
    await runner.run(1);
    let k = 1, seconds = await runner.run(1);
    while (seconds < timing.targetSeconds / 2 && k < maxSteps) {
      k = Math.min(maxSteps, 2 * k);
      seconds = await runner.run(k);
    }
    steps[name] = Math.max(1, Math.min(maxSteps, Math.round((timing.targetSeconds * k) / Math.max(seconds, 1e-6))));
  }
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < timing.reps; r++) {
    for (const name of names) {
      const seconds = await variants[name].run(steps[name]);
      samples[name].push((steps[name] * unitsPerStep) / seconds);
    }
  }
  return Object.fromEntries(names.map((n) => [n, series(samples[n], steps[n])])) as Record<K, Series>;
}

/**
 * Seconds per call of a short kernel, one sample per repetition: after two
 * untimed calls, each of max(3, timing.reps) repetitions makes as many calls
 * as fill about a quarter of `timing.targetSeconds` (at most 0.3 s).
 */
export function secondsPerCall(call: () => void, timing: Timing): number[] {
  call();
  const one = performance.now();
  call();
  const per = Math.max(1e-6, since(one));
  const calls = Math.max(1, Math.round(Math.min(0.3, timing.targetSeconds / 4) / per));
  const samples: number[] = [];
  for (let r = 0; r < Math.max(3, timing.reps); r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) call();
    samples.push(since(start) / calls);
  }
  return samples;
}

/** Seconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return (performance.now() - start) / 1000;
}

/** The marker of the one stdout line that carries a child's JSON result. */
export const RESULT_MARKER = "@@RESULT ";

/** Writes a child's result; everything else a child prints is ignored or goes to stderr. */
export function emitResult(result: unknown): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`, () => resolve()));
}

/** Progress of a child, on stderr (the parent shows it indented). */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
