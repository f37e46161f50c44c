// The benchmark's arithmetic, on made-up numbers (no timing here: that lives in
// `npm run bench`): ratios compare like with like, dropout's share comes from
// the paired repetitions, C's ratios are seconds per epoch paired by seed with
// an interval, the targets' verdicts follow that interval, and every label of
// one of our runs says the thread count its result recorded.

import { describe, expect, it } from "vitest";
import { jsBackend } from "../src/index.js";
import { createWasmBackend } from "../src/backend/wasm.js";
import { nodeHelperSpawner } from "../src/node/wasm-threads.js";
import { backendThreads, type EngineResult } from "../bench/engine.js";
import { labelOf, type PeerResult } from "../bench/format.js";
import { dropoutShare, type Series } from "../bench/harness.js";
import { combineSeeds, pairedRatio, reportC, summarizeC } from "../bench/report-c.js";
import { renderMarkdown, reportA, reportB, tableEngine, type Results } from "../bench/report.js";
import { nativeTargets, verdictOf } from "../bench/targets.js";

function series(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1]!, min: sorted[0]!, max: sorted.at(-1)!, samples, stepsPerRep: 10 };
}

const a = (dropout: number[], noDropout: number[]): PeerResult => ({ dropout: series(dropout), noDropout: series(noDropout) });

/** One seed's run of C: `epochs` epochs of `perEpoch` seconds, reaching 88% at `reachedAt` (or never). */
function cRun(seed: number, perEpoch: number, epochs: number, reachedAt: number | null): PeerResult {
  const records = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, seconds: perEpoch * (i + 1), testAccuracy: reachedAt !== null && i + 1 >= reachedAt ? 0.881 : 0.87 }));
  return { seed, seconds: reachedAt === null ? null : perEpoch * reachedAt, reached: reachedAt !== null, epochs: records };
}

/** A peer's C result over seeds 7, 8, 9 with these seconds per epoch, reaching 88% after 9 epochs. */
const cSeeds = (perEpoch: number[]): PeerResult => combineSeeds(perEpoch.map((s, i) => cRun(7 + i, s, 9, 9)));

/** The thread count a label states ("2 threads", "BLAS on 1 thread"). */
const statedThreads = (label: string) => Number(/(\d+) threads?\b/.exec(label)?.[1]);

describe("benchmark report", () => {
  it("divides one-thread peers by our fastest one-thread backend and PyTorch on 2 threads by ours on 2 threads", () => {
    const report = reportA({
      "ours-wasm": a([4000, 4000, 4000], [4100, 4100, 4100]),
      "ours-js": a([300, 300, 300], [200, 200, 200]),
      "ours-wasm-2t": a([7000, 7000, 7000], [7200, 7200, 7200]),
      "tfjs-wasm-expert": a([1600, 1600, 1600], [1600, 1600, 1600]),
      "torch-1": a([8000, 8000, 8000], [10000, 10000, 10000]),
      "torch-2": a([14000, 14000, 14000], [18000, 18000, 18000]),
    });
    expect(report.reference).toBe("ours-wasm");
    expect(report.reference2t).toBe("ours-wasm-2t");
    expect(report.ratios["tfjs-wasm-expert"]).toBeCloseTo(2.5, 12);
    expect(report.ratios["torch-1"]).toBeCloseTo(0.5, 12);
    expect(report.ratios["torch-2"]).toBeCloseTo(0.5, 12);
    expect((report["ratiosNoDropout"] as Record<string, number>)["torch-2"]).toBeCloseTo(0.4, 12);
  });

  it("falls back to the one-thread reference where ours did not run on 2 threads", () => {
    const report = reportA({ "ours-wasm": a([4000], [4000]), "torch-2": a([8000], [8000]) });
    expect(report.reference2t).toBeNull();
    expect(report.ratios["torch-2"]).toBeCloseTo(0.5, 12);
  });

  it("takes dropout's share from the paired repetitions, so a drift that hits both variants cancels", () => {
    // the machine slows down over the run; each pair ran back to back at the same speed
    const withDropout = series([1000, 900, 800, 700, 600]);
    const without = series([1020, 918, 816, 714, 612]);
    expect(dropoutShare(withDropout, without)).toBeCloseTo(1 - 1 / 1.02, 12);
    // sorted separately the medians happen to agree here too; a pair out of step would not
    expect(dropoutShare(series([1000, 500]), series([1000, 1000]))).toBeCloseTo(0.25, 12);
  });
});

