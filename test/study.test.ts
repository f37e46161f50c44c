// The advice benchmark on a tiny plan (wine, small networks, 2 seeds): the
// row format the CLI prints, the rows' arithmetic, and resume: a study killed
// part-way continues from its run store and gives the same table as one that
// never stopped.

import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from "../src/toolkit.js";
import { runExperiments, runStudy, type Runner, type StudyPlan } from "../src/node/index.js";

function config(hidden: number[], extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  const { hidden: _h, ...rest } = DEFAULT_EXPERIMENT;
  return { ...rest, data: "wine", hidden, epochs: 8, patience: 2, seed: 1, ...extra };
}

const PLAN: StudyPlan = {
  cases: [{ name: "wine", inputKind: "tabular", networks: [{ name: "fits", config: config([8]) }, { name: "large", config: config([32, 32]) }] }],
  settings: { seeds: [1, 2], searchSeeds: [101], grid: [0.5, 1], lambdas: [0.1, 10] },
  variance: { models: 3, cases: [{ name: "wine", inputKind: "tabular", config: config([16], { splitSeed: 1 }) }] },
  sizes: { trainSizes: [40, 124], seeds: [1, 2], inputKind: "tabular", config: config([16]) },
};

const inThread: Runner = (configs, onDone) => runExperiments(configs, { workers: 0, backend: "js", ...(onDone ? { onDone: (_i, r) => onDone(r) } : {}) });

/** A runner that dies (rejects) after `limit` runs have finished and been stored. */
function dyingRunner(limit: number): Runner {
  let finished = 0;
  return async (configs, onDone) => {
    const out = [];
    for (const c of configs) {
      if (finished >= limit) throw new Error("killed");
      const [r] = await inThread([c], onDone);
      finished++;
      out.push(r!);
    }
    return out;
  };
}

const strip = (r: Awaited<ReturnType<typeof runStudy>>) => JSON.stringify({ rows: r.rows, variance: r.variance, sizes: r.sizes });

describe("dropout-lab study", () => {
  it("rows have the four arms, the regret, dropout's effect and diagnose's verdict, computed from the paired runs", async () => {
    const r = await runStudy({ quick: true, plan: PLAN, outDir: mkdtempSync(join(tmpdir(), "study-")), runner: inThread });
    expect(r.rows.map((x) => [x.data, x.network])).toEqual([["wine", "fits"], ["wine", "large"]]);
    for (const row of r.rows) {
      for (const arm of ["none", "advised", "searched", "l2"] as const) {
        expect(row.arms[arm]).toMatchObject({ mean: expect.any(Number), seeds: 2 });
        expect(row.arms[arm].low!).toBeLessThanOrEqual(row.arms[arm].mean);
      }
      expect(row.regret.mean).toBeCloseTo(row.arms.searched.mean - row.arms.advised.mean, 12);
      expect(row.dropoutEffect.mean).toBeCloseTo(row.arms.advised.mean - row.arms.none.mean, 12);
      const expected = row.dropoutEffect.direction === "higher" ? row.diagnose.useDropout : !row.diagnose.useDropout;
      expect(row.diagnose.agrees).toBe(expected);
      expect(PLAN.settings.grid).toContain(row.chosen.keepProbs[row.chosen.keepProbs.length - 1]);
      expect(PLAN.settings.lambdas).toContain(row.chosen.lambda);
      expect(row.arms.l2.config.l2).toBe(row.chosen.lambda);
    }
    const v = r.variance[0]!;
    expect(v.models).toBe(3);
    expect(v.none.error.mean).toBeCloseTo(v.none.bias.mean + v.none.netVariance.mean, 12);
    expect(r.sizes.map((s) => s.trainSize)).toEqual([40, 124]);
  }, 120_000);

  it("a study killed part-way resumes from its run store and gives the same table", async () => {
    const full = await runStudy({ quick: true, plan: PLAN, outDir: mkdtempSync(join(tmpdir(), "study-")), runner: inThread });
    const dir = mkdtempSync(join(tmpdir(), "study-"));
    await expect(runStudy({ quick: true, plan: PLAN, outDir: dir, runner: dyingRunner(20) })).rejects.toThrow("killed");
    expect(readdirSync(join(dir, "runs"))).toHaveLength(20);
    const resumed = await runStudy({ quick: true, plan: PLAN, outDir: dir, runner: inThread });
    expect(resumed.runs.cached).toBe(20);
    expect(resumed.runs.total).toBe(full.runs.total);
    expect(strip(resumed)).toBe(strip(full));
  }, 120_000);
});
