// Section: "keepProb follows parameter count, and a real search agrees (or
// says by how much it doesn't)". The advisor's keepProbs for the lab's MNIST
// network, each with its reason, then a grid search over two hidden layers'
// keepProbs of a smaller MNIST network on the dev set, trials on worker
// threads with early stopping, and the advisor's distance from the best.

import {
  ADVISOR_RULE,
  advise,
  experimentToCommand,
  heatmap,
  linePlot,
  resolveNetworkSpec,
  trainOptionsOf,
  tune,
  type ExperimentConfig,
  type TuneExperiment,
  type TuneResult,
} from "../../../src/index.js";
import { loadExperimentData, loadOptionsOf, tuneInWorkers } from "../../../src/node/index.js";
import { backendFlags, pct, points, type LabContext, type LabSection, type SectionResult } from "../section.js";
import { mnistConfigs } from "./mnist-dropout.js";

/** The keepProb indices searched: hidden layers 1 and 2 (the input keeps the advisor's value). */
const SEARCH_LAYERS = [1, 2] as const;
/** Epochs at which the trials below the median stop (the last epoch is the final comparison). */
function rungs(epochs: number): number[] {
  return Array.from({ length: epochs - 1 }, (_, i) => i + 1);
}

export function tuneSettings(ctx: LabContext): { config: ExperimentConfig; grid: readonly number[] } {
  const hidden = ctx.quick ? 32 : 64;
  return {
    config: {
      data: "mnist",
      layers: [784, hidden, hidden, 10],
      activation: "relu",
      optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
      lr: 0.05,
      batchSize: 64,
      epochs: ctx.quick ? 2 : 3,
      l2: 0,
      seed: ctx.seed,
    },
    grid: ctx.quick ? [0.5, 1] : [0.5, 0.7, 0.9, 1],
  };
}

function layerName(index: number): string {
  return index === 0 ? "input" : `hidden ${index}`;
}

const SERIES_COLORS = {
  "hidden 1, finished": "#0072B2",
  "hidden 1, stopped early": "#56B4E9",
  "hidden 2, finished": "#D55E00",
  "hidden 2, stopped early": "#E69F00",
};

