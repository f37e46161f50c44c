// Section: "dropout acts like an adaptive L2 penalty". Linear regression with
// inverted input dropout on the `linear` set (features of standard deviation
// 0.5, 1, 2 and 4): SGD with the engine's dropout against the closed form
// w* = (XᵀX + ((1-p)/p) diag(XᵀX))⁻¹ Xᵀy, least squares, and plain ridge at the
// same total penalty. Shows how each shrinks each feature's weight.

import { Rng, synthetic } from "../../../src/index.js";
import { dropoutRegression, groupedBars, linePlot } from "../../../src/toolkit.js";
import { type LabSection, type SectionResult } from "../section.js";

/** The command's settings, passed explicitly so the command below stays exact. */
const SETTINGS = { keepProb: 0.5, size: 1000, noise: 0.1, epochs: 400 } as const;

const COLORS = {
  "least squares": "#000000",
  "dropout, closed form w*": "#0072B2",
  "dropout, trained by SGD": "#56B4E9",
  "ridge, same total penalty": "#D55E00",
};

export const ridgeSection: LabSection = {
  id: "ridge",
  title: "Dropout is an adaptive L2 penalty",
  async run(ctx): Promise<SectionResult> {
    const { keepProb: p, size, noise, epochs } = SETTINGS;
    ctx.log(`ridge: linear regression with input dropout p = ${p}, ${size} examples`);
    // The same data as `dropout-lab ridge`: the whole generated set, stream "data" of the seed.
    const { data, trueWeights } = synthetic("linear", { n: size, noise, rng: Rng.fromSeed(ctx.seed).stream("data") });
    const r = dropoutRegression(data, { keepProb: p, seed: ctx.seed, epochs });
    const f = r.features;
    const label = (j: number) => `${f[j]!.name} (var ${f[j]!.variance.toFixed(2)})`;
    const weights = f.flatMap((feat, j) => [
      { category: label(j), group: "least squares", value: feat.leastSquares },
      { category: label(j), group: "dropout, closed form w*", value: feat.dropout },
      { category: label(j), group: "dropout, trained by SGD", value: r.trained[j]! },
      { category: label(j), group: "ridge, same total penalty", value: feat.ridge },
    ]);
    const shrink = f.flatMap((feat, j) => [
      { x: feat.variance, y: feat.dropoutShrinkage, series: "dropout, closed form w*" },
      { x: feat.variance, y: r.trained[j]! / feat.leastSquares, series: "dropout, trained by SGD" },
      { x: feat.variance, y: feat.ridgeShrinkage, series: "ridge, same total penalty" },
    ]);
    const dShrink = f.map((x) => x.dropoutShrinkage), rShrink = f.map((x) => x.ridgeShrinkage);
    const range = (v: number[]) => `${Math.min(...v).toFixed(3)}-${Math.max(...v).toFixed(3)}`;
    const first = f[0]!, last = f[f.length - 1]!;
    return {
      claim: `Input dropout at keepProb p is least squares plus the penalty ((1-p)/p) Σ_j w_j² (XᵀX)_jj: an L2 penalty whose strength adapts to each feature's variance, so it charges high-variance features more per unit of w² than plain ridge does.`,
      plots: [
        {
          spec: groupedBars({ title: "Weight of each feature", bars: weights, yTitle: "weight", colors: COLORS }),
          caption: `True weights ${(trueWeights ?? []).join(", ")}; ${size} examples, noise ${noise}, keepProb p = ${p}. Ridge uses the λ that charges the dropout solution the same total penalty.`,
        },
        {
          spec: linePlot({
            title: "Shrinkage against feature variance",
            points: shrink,
            xTitle: "feature variance (log scale)",
            yTitle: "weight / least-squares weight",
            logX: true,
            yDomain: [0, 1],
            colors: COLORS,
            rules: [{ axis: "y", value: p, label: `keepProb p = ${p}`, color: "#5b6475" }],
          }),
          caption: "1 = untouched, 0 = shrunk to nothing. Dropout shrinks every feature by about the same factor; ridge shrinks the low-variance features most.",
        },
      ],
      numbers: {
        header: ["feature", "variance", "dropout coef ((1-p)/p)(XᵀX)_jj", "ridge coef λ", "least squares", "dropout w*", "SGD + dropout", "ridge", "dropout shrink", "ridge shrink"],
        rows: f.map((x, j) => [
          x.name,
          x.variance.toFixed(3),
          x.dropoutCoefficient.toFixed(1),
          x.ridgeCoefficient.toFixed(1),
          x.leastSquares.toFixed(4),
          x.dropout.toFixed(4),
          r.trained[j]!.toFixed(4),
          x.ridge.toFixed(4),
          x.dropoutShrinkage.toFixed(3),
          x.ridgeShrinkage.toFixed(3),
        ]),
      },
      findings: [
        `SGD with the engine's input dropout (${r.training.steps} steps, the last ${r.training.averagedSteps} averaged) lands at relative error ${(100 * r.relativeError).toFixed(2)}% from the closed form w*.`,
        `Dropout's penalty coefficient grows with the feature's energy: ${first.dropoutCoefficient.toFixed(1)} for ${first.name} (variance ${first.variance.toFixed(2)}) up to ${last.dropoutCoefficient.toFixed(1)} for ${last.name} (variance ${last.variance.toFixed(2)}), ${(last.dropoutCoefficient / first.dropoutCoefficient).toFixed(0)}x more; ridge charges every weight the same λ = ${r.ridgeLambda.toFixed(1)}.`,
        `So dropout shrinks every weight by a similar factor (w*/w_LS in ${range(dShrink)}, against p = ${p}), while ridge at the same total penalty shrinks ${first.name} to ${first.ridgeShrinkage.toFixed(3)} of its least-squares value and ${last.name} only to ${last.ridgeShrinkage.toFixed(3)} (range ${range(rShrink)}).`,
        `In other words dropout penalizes the high-variance features' weights hardest, which leaves each feature's contribution w_j·sd_j scaled about equally; ridge lets the high-variance features keep theirs.`,
      ],
      summary: [
        ["ridge: SGD vs closed form relative error", `${(100 * r.relativeError).toFixed(2)}%`],
        [`ridge: shrinkage dropout / ridge (p = ${p})`, `${range(dShrink)} / ${range(rShrink)}`],
      ],
      commands: [`dropout-lab ridge --keep-prob ${p} --size ${size} --noise ${noise} --epochs ${epochs} --seed ${ctx.seed}`],
      json: {
        keepProb: p,
        size,
        noise,
        trueWeights,
        closedForm: r.closedForm,
        trained: r.trained,
        leastSquares: r.leastSquares,
        ridge: r.ridge,
        ridgeLambda: r.ridgeLambda,
        relativeError: r.relativeError,
        features: r.features,
        penalty: r.penalty,
        training: r.training,
      },
    };
  },
};
