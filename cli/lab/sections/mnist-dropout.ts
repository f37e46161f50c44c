// Section: on real digits, a network large enough to overfit, trained without
// dropout and with the advisor's recipe, each to convergence (early stopping,
// best epoch restored) on the same seeds. Shows the noisy cost beside the
// clean J, the train and dev curves, and each arm's gap and test accuracy with
// 95% intervals; the headline is computed from the paired interval of the
// test-accuracy difference, whatever it turns out to be.

import { finalEpoch } from "../../../src/index.js";
import {
  accuracyCurves,
  compare,
  costCurves,
  describeDifference,
  experimentToCommand,
  formatInterval,
  interval,
  linePlot,
  type Comparison,
} from "../../../src/toolkit.js";
import type { ExperimentResult } from "../../../src/node/index.js";
import { mnistComparison } from "../mnist-comparison.js";
import { backendFlags, points, type LabSection, type SectionResult } from "../section.js";

const gapOf = (r: ExperimentResult) => finalEpoch(r.history).trainAccuracy! - finalEpoch(r.history).devAccuracy!;

/** The headline, from the paired test-accuracy interval. */
export function dropoutHeadline(test: Comparison, gap: Comparison, network: string, seeds: number): string {
  const d = test.difference;
  const half = d.halfWidth === null ? "no interval from one seed" : `± ${(100 * d.halfWidth).toFixed(2)} pts`;
  const effect =
    test.direction === "higher"
      ? `raises test accuracy by ${(100 * d.mean).toFixed(2)} pts (${half})`
      : test.direction === "lower"
        ? `lowers test accuracy by ${(-100 * d.mean).toFixed(2)} pts (${half})`
        : `makes no measurable difference to test accuracy (${d.mean >= 0 ? "+" : ""}${(100 * d.mean).toFixed(2)} pts, ${half})`;
  const gapText =
    gap.direction === "lower" ? "and shrinks the train/dev gap" : gap.direction === "higher" ? "but widens the train/dev gap" : "with no measurable change in the train/dev gap";
  return `On MNIST, a ${network} network trained to convergence on ${seeds} seeds: the advised dropout recipe ${effect}, ${gapText}.`;
}

