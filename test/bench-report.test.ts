// The benchmark's arithmetic, on made-up numbers (no timing here: that lives in
// `npm run bench`): ratios compare like with like, dropout's share comes from
// the paired repetitions, and time ratios on C run the other way.

import { describe, expect, it } from "vitest";
import { dropoutShare, type Series } from "../bench/harness.js";
import { nativeTargets, reportA, reportB, reportC, type PeerResult, type Results } from "../bench/report.js";

function series(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1]!, min: sorted[0]!, max: sorted.at(-1)!, samples, stepsPerRep: 10 };
}

const a = (dropout: number[], noDropout: number[]): PeerResult => ({ dropout: series(dropout), noDropout: series(noDropout) });

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

  it("gives C's ratios as the peer's time over ours, like with like", () => {
    const c = (seconds: number): PeerResult => ({ seconds });
    const report = reportC({ "ours-wasm": c(16), "ours-wasm-2t": c(11), "torch-1": c(14), "torch-2": c(11.5) });
    expect(report.ratios["torch-1"]).toBeCloseTo(14 / 16, 12);
    expect(report.ratios["torch-2"]).toBeCloseTo(11.5 / 11, 12);
  });

  it("judges the native backend's targets from the run's numbers, like with like", () => {
    const c = (seconds: number, epochs: number): PeerResult => ({ seconds, epochs: Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, seconds: (seconds * (i + 1)) / epochs, testAccuracy: 0.9 })) });
    const gemm = (best: number): PeerResult => ({ gflops: { NT: { median: best, max: best }, "128x784x1024": { median: best, max: best } } });
    const results = {
      workloads: {
        A: reportA({ "ours-native": a([5000], [6000]), "ours-native-2t": a([9000], [9500]), "torch-1": a([5000], [7000]), "torch-2": a([8000], [10000]) }),
        B: reportB({ "ours-native": { steps: series([30000]) }, "ours-wasm": { steps: series([31000]) }, "torch-1": { steps: series([6000]) } }),
        C: reportC({ "ours-native-2t": c(10, 8), "torch-2": c(12, 10) }),
      },
      ceiling: { "ours-native": gemm(120), "numpy-env-1": gemm(125), "ours-native-2t": gemm(200), "numpy-env-2": gemm(250) },
    } as unknown as Results;
    const byTarget = Object.fromEntries(nativeTargets(results).map((t) => [t.target, t]));
    const ratio = (prefix: string) => Object.entries(byTarget).find(([name]) => name.startsWith(prefix))![1].ratio;
    expect(ratio("A with dropout: native ÷ PyTorch, 2")).toBeCloseTo(9000 / 8000, 12);
    expect(ratio("A with dropout: native ÷ PyTorch, 1")).toBeCloseTo(1, 12);
    expect(ratio("A without dropout: native ÷ PyTorch, 1")).toBeCloseTo(6000 / 7000, 12);
    expect(ratio("native product ÷ NumPy/OpenBLAS, same settings, 1")).toBeCloseTo(120 / 125, 12);
    expect(ratio("native product ÷ NumPy/OpenBLAS, same settings, 2")).toBeCloseTo(0.8, 12);
    expect(ratio("B: native (what auto runs)")).toBeCloseTo(5, 12);
    expect(ratio("B: native ÷ wasm")).toBeCloseTo(30000 / 31000, 12);
    // seconds per epoch: PyTorch 1.2, native 1.25
    expect(ratio("C:")).toBeCloseTo(1.2 / 1.25, 12);
  });
});
