// `train --out DIR`: the run's History as JSON and a one-section HTML report
// with the noisy cost beside the clean J and the accuracy curves.

import { join } from "node:path";
import { finalEpoch, type Evaluation, type History } from "../src/index.js";
import { accuracyCurves, costCurves, experimentToCommand, linePlot, renderReportHtml, type ExperimentConfig } from "../src/toolkit.js";
import { renderSvg, writeFileAtomic, writeJsonAtomic } from "../src/node/index.js";

/** The files writeRunReport writes into its directory. */
export const REPORT_FILES = ["history.json", "index.html"];

/** Renders everything first and writes the two files last, so a failure never leaves a new history beside an old report. */
export async function writeRunReport(dir: string, config: ExperimentConfig, history: History, test: Evaluation, seconds: number): Promise<void> {
  const command = experimentToCommand(config);
  const plots = [linePlot({ title: "Noisy minibatch cost and clean J", points: costCurves(history, ""), xTitle: "epoch", yTitle: "cost (log scale)", logY: true, faint: ["noisy cost"] })];
  const acc = accuracyCurves(history, "");
  if (acc.length) plots.push(linePlot({ title: "Train and dev accuracy", points: acc, xTitle: "epoch", yTitle: "accuracy" }));
  const last = finalEpoch(history);
  const stop = history.stop;
  const stopText = stop
    ? [`early stopping: ${stop.reason === "patience" ? `no improvement of ${stop.monitor} for ${config.patience} epochs` : `reached the cap of ${config.epochs} epochs`}; results from epoch ${last.epoch}${stop.restored ? " (weights restored)" : ""}`]
    : [];
  const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : `${(100 * x).toFixed(2)}%`);
  const html = renderReportHtml({
    title: `dropout-lab run: ${config.data}`,
    subtitle: `keepProbs ${config.keepProbs?.join("/") ?? "all 1"}, ${config.epochs} epochs`,
    generated: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command,
    summary: {
      header: ["measurement", "value"],
      rows: [
        [stop?.restored ? `clean J (best epoch ${last.epoch})` : "clean J (last epoch)", last.cleanCost.toFixed(4)],
        ["train accuracy", fmt(last.trainAccuracy)],
        ["dev accuracy", fmt(last.devAccuracy)],
        ["test accuracy", fmt(test.accuracy)],
        ["test loss", Number.isNaN(test.loss) ? "-" : test.loss.toFixed(4)],
      ],
    },
    sections: [
      {
        id: "curves",
        title: "Training curves",
        claim: "The noisy cost is what each minibatch reported; the clean J is the cost with dropout off over the whole training set, L2 included.",
        figures: await Promise.all(plots.map(async (spec) => ({ svg: await renderSvg(spec) }))),
        numbers: {
          header: ["epoch", "clean J", "train acc", "dev acc"],
          rows: history.epochs.map((e) => [String(e.epoch), e.cleanCost.toFixed(4), fmt(e.trainAccuracy), fmt(e.devAccuracy)]),
        },
        findings: stopText,
        commands: [command],
        seconds,
      },
    ],
  });
  writeJsonAtomic(join(dir, "history.json"), { config, history, test, seconds });
  writeFileAtomic(join(dir, "index.html"), html);
}
