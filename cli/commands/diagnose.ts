// `dropout-lab diagnose`: is dropout needed here? Trains without dropout,
// measures the train/dev gap and gives a verdict; when it overfits, trains
// again with the advised keepProbs and reports the dev accuracy change.

import { Command } from "commander";
import { INPUT_KINDS, diagnose, resolveNetworkSpec, trainOptionsOf, type InputKind } from "../../src/index.js";
import { addBackendFlag, backendFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { choiceFlag } from "../parse.js";
import { log, pct, printJson } from "../run.js";
import { loadExperimentData } from "../session.js";

interface DiagnoseFlags extends ExperimentFlags {
  input?: string;
  backend?: string;
  json?: boolean;
}

/** Images are high-dimensional inputs; tables are structured data. */
function inferInputKind(data: string): InputKind | undefined {
  const name = data.split(":")[0];
  if (name === "mnist" || name === "fashion-mnist") return "image";
  if (name === "penguins" || name === "seattle-weather" || name === "csv") return "tabular";
  return undefined;
}

export function diagnoseCommand(): Command {
  const cmd = new Command("diagnose").description("is dropout needed? train without it, measure the train/dev gap, recommend");
  addExperimentFlags(cmd);
  addBackendFlag(cmd);
  return cmd
    .option("--input <kind>", `what the inputs are: ${INPUT_KINDS.join(" or ")} (default: image for mnist and fashion-mnist, tabular for tables)`)
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExamples:\n  $ dropout-lab diagnose --data mnist --layers 784,512,512,10 --epochs 10\n  $ dropout-lab diagnose --data penguins --hidden 16 --epochs 30")
    .action((flags: DiagnoseFlags) => {
      const config = experimentFromFlags(flags);
      const inputKind = flags.input === undefined ? inferInputKind(config.data) : choiceFlag("--input", flags.input, INPUT_KINDS);
      const data = loadExperimentData(config);
      const spec = resolveNetworkSpec(config, data.train);
      if (process.stderr.isTTY) log(`diagnose: training ${spec.layers.join("-")} on ${config.data} without dropout...`);
      const result = diagnose(spec, { train: data.train, dev: data.dev }, trainOptionsOf(config), {
        seed: config.seed,
        backend: backendFromFlag(flags.backend),
        ...(inputKind ? { inputKind } : {}),
      });
      if (flags.json) {
        printJson({ config, data: config.data, ...result });
        return;
      }
      const lines = [
        `${config.data}, ${spec.layers.join("-")} without dropout: train ${pct(result.trainAccuracy)}, dev ${pct(result.devAccuracy)}, gap ${(100 * result.gap).toFixed(2)} pts (counts above ${(100 * result.gapThreshold).toFixed(2)} pts)`,
        `verdict: ${result.verdict}`,
        `recommendation: ${result.recommendation.useDropout ? `dropout, --keep-probs ${result.recommendation.keepProbs.join(",")}` : "no dropout needed"}. ${result.recommendation.reason}`,
      ];
      if (result.withDropout) {
        const w = result.withDropout;
        lines.push(`with those keepProbs: train ${pct(w.trainAccuracy)}, dev ${pct(w.devAccuracy)} (${w.devAccuracyChange >= 0 ? "+" : ""}${(100 * w.devAccuracyChange).toFixed(2)} pts), gap ${(100 * w.gap).toFixed(2)} pts`);
      }
      process.stdout.write(lines.join("\n") + "\n");
    });
}
