// `dropout-lab spread`: one sigmoid unit on four-inputs trained with no
// penalty, with L2 and with input dropout from the same seed: each input's
// weight, the largest share of |w| and the effective number of inputs.

import { Command } from "commander";
import { fourInputsExperiment } from "../../src/toolkit.js";
import { numberFlag, optionalNumberFlag } from "../parse.js";
import { printJson, table } from "../run.js";

interface SpreadFlags {
  seed?: string;
  keepProb?: string;
  l2?: string;
  epochs?: string;
  size?: string;
  noise?: string;
  json?: boolean;
}

export function spreadCommand(): Command {
  return new Command("spread")
    .description("show that dropout makes a unit spread its weights (four-inputs: no penalty vs L2 vs dropout)")
    .option("--seed <n>", "seed of data, weights and training (default 1)")
    .option("--keep-prob <p>", "keepProb of the inputs in the dropout run (default 0.5)")
    .option("--l2 <lambda>", "L2 strength of the L2 run (default 0.1 x training examples)")
    .option("--epochs <n>", "epochs (default 100)")
    .option("--size <n>", "training examples (default 500)")
    .option("--noise <level>", "the generator's noise in [0, 1] (default 0.1)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExample:\n  $ dropout-lab spread --seed 1 --keep-prob 0.5")
    .action((flags: SpreadFlags) => {
      const seed = optionalNumberFlag("--seed", flags.seed, { min: 0, integer: true });
      const keepProb = optionalNumberFlag("--keep-prob", flags.keepProb, { min: 0, minExclusive: true, max: 1 });
      const l2 = optionalNumberFlag("--l2", flags.l2, { min: 0 });
      const epochs = optionalNumberFlag("--epochs", flags.epochs, { min: 1, max: 100000, integer: true });
      const size = optionalNumberFlag("--size", flags.size, { min: 10, max: 1e6, integer: true });
      const noise = flags.noise === undefined ? undefined : numberFlag("--noise", flags.noise, { min: 0, max: 1 });
      const result = fourInputsExperiment({
        ...(seed !== undefined ? { seed } : {}),
        ...(keepProb !== undefined ? { keepProb } : {}),
        ...(l2 !== undefined ? { l2 } : {}),
        ...(epochs !== undefined ? { epochs } : {}),
        ...(size !== undefined ? { size } : {}),
        ...(noise !== undefined ? { noise } : {}),
      });
      if (flags.json) {
        printJson(result);
        return;
      }
      const names = result.featureNames;
      process.stdout.write(
        table(
          ["method", ...names, "largest share", "effective inputs", "dev acc"],
          result.runs.map((r) => [
            r.method === "dropout" ? `dropout (keepProb ${r.keepProbs[0]})` : r.method === "l2" ? `L2 (lambda ${r.l2})` : "no penalty",
            ...r.weights.map((w) => w.toFixed(3)),
            r.largestShare.toFixed(3),
            r.effectiveInputs.toFixed(2),
            `${(100 * r.devAccuracy).toFixed(1)}%`,
          ]),
        ) + "\n",
      );
      const g = result.dropoutVsNone;
      process.stdout.write(`dropout vs no penalty: effective inputs ${g.effectiveInputsGain >= 0 ? "+" : ""}${g.effectiveInputsGain.toFixed(2)}, largest share ${(-g.largestShareDrop).toFixed(3)}\n`);
    });
}
