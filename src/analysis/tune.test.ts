import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { advise } from "./advisor.js";
import { defaultSearchLayers, runTrial, trialCount, trialKeepProbs, validateTuneExperiment, type TuneExperiment } from "./tune.js";
import { tune } from "./tune-schedule.js";

import { TUNE_DATA as DATA, TUNE_EXPERIMENT as EXPERIMENT } from "./tune.fixtures.js";

describe("the keepProb search", () => {
  it("searches the large layers on a grid, the advisor's setting being trial 0", () => {
    expect(defaultSearchLayers([2, 16, 16, 1])).toEqual([2]);
    expect(defaultSearchLayers([784, 512, 512, 10])).toEqual([1, 2]);
    expect(defaultSearchLayers([2, 3, 100])).toEqual([1]);
    expect(defaultSearchLayers([5, 2])).toEqual([0]);
    expect(trialCount(EXPERIMENT)).toBe(7);
    const advice = advise({ layers: [2, 16, 16, 1], examples: DATA.train.size }).keepProbs;
    expect(trialKeepProbs(EXPERIMENT, 0, 1, DATA.train.size)).toEqual(advice);
    expect([1, 2, 6].map((i) => trialKeepProbs(EXPERIMENT, i, 1, DATA.train.size)[2])).toEqual([0.5, 0.6, 1]);
    const grid2: TuneExperiment = { ...EXPERIMENT, search: { kind: "grid", layers: [1, 2], values: [0.5, 1] } };
    expect(trialCount(grid2)).toBe(5);
    expect([1, 2, 3, 4].map((i) => trialKeepProbs(grid2, i, 1, 100).slice(1))).toEqual([[0.5, 0.5], [0.5, 1], [1, 0.5], [1, 1]]);
    const random: TuneExperiment = { ...EXPERIMENT, search: { kind: "random", trials: 5, min: 0.4, max: 0.9 } };
    expect(trialCount(random)).toBe(6);
    const draws = [1, 2, 3, 4, 5].map((i) => trialKeepProbs(random, i, 1, 100)[2]!);
    for (const d of draws) {
      expect(d).toBeGreaterThanOrEqual(0.4);
      expect(d).toBeLessThanOrEqual(0.9);
      expect(Math.round(d * 100) / 100).toBe(d);
    }
    expect([1, 2, 3, 4, 5].map((i) => trialKeepProbs(random, i, 1, 100)[2]!)).toEqual(draws);
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it("stops trials below the median at each rung and ranks the rest by dev accuracy", () => {
    const r = tune(EXPERIMENT, DATA, 1);
    expect(r.trials).toHaveLength(7);
    expect(r.rungs).toEqual([2, 4, 6]);
    expect(r.searchedLayers).toEqual([2]);
    const finished = r.trials.filter((t) => !t.stoppedEarly), stopped = r.trials.filter((t) => t.stoppedEarly);
    expect(stopped.length).toBeGreaterThan(0);
    for (const t of finished) expect(t.epochs).toBe(6);
    for (const t of stopped) expect(t.epochs).toBeLessThan(6);
    expect(r.trials.slice(0, finished.length)).toEqual(finished);
    for (let i = 1; i < finished.length; i++) expect(finished[i]!.devAccuracy).toBeLessThanOrEqual(finished[i - 1]!.devAccuracy);
    expect(r.advisor.index).toBe(0);
    expect(r.advisor.stoppedEarly).toBe(false);
    expect(r.best).toEqual(r.trials[0]);
    expect(r.advisorGap).toBe(r.best.devAccuracy - r.advisor.devAccuracy);
    // the best is the finished trial with the highest dev accuracy: no finished trial beats it, the advisor included
    expect(Math.max(...finished.map((t) => t.devAccuracy))).toBe(r.best.devAccuracy);
    expect(r.epochsTrained).toBe(r.trials.reduce((n, t) => n + t.epochs, 0));
    expect(r.epochsTrained).toBeLessThan(7 * 6);
    // resuming a trial from its rung checkpoints gives exactly the uninterrupted run
    for (const t of finished) expect(runTrial(EXPERIMENT, t.index, 1, DATA)).toEqual(t.runs[0]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("runs every trial on every seed to convergence and compares the advisor with the best, paired by seed", () => {
    const converging: TuneExperiment = {
      ...EXPERIMENT,
      pruning: undefined,
      train: { ...EXPERIMENT.train, epochs: 60, earlyStopping: { patience: 3, monitor: "dev-accuracy", minDelta: 0, restoreBest: true } },
      search: { kind: "grid", values: [0.5, 1] },
    };
    const r = tune(converging, DATA, [4, 5, 6]);
    expect(r.seeds).toEqual([4, 5, 6]);
    expect(r.trials).toHaveLength(3);
    for (const t of r.trials) {
      expect(t.runs.map((x) => x.seed)).toEqual([4, 5, 6]);
      for (const x of t.runs) {
        expect(x.finished).toBe(true);
        // read at the best epoch: the run trained exactly `patience` more, unless it hit the cap
        expect(x.epochs === 60 || x.epochs === x.bestEpoch + 3).toBe(true);
      }
      expect(t.devAccuracy).toBeCloseTo(t.runs.reduce((a, x) => a + x.devAccuracy, 0) / 3, 14);
      expect(t.dev.n).toBe(3);
    }
    if (r.best.index === 0) expect(r.advisorComparison).toBeUndefined();
    else {
      const diffs = r.best.runs.map((x, i) => x.devAccuracy - r.advisor.runs[i]!.devAccuracy);
      expect(r.advisorComparison!.difference.mean).toBeCloseTo(diffs.reduce((a, b) => a + b, 0) / 3, 14);
    }
    // one seed of a multi-seed search is the single-seed search of that seed (for trial runs)
    const single = tune(converging, DATA, [5]);
    for (const t of single.trials) expect(t.runs[0]).toEqual(r.trials.find((u) => u.index === t.index)!.runs[1]);
  });

  it("rejects bad experiments with one line naming the value", () => {
    expect(() => validateTuneExperiment({ ...EXPERIMENT, pruning: { rungs: [3, 3] } })).toThrow(/--rungs\[1\] must be an integer in \[4, 5\], got 3/);
    expect(() => validateTuneExperiment({ ...EXPERIMENT, pruning: { rungs: [6] } })).toThrow(/--rungs\[0\] must be an integer in \[1, 5\], got 6/);
    expect(() => tune(EXPERIMENT, DATA, [1, 1])).toThrow(/seeds must be distinct/);
    expect(() => validateTuneExperiment({ ...EXPERIMENT, search: { kind: "grid", layers: [3] } })).toThrow(/search.layers\[0\] must be an integer in \[0, 2\], got 3/);
    expect(() => validateTuneExperiment({ ...EXPERIMENT, search: { kind: "grid", values: [0] } })).toThrow(/search.values\[0\] must be a number in \(0, 1\], got 0/);
    expect(() => tune(EXPERIMENT, { train: DATA.train }, 1)).toThrow(/needs a non-empty classification dev set/);
  });
});
