// `dropout-lab ridge`: linear regression with inverted input dropout trained
// by SGD, against its closed form w* = (XᵀX + ((1-p)/p) diag(XᵀX))⁻¹ Xᵀy and
// plain ridge at the same total penalty (the "adaptive L2" claim, exactly).

import { Command } from "commander";
import { Rng, synthetic } from "../../src/index.js";
import { dropoutRegression } from "../../src/toolkit.js";
import { optionalNumberFlag } from "../parse.js";
import { printJson, table } from "../run.js";

interface RidgeFlags {
  keepProb?: string;
  size?: string;
  noise?: string;
  epochs?: string;
  seed?: string;
  json?: boolean;
}

export function ridgeCommand(): Command {
  return new Command("ridge")
    .description("dropout as adaptive L2: SGD with input dropout vs the closed form vs plain ridge (linear set)")
    .option("--keep-prob <p>", "keep probability p of the inputs (default 0.8)")
    .option("--size <n>", "examples of the linear set (default 1000)")
    .option("--noise <level>", "noise of the linear set in [0, 1] (default 0.1)")
    .option("--epochs <n>", "SGD epochs (default 60)")
    .option("--seed <n>", "seed of data and training (default 1)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExample:\n  $ dropout-lab ridge --keep-prob 0.8 --json")
    .action((flags: RidgeFlags) => {
      const keepProb = optionalNumberFlag("--keep-prob", flags.keepProb, { min: 0, minExclusive: true, max: 1 }) ?? 0.8;
      const size = optionalNumberFlag("--size", flags.size, { min: 10, max: 1e7, integer: true }) ?? 1000;
      const noise = optionalNumberFlag("--noise", flags.noise, { min: 0, max: 1 }) ?? 0.1;
      const epochs = optionalNumberFlag("--epochs", flags.epochs, { min: 1, max: 1e5, integer: true });
      const seed = optionalNumberFlag("--seed", flags.seed, { min: 0, integer: true }) ?? 1;
      const { data, trueWeights } = synthetic("linear", { n: size, noise, rng: Rng.fromSeed(seed).stream("data") });
      const result = dropoutRegression(data, { keepProb, seed, ...(epochs !== undefined ? { epochs } : {}) });
      if (flags.json) {
        printJson({ ...result, trueWeights });
        return;
      }
      process.stdout.write(
        table(
          ["feature", "variance", "least squares", "closed form w*", "SGD + dropout", "ridge", "dropout coef", "dropout shrink", "ridge shrink"],
          result.features.map((f, j) => [
            f.name,
            f.variance.toFixed(3),
            f.leastSquares.toFixed(4),
            result.closedForm[j]!.toFixed(4),
            result.trained[j]!.toFixed(4),
            f.ridge.toFixed(4),
            f.dropoutCoefficient.toFixed(1),
            f.dropoutShrinkage.toFixed(3),
            f.ridgeShrinkage.toFixed(3),
          ]),
        ) + "\n",
      );
      process.stdout.write(
        `p = ${result.p}; SGD vs closed form: relative error ${(100 * result.relativeError).toFixed(2)}%; ridge lambda ${result.ridgeLambda.toFixed(2)} matches dropout's total penalty ${result.penalty.dropout.toFixed(3)}\n`,
      );
    });
}
