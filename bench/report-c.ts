// Workload C (Fashion-MNIST to 88%) over several seeds: one threshold crossing
// on one seed says little, so each peer's seconds per epoch and time to 88%
// are reported as a mean with a 95% Student-t interval over its seeds (the
// project's src/analysis/intervals.ts), the epochs each seed needed, and the
// ratio of seconds per epoch paired by seed with its own interval. Results
// from before C ran several seeds (one run per peer) read as one seed, with
// no interval.

import { interval, type Interval } from "../src/toolkit.js";
import { isOurs, labelOf, load, num, ok, pickReference, referenceOf, splitOurs, table, type PeerResult } from "./format.js";
import type { WorkloadReport } from "./report.js";
import { describeWorkloads, WORKLOAD_C } from "./workloads.js";

/** One seed's run of C, as read from its result. */
export interface CRun {
  /** The training seed; null in results from before C recorded it. */
  readonly seed: number | null;
  readonly epochsRun: number;
  /** Timed training seconds over epochs run. */
  readonly secondsPerEpoch: number;
  /** Seconds of training until the target accuracy, null where it was not reached. */
  readonly timeToTarget: number | null;
  /** The epoch whose test accuracy first reached the target, null where none did. */
  readonly epochsToTarget: number | null;
}

/** A peer's runs of C summarized over its seeds. */
export interface CSummary {
  readonly runs: readonly CRun[];
  readonly secondsPerEpoch: Interval;
  /** Over the seeds that reached the target; null where none did. */
  readonly timeToTarget: Interval | null;
}

interface EpochRecord {
  readonly epoch: number;
  readonly seconds: number;
  readonly testAccuracy: number;
}

/** The seeds' results of a peer: its `seeds` list, or the result itself in the one-seed shape. */
export function seedResults(r: PeerResult | undefined): PeerResult[] {
  if (!r || !ok(r)) return [];
  return Array.isArray(r.seeds) ? (r.seeds as PeerResult[]).filter(ok) : [r];
}

function runOf(r: PeerResult): CRun | undefined {
  const epochs = (r.epochs as EpochRecord[] | undefined) ?? [];
  const last = epochs[epochs.length - 1];
  if (!last) return undefined;
  const reached = epochs.find((e) => e.testAccuracy >= WORKLOAD_C.targetAccuracy);
  return {
    seed: typeof r.seed === "number" ? r.seed : null,
    epochsRun: epochs.length,
    secondsPerEpoch: last.seconds / epochs.length,
    timeToTarget: typeof r.seconds === "number" ? r.seconds : null,
    epochsToTarget: reached?.epoch ?? null,
  };
}

export function summarizeC(r: PeerResult | undefined): CSummary | null {
  const runs = seedResults(r).flatMap((s) => runOf(s) ?? []);
  if (runs.length === 0) return null;
  const times = runs.flatMap((run) => (run.timeToTarget === null ? [] : [run.timeToTarget]));
  return { runs, secondsPerEpoch: interval(runs.map((run) => run.secondsPerEpoch)), timeToTarget: times.length ? interval(times) : null };
}

/**
 * The peer's seconds per epoch over ours, seed by seed (runs paired by seed;
 * above 1: ours is faster), with its interval; null where no seed ran on both.
 */
export function pairedRatio(peer: PeerResult | undefined, ours: PeerResult | undefined): Interval | null {
  const a = summarizeC(peer), b = summarizeC(ours);
  if (!a || !b) return null;
  const ratios = a.runs.flatMap((p) => {
    const o = b.runs.find((run) => run.seed === p.seed);
    return o ? [p.secondsPerEpoch / o.secondsPerEpoch] : [];
  });
  return ratios.length ? interval(ratios) : null;
}

/**
 * One peer's C result from its seeds' results: the runs under `seeds`, the
 * largest others' load of any seed, the wall time summed, the notes once each;
 * skipped only when every seed was.
 */
export function combineSeeds(runs: readonly PeerResult[]): PeerResult {
  const done = runs.filter(ok);
  const loads = runs.flatMap((r) => (r.otherLoad === undefined ? [] : [r.otherLoad]));
  const notes = [...new Set(runs.flatMap((r) => r.notes ?? []))];
  const skippedNotes = runs.filter((r) => !ok(r)).map((r) => `seed ${typeof r.seed === "number" ? r.seed : "?"} skipped: ${r.skipped}`);
  return {
    ...(done.length === 0 ? { skipped: runs[0]?.skipped ?? "no seed ran" } : {}),
    ...(typeof done[0]?.threads === "number" ? { threads: done[0].threads } : {}),
    seeds: runs,
    notes: [...notes, ...skippedNotes],
    wallSeconds: runs.reduce((s, r) => s + (r.wallSeconds ?? 0), 0),
    ...(loads.length ? { otherLoad: Math.max(...loads) } : {}),
  };
}