export const mnistDropoutSection: LabSection = {
  id: "mnist-dropout",
  title: "Dropout on MNIST, trained to convergence",
  async run(ctx): Promise<SectionResult> {
    ctx.log("mnist: without dropout and with the advised recipe, to convergence, on each seed");
    const c = await mnistComparison(ctx);
    const network = c.withoutDropout.layers!.join("-");
    const arms = [
      { name: "no dropout", runs: c.none, config: c.withoutDropout },
      { name: `dropout ${c.advised.keepProbs!.join("/")}`, runs: c.dropout, config: c.advised },
    ];
    const test = compare(c.none.map((r) => r.test.accuracy!), c.dropout.map((r) => r.test.accuracy!));
    const dev = compare(c.none.map((r) => finalEpoch(r.history).devAccuracy!), c.dropout.map((r) => finalEpoch(r.history).devAccuracy!));
    const gap = compare(c.none.map(gapOf), c.dropout.map(gapOf));
    const first = arms.map((a) => ({ name: a.name, r: a.runs[0]! }));
    const colors = Object.fromEntries(
      first.flatMap(({ name }, i) => [
        [`noisy cost (${name})`, i ? "#56B4E9" : "#E69F00"],
        [`clean J (${name})`, i ? "#0072B2" : "#D55E00"],
        [`train (${name})`, i ? "#0072B2" : "#D55E00"],
        [`dev (${name})`, i ? "#56B4E9" : "#E69F00"],
      ]),
    );
    const bestRules = first.map(({ name, r }, i) => ({ axis: "x" as const, value: r.history.stop?.bestEpoch ?? 0, label: `best (${name})`, color: i ? "#0072B2" : "#D55E00" }));
    const perSeed = arms.flatMap((a) => a.runs.map((r) => ({ x: r.config.seed, y: r.test.accuracy!, series: a.name })));
    const headline = dropoutHeadline(test, gap, network, c.seeds.length);
    return {
      claim: headline,
      plots: [
        {
          spec: linePlot({
            title: `Noisy minibatch cost and clean J (seed ${c.seeds[0]})`,
            points: first.flatMap(({ name, r }) => costCurves(r.history, ` (${name})`)),
            xTitle: "epoch",
            yTitle: "cost (log scale)",
            logY: true,
            faint: first.map(({ name }) => `noisy cost (${name})`),
            colors,
            rules: bestRules,
          }),
          caption: "Thin lines: the cost each minibatch reported (under dropout, of a thinned network). Thick lines: the clean J (dropout off, whole training set) after each epoch. Dashed: the best dev epoch, whose weights each run ends with.",
        },
        {
          spec: linePlot({ title: `Train and dev accuracy (seed ${c.seeds[0]})`, points: first.flatMap(({ name, r }) => accuracyCurves(r.history, ` (${name})`)), xTitle: "epoch", yTitle: "accuracy", colors, rules: bestRules }),
          caption: `Each run stops ${c.withoutDropout.patience} (no dropout) or ${c.advised.patience} (dropout) epochs after its best dev accuracy, or at its epoch cap (${c.withoutDropout.epochs} and ${c.advised.epochs}).`,
        },
        {
          spec: linePlot({ title: "Test accuracy per seed, at each run's best dev epoch", points: perSeed, xTitle: "seed", yTitle: "test accuracy", mark: "point" }),
          caption: `Paired by seed (same split, weights and shuffles in both arms). ${describeDifference(test, "Dropout - none")}.`,
        },
      ],
      numbers: {
        header: ["run", "seeds", "train acc", "dev acc", "train/dev gap", "test acc", "best epochs"],
        rows: arms.map((a) => {
          const f = a.runs.map((r) => finalEpoch(r.history));
          return [
            a.name,
            String(a.runs.length),
            formatInterval(interval(f.map((e) => e.trainAccuracy!))),
            formatInterval(interval(f.map((e) => e.devAccuracy!))),
            formatInterval(interval(a.runs.map(gapOf)), 100, 2, " pts"),
            formatInterval(interval(a.runs.map((r) => r.test.accuracy!))),
            f.map((e) => e.epoch).join(","),
          ];
        }),
      },
      findings: [
        `${describeDifference(test, "Test accuracy, dropout - none")}.`,
        `${describeDifference(dev, "Dev accuracy, dropout - none")}.`,
        `${describeDifference(gap, "Train/dev gap, dropout - none")}.`,
        `The recipe: ${c.recipe.changes.map((ch) => `${ch.flag} ${ch.to} (${ch.source})`).join("; ")}.`,
        `Mean ± 95% interval half-width over ${c.seeds.length} seeds; an effect is named only when the interval of the paired difference excludes zero.`,
        ...(ctx.quick ? ["Quick run: a smaller network, two seeds and short caps; run `dropout-lab lab` for the full comparison."] : []),
      ],
      summary: [
        ["mnist test acc, no dropout", formatInterval(test.a)],
        ["mnist test acc, advised dropout", formatInterval(test.b)],
        ["mnist dropout - none (test)", test.difference.halfWidth === null ? points(test.difference.mean) : `${points(test.difference.mean)} ± ${(100 * test.difference.halfWidth).toFixed(2)} (${test.direction})`],
      ],
      commands: arms.map((a) => `${experimentToCommand(a.config, "train", backendFlags(ctx))}   # and --seed ${c.seeds.slice(1).join(", ")}`),
      json: {
        seeds: c.seeds,
        headline,
        arms: arms.map((a) => ({
          name: a.name,
          config: a.config,
          runs: a.runs.map((r) => ({ seed: r.config.seed, ...finalEpoch(r.history), stop: r.history.stop, gap: gapOf(r), test: r.test, seconds: r.seconds })),
        })),
        test,
        dev,
        gap,
        recipe: c.recipe.changes,
      },
    };
  },
};
