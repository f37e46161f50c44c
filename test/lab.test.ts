// End-to-end tests of the lab: one `dropout-lab lab --quick --json` run, shared
// by every assertion, checks the report's figures and the facts each section
// must show, whatever values the run measured. Plus the plot builders' options
// the sections rely on, rendered to SVG.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { heatmap, linePlot } from "../src/toolkit.js";
import { renderSvg } from "../src/node/index.js";
import { cli, tempDir } from "./helpers.js";

interface LabJson {
  report: string;
  quick: boolean;
  sections: Record<string, { claim: string; seconds: number; results: any }>;
}

describe("dropout-lab lab --quick", () => {
  let out: LabJson;
  let html: string;
  beforeAll(() => {
    const dir = tempDir();
    const r = cli(["lab", "--quick", "--out", dir, "--json"], { timeout: 300_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    out = JSON.parse(r.stdout);
    html = readFileSync(join(dir, "index.html"), "utf8");
  }, 300_000);

  it("writes a self-contained report whose every plot rendered to SVG", () => {
    const figures = html.match(/<figure>/g) ?? [];
    const svgs = html.match(/<figure><svg[^>]*>[\s\S]*?<\/svg>/g) ?? [];
    expect(figures.length).toBeGreaterThanOrEqual(13);
    expect(svgs).toHaveLength(figures.length);
    for (const svg of svgs) expect(svg).toMatch(/<path|<rect/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it("runs every section and gives each one's reproducing commands", () => {
    expect(Object.keys(out.sections)).toEqual(["mnist-dropout", "spread", "ridge", "advise-tune", "check", "diagnose", "study", "mc"]);
    for (const command of [
      "dropout-lab train --data mnist",
      "dropout-lab spread --seed 1",
      "dropout-lab ridge --keep-prob",
      "dropout-lab advise --layers",
      "dropout-lab tune --data mnist",
      "dropout-lab check --data circle",
      "dropout-lab diagnose --data mnist",
      "dropout-lab diagnose --data penguins",
      "dropout-lab predict --load model.json --mc 100",
    ]) {
      expect(html).toContain(command);
    }
  });

  it("mnist-dropout: both arms trained to convergence on the same seeds, the headline computed from the paired interval", () => {
    const m = out.sections["mnist-dropout"]!;
    const [plain, drop] = m.results.arms;
    expect(plain.runs.map((r: any) => r.seed)).toEqual(m.results.seeds);
    expect(drop.runs.map((r: any) => r.seed)).toEqual(m.results.seeds);
    for (const r of [...plain.runs, ...drop.runs]) {
      expect(r.stop.restored).toBe(true);
      expect(r.epoch).toBe(r.stop.bestEpoch);
    }
    const diffs = drop.runs.map((r: any, i: number) => r.test.accuracy - plain.runs[i].test.accuracy);
    expect(m.results.test.difference.mean).toBeCloseTo(diffs.reduce((a: number, b: number) => a + b, 0) / diffs.length, 12);
    const { low, high } = m.results.test.difference;
    const expected = low > 0 ? "raises test accuracy" : high < 0 ? "lowers test accuracy" : "makes no measurable difference to test accuracy";
    expect(m.claim).toContain(expected);
    expect(m.claim).toBe(m.results.headline);
  });

  it("spread: dropout gains at least one effective input over no penalty and lowers the largest share", () => {
    const s = out.sections.spread!.results;
    const none = s.runs.find((r: { method: string }) => r.method === "none");
    const drop = s.runs.find((r: { method: string }) => r.method === "dropout");
    expect(s.dropoutVsNone.effectiveInputsGain).toBeGreaterThanOrEqual(1);
    expect(drop.largestShare).toBeLessThan(none.largestShare);
  });

  it("ridge: SGD with input dropout lands near the closed form, which shrinks every feature alike", () => {
    const r = out.sections.ridge!.results;
    expect(r.relativeError).toBeLessThan(0.02);
    const dropout = r.features.map((f: { dropoutShrinkage: number }) => f.dropoutShrinkage);
    const ridge = r.features.map((f: { ridgeShrinkage: number }) => f.ridgeShrinkage);
    expect(Math.max(...dropout) - Math.min(...dropout)).toBeLessThan(Math.max(...ridge) - Math.min(...ridge));
  });

  it("advise-tune: a converged search on several seeds, the advisor's gap a paired difference and the claim its words", () => {
    const s = out.sections["advise-tune"]!;
    const { advice, tune } = s.results;
    expect(advice.keepProbs).toHaveLength(3);
    expect(tune.trials.length).toBe(1 + tune.grid.length ** 2);
    for (const t of tune.trials) {
      expect(t.runs.map((r: any) => r.seed)).toEqual(tune.seeds);
      for (const r of t.runs) expect(r.finished).toBe(true);
    }
    expect(tune.best.devAccuracy).toBe(Math.max(...tune.trials.map((t: any) => t.devAccuracy)));
    expect(tune.advisorGap).toBeCloseTo(tune.best.devAccuracy - tune.advisor.devAccuracy, 12);
    if (tune.advisorComparison === null) expect(s.claim).toContain("the advisor's own setting comes out best");
    else if (tune.advisorComparison.direction === "higher") expect(s.claim).toContain("beats the advisor's");
    else expect(s.claim).toContain("is within the noise of the best one found");
  });

  it("check: J falls monotonically with dropout off and the gradient check passes; the noisy cost jitters more than J", () => {
    const c = out.sections.check!.results;
    expect(c.passed).toBe(true);
    expect(c.monotone.violations).toEqual([]);
    expect(c.gradientCheck.maxRelativeError).toBeLessThan(1e-6);
    expect(c.jitter.ratio).toBeGreaterThan(1);
  });

  it("diagnose: verdicts from converged multi-seed runs, mnist's reusing the MNIST section's runs, the claim written from them", () => {
    const d = out.sections.diagnose!;
    const { mnist, penguins } = d.results;
    // the same seeds and numbers as the MNIST section: one set of runs, two readings
    const m = out.sections["mnist-dropout"]!.results;
    expect(mnist.seeds).toEqual(m.seeds);
    expect(mnist.baseline.runs.map((r: any) => r.devAccuracy)).toEqual(m.arms[0].runs.map((r: any) => r.devAccuracy));
    for (const r of [...mnist.baseline.runs, ...penguins.baseline.runs]) expect(r.stopReason).toBeDefined();
    expect(penguins.verdict).toBe("fine");
    expect(penguins.recommendation.useDropout).toBe(false);
    expect(penguins.withDropout).toBeUndefined();
    expect(d.claim).toContain("penguins (tabular, 9-16-3) shows no meaningful overfitting");
    if (mnist.withDropout) {
      const dir = mnist.withDropout.devChange.direction;
      expect(mnist.recommendation.useDropout).toBe(dir === "higher");
      expect(d.claim).toContain(dir === "higher" ? "measurably helps" : dir === "lower" ? "measurably hurts" : "makes no measurable difference");
    } else expect(mnist.recommendation.useDropout).toBe(false);
  });

  it("study: the advice benchmark in small, each row's regret and effect paired over the seeds, diagnose checked against the effect", () => {
    const st = out.sections.study!;
    expect(st.results.rows.map((r: any) => r.data)).toEqual(["digits", "digits", "breast-cancer", "breast-cancer", "wine", "wine"]);
    for (const r of st.results.rows) {
      expect(r.dropoutEffect.mean).toBeCloseTo(r.arms.advised.mean - r.arms.none.mean, 12);
      if (r.diagnose.agrees !== null) expect(r.diagnose.agrees).toBe(r.dropoutEffect.direction === "higher" ? r.diagnose.useDropout : !r.diagnose.useDropout);
    }
    expect(html).toContain("dropout-lab study");
  });

  it("mc: the mean predictive entropy of wrong predictions is reported beside that of correct ones, and is higher", () => {
    const m = out.sections.mc!.results;
    expect(m.samples).toBe(100);
    expect(m.curve).toHaveLength(100);
    const { correct, wrong } = m.entropyByOutcome;
    expect(correct.count + wrong.count).toBe(m.examples);
    expect(wrong.meanEntropy).toBeGreaterThan(correct.meanEntropy);
  });
});

describe("plot options the lab relies on", () => {
  it("linePlot draws labelled reference rules, on a log x axis too", async () => {
    const spec = linePlot({
      title: "t",
      points: [{ x: 1, y: 0.2, series: "a" }, { x: 100, y: 0.8, series: "a" }],
      xTitle: "x",
      yTitle: "y",
      logX: true,
      rules: [{ axis: "y", value: 0.5, label: "level rule" }, { axis: "x", value: 10, label: "upright rule" }],
    });
    const svg = await renderSvg(spec);
    expect(svg).toContain("level rule");
    expect(svg).toContain("upright rule");
  });

  it("linePlot's y axis spans the data, not 0 to 1, so a gap of a few points shows; a log y axis is not padded to whole decades", async () => {
    const ticks = (svg: string) => [...svg.matchAll(/role-axis-label[\s\S]*?<\/g><\/g>/g)].flatMap((m) => [...m[0].matchAll(/>([0-9.]+)<\/text>/g)].map((t) => Number(t[1])));
    const accuracy = await renderSvg(
      linePlot({ title: "t", points: [{ x: 1, y: 0.931, series: "none" }, { x: 2, y: 0.962, series: "dropout" }, { x: 3, y: 0.968, series: "dropout" }], xTitle: "epoch", yTitle: "accuracy" }),
    );
    const y = ticks(accuracy).filter((v) => v < 1 && v > 0);
    expect(y.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...ticks(accuracy).filter((v) => v <= 1))).toBeGreaterThan(0.8);
    const cost = await renderSvg(linePlot({ title: "t", points: [{ x: 1, y: 0.31, series: "J" }, { x: 2, y: 0.12, series: "J" }], xTitle: "epoch", yTitle: "cost", logY: true }));
    const logTicks = ticks(cost).filter((v) => v < 1);
    expect(Math.min(...logTicks)).toBeGreaterThanOrEqual(0.1);
  });

  it("heatmap cells show their label or their formatted value", async () => {
    const svg = await renderSvg(
      heatmap({ title: "t", xTitle: "a", yTitle: "b", valueTitle: "v", cells: [{ x: "1", y: "1", value: 0.91234 }, { x: "2", y: "1", value: 0.5, label: "stopped" }] }),
    );
    expect(svg).toContain("0.912");
    expect(svg).toContain("stopped");
  });
});
