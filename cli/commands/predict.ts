// `dropout-lab predict --load FILE`: per-example predictions of a saved model
// on its test split (or a CSV with the same columns).

import { Command } from "commander";
import { BACKEND_NAMES, InputError, Rng, argmaxRow, targetColumns, toProbabilities, zeros, type Dataset, type Network } from "../../src/index.js";
import { mcDropout } from "../../src/toolkit.js";
import { numberFlag } from "../parse.js";
import { loadModel } from "../model-file.js";
import { autoHelp, backendFromFlag } from "../backend-flag.js";
import { printJson, table } from "../run.js";
import { loadExperimentData } from "../../src/node/index.js";

interface PredictFlags {
  load: string;
  mc?: string;
  limit?: string;
  json?: boolean;
  backend?: string;
}

export function predictCommand(): Command {
  return new Command("predict")
    .description("predict with a saved model on the test split of its data")
    .requiredOption("--load <file>", "model file written by train --save")
    .option("--limit <n>", "show at most n examples (default 20 on a terminal, all with --json)")
    .option("--mc <T>", "Monte-Carlo dropout: T stochastic passes with dropout on; predictive mean, std and entropy")
    .option("--json", "print one JSON object on stdout")
    .option("--backend <name>", `kernels: ${BACKEND_NAMES.join(", ")} (default auto, as train)`)
    .addHelpText("after", "\nExamples:\n  $ dropout-lab predict --load model.json --limit 5\n  $ dropout-lab predict --load model.json --mc 100")
    .addHelpText("after", autoHelp)
    .action((flags: PredictFlags) => {
      const { network, experiment } = loadModel(flags.load, backendFromFlag(flags.backend));
      const data = loadExperimentData(experiment).test;
      if (data.size === 0) throw new InputError(`the model's test split has no examples (it was trained with testFraction 0); there is nothing to predict`);
      if (flags.mc !== undefined) {
        predictMc(network, data, numberFlag("--mc", flags.mc, { min: 1, max: 10000, integer: true }), experiment.seed, flags);
        return;
      }
      const limit = flags.limit === undefined ? (flags.json ? data.size : 20) : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new InputError(`--limit must be an integer >= 1, got ${JSON.stringify(flags.limit)}`);
      const n = Math.min(limit, data.size);
      const x = zeros(n, data.features, network.dtype), y = zeros(n, targetColumns(data.task), network.dtype);
      data.gather(Int32Array.from({ length: n }, (_, i) => i), x, y);
      const z = network.forward(x, { mode: "eval" });
      toProbabilities(network.spec.loss, z);
      const classNames = data.task.kind === "classification" ? data.task.classNames : undefined;
      const rows = Array.from({ length: n }, (_, i) => {
        const out = Array.from(z.data.subarray(i * z.cols, (i + 1) * z.cols));
        if (network.spec.loss === "mse") return { index: i, target: Array.from(y.data.subarray(i * y.cols, (i + 1) * y.cols)), prediction: out };
        const predicted = network.spec.loss === "sigmoid-cross-entropy" ? (out[0]! > 0.5 ? 1 : 0) : argmaxRow(out, 0, out.length);
        const probabilities = network.spec.loss === "sigmoid-cross-entropy" ? [1 - out[0]!, out[0]!] : out;
        return { index: i, label: y.data[i]!, predicted, confidence: probabilities[predicted]!, probabilities };
      });
      if (flags.json) {
        printJson({ examples: n, ...(classNames ? { classNames } : {}), predictions: rows });
        return;
      }
      const name = (k: number) => classNames?.[k] ?? String(k);
      process.stdout.write(
        table(
          ["example", "label", "predicted", "confidence"],
          rows.map((r) =>
            r.label !== undefined && r.predicted !== undefined
              ? [String(r.index), name(r.label), name(r.predicted), (r.confidence ?? 0).toFixed(3)]
              : [String(r.index), (r.target ?? []).join(","), (r.prediction ?? []).map((v) => v.toFixed(3)).join(","), "-"],
          ),
        ) + "\n",
      );
    });
}

/** T dropout-on passes over the test split: per-example mean, std, entropy, and the convergence summary. */
function predictMc(network: Network, data: Dataset, samples: number, seed: number, flags: PredictFlags): void {
  const result = mcDropout(network, data, { samples, rng: Rng.fromSeed(seed).stream("mc") });
  const limit = flags.limit === undefined ? (flags.json ? data.size : 10) : numberFlag("--limit", flags.limit, { min: 1, integer: true });
  const n = Math.min(limit, data.size);
  if (flags.json) {
    const { mean, std, entropy, evalPrediction, ...summary } = result;
    printJson({
      ...summary,
      predictions: Array.from({ length: n }, (_, i) => ({ index: i, mean: mean[i], std: std[i], ...(entropy ? { entropy: entropy[i] } : {}), evalPrediction: evalPrediction[i] })),
    });
    return;
  }
  const fmt = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(2)}%`);
  const lines = [`Monte-Carlo dropout, T = ${samples} passes over ${result.examples} test examples (keepProbs ${network.spec.keepProbs.join("/")})`];
  lines.push(`accuracy: MC average ${fmt(result.mcAccuracy)}, weight scaling (eval mode) ${fmt(result.evalAccuracy)}`);
  for (const t of [1, 10, 100].filter((t) => t <= samples)) {
    const p = result.curve[t - 1]!;
    lines.push(`  T = ${String(t).padStart(3)}: accuracy ${fmt(p.accuracy)}, RMS distance to the eval-mode prediction ${p.difference.toFixed(4)}`);
  }
  const e = result.entropyByOutcome;
  if (e) {
    const h = (x: number | null) => (x === null ? "-" : x.toFixed(3));
    lines.push(`mean predictive entropy (nats): correct ${h(e.correct.meanEntropy)} (${e.correct.count}), wrong ${h(e.wrong.meanEntropy)} (${e.wrong.count})`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}
