// `dropout-lab diagnose`: is dropout needed here? Trains without dropout to
// convergence over several seeds (in parallel on worker threads), measures the
// train/dev gap and gives a verdict; when the network overfits, trains the
// advisor's recipe on the same seeds and reports the paired change with its
// 95% interval. Dropout is recommended only when that interval is above zero.

import { Command } from "commander";
import { DEFAULT_EPOCH_CAP, DEFAULT_SEEDS, INPUT_KINDS, describeDifference, formatInterval, type ArmSummary, type InputKind } from "../../src/toolkit.js";
import { diagnoseExperiment } from "../../src/node/index.js";
import { addBackendFlag, backendNameFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { inferInputKind } from "../input-kind.js";
import { choiceFlag, seedsFlag } from "../parse.js";
import { log, printJson, table } from "../run.js";
import { workerCount } from "../workers-flag.js";

interface DiagnoseFlags extends ExperimentFlags {
  input?: string;
  backend?: string;
  seeds?: string;
  workers?: string;
  json?: boolean;
}

export function diagnoseCommand(): Command {
  const cmd = new Command("diagnose").description("is dropout needed? train without it to convergence over several seeds, measure the train/dev gap, test the advice");
  addExperimentFlags(cmd, { epochs: DEFAULT_EPOCH_CAP });
  addBackendFlag(cmd);
  return cmd
    .option("--seeds <n|list>", `seeds of the paired runs: a count (from --seed on) or a list (default ${DEFAULT_SEEDS})`)
    .option("--workers <n>", "worker threads for the runs (default: the number of cores)")
    .option("--input <kind>", `what the inputs are: ${INPUT_KINDS.join(" or ")} (default: image for mnist and fashion-mnist, tabular for tables)`)
    .option("--json", "print one JSON object on stdout")
    .addHelpText(
      "after",
      `
Every run trains until the dev accuracy has not improved for --patience epochs (default 10; --epochs caps it, default ${DEFAULT_EPOCH_CAP})
and is read at its best epoch. Dropout is recommended only when the paired 95% interval of its dev-accuracy change is above zero.

Examples:
  $ dropout-lab diagnose --data mnist --layers 784,512,512,10 --seeds 5
  $ dropout-lab diagnose --data penguins --hidden 16`,
    )
    .action(async (flags: DiagnoseFlags) => {
      const config = experimentFromFlags(flags, { epochs: DEFAULT_EPOCH_CAP });
      const seeds = flags.seeds === undefined ? seedsFlag(String(DEFAULT_SEEDS), config.seed) : seedsFlag(flags.seeds, config.seed);
      const inputKind: InputKind | undefined = flags.input === undefined ? inferInputKind(config.data) : choiceFlag("--input", flags.input, INPUT_KINDS);
      const workers = workerCount(flags.workers);
      const tty = process.stderr.isTTY;
      const started = performance.now();
      const result = await diagnoseExperiment(config, {
        seeds,
        backend: backendNameFromFlag(flags.backend),
        workers,
        ...(inputKind ? { inputKind } : {}),
        onRun: (phase, done, total, r) => {
          if (!tty) return;
          const stop = r.history.stop;
          const why = stop ? `best epoch ${stop.bestEpoch}, ${stop.reason === "patience" ? "stopped by early stopping" : "reached the epoch cap"}` : "";
          log(`diagnose: ${phase} ${done}/${total} (seed ${r.config.seed}: ${why}, ${r.seconds.toFixed(1)} s)`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson({ config, inputKind: inputKind ?? null, seconds, ...result });
        return;
      }
      const row = (name: string, a: ArmSummary) => [
        name,
        a.keepProbs.join("/"),
        formatInterval(a.trainAccuracy),
        formatInterval(a.devAccuracy),
        formatInterval(a.gap, 100, 2, " pts"),
        a.testAccuracy ? formatInterval(a.testAccuracy) : "-",
        a.runs.map((r) => r.bestEpoch).join(","),
      ];
      const rows = [row("without dropout", result.baseline)];
      if (result.withDropout) rows.push(row("advised recipe", result.withDropout));
      const lines = [
        `${result.data.name}, ${result.spec.layers.join("-")}: ${result.data.train} train / ${result.data.dev} dev / ${result.data.test} test; ${seeds.length} seed${seeds.length > 1 ? "s" : ""} (${seeds.join(",")}); mean ± 95% interval half-width`,
        table(["run", "keepProbs", "train acc", "dev acc", "gap", "test acc", "best epochs"], rows),
      ];
      if (result.withDropout) {
        const w = result.withDropout;
        lines.push(describeDifference(w.devChange, "dev accuracy change (advised - none)"));
        if (w.testChange) lines.push(describeDifference(w.testChange, "test accuracy change (advised - none)"));
        lines.push(`recipe: ${(result.recipe ?? []).map((c) => `${c.flag} ${c.to}`).join(" ")}`);
      }
      lines.push(`verdict: ${result.verdict}`);
      lines.push(`recommendation: ${result.recommendation.useDropout ? `dropout, --keep-probs ${result.recommendation.keepProbs.join(",")}` : "no dropout"}. ${result.recommendation.reason}`);
      lines.push(`${seconds.toFixed(1)} s`);
      process.stdout.write(lines.join("\n") + "\n");
    });
}
