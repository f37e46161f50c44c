// Section: "dropout is default in vision but often unneeded on structured
// data". diagnose() trains without dropout, compares train and dev accuracy
// and recommends: on MNIST digits with a large network, and on the penguins
// table with a modest one. The runs with the advisor's keepProbs (diagnose's
// own comparison) train on worker threads while diagnose runs here, so the
// section costs about one training instead of two.

import {
  advise,
  diagnose,
  experimentToCommand,
  groupedBars,
  resolveNetworkSpec,
  selectBackend,
  trainOptionsOf,
  type DiagnoseResult,
  type ExperimentConfig,
  type InputKind,
} from "../../../src/index.js";
import { loadExperimentData, runExperiments, type ExperimentResult } from "../../../src/node/index.js";
import { backendFlags, pct, points, type LabContext, type LabSection, type SectionResult } from "../section.js";

interface Case {
  readonly name: string;
  readonly config: ExperimentConfig;
  readonly inputKind: InputKind;
}

export function diagnoseCases(ctx: LabContext): Case[] {
  const common = { activation: "relu", optimizer: { kind: "momentum", beta: 0.9, nesterov: false }, lr: 0.05, batchSize: 64, l2: 0, seed: ctx.seed } as const;
  const hidden = ctx.quick ? 128 : 512;
  return [
    { name: "mnist", inputKind: "image", config: { ...common, data: "mnist", layers: [784, hidden, hidden, 10], epochs: 4 } },
    { name: "penguins", inputKind: "tabular", config: { ...common, data: "penguins", hidden: [16], epochs: 30 } },
  ];
}

interface Outcome {
  readonly name: string;
  readonly config: ExperimentConfig;
  readonly inputKind: InputKind;
  readonly layers: readonly number[];
  /** What diagnose() concluded; withDropout filled from the run with the recommended keepProbs when it recommends dropout. */
  readonly result: DiagnoseResult;
  /** The run with the advisor's keepProbs, whether or not diagnose recommended it. */
  readonly advised: { readonly keepProbs: readonly number[]; readonly trainAccuracy: number; readonly devAccuracy: number; readonly gap: number };
}

const lastEpoch = (r: ExperimentResult) => r.history.epochs.at(-1)!;

