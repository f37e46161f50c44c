// End-to-end tests of the toolkit commands (spread, ridge, advise, tune,
// check, diagnose, predict --mc): the real bin, JSON output checked.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

function json(args: string[]): any {
  const r = cli([...args, "--json"]);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("toolkit commands", () => {
  it("advise --layers 3,7,7,3,2,1 gives 1.0, 0.7, 0.5, 0.7, 1.0 with a reason for each", () => {
    const a = json(["advise", "--layers", "3,7,7,3,2,1"]);
    expect(a.keepProbs).toEqual([1, 0.7, 0.5, 0.7, 1]);
    expect(a.layers.map((l: any) => l.index)).toEqual([0, 1, 2, 3, 4]);
    expect(a.layers[2]).toMatchObject({ shape: [7, 7], params: 49, keepProb: 0.5 });
    for (const l of a.layers) expect(l.reason).toContain(l.index === 0 ? "input layer (3 features)" : `layer ${l.index} (${l.units} units) is fed by W${l.index}`);
    // the rest of the recipe, from the default settings, each change with its source
    expect(a.recipe.map((c: any) => `${c.flag} ${c.to}`)).toEqual(["--keep-probs 1,0.7,0.5,0.7,1", "--epochs 30", "--patience 10", "--max-norm 3", "--lr unchanged"]);
    for (const c of a.recipe) expect(c.source).toMatch(/Srivastava et al\. 2014|dropout-lab's rule|measured/);
  });

  it("spread: dropout adds at least one effective input and lowers the largest share", () => {
    const s = json(["spread", "--seed", "1"]);
    const [none, l2, dropout] = s.runs;
    expect([none.method, l2.method, dropout.method]).toEqual(["none", "l2", "dropout"]);
    expect(dropout.effectiveInputs - none.effectiveInputs).toBeGreaterThanOrEqual(1);
    expect(dropout.largestShare).toBeLessThan(none.largestShare);
  });

  it("ridge: SGD with input dropout lands within 2% of the closed form", () => {
    const r = json(["ridge", "--keep-prob", "0.8", "--size", "1000"]);
    expect(r.p).toBe(0.8);
    expect(r.closedForm).toHaveLength(4);
    expect(r.trained).toHaveLength(4);
    expect(r.ridge).toHaveLength(4);
    expect(r.relativeError).toBeLessThan(0.02);
  });

  it("check: J falls monotonically with dropout off, gradients check, and the noisy cost jitters more than the clean J", () => {
    const c = json(["check", "--data", "circle", "--layers", "2,16,16,1", "--activation", "tanh", "--keep-probs", "1,0.5,0.5", "--lr", "0.1"]);
    expect(c.monotone).toMatchObject({ passed: true, iterations: 50, violations: [] });
    expect(c.gradientCheck.passed).toBe(true);
    expect(c.gradientCheck.maxRelativeError).toBeLessThan(1e-7);
    expect(c.jitter.noisyStd).toBeGreaterThan(c.jitter.cleanStd);
    const bad = cli(["check", "--data", "circle", "--layers", "2,16,16,1", "--activation", "tanh", "--keep-probs", "1,0.5,0.5", "--lr", "8"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/J rose \d+ times/);
    expect(bad.stderr).toMatch(/lower the learning rate/);
  });

  it("diagnose on penguins trains to convergence on 3 seeds, finds no meaningful gap and says dropout is not needed", () => {
    const d = json(["diagnose", "--data", "penguins", "--hidden", "16", "--seeds", "3"]);
    expect(d.seeds).toEqual([1, 2, 3]);
    expect(d.verdict).toBe("fine");
    expect(d.recommendation.useDropout).toBe(false);
    expect(d.gap).toBeLessThanOrEqual(d.gapThreshold);
    expect(d.baseline.runs).toHaveLength(3);
    for (const r of d.baseline.runs) {
      // early stopping (patience 10 by default) ended each run, read at its best epoch
      expect(r.stopReason).toBe("patience");
      expect(r.epochs).toBe(r.bestEpoch + 10);
    }
    expect(d.devAccuracy).toBeCloseTo(d.baseline.runs.reduce((a: number, r: any) => a + r.devAccuracy, 0) / 3, 12);
    expect(d.baseline.devAccuracy.low).toBeLessThanOrEqual(d.devAccuracy);
    expect(d.withDropout).toBeUndefined();
  });

  it("diagnose refuses bad replicate and early-stopping flags with one line, exit 2", () => {
    for (const [args, message] of [
      [["--seeds", "0"], /--seeds must be a count in \[1, 100\] or a comma-separated list of distinct non-negative integer seeds, got "0"/],
      [["--seeds", "1,1"], /--seeds must be .* got "1,1"/],
      [["--patience", "0"], /--patience must be an integer in \[1, 1000000\], got 0/],
      [["--patience", "3", "--monitor", "accuracy"], /--monitor must be one of dev-accuracy, dev-loss; got "accuracy"/],
      [["--min-delta", "-1", "--patience", "2"], /--min-delta must be a number in \[0, 1000000\], got -1/],
    ] as const) {
      const r = cli(["diagnose", "--data", "penguins", ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("tune: the same seed gives the same table, sorted by dev accuracy, with the advisor's gap", () => {
    const args = ["tune", "--data", "xor", "--size", "300", "--layers", "2,32,32,1", "--activation", "tanh", "--epochs", "4", "--grid", "0.5,0.8,1", "--rungs", "2", "--seed", "2", "--seeds", "2"];
    const a = json([...args, "--workers", "2"]);
    const b = json([...args, "--workers", "1"]);
    const strip = (t: any) => ({ ...t, seconds: 0, config: undefined });
    expect(strip(a)).toEqual(strip(b));
    const finished = a.trials.filter((t: any) => !t.stoppedEarly).map((t: any) => t.devAccuracy);
    expect(finished).toEqual([...finished].sort((x: number, y: number) => y - x));
    expect(a.advisorGap).toBeCloseTo(a.best.devAccuracy - a.advisor.devAccuracy, 12);
    expect(a.seeds).toEqual([2, 3]);
    for (const t of a.trials) expect(t.runs.map((r: any) => r.seed)).toEqual([2, 3]);
    if (a.best.index !== 0) expect(a.advisorComparison.difference.n).toBe(2);
  });

  it("variance: bias and variance over bootstrap networks with and without the advised dropout, error = bias + net variance", () => {
    const v = json(["variance", "--data", "wine", "--hidden", "32", "--models", "3", "--epochs", "20", "--patience", "3"]);
    expect(v.models).toBe(3);
    for (const d of [v.none, v.dropout]) {
      expect(d.models).toBe(3);
      expect(d.examples).toBe(27);
      expect(d.error.mean).toBeCloseTo(d.bias.mean + d.netVariance.mean, 12);
    }
    expect(v.change.variance.difference.mean).toBeCloseTo(v.dropout.variance.mean - v.none.variance.mean, 12);
    const bad = cli(["variance", "--data", "wine", "--models", "1"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--models must be an integer in \[2, 1000\], got 1/);
  });

  it("predict --mc: predictive mean, std and entropy, and entropy of wrong vs correct predictions", () => {
    const model = join(tempDir(), "m.json");
    expect(cli(["train", "--data", "gauss", "--hidden", "16", "--keep-probs", "1,0.5", "--epochs", "5", "--save", model]).status).toBe(0);
    const p = json(["predict", "--load", model, "--mc", "20", "--limit", "5"]);
    expect(p.samples).toBe(20);
    expect(p.curve).toHaveLength(20);
    expect(p.predictions).toHaveLength(5);
    expect(p.predictions[0]).toMatchObject({ mean: expect.any(Array), std: expect.any(Array), entropy: expect.any(Number) });
    expect(p.entropyByOutcome.correct.count + p.entropyByOutcome.wrong.count).toBe(p.examples);
  });

  it("bad toolkit flags exit 2 with one line", () => {
    const r = cli(["advise", "--layers", "3,0,1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/layer size 1 must be an integer in \[1, 65536\], got 0/);
    const s = cli(["spread", "--keep-prob", "1.5"]);
    expect(s.status).toBe(2);
    expect(s.stderr.trim()).toBe("dropout-lab: error: --keep-prob must be a number in (0, 1], got 1.5");
    expect(cli(["predict", "--load", "x.json", "--mc", "0"]).status).toBe(2);
  });
});
