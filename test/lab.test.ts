// End-to-end tests of the lab: one `dropout-lab lab --quick --json` run, shared
// by every assertion, checks the report's figures and the facts each section
// must show, whatever values the run measured. Plus the plot builders' options
// the sections rely on, rendered to SVG.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { heatmap, linePlot } from "../src/index.js";
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
    expect(Object.keys(out.sections)).toEqual(["mnist-dropout", "spread", "ridge", "advise-tune", "check", "diagnose", "mc"]);
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

  it("mnist-dropout: dropout's train/dev gap is smaller than no dropout's", () => {
    const [plain, drop] = out.sections["mnist-dropout"]!.results;
    expect(drop.gap).toBeLessThan(plain.gap);
    expect(typeof drop.test.accuracy).toBe("number");
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

  it("advise-tune: the advisor's keepProbs and a search that reports the advisor's gap to the best", () => {
    const { advice, tune } = out.sections["advise-tune"]!.results;
    expect(advice.keepProbs).toHaveLength(3);
    expect(tune.trials.length).toBe(1 + tune.grid.length ** 2);
    expect(tune.advisorGap).toBeCloseTo(tune.best.devAccuracy - tune.advisor.devAccuracy, 12);
    expect(tune.advisorGap).toBeGreaterThanOrEqual(0);
  });

  it("check: J falls monotonically with dropout off and the gradient check passes; the noisy cost jitters more than J", () => {
    const c = out.sections.check!.results;
    expect(c.passed).toBe(true);
    expect(c.monotone.violations).toEqual([]);
    expect(c.gradientCheck.maxRelativeError).toBeLessThan(1e-6);
    expect(c.jitter.ratio).toBeGreaterThan(1);
  });

  it("diagnose: mnist overfits and is told to use dropout, with the dropout run's dev accuracy beside the baseline; penguins needs none", () => {
    const { mnist, penguins } = out.sections.diagnose!.results;
    expect(mnist.verdict).toBe("overfitting");
    expect(mnist.recommendation.useDropout).toBe(true);
    expect(typeof mnist.devAccuracy).toBe("number");
    expect(typeof mnist.withDropout.devAccuracy).toBe("number");
    expect(mnist.withDropout.devAccuracyChange).toBeCloseTo(mnist.withDropout.devAccuracy - mnist.devAccuracy, 12);
    expect(penguins.verdict).toBe("fine");
    expect(penguins.recommendation.useDropout).toBe(false);
    expect(penguins.withDropout).toBeUndefined();
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

  it("heatmap cells show their label or their formatted value", async () => {
    const svg = await renderSvg(
      heatmap({ title: "t", xTitle: "a", yTitle: "b", valueTitle: "v", cells: [{ x: "1", y: "1", value: 0.91234 }, { x: "2", y: "1", value: 0.5, label: "stopped" }] }),
    );
    expect(svg).toContain("0.912");
    expect(svg).toContain("stopped");
  });
});
