// Section: Monte-Carlo dropout. A dropout network trained on MNIST is run T
// times on the test split with dropout left on; the average of the passes is
// compared with eval mode (weight scaling) as T grows, on how well each one's
// predictive entropy tells its wrong answers from its right ones (an error-
// detection AUC) and on calibration (expected calibration error and a
// reliability diagram). The claim and findings are worded from those numbers.

import {
  Rng,
  loadNetwork,
  materialize,
  selectBackend,
} from "../../../src/index.js";
import {
  calibration,
  errorDetectionAuc,
  experimentToCommand,
  groupedBars,
  linePlot,
  mcDropout,
  type Calibration,
  type ExperimentConfig,
} from "../../../src/toolkit.js";
import { loadExperimentData, runExperiment } from "../../../src/node/index.js";
import { backendFlags, pct, type LabContext, type LabSection, type SectionResult } from "../section.js";

const SAMPLES = 100;
/** Confidence bins of the calibration measure and the reliability diagram. */
const BINS = 10;
/** ECE differences below this are called "about the same": with ~1,500 test digits and 10 bins, ECE moves by about this much between seeds. */
const ECE_NOISE = 0.01;

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

/**
 * Standard error of an AUC from n1 right and n2 wrong examples (Hanley and
 * McNeil 1982): sqrt((A(1-A) + (n2-1)(Q1-A²) + (n1-1)(Q2-A²)) / (n1 n2)),
 * Q1 = A/(2-A), Q2 = 2A²/(1+A).
 */
function aucStandardError(a: number, right: number, wrong: number): number {
  const q1 = a / (2 - a), q2 = (2 * a * a) / (1 + a);
  return Math.sqrt((a * (1 - a) + (wrong - 1) * (q1 - a * a) + (right - 1) * (q2 - a * a)) / (right * wrong));
}

/** Entropies of each method's right and wrong predictions (judged by that method's own prediction). */
function entropiesByOutcome(predictions: readonly (readonly number[])[], truth: ArrayLike<number>): { right: number[]; wrong: number[] } {
  const out = { right: [] as number[], wrong: [] as number[] };
  predictions.forEach((q, i) => (argmax(q) === truth[i] ? out.right : out.wrong).push(entropy(q)));
  return out;
}

function reliabilityPoints(c: Calibration, series: string) {
  return c.bins.filter((b) => b.count > 0).map((b) => ({ x: b.confidence!, y: b.accuracy!, series }));
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
    const truth = materialize(data.test, "float32").y.data;
    const evalH = entropiesByOutcome(mc.evalPrediction, truth), mcH = entropiesByOutcome(mc.mean, truth);
    const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
    const evalCorrect = mean(evalH.right), evalWrong = mean(evalH.wrong);
    const at = (t: number) => mc.curve[Math.min(t, mc.curve.length) - 1]!;
    const auc = { eval: errorDetectionAuc(evalH.right, evalH.wrong), mc: errorDetectionAuc(mcH.right, mcH.wrong) };
    const se = {
      eval: auc.eval === null ? null : aucStandardError(auc.eval, evalH.right.length, evalH.wrong.length),
      mc: auc.mc === null ? null : aucStandardError(auc.mc, mcH.right.length, mcH.wrong.length),
    };
    const cal = { eval: calibration(mc.evalPrediction, truth, mc.loss, BINS), mc: calibration(mc.mean, truth, mc.loss, BINS) };
    const separation = separationWords(auc, se);
    const calibrationText = calibrationWords(cal.eval.ece, cal.mc.ece);
    const ratio = (wrong: number | null, right: number | null) => (wrong !== null && right ? `${(wrong / right).toFixed(1)}x` : "-");
    const bars = [
      { category: `correct`, group: `MC average (T = ${SAMPLES})`, value: byOutcome.correct.meanEntropy ?? 0 },
      { category: `wrong`, group: `MC average (T = ${SAMPLES})`, value: byOutcome.wrong.meanEntropy ?? 0 },
      { category: `correct`, group: "eval mode (one pass, weight scaling)", value: evalCorrect ?? 0 },
      { category: `wrong`, group: "eval mode (one pass, weight scaling)", value: evalWrong ?? 0 },
    ];
    return {
      claim:
        `Averaging ${SAMPLES} passes with dropout left on scores ${pct(mc.mcAccuracy!)} on the test digits against eval mode's ${pct(mc.evalAccuracy!)}; ` +
        `as a signal of its own mistakes, ${separation.sentence}; ${calibrationText}.`,
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
          caption: `Right and wrong are judged by each method's own prediction: ${byOutcome.correct.count} right and ${byOutcome.wrong.count} wrong MC predictions, ${evalH.right.length} and ${evalH.wrong.length} in eval mode. The ratio wrong/right is ${ratio(byOutcome.wrong.meanEntropy, byOutcome.correct.meanEntropy)} for MC and ${ratio(evalWrong, evalCorrect)} for eval mode; the AUC below does not depend on the scale.`,
        },
        {
          spec: linePlot({
            title: "Reliability: accuracy against confidence",
            points: [
              { x: 0.1, y: 0.1, series: "perfect calibration" },
              { x: 1, y: 1, series: "perfect calibration" },
              ...reliabilityPoints(cal.eval, "eval mode"),
              ...reliabilityPoints(cal.mc, `MC average (T = ${SAMPLES})`),
            ],
            xTitle: "confidence (probability of the predicted digit), mean per bin",
            yTitle: "accuracy in the bin",
            faint: ["perfect calibration"],
            colors: { "perfect calibration": "#888888", "eval mode": "#E69F00", [`MC average (T = ${SAMPLES})`]: "#0072B2" },
          }),
          caption: `${BINS} equal-width confidence bins; a point below the diagonal is overconfident, above it underconfident. Expected calibration error: eval mode ${cal.eval.ece.toFixed(3)}, MC average ${cal.mc.ece.toFixed(3)}.`,
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
          [`mean entropy, eval mode, correct (${evalH.right.length}) / wrong (${evalH.wrong.length})`, `${evalCorrect?.toFixed(3) ?? "-"} / ${evalWrong?.toFixed(3) ?? "-"}`],
          ["error-detection AUC of the entropy, eval mode (+- 1 SE)", fmtAuc(auc.eval, se.eval)],
          [`error-detection AUC of the entropy, MC average (+- 1 SE)`, fmtAuc(auc.mc, se.mc)],
          [`expected calibration error (${BINS} bins), eval mode / MC average`, `${cal.eval.ece.toFixed(3)} / ${cal.mc.ece.toFixed(3)}`],
          ["training: final train / dev accuracy", `${pct(run.history.epochs.at(-1)!.trainAccuracy)} / ${pct(run.history.epochs.at(-1)!.devAccuracy)}`],
        ],
      },
      findings: [
        `Eval mode scores ${pct(mc.evalAccuracy!)} on the test split; the MC average scores ${pct(at(1).accuracy!)} with one pass, ${pct(at(10).accuracy!)} with 10 and ${pct(mc.mcAccuracy!)} with ${SAMPLES}.`,
        `Mean predictive entropy on right / wrong predictions: MC average ${(byOutcome.correct.meanEntropy ?? 0).toFixed(3)} / ${byOutcome.wrong.meanEntropy?.toFixed(3) ?? "-"} nats (${ratio(byOutcome.wrong.meanEntropy, byOutcome.correct.meanEntropy)}), eval mode ${evalCorrect?.toFixed(3) ?? "-"} / ${evalWrong?.toFixed(3) ?? "-"} nats (${ratio(evalWrong, evalCorrect)}).`,
        `The chance that a wrong prediction carries more entropy than a right one (error-detection AUC): eval mode ${fmtAuc(auc.eval, se.eval)}, MC average ${fmtAuc(auc.mc, se.mc)}; ${separation.sentence}.`,
        `Expected calibration error: eval mode ${cal.eval.ece.toFixed(3)}, MC average ${cal.mc.ece.toFixed(3)}; ${calibrationText}.`,
      ],
      summary: [
        [`mc: test acc eval mode / MC T=${SAMPLES}`, `${pct(mc.evalAccuracy!)} / ${pct(mc.mcAccuracy!)}`],
        ["mc: error-detection AUC eval mode / MC", `${auc.eval?.toFixed(3) ?? "-"} / ${auc.mc?.toFixed(3) ?? "-"}`],
        ["mc: calibration error (ECE) eval mode / MC", `${cal.eval.ece.toFixed(3)} / ${cal.mc.ece.toFixed(3)}`],
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
        evalEntropyByOutcome: { correct: { count: evalH.right.length, meanEntropy: evalCorrect }, wrong: { count: evalH.wrong.length, meanEntropy: evalWrong } },
        errorDetectionAuc: { eval: auc.eval, mc: auc.mc, standardError: se, verdict: separation.verdict },
        calibration: cal,
        training: { seconds: run.seconds, train: run.history.epochs.at(-1)!.trainAccuracy, dev: run.history.epochs.at(-1)!.devAccuracy, test: run.test },
      },
    };
  },
};

