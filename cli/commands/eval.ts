// `dropout-lab eval --load FILE`: the saved model's accuracy and loss on a
// split of the data it was trained on (the same seeded split as training).

import { Command } from "commander";
import { InputError, evaluate } from "../../src/index.js";
import { loadModel } from "../model-file.js";
import { backendFromFlag } from "../backend-flag.js";
import { pct, printJson } from "../run.js";
import { loadExperimentData } from "../../src/node/index.js";

const SPLITS = ["train", "dev", "test"] as const;

export function evalCommand(): Command {
  return new Command("eval")
    .description("evaluate a saved model on the test split (or --split train|dev) of its data")
    .requiredOption("--load <file>", "model file written by train --save")
    .option("--split <name>", "train, dev or test (default test)")
    .option("--json", "print one JSON object on stdout")
    .option("--backend <name>", "kernels: auto, js or wasm (default auto, as train)")
    .addHelpText("after", "\nExample:\n  $ dropout-lab train --data mnist --epochs 3 --save model.json && dropout-lab eval --load model.json")
    .action((flags: { load: string; split?: string; json?: boolean; backend?: string }) => {
      const split = flags.split ?? "test";
      if (!(SPLITS as readonly string[]).includes(split)) throw new InputError(`--split must be one of ${SPLITS.join(", ")}; got ${JSON.stringify(split)}`);
      const { network, experiment } = loadModel(flags.load, backendFromFlag(flags.backend));
      const data = loadExperimentData(experiment);
      const set = data[split as (typeof SPLITS)[number]];
      if (set.size === 0) throw new InputError(`the ${split} split of ${data.name} has no examples (its fraction is 0); give --split ${SPLITS.filter((s) => s !== split && data[s].size > 0).join(" or ")}`);
      const result = evaluate(network, set);
      if (flags.json) {
        printJson({ split, examples: set.size, ...(result.accuracy === undefined ? {} : { accuracy: result.accuracy }), cost: result.loss, experiment });
        return;
      }
      process.stdout.write(`${data.name} ${split} (${set.size} examples): ${result.accuracy === undefined ? "" : `accuracy ${pct(result.accuracy)}, `}loss ${result.loss.toFixed(4)}\n`);
    });
}
