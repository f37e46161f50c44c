// `dropout-lab tune`: checks the advisor with a real search. keepProbs of the
// largest layers are searched (grid or random) on the dev set, every trial on
// several seeds and to convergence (early stopping, best epoch read), runs in
// parallel on worker threads, with optional pruning at rungs; the advisor's
// distance from the best is a paired difference with its 95% interval. The
// same seeds give the same table whatever the number of workers, and with
// --queue, whatever the number of machines (`dropout-lab worker` on each).

import { Command } from "commander";
import { InputError } from "../../src/index.js";
import {
  DEFAULT_EPOCH_CAP,
  DEFAULT_GRID,
  DEFAULT_PATIENCE,
  DEFAULT_SEEDS,
  INPUT_KINDS,
  defaultSearchLayers,
  describeDifference,
  formatInterval,
  resolveNetworkSpec,
  trainOptionsOf,
  trialCount,
  type InputKind,
  type SearchSpec,
} from "../../src/toolkit.js";
import { loadExperimentData, openSweepRunner, withAbsoluteDataPath, type TuneSweep } from "../../src/node/index.js";
import { addBackendFlag, backendNameFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { inferInputKind } from "../input-kind.js";
import { choiceFlag, numberFlag, numberListFlag, seedsFlag, withFlagNames } from "../parse.js";
import { log, pct, printJson, table } from "../run.js";
import { workerCount } from "../workers-flag.js";

interface TuneFlags extends ExperimentFlags {
  grid?: string;
  trials?: string;
  searchLayers?: string;
  rungs?: string;
  workers?: string;
  queue?: string | true;
  attempts?: string;
  seeds?: string;
  input?: string;
  backend?: string;
  json?: boolean;
}

/** The tuning schema's fields, as the flags that set them. */
const TUNE_FLAGS = { "search.values": "--grid", "search.layers": "--search-layers", "search.trials": "--trials" };

function layerName(index: number): string {
  return index === 0 ? "the input" : `hidden layer ${index}`;
}

export function tuneCommand(): Command {
  const cmd = new Command("tune").description("search keepProbs of the largest layers on the dev set, at convergence over several seeds, and compare with the advisor");
  addExperimentFlags(cmd, { epochs: DEFAULT_EPOCH_CAP });
  addBackendFlag(cmd);
  return cmd
    .option("--grid <values>", `keepProbs tried for each searched layer (default ${DEFAULT_GRID.join(",")})`)
    .option("--trials <n>", "random search with n trials (keepProbs uniform in [0.3, 1]) instead of the grid")
    .option("--search-layers <list>", "keepProb indices to search (0 = input; default: the hidden layers fed by a large matrix)")
    .option("--rungs <epochs>", "pruning: at these epochs trials below the median dev accuracy stop, e.g. 5,10")
    .option("--seeds <n|list>", `seeds every trial runs on: a count (from --seed on) or a list (default ${DEFAULT_SEEDS})`)
    .option("--workers <n>", "worker threads (default: the number of cores)")
    .option("--queue [url]", "run the trials as jobs on Redis, redis://HOST:PORT[/DB] (default REDIS_URL), for `dropout-lab worker` processes on any machine")
    .option("--attempts <n>", "with --queue: attempts per trial before it counts as failed (default 3)")
    .option("--input <kind>", `for the advisor: ${INPUT_KINDS.join(" or ")} (default: image for mnist and fashion-mnist, tabular for tables)`)
    .option("--json", "print one JSON object on stdout")
    .addHelpText(
      "after",
      `
Every run trains until its dev accuracy has not improved for --patience epochs (default ${DEFAULT_PATIENCE}; --epochs caps it,
default ${DEFAULT_EPOCH_CAP}) and is read at its best epoch. The data split is fixed by --seed; the seeds vary weights, shuffles and masks.

Example:
  $ dropout-lab tune --data mnist --layers 784,256,256,10 --grid 0.5,0.7,0.9,1 --seeds 3
On several machines (Redis at redis://10.0.0.5:6379; a worker on each machine first):
  $ dropout-lab worker --queue redis://10.0.0.5:6379
  $ dropout-lab tune --data mnist --layers 784,256,256,10 --seeds 3 --queue redis://10.0.0.5:6379`,
    )
    .action(async (flags: TuneFlags) => {
      const given = experimentFromFlags(flags, { epochs: DEFAULT_EPOCH_CAP });
      const config = given.patience === undefined ? { ...given, patience: DEFAULT_PATIENCE } : given;
      if (flags.grid !== undefined && flags.trials !== undefined) throw new InputError("give either --grid or --trials, not both");
      const layers = flags.searchLayers === undefined ? undefined : numberListFlag("--search-layers", flags.searchLayers);
      const search: SearchSpec | undefined =
        flags.trials !== undefined
          ? { kind: "random", trials: numberFlag("--trials", flags.trials, { min: 1, max: 10000, integer: true }), ...(layers ? { layers } : {}) }
          : flags.grid !== undefined || layers
            ? { kind: "grid", ...(flags.grid !== undefined ? { values: numberListFlag("--grid", flags.grid) } : {}), ...(layers ? { layers } : {}) }
            : undefined;
      const rungs = flags.rungs === undefined ? undefined : numberListFlag("--rungs", flags.rungs);
      const workers = workerCount(flags.workers);
      const attempts = flags.attempts === undefined ? undefined : numberFlag("--attempts", flags.attempts, { min: 1, max: 100, integer: true });
      const seeds = seedsFlag(flags.seeds ?? String(DEFAULT_SEEDS), config.seed);
      const inputKind: InputKind | undefined = flags.input === undefined ? inferInputKind(config.data) : choiceFlag("--input", flags.input, INPUT_KINDS);
      const data = loadExperimentData(config);
      const network = resolveNetworkSpec(config, data.train);
      const sweep: TuneSweep = {
        config: withAbsoluteDataPath(config),
        ...(search ? { search } : {}),
        ...(rungs ? { rungs } : {}),
        ...(inputKind ? { inputKind } : {}),
        backend: backendNameFromFlag(flags.backend),
        seeds,
      };
      const trials = trialCount({ network, train: trainOptionsOf(config), ...(search ? { search } : {}) });
      const runner = await openSweepRunner({
        ...(flags.queue !== undefined ? { queue: flags.queue === true ? "" : flags.queue } : { workers }),
        ...(attempts !== undefined ? { attempts } : {}),
      });
      const started = performance.now();
      const tty = process.stderr.isTTY;
      const searched = (search?.layers ?? defaultSearchLayers(network.layers)).map(layerName).join(" and ");
      if (tty) log(`tune: ${network.layers.join("-")} on ${config.data}: ${trials} trials x ${seeds.length} seeds, searching ${searched}, on ${runner.where}`);
      let bestSoFar = 0;
      let done = 0;
      let onQueue = "";
      const show = () => {
        const elapsed = (performance.now() - started) / 1000;
        const total = trials * seeds.length;
        const eta = done > 0 ? ` ETA ~${((elapsed / done) * (total - done)).toFixed(0)} s` : "";
        process.stderr.write(`\r\x1b[2Ktune: ${done}/${total} runs done${onQueue}, best run dev ${pct(bestSoFar)}, elapsed ${elapsed.toFixed(0)} s,${eta}`);
      };
      const result = await runner
        .tune(sweep, data, {
          onRunDone: (n, _total, _index, segment) => {
            done = n;
            bestSoFar = Math.max(bestSoFar, segment.result.devAccuracy);
            if (tty) show();
          },
          onProgress: (p) => {
            onQueue = `, ${p.running} running on ${p.workers} worker${p.workers === 1 ? "" : "s"}${p.failed > 0 ? `, ${p.failed} failed` : ""}`;
            if (tty) show();
          },
        })
        .catch(withFlagNames(TUNE_FLAGS))
        .finally(() => runner.close());
      if (tty) process.stderr.write("\r\x1b[2K");
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson({ config, ...result, seconds });
        return;
      }
      process.stdout.write(
        table(
          ["trial", "keepProbs", "dev acc (mean ± 95%)", "dev loss", "train acc", "best epochs", "note"],
          result.trials.map((t) => [
            String(t.index),
            t.keepProbs.join("/"),
            formatInterval(t.dev),
            t.devLoss.toFixed(4),
            pct(t.trainAccuracy),
            t.runs.map((r) => r.bestEpoch).join(","),
            [t.advisor ? "advisor" : "", t.stoppedEarly ? "pruned" : "", t === result.best ? "best" : ""].filter(Boolean).join(", "),
          ]),
        ) + "\n",
      );
      const gap = result.advisorComparison
        ? describeDifference(result.advisorComparison, "best - advisor on dev")
        : "the advisor's setting is the best one found";
      process.stdout.write(
        `searched ${searched} over ${seeds.length} seed${seeds.length > 1 ? "s" : ""} (${seeds.join(",")}); best keepProbs ${result.best.keepProbs.join(",")} (dev ${formatInterval(result.best.dev)}); advisor ${result.advisor.keepProbs.join(",")} (dev ${formatInterval(result.advisor.dev)})\n` +
          `${gap}${result.advisorComparison ? " (the best was chosen on this dev set, so this gap leans in the search's favour)" : ""}\n` +
          `${result.epochsTrained} epochs trained in ${seconds.toFixed(1)} s\n`,
      );
    });
}