function fmtAuc(a: number | null, se: number | null): string {
  return a === null ? "-" : `${a.toFixed(3)} +- ${(se ?? 0).toFixed(3)}`;
}

/**
 * Which entropy tells wrong from right better, in words that follow the AUCs:
 * a method is named only when the AUCs differ by more than twice the larger
 * standard error; otherwise the sentence says they are within the noise.
 */
function separationWords(auc: { eval: number | null; mc: number | null }, se: { eval: number | null; mc: number | null }): { verdict: "eval" | "mc" | "same" | "unknown"; sentence: string } {
  if (auc.eval === null || auc.mc === null) return { verdict: "unknown", sentence: "one method made no mistakes, so the entropies cannot be compared on them" };
  const noise = 2 * Math.max(se.eval ?? 0, se.mc ?? 0);
  const diff = auc.mc - auc.eval;
  if (Math.abs(diff) <= noise) {
    return { verdict: "same", sentence: `the two entropies separate wrong from right predictions about equally (AUC ${auc.eval.toFixed(3)} eval mode, ${auc.mc.toFixed(3)} MC; the difference is within twice its standard error, ${noise.toFixed(3)})` };
  }
  const better = diff > 0 ? "the MC average's entropy" : "eval mode's single pass";
  const worse = diff > 0 ? "eval mode's" : "the MC average's";
  return { verdict: diff > 0 ? "mc" : "eval", sentence: `${better} separates wrong from right predictions more sharply than ${worse} (AUC ${Math.max(auc.eval, auc.mc).toFixed(3)} against ${Math.min(auc.eval, auc.mc).toFixed(3)})` };
}

/** Calibration in words: lower ECE is better calibrated; differences under ECE_NOISE are called about the same. */
function calibrationWords(evalEce: number, mcEce: number): string {
  if (Math.abs(evalEce - mcEce) < ECE_NOISE) return `both are about equally well calibrated (expected calibration error ${evalEce.toFixed(3)} eval mode, ${mcEce.toFixed(3)} MC)`;
  const [better, worse] = mcEce < evalEce ? ["the MC average", "eval mode"] : ["eval mode", "the MC average"];
  return `${better} is better calibrated than ${worse} (expected calibration error ${Math.min(evalEce, mcEce).toFixed(3)} against ${Math.max(evalEce, mcEce).toFixed(3)})`;
}
