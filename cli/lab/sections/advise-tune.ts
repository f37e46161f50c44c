// Section: "keepProb follows parameter count, and a real search agrees (or
// says by how much it doesn't)". The advisor's keepProbs for the lab's MNIST
// network, each with its reason, then a grid search over two hidden layers'
// keepProbs of a smaller MNIST network on the dev set: every trial trained to
// convergence (early stopping) on several seeds, on worker threads, and the
// advisor's distance from the best as a paired difference with its interval.

import { selectBackend } from "../../../src/index.js";
import {
  ADVISOR_RULE,
  advise,
  describeDifference,
  experimentToCommand,
  formatInterval,
  heatmap,
  linePlot,
  resolveNetworkSpec,
  trainOptionsOf,
  tune,
  type ExperimentConfig,
  type TuneExperiment,
  type TuneResult,
} from "../../../src/toolkit.js";
import { loadExperimentData, loadOptionsOf, tuneInWorkers } from "../../../src/node/index.js";
import { backendFlags, pct, points, type LabContext, type LabSection, type SectionResult } from "../section.js";
import { mnistBase } from "../mnist-comparison.js";

/** The keepProb indices searched: hidden layers 1 and 2 (the input keeps the advisor's value). */
const SEARCH_LAYERS = [1, 2] as const;

export function tuneSettings(ctx: LabContext): { config: ExperimentConfig; grid: readonly number[]; seeds: readonly number[] } {
  const hidden = ctx.quick ? 32 : 64;
  return {
    config: { ...mnistBase(ctx), layers: [784, hidden, hidden, 10], epochs: ctx.quick ? 12 : 40 },
    grid: [0.5, 1],
    seeds: [ctx.seed, ctx.seed + 1],
  };
}

function layerName(index: number): string {
  return index === 0 ? "input" : `hidden ${index}`;
}

const SERIES_COLORS = { "hidden 1": "#0072B2", "hidden 2": "#D55E00" };

