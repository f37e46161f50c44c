// Compare mode's panel: the three runs (no regularization, L2, dropout) side by
// side, each with its decision surface and its numbers at its best dev epoch,
// one line saying what they show (web/verdict.ts), and one chart of their test
// loss and clean J, so the regularizers' effects can be read off together.

import type { DataInfo } from "../protocol.js";
import type { RunRecord } from "../record.js";
import { drawChart, type Series } from "./chart.js";
import { bestDevEpoch, compareVerdict, wilson } from "../verdict.js";
import { fmt, pct } from "./paint.js";
import { drawSurface } from "./surface.js";

const RUN_COLORS = ["#555", "#e6550d", "#0877bd"];

export function drawCompare(panel: HTMLElement, verdict: HTMLElement, box: HTMLElement, chart: HTMLCanvasElement, records: readonly RunRecord[], info: DataInfo | undefined, showTest: boolean): void {
  panel.hidden = records.length < 2;
  if (panel.hidden) return;
  const testSize = info?.sizes.test ?? 0;
  verdict.textContent = compareVerdict(records.map((r, i) => ({ label: r.last?.label ?? `run ${i + 1}`, last: r.latest, best: bestDevEpoch(r.epochs) })), testSize);
  if (box.childElementCount !== records.length) {
    box.replaceChildren(
      ...records.map(() => {
        const div = document.createElement("div");
        div.className = "compare-run";
        const canvas = document.createElement("canvas");
        canvas.setAttribute("role", "img");
        div.append(document.createElement("h3"), canvas, document.createElement("dl"));
        return div;
      }),
    );
  }
  records.forEach((r, i) => {
    const div = box.children[i] as HTMLElement;
    const frame = r.last, latest = r.latest, best = bestDevEpoch(r.epochs);
    div.querySelector("h3")!.textContent = frame?.label ?? "";
    const canvas = div.querySelector("canvas")!;
    canvas.hidden = !frame?.surface;
    if (frame?.surface) drawSurface(canvas, frame.surface, info, showTest);
    const gap = latest?.trainAccuracy !== undefined && latest.testAccuracy !== undefined ? latest.trainAccuracy - latest.testAccuracy : undefined;
    const rows: [string, string][] = [
      ["clean J", fmt(latest?.cleanCost)],
      ["test loss", fmt(latest?.testLoss)],
      ["train acc.", pct(latest?.trainAccuracy)],
      ["test acc.", pct(latest?.testAccuracy)],
      ["train − test", gap === undefined ? "–" : `${(gap * 100).toFixed(1)} pts`],
      ["best dev epoch", best ? String(best.epoch) : "–"],
      ["test acc. there", best?.testAccuracy === undefined ? "–" : `${pct(best.testAccuracy)} ${interval(best.testAccuracy, testSize)}`],
    ];
    div.querySelector("dl")!.replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = k;
        dd.textContent = v;
        return [dt, dd];
      }),
    );
    div.dataset.testAccuracy = latest?.testAccuracy === undefined ? "" : String(latest.testAccuracy);
    div.dataset.bestEpoch = best ? String(best.epoch) : "";
    div.dataset.bestTestAccuracy = best?.testAccuracy === undefined ? "" : String(best.testAccuracy);
  });
  const series: Series[] = records.flatMap((r, i) => {
    const label = r.last?.label ?? `run ${i + 1}`;
    const x = r.epochs.map((e) => e.step);
    return [
      { name: label, color: RUN_COLORS[i] ?? "#000", x, y: r.epochs.map((e) => e.testLoss), width: 2 },
      { name: "clean J", color: RUN_COLORS[i] ?? "#000", x, y: r.epochs.map((e) => e.cleanCost), width: 1, dash: [4, 3], unlisted: true },
    ];
  });
  drawChart(chart, series, { xLabel: "step (dashed: clean J)", yLabel: "test loss", minXMax: 100 });
}

/** The 95% Wilson interval of an accuracy on n test points, as "[84.2, 91.0]". */
function interval(p: number, n: number): string {
  if (n < 1) return "";
  const { lo, hi } = wilson(p, n);
  return `[${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
}
