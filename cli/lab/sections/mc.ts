// Section: Monte-Carlo dropout. A dropout network trained on MNIST is run T
// times on the test split with dropout left on; the average of the passes is
// compared with eval mode (weight scaling) as T grows, and the predictive
// entropy of the average is compared between the digits it gets right and
// those it gets wrong.

import { Rng, experimentToCommand, groupedBars, linePlot, loadNetwork, materialize, mcDropout, selectBackend, type ExperimentConfig } from "../../../src/index.js";
import { loadExperimentData, runExperiment } from "../../../src/node/index.js";
import { backendFlags, pct, type LabContext, type LabSection, type SectionResult } from "../section.js";

const SAMPLES = 100;

export function mcConfig(ctx: LabContext): ExperimentConfig {
  const hidden = ctx.quick ? 64 : 128;
  return {
    data: "mnist",
    layers: [784, hidden, hidden, 10],
    activation: "relu",
    keepProbs: [1, 0.5, 0.5],
    optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
    lr: 0.05,
    batchSize: 64,
    epochs: ctx.quick ? 2 : 5,
    l2: 0,
    seed: ctx.seed,
  };
}

/** Entropy -Σ q ln q of one probability row (nats). */
function entropy(q: readonly number[]): number {
  return q.reduce((h, v) => h + (v > 0 ? -v * Math.log(v) : 0), 0);
}

function argmax(q: readonly number[]): number {
  return q.reduce((best, v, k) => (v > q[best]! ? k : best), 0);
}

