// Section: the advice benchmark in small. The full study (`dropout-lab
// study`) runs 9 data sets for most of an hour; the lab runs its machinery on
// the three sets that train in seconds (UCI's 8x8 digits, breast cancer,
// wine), two networks each, with the same four arms, intervals and verdicts,
// and prints the full study's command. Its runs are kept in the report
// directory, so a second lab run reads them back.

import { DEFAULT_EXPERIMENT, type ExperimentConfig } from "../../../src/toolkit.js";
import { runStudy, type StudyPlan } from "../../../src/node/index.js";
import { studyHeadline } from "../../study-report.js";
import type { LabContext, LabSection, SectionResult } from "../section.js";

function config(data: string, hidden: number[], ctx: LabContext, extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  const { hidden: _h, ...rest } = DEFAULT_EXPERIMENT;
  return { ...rest, data, hidden, epochs: ctx.quick ? 10 : 50, patience: ctx.quick ? 2 : 5, seed: ctx.seed, ...extra };
}

export function labStudyPlan(ctx: LabContext): StudyPlan {
  const large = ctx.quick ? [64, 64] : [256, 256];
  const sets = [
    { name: "digits", inputKind: "image" as const, fits: [32] },
    { name: "breast-cancer", inputKind: "tabular" as const, fits: [16] },
    { name: "wine", inputKind: "tabular" as const, fits: [16] },
  ];
  const seeds = Array.from({ length: ctx.quick ? 2 : 3 }, (_, i) => ctx.seed + i);
  return {
    cases: sets.map((s) => ({ name: s.name, inputKind: s.inputKind, networks: [{ name: "fits", config: config(s.name, s.fits, ctx) }, { name: "large", config: config(s.name, large, ctx) }] })),
    settings: { seeds, searchSeeds: [ctx.seed + 100], grid: [0.5, 1], lambdas: [0.3, 3] },
    variance: { models: ctx.quick ? 3 : 10, cases: [{ name: "wine", inputKind: "tabular", config: config("wine", large, ctx, { splitSeed: ctx.seed }) }] },
    sizes: { trainSizes: ctx.quick ? [200, 1257] : [100, 300, 600, 1257], seeds, inputKind: "image", config: config("digits", large, ctx) },
  };
}

export const studySection: LabSection = {
  id: "study",
  title: "The advice benchmark, in small",
  async run(ctx): Promise<SectionResult> {
    ctx.log("study: digits, breast-cancer and wine, four arms each, to convergence on each seed");
    const result = await runStudy({ quick: ctx.quick, plan: labStudyPlan(ctx), outDir: ctx.studyDir, workers: ctx.workers, backend: ctx.backend, runner: ctx.run });
    const pts = (x: number | null) => (x === null ? "-" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(2)}`);
    const v = result.variance[0]!;
    return {
      claim: studyHeadline(result),
      plots: [],
      numbers: {
        header: ["data", "network", "none", "advised", "searched", "L2", "regret (pts)", "dropout effect (pts)", "diagnose", "agrees"],
        rows: result.rows.map((r) => [
          r.data,
          `${r.network} ${r.layers.join("-")}`,
          ...(["none", "advised", "searched", "l2"] as const).map((a) => `${(100 * r.arms[a].mean).toFixed(2)}%`),
          `${pts(r.regret.mean)} [${pts(r.regret.low)}, ${pts(r.regret.high)}]`,
          `${pts(r.dropoutEffect.mean)} [${pts(r.dropoutEffect.low)}, ${pts(r.dropoutEffect.high)}]`,
          `${r.diagnose.verdict}: ${r.diagnose.useDropout ? "dropout" : "no dropout"}`,
          r.diagnose.agrees === null ? "inconclusive" : r.diagnose.agrees ? "agree" : "disagree",
        ]),
      },
      findings: [
        `Bias-variance on ${v.name} (${v.models} bootstrap models per setting): dropout - none changes the variance term by ${pts(v.change.variance.difference.mean)} pts [${pts(v.change.variance.difference.low)}, ${pts(v.change.variance.difference.high)}] (${v.change.variance.direction}) and the bias term by ${pts(v.change.bias.difference.mean)} pts (${v.change.bias.direction}).`,
        `Dropout's gain on digits by training-set size: ${result.sizes.map((s) => `${s.trainSize}: ${pts(s.gain.difference.mean)} pts (${s.gain.direction})`).join("; ")}.`,
        "This is a subset that fits the lab's budget; the full benchmark (9 data sets, Fashion-MNIST at 1k, 5k and 60k images, 5 seeds per arm) is `dropout-lab study` (most of an hour on 2 cores), and the README shows its table.",
      ],
      summary: [
        ["study (small): rows where dropout measurably helped / hurt", `${result.rows.filter((r) => r.dropoutEffect.direction === "higher").length} / ${result.rows.filter((r) => r.dropoutEffect.direction === "lower").length} of ${result.rows.length}`],
        ["study (small): diagnose agrees", `${result.rows.filter((r) => r.diagnose.agrees).length} of ${result.rows.filter((r) => r.diagnose.agrees !== null).length}`],
      ],
      commands: ["dropout-lab study", "dropout-lab study --quick"],
      json: { rows: result.rows, variance: result.variance, sizes: result.sizes, runs: result.runs },
    };
  },
};