describe("workload C over seeds", () => {
  it("summarizes seconds per epoch, time to 88% and the epochs each seed needed", () => {
    const r = combineSeeds([cRun(7, 1.0, 9, 9), cRun(8, 1.2, 10, 10), cRun(9, 1.1, 12, null)]);
    const s = summarizeC(r)!;
    expect(s.runs.map((run) => run.epochsToTarget)).toEqual([9, 10, null]);
    expect(s.secondsPerEpoch.n).toBe(3);
    expect(s.secondsPerEpoch.mean).toBeCloseTo(1.1, 12);
    // t(0.975, 2) = 4.303, sd 0.1: half-width 4.303 * 0.1 / sqrt(3)
    expect(s.secondsPerEpoch.halfWidth).toBeCloseTo((4.302652729911275 * 0.1) / Math.sqrt(3), 9);
    // time to 88% only over the two seeds that reached it: 9 s and 12 s
    expect(s.timeToTarget!.n).toBe(2);
    expect(s.timeToTarget!.mean).toBeCloseTo(10.5, 12);
  });

  it("pairs the ratio of seconds per epoch by seed, the peer's over ours", () => {
    const ours = combineSeeds([cRun(7, 1.0, 9, 9), cRun(8, 2.0, 9, 9)]);
    // the peer's seeds in another order: pairing goes by seed, not position
    const peer = combineSeeds([cRun(8, 2.2, 9, 9), cRun(7, 1.1, 9, 9)]);
    const r = pairedRatio(peer, ours)!;
    expect(r.n).toBe(2);
    expect(r.mean).toBeCloseTo(1.1, 12);
    expect(r.halfWidth).toBeCloseTo(0, 12);
  });

  it("divides PyTorch on 2 threads by ours on 2 threads, and keeps the intervals", () => {
    const report = reportC({ "ours-native": cSeeds([1, 1, 1]), "ours-native-2t": cSeeds([0.7, 0.72, 0.71]), "torch-1": cSeeds([1.2, 1.3, 1.25]), "torch-2": cSeeds([0.7, 0.75, 0.8]) });
    expect(report.reference).toBe("ours-native");
    expect(report.reference2t).toBe("ours-native-2t");
    expect(report.ratios["torch-1"]).toBeCloseTo(1.25, 12);
    const two = (report["ratioIntervals"] as Record<string, { n: number; mean: number }>)["torch-2"]!;
    expect(two.n).toBe(3);
    expect(two.mean).toBeCloseTo((0.7 / 0.7 + 0.75 / 0.72 + 0.8 / 0.71) / 3, 12);
  });

  it("keeps a seed that was skipped out of the numbers, and says so", () => {
    const r = combineSeeds([{ ...cRun(7, 1, 9, 9), otherLoad: 0.1 }, { seed: 8, skipped: "timed out after 420 s", otherLoad: 0.9 }]);
    expect(r.skipped).toBeUndefined();
    expect(r.otherLoad).toBe(0.9);
    expect(r.notes).toContain("seed 8 skipped: timed out after 420 s");
    expect(summarizeC(r)!.runs).toHaveLength(1);
    expect(combineSeeds([{ seed: 7, skipped: "Fashion-MNIST missing" }]).skipped).toBe("Fashion-MNIST missing");
  });

  it("reads a result from before seeds as one seed without an interval", () => {
    const old: PeerResult = { seconds: 7.5, reached: true, epochs: [1, 2, 3].map((e) => ({ epoch: e, seconds: 2.5 * e, testAccuracy: e === 3 ? 0.882 : 0.87 })) };
    const s = summarizeC(old)!;
    expect(s.runs).toEqual([{ seed: null, epochsRun: 3, secondsPerEpoch: 2.5, timeToTarget: 7.5, epochsToTarget: 3 }]);
    expect(s.secondsPerEpoch.halfWidth).toBeNull();
  });
});