export const mcSection: LabSection = {
  id: "mc",
  title: "Monte-Carlo dropout: uncertainty from dropout at test time",
  async run(ctx): Promise<SectionResult> {
    const config = mcConfig(ctx);
    ctx.log(`mc: training ${config.layers!.join("-")} with keepProbs ${config.keepProbs!.join("/")}, then ${SAMPLES} passes over the test split`);
    const data = loadExperimentData(config);
    const run = runExperiment(config, { data, keepNetwork: true, backend: ctx.backend });
    const network = loadNetwork(run.network, { backend: selectBackend(ctx.backend) });
    // The same stream as `dropout-lab predict --mc`: "mc" of the model's seed.
    const mc = mcDropout(network, data.test, { samples: SAMPLES, rng: Rng.fromSeed(config.seed).stream("mc") });
    const byOutcome = mc.entropyByOutcome!;
    const evalEntropy = { correct: [] as number[], wrong: [] as number[] };
    const truth = materialize(data.test, "float32").y.data;
    mc.evalPrediction.forEach((q, i) => (argmax(q) === truth[i] ? evalEntropy.correct : evalEntropy.wrong).push(entropy(q)));
    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
    const evalCorrect = mean(evalEntropy.correct), evalWrong = mean(evalEntropy.wrong);
    const at = (t: number) => mc.curve[Math.min(t, mc.curve.length) - 1]!;
    const bars = [
      { category: `correct`, group: `MC average (T = ${SAMPLES})`, value: byOutcome.correct.meanEntropy ?? 0 },
      { category: `wrong`, group: `MC average (T = ${SAMPLES})`, value: byOutcome.wrong.meanEntropy ?? 0 },
      { category: `correct`, group: "eval mode (one pass, weight scaling)", value: evalCorrect ?? 0 },
      { category: `wrong`, group: "eval mode (one pass, weight scaling)", value: evalWrong ?? 0 },
    ];
    const ratio = byOutcome.wrong.meanEntropy !== null && byOutcome.correct.meanEntropy ? byOutcome.wrong.meanEntropy / byOutcome.correct.meanEntropy : null;
    return {
      claim: `Leaving dropout on at test time and averaging ${SAMPLES} passes approximates eval mode's prediction and adds a measure of doubt: the spread of the passes, read as predictive entropy, should be higher where the network is wrong.`,
      plots: [
        {
          spec: linePlot({
            title: "Accuracy of the MC average against the number of passes",
            points: mc.curve.map((p) => ({ x: p.samples, y: p.accuracy!, series: "MC average of T passes" })),
            xTitle: "passes T (log scale)",
            yTitle: "test accuracy",
            logX: true,
            colors: { "MC average of T passes": "#0072B2" },
            rules: [{ axis: "y", value: mc.evalAccuracy!, label: `eval mode ${pct(mc.evalAccuracy!)}`, color: "#D55E00" }],
          }),
          caption: `${config.layers!.join("-")} trained ${config.epochs} epochs with keepProbs ${config.keepProbs!.join("/")}; ${mc.examples} test digits. One pass with dropout on is a single thinned network; the average converges as T grows.`,
        },
        {
          spec: groupedBars({
            title: "Mean predictive entropy, right vs wrong predictions",
            bars,
            yTitle: "predictive entropy (nats)",
            colors: { [`MC average (T = ${SAMPLES})`]: "#0072B2", "eval mode (one pass, weight scaling)": "#E69F00" },
          }),
          caption: `Right and wrong are judged by each method's own prediction. ${byOutcome.correct.count} correct and ${byOutcome.wrong.count} wrong MC predictions.`,
        },
      ],
      numbers: {
        header: ["measurement", "value"],
        rows: [
          ["eval-mode (weight scaling) test accuracy", pct(mc.evalAccuracy!)],
          ["MC average, T = 1", pct(at(1).accuracy!)],
          ["MC average, T = 10", pct(at(10).accuracy!)],
          [`MC average, T = ${SAMPLES}`, pct(mc.mcAccuracy!)],
          [`RMS difference MC (T = ${SAMPLES}) vs eval-mode probabilities`, at(SAMPLES).difference.toFixed(4)],
          [`mean entropy, correct MC predictions (${byOutcome.correct.count})`, (byOutcome.correct.meanEntropy ?? 0).toFixed(3)],
          [`mean entropy, wrong MC predictions (${byOutcome.wrong.count})`, byOutcome.wrong.meanEntropy === null ? "-" : byOutcome.wrong.meanEntropy.toFixed(3)],
          [`mean entropy, eval mode, correct / wrong`, `${evalCorrect?.toFixed(3) ?? "-"} / ${evalWrong?.toFixed(3) ?? "-"}`],
          ["training: final train / dev accuracy", `${pct(run.history.epochs.at(-1)!.trainAccuracy)} / ${pct(run.history.epochs.at(-1)!.devAccuracy)}`],
        ],
      },
      findings: [
        `Eval mode scores ${pct(mc.evalAccuracy!)} on the test split; the MC average scores ${pct(at(1).accuracy!)} with one pass, ${pct(at(10).accuracy!)} with 10 and ${pct(mc.mcAccuracy!)} with ${SAMPLES}.`,
        `The mean predictive entropy of the MC average is ${(byOutcome.correct.meanEntropy ?? 0).toFixed(3)} nats on the ${byOutcome.correct.count} digits it gets right and ${byOutcome.wrong.meanEntropy?.toFixed(3) ?? "-"} on the ${byOutcome.wrong.count} it gets wrong${ratio === null ? "" : ` (${ratio.toFixed(1)}x)`}.`,
        `Eval mode's single pass: ${evalCorrect?.toFixed(3) ?? "-"} nats on right and ${evalWrong?.toFixed(3) ?? "-"} on wrong predictions.`,
      ],
      summary: [
        [`mc: test acc eval mode / MC T=${SAMPLES}`, `${pct(mc.evalAccuracy!)} / ${pct(mc.mcAccuracy!)}`],
        ["mc: mean entropy correct / wrong", `${(byOutcome.correct.meanEntropy ?? 0).toFixed(3)} / ${byOutcome.wrong.meanEntropy?.toFixed(3) ?? "-"} nats`],
      ],
      commands: [experimentToCommand(config, "train", ["--save", "model.json", ...backendFlags(ctx)]), `dropout-lab predict --load model.json --mc ${SAMPLES}${ctx.backend === "auto" ? "" : ` --backend ${ctx.backend}`}`],
      json: {
        config,
        samples: mc.samples,
        examples: mc.examples,
        evalAccuracy: mc.evalAccuracy,
        mcAccuracy: mc.mcAccuracy,
        curve: mc.curve,
        entropyByOutcome: byOutcome,
        evalEntropyByOutcome: { correct: { count: evalEntropy.correct.length, meanEntropy: evalCorrect }, wrong: { count: evalEntropy.wrong.length, meanEntropy: evalWrong } },
        training: { seconds: run.seconds, train: run.history.epochs.at(-1)!.trainAccuracy, dev: run.history.epochs.at(-1)!.devAccuracy, test: run.test },
      },
    };
  },
};