export const adviseTuneSection: LabSection = {
  id: "advise-tune",
  title: "keepProb per layer: the advisor's rule and a real search",
  async run(ctx): Promise<SectionResult> {
    const { config, grid } = tuneSettings(ctx);
    const data = loadExperimentData(config);
    const examples = data.train.size;
    const labLayers = mnistConfigs(ctx).plain.layers!;
    const advice = advise({ layers: labLayers, examples, inputKind: "image" });

    const network = resolveNetworkSpec(config, data.train);
    const stops = rungs(config.epochs);
    const experiment: TuneExperiment = {
      network,
      train: trainOptionsOf(config),
      search: { kind: "grid", values: grid, layers: SEARCH_LAYERS },
      earlyStopping: { rungs: stops },
      inputKind: "image",
      backend: ctx.backend,
    };
    ctx.log(`advise-tune: ${grid.length ** SEARCH_LAYERS.length + 1} trials of ${network.layers.join("-")} on mnist, ${config.epochs} epochs, rungs at ${stops.join(",")}`);
    const result: TuneResult =
      ctx.workers >= 1
        ? await tuneInWorkers({ ...experiment, data: { spec: config.data, options: loadOptionsOf(config) } }, config.seed, { workers: ctx.workers })
        : tune(experiment, { train: data.train, dev: data.dev }, config.seed);

    const [l1, l2] = SEARCH_LAYERS;
    const gridTrials = result.trials.filter((t) => !t.advisor);
    const cells = gridTrials.map((t) => ({
      x: String(t.keepProbs[l2]),
      y: String(t.keepProbs[l1]),
      value: t.devAccuracy,
      ...(t.stoppedEarly ? { label: `${t.devAccuracy.toFixed(3)}\nstopped ep ${t.epochs}` } : {}),
    }));
    const scatter = gridTrials.flatMap((t) =>
      SEARCH_LAYERS.map((l) => ({ x: t.keepProbs[l]!, y: t.devAccuracy, series: `hidden ${l}, ${t.stoppedEarly ? "stopped early" : "finished"}` })),
    );
    const best = result.best, adv = result.advisor;
    const input = adv.keepProbs[0];
    const epochsFull = config.epochs * result.trials.length;
    return {
      claim: "The advisor sets keepProb from each weight matrix's size and the data per weight (big layers 0.5, smaller ones 0.7 to 1, the input 1 or 0.9 for images); a grid search on the dev set checks it and says how far its choice is from the best one found.",
      plots: [
        {
          spec: heatmap({
            title: `Dev accuracy over two layers' keepProbs (${network.layers.join("-")})`,
            cells,
            xTitle: `keepProb of hidden layer ${l2}`,
            yTitle: `keepProb of hidden layer ${l1}`,
            valueTitle: "dev accuracy",
          }),
          caption: `${config.epochs} epochs per trial; after epoch ${stops.join(" and ")} the trials below the median dev accuracy stopped (their cells show the dev accuracy at that epoch). The input keeps the advisor's ${input} in every trial.`,
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
            rules:
              result.advisorGap === 0
                ? [{ axis: "y", value: adv.devAccuracy, label: `advisor = best: ${pct(adv.devAccuracy)}`, color: "#000000" }]
                : [
                    { axis: "y", value: adv.devAccuracy, label: `advisor ${adv.keepProbs.join("/")}: ${pct(adv.devAccuracy)}`, color: "#000000" },
                    { axis: "y", value: best.devAccuracy, label: `best ${best.keepProbs.join("/")}: ${pct(best.devAccuracy)}`, color: "#009E73" },
                  ],
          }),
          caption: "Each trial appears twice: once at its hidden-1 keepProb and once at its hidden-2 keepProb. Light dots stopped early.",
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
        `Search on ${network.layers.join("-")} (${result.trials.length} trials, grid ${grid.join(", ")} for hidden layers ${SEARCH_LAYERS.join(" and ")}, ${config.epochs} epochs, ${result.epochsTrained} epochs trained instead of ${epochsFull} thanks to early stopping): the best keepProbs are ${best.keepProbs.join("/")} with dev accuracy ${pct(best.devAccuracy)}.`,
        result.advisorGap === 0
          ? `The advisor's setting ${adv.keepProbs.join("/")} is the best one found (dev accuracy ${pct(adv.devAccuracy)}).`
          : `The advisor's setting ${adv.keepProbs.join("/")} reaches ${pct(adv.devAccuracy)}${adv.stoppedEarly ? " (stopped early)" : ""}: ${points(result.advisorGap)} behind the best.`,
        ...gridTrials
          .filter((t) => t.keepProbs.join() === adv.keepProbs.join())
          .map((t) => `The advisor's own trial always trains all ${config.epochs} epochs; its twin in the grid (trial ${t.index}, the same keepProbs) ${t.stoppedEarly ? `was stopped at epoch ${t.epochs} with ${pct(t.devAccuracy)}` : `finished with the same ${pct(t.devAccuracy)}`}.`),
        `Caveat: a search this short favours weak dropout: dropout slows the first epochs, and ${config.epochs} epochs is where the trials are compared.`,
      ],
      summary: [
        [`advise: keepProbs for ${labLayers.join("-")}`, advice.keepProbs.join("/")],
        ["tune: best / advisor dev acc (gap)", `${best.keepProbs.join("/")} ${pct(best.devAccuracy)} / ${adv.keepProbs.join("/")} ${pct(adv.devAccuracy)} (${points(result.advisorGap)})`],
      ],
      commands: [
        `dropout-lab advise --layers ${labLayers.join(",")} --examples ${examples} --input image`,
        experimentToCommand(config, "tune", ["--grid", grid.join(","), "--search-layers", SEARCH_LAYERS.join(","), "--rungs", stops.join(","), "--input", "image", ...backendFlags(ctx)]),
      ],
      json: { advice, tune: { config, grid, searchedLayers: result.searchedLayers, rungs: result.rungs, trials: result.trials, best, advisor: adv, advisorGap: result.advisorGap, epochsTrained: result.epochsTrained } },
    };
  },
};