describe("the native backend's targets", () => {
  const gemm = (best: number): PeerResult => ({ gflops: { NT: { median: best, max: best }, "128x784x1024": { median: best, max: best } } });
  const results = (c: Record<string, PeerResult>) =>
    ({
      workloads: {
        A: reportA({ "ours-native": a([5000], [6000]), "ours-native-2t": a([9000], [9500]), "torch-1": a([5000], [7000]), "torch-2": a([8000], [10000]) }),
        B: reportB({ "ours-native": { steps: series([30000]) }, "ours-wasm": { steps: series([31000]) }, "torch-1": { steps: series([6000]) } }),
        C: reportC(c),
      },
      ceiling: { "ours-native": gemm(120), "numpy-env-1": gemm(125), "ours-native-2t": gemm(200), "numpy-env-2": gemm(250) },
    }) as unknown as Results;
  const target = (r: Results, prefix: string) => nativeTargets(r).find((t) => t.target.startsWith(prefix))!;

  it("judges the medians' targets from the run's numbers, like with like", () => {
    const r = results({ "ours-native-2t": cSeeds([1, 1, 1]), "torch-2": cSeeds([1.2, 1.2, 1.2]) });
    expect(target(r, "A with dropout: native ÷ PyTorch, 2").ratio).toBeCloseTo(9000 / 8000, 12);
    expect(target(r, "A with dropout: native ÷ PyTorch, 1").ratio).toBeCloseTo(1, 12);
    expect(target(r, "A without dropout: native ÷ PyTorch, 1").ratio).toBeCloseTo(6000 / 7000, 12);
    expect(target(r, "native product ÷ NumPy/OpenBLAS, same settings, 1").ratio).toBeCloseTo(120 / 125, 12);
    expect(target(r, "native product ÷ NumPy/OpenBLAS, same settings, 2").ratio).toBeCloseTo(0.8, 12);
    expect(target(r, "B: native (what auto runs)").ratio).toBeCloseTo(5, 12);
    expect(target(r, "B: native ÷ wasm").ratio).toBeCloseTo(30000 / 31000, 12);
    expect(verdictOf(target(r, "A without dropout: native ÷ PyTorch, 1"))).toBe("not met");
    expect(verdictOf(target(r, "B: native (what auto runs)"))).toBe("met");
  });

  it("meets C's target only when the interval of the paired ratio lies above the goal", () => {
    const above = target(results({ "ours-native-2t": cSeeds([1, 1.02, 0.98]), "torch-2": cSeeds([1.2, 1.21, 1.19]) }), "C:");
    expect(above.interval!.low!).toBeGreaterThan(1);
    expect(verdictOf(above)).toBe("met");
    // a mean ratio above 1 whose interval holds 1 (per epoch PyTorch is faster on one seed) decides nothing
    const straddles = target(results({ "ours-native-2t": cSeeds([1, 1, 1]), "torch-2": cSeeds([1.1, 0.9, 1.15]) }), "C:");
    expect(straddles.ratio!).toBeGreaterThan(1);
    expect(verdictOf(straddles)).toBe("no measurable difference from the goal");
    const below = target(results({ "ours-native-2t": cSeeds([1, 1, 1]), "torch-2": cSeeds([0.8, 0.82, 0.81]) }), "C:");
    expect(verdictOf(below)).toBe("not met");
    const oneSeed = target(results({ "ours-native-2t": cSeeds([1]), "torch-2": cSeeds([1.5]) }), "C:");
    expect(verdictOf(oneSeed)).toBe("not measurable: one seed, no interval");
    expect(verdictOf(target(results({ "ours-native-2t": cSeeds([1]) }), "C:"))).toBe("not measured");
  });
});

describe("labels say what ran", () => {
  const engine = (backend: string, threads: number | undefined, dropout: number): EngineResult => ({
    backend,
    ...(threads === undefined ? {} : { threads }),
    examplesPerSecond: { dropout, noDropout: dropout * 1.03 },
    dropoutShare: 0.03,
  });

  it("labels every row of the engine's table with the thread count its result recorded", () => {
    const backends = {
      "ours-js": engine("js", 1, 3000),
      "ours-wasm": engine("wasm", 1, 30000),
      // asked for 2 threads, but the helper never started: the result records 1, and so must the label
      "ours-wasm-2t": engine("wasm", 1, 31000),
      "ours-native": engine("native", 1, 60000),
      "ours-native-2t": engine("native", 2, 90000),
    };
    const rows = tableEngine({ network: "784-256-256-10", backends }).split("\n").slice(2);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const [label, perSecond] = row.split(" | ").map((c) => c.replace(/^\| /, ""));
      const result = Object.values(backends).find((r) => Math.round(r.examplesPerSecond.dropout).toLocaleString("en-US") === perSecond)!;
      expect(label).toContain(`${result.backend} backend`);
      expect(statedThreads(label!)).toBe(result.threads);
    }
  });

  it("says a thread count was not recorded rather than guess it", () => {
    const table = tableEngine({ network: "784-256-256-10", backends: { js: engine("js", undefined, 3000), wasm: engine("wasm", undefined, 50000) } });
    expect(table).toContain("| wasm backend, thread count not recorded | 50,000 |");
    expect(table).not.toMatch(/\d+ threads?\b/);
  });

  it("labels our rows of every workload from the threads the result recorded", () => {
    expect(labelOf("ours-wasm-2t", { threads: 1 })).toBe("dropout-lab (wasm backend, 1 thread)");
    expect(labelOf("ours-native-2t", { threads: 2 })).toBe("dropout-lab (native backend, BLAS on 2 threads)");
    expect(labelOf("ours-wasm-plain", { threads: 1, variant: "plain" })).toBe("dropout-lab (wasm backend, plain kernels, 1 thread)");
    const results = { date: "2026-12-01", machine: { cpu: "x", cores: 2, memoryGB: 1, os: "y", node: "v20", loadAverage: [0] }, mode: "quick", wallSeconds: 1, workloads: { A: reportA({ "ours-wasm-2t": { ...a([7000], [7000]), threads: 1, dropoutShare: 0 } }) } } as unknown as Results;
    const row = renderMarkdown(results, { notes: false }).split("\n").find((l) => l.startsWith("| dropout-lab (wasm"))!;
    expect(statedThreads(row)).toBe(1);
  });

  it("takes the thread count from the backend: its helpers that are up, not the count asked for", async () => {
    expect(backendThreads(jsBackend)).toBe(1);
    expect(backendThreads(createWasmBackend())).toBe(1);
    const two = createWasmBackend({ threads: 2, spawn: nodeHelperSpawner });
    try {
      const deadline = Date.now() + 30_000;
      while (two.stats().helpersStarted < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(backendThreads(two)).toBe(2);
    } finally {
      two.close();
    }
  });
});
