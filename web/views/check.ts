// The result of "Check J" (src/analysis/check.ts): the verdict in words, the
// clean-J curve over the full-batch iterations with dropout off (rises
// circled, on an axis fitted to J's range so a small fall still shows), and,
// dropout back on, the noisy step cost against the clean J at the same
// weights: the jitter that made the check necessary. The gradient check's
// error is worded against its measure's thresholds, not as pass/fail alone.

import type { CheckReport } from "../protocol.js";
import { drawChart } from "./chart.js";
import { fmt } from "./paint.js";

export interface CheckElements {
  readonly panel: HTMLElement;
  readonly text: HTMLElement;
  readonly details: HTMLElement;
  readonly monotone: HTMLCanvasElement;
  readonly jitter: HTMLCanvasElement;
}

export function drawCheck(el: CheckElements, report: CheckReport | undefined, pending: boolean): void {
  el.panel.hidden = !report && !pending;
  if (pending) {
    el.text.dataset.result = "running";
    el.text.textContent = "Checking: dropout off, full-batch iterations at the current learning rate…";
    el.details.textContent = "";
    return;
  }
  if (!report) return;
  const { result } = report;
  const m = result.monotone, curve = result.curves.monotone;
  const verdict = document.createElement("span");
  verdict.className = "verdict";
  verdict.textContent = m.passed ? "PASS" : "FAIL";
  const protocol =
    `At step ${report.step.toLocaleString("en-US")}, on a copy of the network: dropout off (every keepProb 1), ${m.iterations} full-batch ` +
    `iterations on ${examplesText(result.rows, report)} at lr ${report.lr} (${report.optimizer}), J ${fmt(curve[0], 4)} → ${fmt(curve[curve.length - 1], 4)}. `;
  el.text.replaceChildren(verdict, document.createTextNode(protocol + m.advice));
  el.text.dataset.result = m.passed ? "pass" : "fail";
  const g = result.gradientCheck, j = result.jitter;
  el.details.textContent =
    `Gradient check with frozen masks (float64, ${g.rows} rows): largest relative error ${g.maxRelativeError.toExponential(1)}: ${gradientVerdict(g.maxRelativeError)}. ` +
    `Dropout back on (keepProbs ${result.keepProbs.join(", ")}): over ${j.steps} steps the noisy cost jitters ` +
    (j.ratio === null ? "while the clean J stays flat" : `${j.ratio.toFixed(1)}× as much as the clean J`) +
    `, and sits ${fmt(j.meanGap)} above it on average. The run itself was not touched.`;
  const flagged = m.violations.map((v) => v.iteration);
  drawChart(el.monotone, [{ name: "clean J, dropout off", color: "#183d4e", x: curve.map((_, i) => i), y: curve, dots: true, flagged }], {
    xLabel: "full-batch iteration",
    yLabel: "clean J",
    fitY: true,
  });
  const { noisy, clean } = result.curves;
  drawChart(
    el.jitter,
    [
      { name: "noisy cost, dropout on", color: "#f59322", x: noisy.map((_, i) => i + 1), y: noisy, width: 1.2 },
      { name: "clean J", color: "#183d4e", x: clean.map((_, i) => i + 1), y: clean },
    ],
    { xLabel: "step", yLabel: "cost" },
  );
}

/** "all 250 training examples", or "300 of the 350 training examples (Check J uses at most 300, so it answers within a second)". */
function examplesText(rows: number, report: CheckReport): string {
  if (rows >= report.trainExamples) return `all ${rows.toLocaleString("en-US")} training examples`;
  return `${rows.toLocaleString("en-US")} of the ${report.trainExamples.toLocaleString("en-US")} training examples (Check J uses at most ${report.maxRows.toLocaleString("en-US")}, so it answers within a second)`;
}

/**
 * The gradient check's verdict against the thresholds of its measure, Ng's
 * relative error ||g − ĝ|| / (||g|| + ||ĝ||) in float64: below 1e-7 the
 * gradients agree; up to 1e-5 they agree to about six digits, the rounding
 * that saturated tanh/sigmoid units or ReLU kinks leave after large steps;
 * up to 1e-3 it is worth a look; beyond, the backward pass is wrong.
 */
export function gradientVerdict(error: number): string {
  if (error < 1e-7) return "the back-propagated and numerical gradients agree (below 1e-7)";
  if (error < 1e-5) return "they agree to about six digits, above the strict 1e-7 threshold: finite differences round this way near saturated units or ReLU kinks, while a wrong gradient gives errors near 1e-2 and above";
  if (error < 1e-3) return "suspicious (between 1e-5 and 1e-3): a kink or saturation could explain it, a small bug could too";
  return "FAILED: the back-propagated gradient disagrees with finite differences (a bug gives errors like this)";
}
