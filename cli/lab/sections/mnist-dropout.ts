// Section: on real digits, a network large enough to overfit, trained with and
// without dropout from the same seed. Shows the noisy cost beside the clean J,
// the train and dev accuracy curves, and each run's train/dev gap and test
// accuracy, whatever they turn out to be.

import { accuracyCurves, costCurves, experimentToCommand, linePlot, type ExperimentConfig } from "../../../src/index.js";
import { runExperiments, type ExperimentResult } from "../../../src/node/index.js";
import { pct, points, type LabContext, type LabSection, type SectionResult } from "../section.js";

export function mnistConfigs(ctx: LabContext): { plain: ExperimentConfig; dropout: ExperimentConfig } {
  const hidden = ctx.quick ? 128 : 512;
  const plain: ExperimentConfig = {
    data: "mnist",
    layers: [784, hidden, hidden, 10],
    activation: "relu",
    keepProbs: [1, 1, 1],
    optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
    lr: 0.02,
    batchSize: 64,
    epochs: ctx.quick ? 3 : 20,
    l2: 0,
    seed: ctx.seed,
  };
  return { plain, dropout: { ...plain, keepProbs: [1, 0.5, 0.5] } };
}

const lastEpoch = (r: ExperimentResult) => r.history.epochs.at(-1)!;
const gap = (r: ExperimentResult) => lastEpoch(r).trainAccuracy! - lastEpoch(r).devAccuracy!;

export const mnistDropoutSection: LabSection = {
  id: "mnist-dropout",
  title: "Dropout on MNIST: a smaller train/dev gap",
  async run(ctx): Promise<SectionResult> {
    const { plain, dropout } = mnistConfigs(ctx);
    ctx.log(`mnist: training ${plain.layers!.join("-")} without and with dropout (${plain.epochs} epochs each)`);
    const [a, b] = await runExperiments([plain, dropout], { workers: ctx.workers, backend: ctx.backend });
    const runs = [
      { name: "no dropout", r: a! },
      { name: "dropout 1/0.5/0.5", r: b! },
    ];
    const costPoints = runs.flatMap(({ name, r }) => costCurves(r.history, ` (${name})`));
    const accPoints = runs.flatMap(({ name, r }) => accuracyCurves(r.history, ` (${name})`));
    const colors = {
      "noisy cost (no dropout)": "#E69F00",
      "clean J (no dropout)": "#D55E00",
      "noisy cost (dropout 1/0.5/0.5)": "#56B4E9",
      "clean J (dropout 1/0.5/0.5)": "#0072B2",
      "train (no dropout)": "#D55E00",
      "dev (no dropout)": "#E69F00",
      "train (dropout 1/0.5/0.5)": "#0072B2",
      "dev (dropout 1/0.5/0.5)": "#56B4E9",
    };
    const gaps = runs.map(({ r }) => gap(r));
    return {
      claim: `Dropout keeps a ${plain.layers!.join("-")} network from memorizing the ${a!.data.train} training digits: the train/dev accuracy gap shrinks.`,
      plots: [
        {
          spec: linePlot({
            title: "Noisy minibatch cost and clean J",
            points: costPoints,
            xTitle: "epoch",
            yTitle: "cost (log scale)",
            logY: true,
            faint: runs.map(({ name }) => `noisy cost (${name})`),
            colors,
          }),
          caption: "Thin lines: the cost each minibatch reported under dropout. Thick lines: the clean J (dropout off, whole training set) after each epoch.",
        },
        {
          spec: linePlot({ title: "Train and dev accuracy", points: accPoints, xTitle: "epoch", yTitle: "accuracy", colors }),
          caption: "Without dropout training accuracy runs ahead of dev accuracy; with dropout the two stay closer.",
        },
      ],
      numbers: {
        header: ["run", "train acc", "dev acc", "train/dev gap", "test acc", "clean J", "seconds"],
        rows: runs.map(({ name, r }, i) => [
          name,
          pct(lastEpoch(r).trainAccuracy),
          pct(lastEpoch(r).devAccuracy),
          points(gaps[i]!),
          pct(r.test.accuracy),
          lastEpoch(r).cleanCost.toFixed(4),
          r.seconds.toFixed(1),
        ]),
      },
      findings: [
        `Without dropout the gap is ${points(gaps[0]!)}; with keepProbs 1/0.5/0.5 it is ${points(gaps[1]!)} (${gaps[1]! < gaps[0]! ? "smaller" : "not smaller"}).`,
        `Test accuracy: ${pct(a!.test.accuracy)} without dropout, ${pct(b!.test.accuracy)} with dropout.`,
        `The noisy cost under dropout sits above the clean J and jitters from step to step; the clean J is the curve to watch.`,
      ],
      summary: [
        ["mnist gap without dropout", points(gaps[0]!)],
        ["mnist gap with dropout", points(gaps[1]!)],
        ["mnist test acc without / with dropout", `${pct(a!.test.accuracy)} / ${pct(b!.test.accuracy)}`],
      ],
      commands: [experimentToCommand(plain), experimentToCommand(dropout)],
      json: runs.map(({ name, r }, i) => ({
        name,
        config: r.config,
        train: { accuracy: lastEpoch(r).trainAccuracy, cleanCost: lastEpoch(r).cleanCost },
        dev: { accuracy: lastEpoch(r).devAccuracy },
        gap: gaps[i],
        test: r.test,
        seconds: r.seconds,
      })),
    };
  },
};