export const diagnoseSection: LabSection = {
  id: "diagnose",
  title: "Is dropout needed? Images vs a table",
  async run(ctx): Promise<SectionResult> {
    const cases = diagnoseCases(ctx);
    const prepared = cases.map((c) => {
      const data = loadExperimentData(c.config);
      const spec = resolveNetworkSpec(c.config, data.train);
      const advice = advise({ layers: spec.layers, examples: data.train.size, inputKind: c.inputKind });
      return { ...c, data, spec, advised: { ...c.config, keepProbs: advice.keepProbs } };
    });
    ctx.log(`diagnose: ${prepared.map((p) => `${p.name} ${p.spec.layers.join("-")}`).join(", ")} without dropout here, with the advisor's keepProbs on workers`);
    // Started first: the workers train while diagnose() blocks this thread. runExperiment builds
    // the network and trainer from the same seed streams ("init", "train"), options and kernels as
    // diagnose's own comparison run, so these are the numbers `dropout-lab diagnose` prints.
    const advisedRuns = runExperiments(prepared.map((p) => p.advised), { workers: ctx.workers, backend: ctx.backend });
    const backend = selectBackend(ctx.backend);
    const verdicts = prepared.map((p) =>
      diagnose(p.spec, { train: p.data.train, dev: p.data.dev }, trainOptionsOf(p.config), { seed: p.config.seed, inputKind: p.inputKind, backend, compare: false }),
    );
    const runs = await advisedRuns;
    const outcomes: Outcome[] = prepared.map((p, i) => {
      const v = verdicts[i]!, run = lastEpoch(runs[i]!);
      const advised = { keepProbs: p.advised.keepProbs, trainAccuracy: run.trainAccuracy!, devAccuracy: run.devAccuracy!, gap: run.trainAccuracy! - run.devAccuracy! };
      if (v.recommendation.useDropout && v.recommendation.keepProbs.join() !== advised.keepProbs.join()) {
        throw new Error(`diagnose recommended keepProbs ${v.recommendation.keepProbs.join(",")} but the comparison ran ${advised.keepProbs.join(",")}`);
      }
      const result: DiagnoseResult = v.recommendation.useDropout
        ? { ...v, withDropout: { trainAccuracy: advised.trainAccuracy, devAccuracy: advised.devAccuracy, gap: advised.gap, devAccuracyChange: advised.devAccuracy - v.devAccuracy } }
        : v;
      return { name: p.name, config: p.config, inputKind: p.inputKind, layers: p.spec.layers, result, advised };
    });

    const runName = (o: Outcome, dropout: boolean) => (dropout ? `${o.name} + dropout` : o.name);
    const errorBars = outcomes.flatMap((o) =>
      [false, true].flatMap((dropout) => {
        const s = dropout ? o.advised : o.result;
        return [
          { category: runName(o, dropout), group: "train error", value: 1 - s.trainAccuracy },
          { category: runName(o, dropout), group: "dev error", value: 1 - s.devAccuracy },
        ];
      }),
    );
    const gapBars = outcomes.flatMap((o) => [
      { category: o.name, group: "gap without dropout", value: o.result.gap },
      { category: o.name, group: "gap that counts (threshold)", value: o.result.gapThreshold },
      { category: o.name, group: "gap with advisor's keepProbs", value: o.advised.gap },
    ]);
    const verdictText = (o: Outcome) => (o.result.recommendation.useDropout ? `dropout, keepProbs ${o.result.recommendation.keepProbs.join("/")}` : "no dropout needed");
    const [mnist, penguins] = outcomes as [Outcome, Outcome];
    const changeText = (o: Outcome) => {
      const d = o.advised.devAccuracy - o.result.devAccuracy;
      return `${d >= 0 ? "+" : ""}${points(d)}`;
    };
    return {
      claim: "Dropout cures overfitting, so whether to use it is a measurement: a large network on raw pixels overfits and is told to use dropout; a modest network on a small table shows no meaningful train/dev gap and is told it needs none.",
      plots: [
        {
          spec: groupedBars({ title: "Train and dev error, without and with the advisor's keepProbs", bars: errorBars, yTitle: "error (1 - accuracy)", colors: { "train error": "#0072B2", "dev error": "#D55E00" } }),
          caption: `Each data set trained from the same seed without dropout (diagnose's run) and with the keepProbs the advisor gives for its layer sizes and training-set size (${outcomes.map((o) => `${o.name} ${o.advised.keepProbs.join("/")}`).join(", ")}). A missing bar is an error of 0.`,
        },
        {
          spec: groupedBars({
            title: "Train/dev gap against the gap that counts",
            bars: gapBars,
            yTitle: "train accuracy - dev accuracy",
            colors: { "gap without dropout": "#D55E00", "gap that counts (threshold)": "#5b6475", "gap with advisor's keepProbs": "#0072B2" },
          }),
          caption: "The threshold is the larger of 2 accuracy points and 2 standard errors of the dev accuracy (the penguins dev set is small, so its threshold is wider).",
        },
      ],
      numbers: {
        header: ["run", "train acc", "dev acc", "gap", "gap that counts", "verdict"],
        rows: outcomes.flatMap((o) => [
          [`${o.name} ${o.layers.join("-")}, no dropout`, pct(o.result.trainAccuracy), pct(o.result.devAccuracy), points(o.result.gap), points(o.result.gapThreshold), `${o.result.verdict}: ${verdictText(o)}`],
          [`${o.name}, keepProbs ${o.advised.keepProbs.join("/")} (advisor)`, pct(o.advised.trainAccuracy), pct(o.advised.devAccuracy), points(o.advised.gap), "-", "-"],
        ]),
      },
      findings: [
        `${mnist.name} (${mnist.layers.join("-")}, ${mnist.config.epochs} epochs): ${mnist.result.recommendation.reason}`,
        mnist.result.withDropout
          ? `With keepProbs ${mnist.advised.keepProbs.join("/")} the ${mnist.name} dev accuracy is ${pct(mnist.result.withDropout.devAccuracy)} against ${pct(mnist.result.devAccuracy)} without (${changeText(mnist)}), and the gap ${points(mnist.result.withDropout.gap)} against ${points(mnist.result.gap)}.`
          : `On ${mnist.name} diagnose did not recommend dropout in this run; the advisor's keepProbs ${mnist.advised.keepProbs.join("/")} give dev accuracy ${pct(mnist.advised.devAccuracy)} (${changeText(mnist)}).`,
        `${penguins.name} (${penguins.layers.join("-")}, ${penguins.config.epochs} epochs): ${penguins.result.recommendation.reason}`,
        `For comparison, ${penguins.name} with the advisor's keepProbs ${penguins.advised.keepProbs.join("/")}: dev accuracy ${pct(penguins.advised.devAccuracy)} (${changeText(penguins)}).`,
        ...(mnist.advised.devAccuracy < mnist.result.devAccuracy
          ? [`Dropout slows training: after ${mnist.config.epochs} epochs the ${mnist.name} network with dropout is ${points(mnist.result.devAccuracy - mnist.advised.devAccuracy)} behind on dev accuracy while its gap is smaller; the verdict is about overfitting, not about which run is ahead this early.`]
          : []),
      ],
      summary: outcomes.map((o): [string, string] => [
        `diagnose ${o.name}: verdict / dev acc without -> with advisor's keepProbs`,
        `${o.result.verdict}, ${verdictText(o)} / ${pct(o.result.devAccuracy)} -> ${pct(o.advised.devAccuracy)}`,
      ]),
      commands: outcomes.map((o) => experimentToCommand(o.config, "diagnose", ["--input", o.inputKind, ...backendFlags(ctx)])),
      json: Object.fromEntries(outcomes.map((o) => [o.name, { config: o.config, layers: o.layers, inputKind: o.inputKind, ...o.result, advised: o.advised }])),
    };
  },
};