export const adviseTuneSection: LabSection = {
  id: "advise-tune",
  title: "keepProb per layer: the advisor's rule and a real search",
  async run(ctx): Promise<SectionResult> {
    const { config, grid, seeds } = tuneSettings(ctx);
    const data = loadExperimentData(config);
    const examples = data.train.size;
    const labLayers = mnistBase(ctx).layers!;
    const advice = advise({ layers: labLayers, examples, inputKind: "image" });

    const network = resolveNetworkSpec(config, data.train);
    const experiment: TuneExperiment = {
      network,
      train: trainOptionsOf(config),
      search: { kind: "grid", values: grid, layers: SEARCH_LAYERS },
      inputKind: "image",
    };
    ctx.log(`advise-tune: ${grid.length ** SEARCH_LAYERS.length + 1} trials of ${network.layers.join("-")} on mnist x ${seeds.length} seeds, to convergence (patience ${config.patience}, cap ${config.epochs})`);
    const result: TuneResult =
      ctx.workers >= 1
        ? await tuneInWorkers({ ...experiment, backend: ctx.backend, data: { spec: config.data, options: loadOptionsOf(config) } }, seeds, { workers: ctx.workers })
        : tune(experiment, { train: data.train, dev: data.dev }, seeds, selectBackend(ctx.backend));

    const [l1, l2] = SEARCH_LAYERS;
    const gridTrials = result.trials.filter((t) => !t.advisor);
    const cells = gridTrials.map((t) => ({ x: String(t.keepProbs[l2]), y: String(t.keepProbs[l1]), value: t.devAccuracy }));
    const scatter = gridTrials.flatMap((t) => SEARCH_LAYERS.map((l) => ({ x: t.keepProbs[l]!, y: t.devAccuracy, series: `hidden ${l}` })));
    const best = result.best, adv = result.advisor;
    const input = adv.keepProbs[0];
    const gapText = result.advisorComparison ? describeDifference(result.advisorComparison, "best - advisor on dev") : "the advisor's setting is the best one found";
    const verdict = !result.advisorComparison
      ? "the advisor's own setting comes out best"
      : result.advisorComparison.direction === "higher"
        ? `the best setting found (${best.keepProbs.join("/")}) beats the advisor's (${adv.keepProbs.join("/")}) on dev by more than the noise`
        : `the advisor's setting (${adv.keepProbs.join("/")}) is within the noise of the best one found (${best.keepProbs.join("/")})`;
    const claim = `The advisor sets keepProb from each weight matrix's size and the data per weight; a grid search on the dev set, every trial trained to convergence on ${seeds.length} seeds, checks it: ${verdict}.`;
    return {
      claim,
      plots: [
        {
          spec: heatmap({
            title: `Dev accuracy over two layers' keepProbs (${network.layers.join("-")}, mean of ${seeds.length} seeds)`,
            cells,
            xTitle: `keepProb of hidden layer ${l2}`,
            yTitle: `keepProb of hidden layer ${l1}`,
            valueTitle: "dev accuracy",
          }),
          caption: `Every trial trained until its dev accuracy had not improved for ${config.patience} epochs (cap ${config.epochs}) and was read at its best epoch, on seeds ${seeds.join(", ")}. The input keeps the advisor's ${input} in every trial.`,
        },
        {
          spec: linePlot({
            title: "Dev accuracy against each layer's keepProb",
            points: scatter,
            xTitle: "keepProb",
            yTitle: "dev accuracy",
            mark: "point",
            colors: SERIES_COLORS,
            xDomain: [Math.min(...grid) - 0.05, Math.max(...grid) + 0.05],
            rules: !result.advisorComparison
              ? [{ axis: "y", value: adv.devAccuracy, label: `advisor = best: ${pct(adv.devAccuracy)}`, color: "#000000" }]
              : [
                  { axis: "y", value: adv.devAccuracy, label: `advisor ${adv.keepProbs.join("/")}: ${pct(adv.devAccuracy)}`, color: "#000000" },
                  { axis: "y", value: best.devAccuracy, label: `best ${best.keepProbs.join("/")}: ${pct(best.devAccuracy)}`, color: "#009E73" },
                ],
          }),
          caption: `Each trial appears twice: once at its hidden-1 keepProb and once at its hidden-2 keepProb. ${gapText}.`,
        },
      ],
      numbers: {
        header: ["layer", "fed by", "weights", "share of largest", "examples per weight", "keepProb"],
        rows: advice.layers.map((l) => [
          layerName(l.index),
          l.shape ? `W${l.index} ${l.shape[0]}x${l.shape[1]}` : "-",
          l.params ? String(l.params) : "-",
          l.relativeSize === null ? "-" : l.relativeSize.toFixed(3),
          l.examplesPerWeight === null ? "-" : l.examplesPerWeight.toFixed(3),
          l.keepProb.toFixed(1),
        ]),
      },
      findings: [
        `The rule: ${ADVISOR_RULE}`,
        `For the lab's ${labLayers.join("-")} network and ${examples} training digits the advisor gives keepProbs ${advice.keepProbs.join("/")}:`,
        ...advice.layers.map((l) => l.reason),
        `Search on ${network.layers.join("-")} (${result.trials.length} trials x ${seeds.length} seeds, grid ${grid.join(", ")} for hidden layers ${SEARCH_LAYERS.join(" and ")}, ${result.epochsTrained} epochs trained): the best keepProbs are ${best.keepProbs.join("/")} with dev accuracy ${formatInterval(best.dev)}; the advisor's ${adv.keepProbs.join("/")} reach ${formatInterval(adv.dev)}.`,
        `${gapText}${result.advisorComparison ? "; the best was chosen on this same dev set, so the gap leans in the search's favour" : ""}.`,
      ],
      summary: [
        [`advise: keepProbs for ${labLayers.join("-")}`, advice.keepProbs.join("/")],
        ["tune: best / advisor dev acc", `${best.keepProbs.join("/")} ${formatInterval(best.dev)} / ${adv.keepProbs.join("/")} ${formatInterval(adv.dev)}`],
        ["tune: best - advisor", result.advisorComparison ? `${points(result.advisorComparison.difference.mean)} (${result.advisorComparison.direction})` : "advisor is best"],
      ],
      commands: [
        `dropout-lab advise --layers ${labLayers.join(",")} --examples ${examples} --input image`,
        experimentToCommand(config, "tune", ["--grid", grid.join(","), "--search-layers", SEARCH_LAYERS.join(","), "--seeds", seeds.join(","), "--input", "image", ...backendFlags(ctx)]),
      ],
      json: { advice, tune: { config, grid, seeds, searchedLayers: result.searchedLayers, trials: result.trials, best, advisor: adv, advisorGap: result.advisorGap, advisorComparison: result.advisorComparison ?? null, epochsTrained: result.epochsTrained } },
    };
  },
};
