// `dropout-lab check`: the protocol for the cost function problem. (1) every
// keepProb at 1, full-batch training: does J fall monotonically? (2) gradient
// check with frozen masks; (3) dropout back on from the same weights: how much
// does the noisy cost jitter against the clean J? Exit 1 when (1) or (2) fail.

import { Command } from "commander";
import type { ExperimentConfig } from "../../src/toolkit.js";
import { checkExperiment } from "../../src/node/index.js";
import { addBackendFlag, backendFromFlag } from "../backend-flag.js";
import { addExperimentFlags, experimentFromFlags, type ExperimentFlags } from "../experiment-flags.js";
import { optionalNumberFlag } from "../parse.js";
import { ExitError, printJson } from "../run.js";

interface CheckFlags extends ExperimentFlags {
  iterations?: string;
  jitterSteps?: string;
  backend?: string;
  json?: boolean;
}

/** A small net on a 2-D set with plain gradient descent: the check's defaults. */
const CHECK_DEFAULTS: Partial<ExperimentConfig> = { data: "circle", hidden: [16, 16], activation: "tanh", lr: 0.1, optimizer: { kind: "sgd" } };

export function checkCommand(): Command {
  const cmd = new Command("check").description("dropout off: does J fall monotonically? gradient check; dropout on: jitter of the noisy cost vs the clean J");
  addExperimentFlags(cmd, CHECK_DEFAULTS);
  addBackendFlag(cmd);
  return cmd
    .option("--iterations <n>", "full-batch iterations with dropout off (default 50)")
    .option("--jitter-steps <n>", "steps with dropout on for the jitter measurement (default 50)")
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nExample:\n  $ dropout-lab check --data circle --layers 2,16,16,1 --activation tanh --keep-probs 1,0.5,0.5 --lr 0.1")
    .action((flags: CheckFlags) => {
      const config = experimentFromFlags(flags, CHECK_DEFAULTS);
      const iterations = optionalNumberFlag("--iterations", flags.iterations, { min: 1, max: 100000, integer: true });
      const jitterSteps = optionalNumberFlag("--jitter-steps", flags.jitterSteps, { min: 2, max: 100000, integer: true });
      const result = checkExperiment(config, {
        backend: backendFromFlag(flags.backend),
        ...(iterations !== undefined ? { iterations } : {}),
        ...(jitterSteps !== undefined ? { jitterSteps } : {}),
      });
      if (flags.json) printJson({ config, ...result });
      else {
        const m = result.monotone, g = result.gradientCheck, j = result.jitter;
        const out = [
          `1. dropout off, ${m.iterations} full-batch iterations at lr ${config.lr}: J ${m.passed ? "fell monotonically" : `rose ${m.violations.length} times`} (${result.curves.monotone[0]!.toFixed(4)} -> ${result.curves.monotone.at(-1)!.toFixed(4)})`,
          ...m.violations.slice(0, 5).map((v) => `   iteration ${v.iteration}: J ${v.before.toFixed(6)} -> ${v.after.toFixed(6)}`),
          ...(m.passed ? [] : [`   ${m.advice}`]),
          `2. gradient check (float64, frozen masks, ${g.rows} rows): max relative error ${g.maxRelativeError.toExponential(2)} ${g.passed ? "(passed)" : "(FAILED)"}`,
          `3. dropout on (keepProbs ${result.keepProbs.join("/")}), ${j.steps} steps: noisy cost jitter ${j.noisyStd.toFixed(4)} vs clean J ${j.cleanStd.toFixed(4)}${j.ratio === null ? "" : ` (${j.ratio.toFixed(1)}x)`}; dropout adds ${j.meanGap.toFixed(4)} to the cost on average`,
        ];
        process.stdout.write(out.join("\n") + "\n");
      }
      if (!result.passed) throw new ExitError(1, result.monotone.passed ? "gradient check failed" : `J rose with dropout off: ${result.monotone.advice}`);
    });
}