/** Our run on `threads` threads with the lowest mean seconds per epoch. */
const fastest = (results: Record<string, PeerResult>, threads: number) => pickReference(results, (r) => {
  const s = summarizeC(r)?.secondsPerEpoch.mean;
  return s === undefined ? undefined : -s;
}, threads);

/** The ratios of C, recomputed from the runs (so results of either shape read the same way). */
export function ratiosC(results: Record<string, PeerResult>): { reference: string | null; reference2t: string | null; intervals: Record<string, Interval | null> } {
  const reference = fastest(results, 1), reference2t = fastest(results, 2);
  const intervals: Record<string, Interval | null> = {};
  for (const id of Object.keys(results).filter((i) => !isOurs(i))) {
    const ref = referenceOf(id, reference, reference2t);
    intervals[id] = ref ? pairedRatio(results[id], results[ref]) : null;
  }
  return { reference, reference2t, intervals };
}

export function reportC(results: Record<string, PeerResult>): WorkloadReport {
  const { reference, reference2t, intervals } = ratiosC(results);
  const ratios = Object.fromEntries(Object.entries(intervals).map(([id, iv]) => [id, iv?.mean ?? null]));
  return { description: describeWorkloads().C, reference, reference2t, ...splitOurs(results), ratios, ratioIntervals: intervals };
}

/** "0.71 s [0.69, 0.73]", or with one seed "0.71 s (1 seed, no interval)". */
export function intervalText(iv: Interval, unit: string): string {
  if (iv.low === null || iv.high === null) return `${num(iv.mean)}${unit} (${iv.n} seed, no interval)`;
  return `${num(iv.mean)}${unit} [${num(iv.low)}, ${num(iv.high)}]`;
}

/** The ratio cell of a peer on C: mean ratio with its interval over the paired seeds. */
export function ratioText(iv: Interval | null | undefined): string {
  return iv ? intervalText(iv, "x") : "–";
}

export function tableC(report: WorkloadReport): string {
  const { reference, intervals } = ratiosC({ ...report.ours, ...report.peers });
  const target = `${(100 * WORKLOAD_C.targetAccuracy).toFixed(0)}%`;
  const rows = Object.entries({ ...report.ours, ...report.peers }).map(([id, r]) => {
    const s = summarizeC(r);
    if (!s) return [labelOf(id, r), `skipped: ${r.skipped ?? "no result"}`, "", "", "", "", ""];
    const seeds = s.runs.map((run) => String(run.seed ?? "not recorded")).join(", ");
    const reached = s.runs.filter((run) => run.timeToTarget !== null).length;
    const time = s.timeToTarget === null ? `not reached in ${Math.max(...s.runs.map((run) => run.epochsRun))} epochs` : `${intervalText(s.timeToTarget, " s")}${reached < s.runs.length ? `, ${reached} of ${s.runs.length} seeds` : ""}`;
    const epochs = s.runs.map((run) => (run.epochsToTarget === null ? `>${run.epochsRun}` : String(run.epochsToTarget))).join(", ");
    const ratioCell = isOurs(id) ? (id === reference ? "1.00x" : "–") : ratioText(intervals[id]);
    return [labelOf(id, r), seeds, intervalText(s.secondsPerEpoch, " s"), time, epochs, ratioCell, load(r)];
  });
  return table(["peer", "seeds", "s per epoch, mean [95% interval]", `time to ${target}, mean [95% interval]`, `epochs to ${target}, per seed`, "peer ÷ ours (s per epoch)", "others' load (most)"], rows);
}

/** The largest resident set any of our C runs reached, in MB (undefined where none recorded it). */
export function memoryPeakC(report: WorkloadReport | undefined): number | undefined {
  const peaks = Object.values(report?.ours ?? {}).flatMap((r) => seedResults(r).flatMap((s) => {
    const m = (s.memory as { maxRssMB?: number } | undefined)?.maxRssMB;
    return typeof m === "number" ? [m] : [];
  }));
  return peaks.length ? Math.max(...peaks) : undefined;
}
