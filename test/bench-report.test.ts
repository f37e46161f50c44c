// The benchmark's arithmetic, on made-up numbers (no timing here: that lives in
// `npm run bench`): ratios compare like with like, dropout's share comes from
// the paired repetitions, and time ratios on C run the other way.

import { describe, expect, it } from "vitest";
import { dropoutShare, type Series } from "../bench/harness.js";
import { reportA, reportC, type PeerResult } from "../bench/report.js";

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
});
