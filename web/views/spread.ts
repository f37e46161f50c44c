// For data without a plane to draw (four-inputs): how each first-layer unit
// splits its weight over the inputs, |w_j| / sum|w| as stacked bars. With
// dropout on the inputs a unit cannot lean on the strong input alone, and the
// bars show the weight moving onto the backups.

import type { LayerSpread } from "../protocol.js";
import { COLORS, fitCanvas } from "./paint.js";

const INPUT_COLORS = ["#0877bd", "#f59322", "#fbb768", "#fdd9ac", "#999", "#bbb", "#ccc", "#ddd"];
const MAX_ROWS = 16;

/** The bars in words: each unit's share of |w| per input and its effective number of inputs. */
function sharesText(spread: LayerSpread, shares: Float32Array, featureNames: readonly string[], units: number): string {
  const rows = Array.from({ length: units }, (_, u) => {
    const parts = Array.from({ length: spread.fanIn }, (_, j) => `${featureNames[j] ?? `x${j + 1}`} ${Math.round(100 * (shares[u * spread.fanIn + j] ?? 0))}%`);
    return `unit ${u + 1}: ${parts.join(", ")} (eff ${(spread.effective[u] ?? 0).toFixed(2)})`;
  });
  const more = spread.effective.length - units;
  return `How each first-layer unit splits |w| over its ${spread.fanIn} inputs: ${rows.join("; ")}${more > 0 ? `; ${more} more units not drawn` : ""}.`;
}

export function drawShares(canvas: HTMLCanvasElement, spread: LayerSpread | undefined, featureNames: readonly string[]): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  if (!spread?.shares) {
    const text = "Per-input weight shares are drawn for narrow first layers.";
    ctx.fillStyle = COLORS.muted;
    ctx.fillText(text, 8, height / 2);
    canvas.setAttribute("aria-label", text);
    return;
  }
  const units = Math.min(MAX_ROWS, spread.effective.length), fanIn = spread.fanIn;
  canvas.setAttribute("aria-label", sharesText(spread, spread.shares, featureNames, units));
  const left = 46, right = 70;
  let lx = left, ly = 11;
  for (let j = 0; j < fanIn; j++) {
    const name = featureNames[j] ?? `x${j + 1}`;
    const entry = 22 + ctx.measureText(name).width;
    if (lx > left && lx + entry > width) {
      lx = left;
      ly += 15;
    }
    ctx.fillStyle = INPUT_COLORS[j % INPUT_COLORS.length]!;
    ctx.fillRect(lx, ly - 5, 10, 10);
    ctx.fillStyle = COLORS.ink;
    ctx.textAlign = "left";
    ctx.fillText(name, lx + 14, ly);
    lx += entry;
  }
  const top = ly + 12;
  const rowH = Math.min(22, (height - top - 6) / units);
  for (let u = 0; u < units; u++) {
    const y = top + u * rowH;
    let x = left;
    for (let j = 0; j < fanIn; j++) {
      const w = (spread.shares[u * fanIn + j] ?? 0) * (width - left - right);
      ctx.fillStyle = INPUT_COLORS[j % INPUT_COLORS.length]!;
      ctx.fillRect(x, y + 2, w, rowH - 4);
      x += w;
    }
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = "right";
    ctx.fillText(`unit ${u + 1}`, left - 6, y + rowH / 2);
    ctx.textAlign = "left";
    ctx.fillText(`eff ${(spread.effective[u] ?? 0).toFixed(2)}`, width - right + 6, y + rowH / 2);
  }
}
