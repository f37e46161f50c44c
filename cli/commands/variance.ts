// `dropout-lab variance`: does dropout reduce variance? K networks trained on
// bootstrap resamples of one training split (the split fixed by --seed, the
// resample drawn from each model's seed), without dropout and with the
// advisor's recipe, all tested on one test split; Domingos' decomposition of
// the 0-1 test error into bias and variance, with intervals over the test
// examples and the paired change per term.

import { Command } from "commander";
import { InputError } from "../../src/index.js";
import { DEFAULT_EPOCH_CAP, DEFAULT_PATIENCE, INPUT_KINDS, adviseRecipe, applyRecipe, compareDecompositions, decompose, exampleTerms, resolveNetworkSpec, type InputKind } from "../../src/toolkit.js";
import { labelsOf } from "../../src/index.js";
import { loadExperimentData, runExperiments } from "../../src/node/index.js";
import { addBackendFlag, backendNameFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { inferInputKind } from "../input-kind.js";
import { choiceFlag, numberFlag } from "../parse.js";
import { log, printJson, table } from "../run.js";
import { workerCount } from "../workers-flag.js";

interface VarianceFlags extends ExperimentFlags {
  models?: string;
  input?: string;
  workers?: string;
  backend?: string;
  json?: boolean;
}

const pts = (x: number | null) => (x === null ? "-" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(2)}`);

export function varianceCommand(): Command {
  const cmd = new Command("variance").description("bias and variance of the test error over bootstrap-trained networks, without and with the advised dropout recipe");
  addExperimentFlags(cmd, { epochs: DEFAULT_EPOCH_CAP });
  addBackendFlag(cmd);
  return cmd
    .option("--models <k>", "networks per setting, each on its own bootstrap resample (default 10)")
    .option("--input <kind>", `for the advisor: ${INPUT_KINDS.join(" or ")} (default: from the data)`)
    .option("--workers <n>", "worker threads (default: the number of cores)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExamples:\n  $ dropout-lab variance --data breast-cancer --hidden 512,512 --models 10\n  $ dropout-lab variance --data mnist --hidden 256,256 --json")
    .action(async (flags: VarianceFlags) => {
      const given = experimentFromFlags(flags, { epochs: DEFAULT_EPOCH_CAP });
      const base = { ...given, patience: given.patience ?? DEFAULT_PATIENCE, splitSeed: given.splitSeed ?? given.seed };
      const models = numberFlag("--models", flags.models ?? "10", { min: 2, max: 1000, integer: true });
      const inputKind: InputKind | undefined = flags.input === undefined ? inferInputKind(base.data) : choiceFlag("--input", flags.input, INPUT_KINDS);
      const data = loadExperimentData(base);
      if (data.test.task.kind !== "classification") throw new InputError(`--data ${base.data}: the 0-1 decomposition needs a classification task`);
      const spec = resolveNetworkSpec(base, data.train);
      const { hidden: _h, ...rest } = base;
      const none = { ...rest, layers: spec.layers, keepProbs: spec.keepProbs.map(() => 1), bootstrap: true };
      const recipe = adviseRecipe({ layers: spec.layers, examples: data.train.size, ...(inputKind ? { inputKind } : {}) }, none);
      const dropout = applyRecipe(none, recipe, new Set());
      const seeds = Array.from({ length: models }, (_, k) => base.seed + k);
      const configs = [...seeds.map((seed) => ({ ...none, seed })), ...seeds.map((seed) => ({ ...dropout, seed }))];
      const tty = process.stderr.isTTY;
      let done = 0;
      const started = performance.now();
      const results = await runExperiments(configs, {
        workers: workerCount(flags.workers),
        backend: backendNameFromFlag(flags.backend),
        onDone: () => {
          if (tty) process.stderr.write(`\r\x1b[2Kvariance: ${++done}/${configs.length} networks trained`);
        },
      });
      if (tty) process.stderr.write("\r\x1b[2K");
      const labels = labelsOf(data.test);
      const preds = (from: number) => results.slice(from, from + models).map((r) => r.testPredictions!);
      const a = decompose(preds(0), labels), b = decompose(preds(models), labels);
      const change = compareDecompositions(exampleTerms(preds(0), labels), exampleTerms(preds(models), labels));
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson({ config: base, models, keepProbs: dropout.keepProbs, none: a, dropout: b, change, seconds });
        return;
      }
      const row = (name: string, d: typeof a) => [name, `${(100 * d.error.mean).toFixed(2)}%`, `${(100 * d.bias.mean).toFixed(2)}%`, `${(100 * d.variance.mean).toFixed(2)}%`, `${(100 * d.netVariance.mean).toFixed(2)}%`];
      process.stdout.write(`${data.name}, ${spec.layers.join("-")}: ${models} bootstrap networks per setting, ${data.test.size} test examples\n`);
      process.stdout.write(table(["setting", "error", "bias", "variance", "net variance"], [row("no dropout", a), row(`dropout ${dropout.keepProbs!.join("/")}`, b)]) + "\n");
      for (const k of ["error", "bias", "variance", "netVariance"] as const) {
        const d = change[k].difference;
        process.stdout.write(`dropout - none, ${k}: ${pts(d.mean)} pts [${pts(d.low)}, ${pts(d.high)}] (${change[k].direction})\n`);
      }
      log(`${seconds.toFixed(1)} s`);
    });
}
