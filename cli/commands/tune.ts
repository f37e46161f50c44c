// `dropout-lab tune`: checks the advisor with a real search. keepProbs of the
// largest layers are searched (grid or random) on the dev set, trials in
// parallel on worker threads, with optional early stopping in rungs; the same
// seed gives the same table whatever the number of workers.

import { Command } from "commander";
import { availableParallelism } from "node:os";
import { DEFAULT_GRID, INPUT_KINDS, InputError, resolveNetworkSpec, trainOptionsOf, type InputKind, type SearchSpec } from "../../src/index.js";
import { loadOptionsOf, tuneInWorkers } from "../../src/node/index.js";
import { addBackendFlag, backendNameFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { choiceFlag, numberFlag, numberListFlag, withFlagNames, workersFlag } from "../parse.js";
import { log, pct, printJson, table } from "../run.js";
import { loadExperimentData } from "../session.js";

interface TuneFlags extends ExperimentFlags {
  grid?: string;
  trials?: string;
  searchLayers?: string;
  rungs?: string;
  workers?: string;
  input?: string;
  backend?: string;
  json?: boolean;
}

/** The tuning schema's fields, as the flags that set them. */
const TUNE_FLAGS = { "search.values": "--grid", "search.layers": "--search-layers", "search.trials": "--trials", "earlyStopping.rungs": "--rungs" };

export function tuneCommand(): Command {
  const cmd = new Command("tune").description("search keepProbs of the largest layers on the dev set and compare with the advisor");
  addExperimentFlags(cmd);
  addBackendFlag(cmd);
  return cmd
    .option("--grid <values>", `keepProbs tried for each searched layer (default ${DEFAULT_GRID.join(",")})`)
    .option("--trials <n>", "random search with n trials (keepProbs uniform in [0.3, 1]) instead of the grid")
    .option("--search-layers <list>", "keepProb indices to search (0 = input; default: the hidden layers fed by a large matrix)")
    .option("--rungs <epochs>", "early stopping: at these epochs trials below the median dev accuracy stop, e.g. 1,2")
    .option("--workers <n>", "worker threads, at most the number of cores (default: the number of cores)")
    .option("--input <kind>", `for the advisor: ${INPUT_KINDS.join(" or ")}`)
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExample:\n  $ dropout-lab tune --data mnist --layers 784,256,256,10 --epochs 3 --grid 0.5,0.7,0.9,1 --rungs 1")
    .action(async (flags: TuneFlags) => {
      const config = experimentFromFlags(flags);
      if (flags.grid !== undefined && flags.trials !== undefined) throw new InputError("give either --grid or --trials, not both");
      const layers = flags.searchLayers === undefined ? undefined : numberListFlag("--search-layers", flags.searchLayers);
      const search: SearchSpec | undefined =
        flags.trials !== undefined
          ? { kind: "random", trials: numberFlag("--trials", flags.trials, { min: 1, max: 10000, integer: true }), ...(layers ? { layers } : {}) }
          : flags.grid !== undefined || layers
            ? { kind: "grid", ...(flags.grid !== undefined ? { values: numberListFlag("--grid", flags.grid) } : {}), ...(layers ? { layers } : {}) }
            : undefined;
      const rungs = flags.rungs === undefined ? undefined : numberListFlag("--rungs", flags.rungs);
      const workers = flags.workers === undefined ? availableParallelism() : workersFlag(flags.workers, 1);
      const inputKind: InputKind | undefined = flags.input === undefined ? undefined : choiceFlag("--input", flags.input, INPUT_KINDS);
      const data = loadExperimentData(config);
      const network = resolveNetworkSpec(config, data.train);
      const started = performance.now();
      if (process.stderr.isTTY) log(`tune: ${network.layers.join("-")} on ${config.data}, ${workers} workers...`);
      const result = await tuneInWorkers(
        {
          network,
          train: trainOptionsOf(config),
          ...(search ? { search } : {}),
          ...(rungs ? { earlyStopping: { rungs } } : {}),
          ...(inputKind ? { inputKind } : {}),
          backend: backendNameFromFlag(flags.backend),
          data: { spec: config.data, options: loadOptionsOf(config) },
        },
        config.seed,
        { workers },
      ).catch(withFlagNames(TUNE_FLAGS));
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson({ config, ...result, seconds });
        return;
      }
      process.stdout.write(
        table(
          ["trial", "keepProbs", "dev acc", "dev loss", "train acc", "epochs", "note"],
          result.trials.map((t) => [
            String(t.index),
            t.keepProbs.join("/"),
            pct(t.devAccuracy),
            t.devLoss.toFixed(4),
            pct(t.trainAccuracy),
            String(t.epochs),
            [t.advisor ? "advisor" : "", t.stoppedEarly ? "stopped early" : "", t === result.best ? "best" : ""].filter(Boolean).join(", "),
          ]),
        ) + "\n",
      );
      process.stdout.write(
        `best keepProbs ${result.best.keepProbs.join(",")} (dev ${pct(result.best.devAccuracy)}); advisor ${result.advisor.keepProbs.join(",")} (dev ${pct(result.advisor.devAccuracy)}), ${(100 * result.advisorGap).toFixed(2)} pts behind; ${result.epochsTrained} epochs trained in ${seconds.toFixed(1)} s\n`,
      );
    });
}
