// Section: "dropout makes a unit spread its weights". One sigmoid unit on the
// four-inputs set (one strong input, three noisier backups of the same signal)
// trained three ways from the same seed: no penalty, L2, and dropout on its
// inputs. Shows each input's final weight and how concentrated the weights are
// over training, with whatever spread the run measures.

import { fourInputsExperiment, groupedBars, linePlot, weightSpread, type SpreadRun } from "../../../src/toolkit.js";
import { pct, signed, type LabSection, type SectionResult } from "../section.js";

/** The experiment's settings, all passed explicitly so the command below stays exact. */
const SETTINGS = { keepProb: 0.5, epochs: 100, size: 500, noise: 0.1 } as const;
/** L2 λ of the comparison run: the library's default 0.1 per training example. */
const L2 = 0.1 * SETTINGS.size;

function methodName(r: SpreadRun): string {
  switch (r.method) {
    case "none":
      return "no penalty";
    case "l2":
      return `L2 (λ ${r.l2})`;
    case "dropout":
      return `dropout (keepProb ${r.keepProbs[0]})`;
    default: {
      const never: never = r.method;
      throw new Error(`unknown spread method ${String(never)}`);
    }
  }
}

export const spreadSection: LabSection = {
  id: "spread",
  title: "Dropout spreads a unit's weights over its inputs",
  async run(ctx): Promise<SectionResult> {
    ctx.log(`spread: one sigmoid unit on four-inputs, ${SETTINGS.epochs} epochs, three ways`);
    const result = fourInputsExperiment({ seed: ctx.seed, ...SETTINGS, l2: L2 });
    const names = result.featureNames;
    const runs = result.runs.map((r) => ({ r, name: methodName(r) }));
    const colors = Object.fromEntries(runs.map(({ name }, i) => [name, ["#D55E00", "#009E73", "#0072B2"][i]!]));
    const none = runs.find(({ r }) => r.method === "none")!;
    const l2 = runs.find(({ r }) => r.method === "l2")!;
    const drop = runs.find(({ r }) => r.method === "dropout")!;
    const evolution = runs.flatMap(({ r, name }) => r.evolution.map((e) => ({ x: e.epoch, y: weightSpread(e.weights).effectiveInputs, series: name })));
    const gain = result.dropoutVsNone;
    const backups = (r: SpreadRun) => r.weights.slice(1).reduce((s, w) => s + w, 0);
    return {
      claim: `A unit that may lose any input cannot lean on one: with input dropout (keepProb ${SETTINGS.keepProb}) a sigmoid unit moves weight from its strong input onto the three backups.`,
      plots: [
        {
          spec: groupedBars({
            title: "Final weight of each input",
            bars: runs.flatMap(({ r, name }) => r.weights.map((w, j) => ({ category: names[j]!, group: name, value: w }))),
            yTitle: "weight",
            colors,
          }),
          caption: `The same unit, data (${result.size} examples, noise ${result.noise}), initial weights and shuffles; only the regularizer differs.`,
        },
        {
          spec: linePlot({
            title: "Effective number of inputs during training",
            points: evolution,
            xTitle: "epoch",
            yTitle: "effective inputs (Σ|w|)² / Σw²",
            colors,
            yDomain: [1, 4],
          }),
          caption: "Epoch 0 is the random initialization. The effective number of inputs is 1 when one weight carries everything and 4 when all four weigh the same.",
        },
      ],
      numbers: {
        header: ["method", ...names, "largest share", "effective inputs", "train acc", "dev acc"],
        rows: runs.map(({ r, name }) => [
          name,
          ...r.weights.map((w) => w.toFixed(3)),
          r.largestShare.toFixed(3),
          r.effectiveInputs.toFixed(2),
          pct(r.trainAccuracy, 1),
          pct(r.devAccuracy, 1),
        ]),
      },
      findings: [
        `Without a penalty the strong input takes ${pct(none.r.largestShare, 1)} of Σ|w| (effective inputs ${none.r.effectiveInputs.toFixed(2)}); the backups together weigh ${backups(none.r).toFixed(3)}.`,
        `With dropout the strong input's share is ${pct(drop.r.largestShare, 1)} and the effective number of inputs ${drop.r.effectiveInputs.toFixed(2)} (${signed(gain.effectiveInputsGain)} over no penalty); the backups together weigh ${backups(drop.r).toFixed(3)}.`,
        `L2 at λ = ${l2.r.l2} spreads too (largest share ${pct(l2.r.largestShare, 1)}, effective inputs ${l2.r.effectiveInputs.toFixed(2)}) by shrinking every weight, the strong one most (${l2.r.weights[0]!.toFixed(3)} against ${drop.r.weights[0]!.toFixed(3)} with dropout).`,
        `Dev accuracy: ${pct(none.r.devAccuracy, 1)} without a penalty, ${pct(l2.r.devAccuracy, 1)} with L2, ${pct(drop.r.devAccuracy, 1)} with dropout.`,
      ],
      summary: [
        ["spread: effective inputs none / L2 / dropout", `${none.r.effectiveInputs.toFixed(2)} / ${l2.r.effectiveInputs.toFixed(2)} / ${drop.r.effectiveInputs.toFixed(2)}`],
        ["spread: strong input's share none / dropout", `${pct(none.r.largestShare, 1)} / ${pct(drop.r.largestShare, 1)}`],
      ],
      commands: [`dropout-lab spread --seed ${ctx.seed} --keep-prob ${SETTINGS.keepProb} --l2 ${L2} --epochs ${SETTINGS.epochs} --size ${SETTINGS.size} --noise ${SETTINGS.noise}`],
      json: {
        seed: result.seed,
        size: result.size,
        noise: result.noise,
        keepProb: result.keepProb,
        featureNames: names,
        runs: result.runs.map((r) => ({
          method: r.method,
          keepProbs: r.keepProbs,
          l2: r.l2,
          weights: r.weights,
          bias: r.bias,
          largestShare: r.largestShare,
          effectiveInputs: r.effectiveInputs,
          trainAccuracy: r.trainAccuracy,
          devAccuracy: r.devAccuracy,
        })),
        dropoutVsNone: gain,
      },
    };
  },
};
