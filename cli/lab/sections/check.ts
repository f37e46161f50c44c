// Section: "the cost function problem". Under dropout every step trains a
// different thinned network, so the cost jitters and a falling curve proves
// little. The protocol of `dropout-lab check`: dropout off, full batch, J must
// fall at every iteration; a gradient check with frozen masks; dropout back on
// from the same weights, the noisy cost against the clean J.

import { experimentToCommand, linePlot, type ExperimentConfig } from "../../../src/toolkit.js";
import { checkExperiment } from "../../../src/node/index.js";
import { backendFlags, type LabContext, type LabSection, type SectionResult } from "../section.js";

const ITERATIONS = 100;
const JITTER_STEPS = 50;

export function checkConfig(ctx: LabContext): ExperimentConfig {
  return {
    data: "circle",
    layers: [2, 16, 16, 1],
    activation: "tanh",
    keepProbs: [1, 0.5, 0.5],
    optimizer: { kind: "sgd" },
    lr: 0.3,
    batchSize: 64,
    epochs: 10,
    l2: 0,
    seed: ctx.seed,
  };
}

const COLORS = { "J, dropout off (full batch)": "#000000", "noisy cost, dropout on": "#E69F00", "clean J, dropout on": "#0072B2" };

export const checkSection: LabSection = {
  id: "check",
  title: "The cost function problem: check J with dropout off",
  async run(ctx): Promise<SectionResult> {
    const config = checkConfig(ctx);
    ctx.log(`check: ${config.layers!.join("-")} on ${config.data}, ${ITERATIONS} full-batch iterations, then ${JITTER_STEPS} steps with dropout`);
    // the same function as `dropout-lab check`, so the command below reproduces these numbers
    const result = checkExperiment(config, { backend: ctx.backend, iterations: ITERATIONS, jitterSteps: JITTER_STEPS });
    const { monotone: m, gradientCheck: g, jitter: j, curves } = result;
    const points = [
      ...curves.monotone.map((y, i) => ({ x: i, y, series: "J, dropout off (full batch)" })),
      ...curves.noisy.map((y, t) => ({ x: ITERATIONS + t, y, series: "noisy cost, dropout on" })),
      ...curves.clean.map((y, t) => ({ x: ITERATIONS + t, y, series: "clean J, dropout on" })),
    ];
    const keep = result.keepProbs.join("/");
    const j0 = curves.monotone[0]!, jN = curves.monotone.at(-1)!;
    return {
      claim: "With dropout on, the cost of each step is the cost of a different thinned network, so it jitters; to check the cost function, turn dropout off, confirm that J falls at every iteration, then turn dropout back on.",
      plots: [
        {
          spec: linePlot({
            title: "J with dropout off, then the noisy cost with dropout on",
            points,
            xTitle: "iteration (full batch)",
            yTitle: "cost",
            colors: COLORS,
            rules: [{ axis: "x", value: ITERATIONS, label: `dropout on (keepProbs ${keep})`, color: "#5b6475" }],
          }),
          caption: `Left of the line: every keepProb at 1, full-batch gradient descent at lr ${config.lr}. Right: the same weights trained on with keepProbs ${keep}; the noisy cost is what each step reports, the clean J is measured with dropout off after each step.`,
        },
      ],
      numbers: {
        header: ["measurement", "value"],
        rows: [
          [`1. dropout off: J over ${m.iterations} full-batch iterations`, `${j0.toFixed(4)} -> ${jN.toFixed(4)}`],
          ["1. dropout off: iterations where J rose", `${m.violations.length} (${m.passed ? "monotone" : "not monotone"})`],
          [`2. gradient check: max relative error (float64, frozen masks, ${g.rows} rows)`, `${g.maxRelativeError.toExponential(2)} (${g.passed ? "passed" : "failed"})`],
          [`3. dropout on: jitter of the noisy cost over ${j.steps} steps`, j.noisyStd.toFixed(4)],
          ["3. dropout on: jitter of the clean J at the same weights", j.cleanStd.toFixed(4)],
          ["3. dropout on: noisy / clean jitter", j.ratio === null ? "-" : `${j.ratio.toFixed(1)}x`],
          ["3. dropout on: mean of noisy cost - clean J", j.meanGap.toFixed(4)],
          ["3. dropout on: clean J, first -> last step", `${curves.clean[0]!.toFixed(4)} -> ${curves.clean.at(-1)!.toFixed(4)}`],
        ],
      },
      findings: [
        m.passed
          ? `With dropout off, J fell at each of the ${m.iterations} full-batch iterations, from ${j0.toFixed(4)} to ${jN.toFixed(4)}: the cost and the learning rate ${config.lr} are consistent.`
          : `With dropout off, J rose at ${m.violations.length} of ${m.iterations} iterations (first at iteration ${m.violations[0]!.iteration}). ${m.advice}`,
        `The gradient check with frozen dropout masks gives a max relative error of ${g.maxRelativeError.toExponential(2)} (${g.passed ? "passed" : "failed"}).`,
        `With dropout back on, the noisy cost jitters ${j.ratio === null ? "while the clean J does not move" : `${j.ratio.toFixed(1)} times as much as the clean J`} (${j.noisyStd.toFixed(4)} vs ${j.cleanStd.toFixed(4)} step to step) and sits ${j.meanGap.toFixed(4)} above it on average: it is not a curve to judge convergence by.`,
        `Meanwhile the clean J goes from ${curves.clean[0]!.toFixed(4)} to ${curves.clean.at(-1)!.toFixed(4)}: with dropout on, training minimizes the expected cost of the thinned networks, not J, so J need not fall.`,
      ],
      summary: [
        ["check: J monotone with dropout off / gradient check", `${m.passed ? "yes" : `no (${m.violations.length} rises)`} / ${g.maxRelativeError.toExponential(1)}`],
        ["check: noisy / clean cost jitter", j.ratio === null ? "-" : `${j.ratio.toFixed(1)}x`],
      ],
      commands: [experimentToCommand(config, "check", ["--iterations", String(ITERATIONS), "--jitter-steps", String(JITTER_STEPS), ...backendFlags(ctx)])],
      json: {
        config,
        passed: result.passed,
        rows: result.rows,
        keepProbs: result.keepProbs,
        monotone: m,
        gradientCheck: g,
        jitter: j,
      },
    };
  },
};
