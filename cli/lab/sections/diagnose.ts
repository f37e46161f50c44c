// Section: "dropout is default in vision but often unneeded on structured
// data". diagnoseExperiment() trains without dropout to convergence over
// several seeds, compares train and dev accuracy, and, when the network
// overfits, measures the advisor's recipe on the same seeds: on MNIST digits
// with a large network (the runs the MNIST section already made, read from
// the lab's run cache), and on the penguins table with a modest one. The
// claim is written from the two verdicts, whatever they are.

import { describeDifference, experimentToCommand, formatInterval, groupedBars, type ExperimentConfig, type InputKind } from "../../../src/toolkit.js";
import { diagnoseExperiment, type ExperimentDiagnosis } from "../../../src/node/index.js";
import { mnistBase, mnistSeeds } from "../mnist-comparison.js";
import { backendFlags, points, type LabContext, type LabSection, type SectionResult } from "../section.js";

interface Case {
  readonly name: string;
  readonly config: ExperimentConfig;
  readonly inputKind: InputKind;
  readonly seeds: readonly number[];
}

export function diagnoseCases(ctx: LabContext): Case[] {
  const penguins: ExperimentConfig = {
    data: "penguins",
    hidden: [16],
    activation: "relu",
    optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
    lr: 0.05,
    batchSize: 64,
    epochs: 100,
    patience: 10,
    l2: 0,
    seed: ctx.seed,
  };
  return [
    { name: "mnist", inputKind: "image", config: mnistBase(ctx), seeds: mnistSeeds(ctx) },
    { name: "penguins", inputKind: "tabular", config: penguins, seeds: Array.from({ length: ctx.quick ? 3 : 5 }, (_, i) => ctx.seed + i) },
  ];
}

interface Outcome extends Case {
  readonly result: ExperimentDiagnosis;
}

function verdictText(o: Outcome): string {
  return o.result.recommendation.useDropout ? `dropout, keepProbs ${o.result.recommendation.keepProbs.join("/")}` : "no dropout";
}

/** The section's claim from the two verdicts: which data set overfits, and what the advised dropout measured there. */
export function diagnoseClaim(outcomes: readonly Outcome[]): string {
  const parts = outcomes.map((o) => {
    const r = o.result;
    const what = `${o.name} (${o.inputKind}, ${r.spec.layers.join("-")})`;
    if (r.verdict !== "overfitting") return `${what} shows ${r.verdict === "fine" ? "no meaningful overfitting" : "underfitting"}, so it is told it needs no dropout`;
    if (!r.withDropout) return `${what} overfits; the advised dropout was not measured`;
    const d = r.withDropout.devChange;
    const x = d.difference;
    const pts = (v: number) => `${v >= 0 ? "+" : ""}${(100 * v).toFixed(2)}`;
    const numbers = x.halfWidth === null ? `${pts(x.mean)} pts, one seed` : `${pts(x.mean)} pts, 95% interval [${pts(x.low!)}, ${pts(x.high!)}], ${x.n} seeds`;
    return `${what} overfits, and the advised dropout ${d.direction === "higher" ? "measurably helps" : d.direction === "lower" ? "measurably hurts" : "makes no measurable difference"} on dev (${numbers})`;
  });
  return `Whether to use dropout is a measurement, made at convergence over several seeds: ${parts.join("; ")}.`;
}

export const diagnoseSection: LabSection = {
  id: "diagnose",
  title: "Is dropout needed? Images vs a table",
  async run(ctx): Promise<SectionResult> {
    const cases = diagnoseCases(ctx);
    ctx.log(`diagnose: ${cases.map((c) => `${c.name} on ${c.seeds.length} seeds`).join(", ")}`);
    const outcomes: Outcome[] = [];
    for (const c of cases) {
      const result = await diagnoseExperiment(c.config, { seeds: c.seeds, inputKind: c.inputKind, backend: ctx.backend, workers: ctx.workers, runner: ctx.run });
      outcomes.push({ ...c, result });
    }
    const errorBars = outcomes.flatMap((o) => {
      const arms = [{ label: o.name, a: o.result.baseline }, ...(o.result.withDropout ? [{ label: `${o.name} + dropout`, a: o.result.withDropout }] : [])];
      return arms.flatMap(({ label, a }) => [
        { category: label, group: "train error", value: 1 - a.trainAccuracy.mean },
        { category: label, group: "dev error", value: 1 - a.devAccuracy.mean },
      ]);
    });
    const gapBars = outcomes.flatMap((o) => [
      { category: o.name, group: "gap without dropout", value: o.result.gap },
      { category: o.name, group: "gap that counts (threshold)", value: o.result.gapThreshold },
      ...(o.result.withDropout ? [{ category: o.name, group: "gap with the advised recipe", value: o.result.withDropout.gap.mean }] : []),
    ]);
    const claim = diagnoseClaim(outcomes);
    return {
      claim,
      plots: [
        {
          spec: groupedBars({ title: "Train and dev error (mean over seeds, at the best dev epoch)", bars: errorBars, yTitle: "error (1 - accuracy)", colors: { "train error": "#0072B2", "dev error": "#D55E00" } }),
          caption: `Each data set trained without dropout (diagnose's baseline) and, where it overfits, with the advised recipe on the same seeds. A missing bar is an error of 0.`,
        },
        {
          spec: groupedBars({
            title: "Train/dev gap against the gap that counts",
            bars: gapBars,
            yTitle: "train accuracy - dev accuracy",
            colors: { "gap without dropout": "#D55E00", "gap that counts (threshold)": "#5b6475", "gap with the advised recipe": "#0072B2" },
          }),
          caption: "The threshold is the larger of 2 accuracy points and 2 standard errors of the dev accuracy (the penguins dev set is small, so its threshold is wider).",
        },
      ],
      numbers: {
        header: ["run", "seeds", "train acc", "dev acc", "gap", "gap that counts", "verdict"],
        rows: outcomes.flatMap((o) => {
          const r = o.result;
          const rows = [[`${o.name} ${r.spec.layers.join("-")}, no dropout`, String(r.seeds.length), formatInterval(r.baseline.trainAccuracy), formatInterval(r.baseline.devAccuracy), formatInterval(r.baseline.gap, 100, 2, " pts"), points(r.gapThreshold), `${r.verdict}: ${verdictText(o)}`]];
          if (r.withDropout) {
            const w = r.withDropout;
            rows.push([`${o.name}, advised recipe ${w.keepProbs.join("/")}`, String(r.seeds.length), formatInterval(w.trainAccuracy), formatInterval(w.devAccuracy), formatInterval(w.gap, 100, 2, " pts"), "-", "-"]);
          }
          return rows;
        }),
      },
      findings: outcomes.flatMap((o) => [
        `${o.name}: ${o.result.recommendation.reason}`,
        ...(o.result.withDropout?.testChange ? [`${o.name}: ${describeDifference(o.result.withDropout.testChange, "test accuracy, advised - none")}.`] : []),
      ]),
      summary: outcomes.map((o): [string, string] => [
        `diagnose ${o.name}: verdict / recommendation`,
        `${o.result.verdict} / ${verdictText(o)}${o.result.withDropout ? ` (dev ${points(o.result.withDropout.devChange.difference.mean)}, ${o.result.withDropout.devChange.direction})` : ""}`,
      ]),
      commands: outcomes.map((o) => experimentToCommand(o.config, "diagnose", ["--input", o.inputKind, "--seeds", o.seeds.join(","), ...backendFlags(ctx)])),
      json: Object.fromEntries(outcomes.map((o) => [o.name, { config: o.config, inputKind: o.inputKind, ...o.result }])),
    };
  },
};
