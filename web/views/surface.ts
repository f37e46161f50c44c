// The 2-D plots: the decision surface (P(class 1) with dropout off, orange to
// blue) with the data points on top, and the MC-dropout uncertainty map (the
// spread of P over sampled masks, white to purple). Both only draw the grids
// the worker computed.

import type { DataInfo, Surface } from "../protocol.js";
import { COLORS, css, diverging, fitCanvas, gridImage, sequential } from "./paint.js";

/** Uncertainty (sd of a probability) shown at full colour (the largest possible is 0.5); the caption says so. */
const UNCERTAINTY_MAX = 0.3;

function placeholder(canvas: HTMLCanvasElement, text: string): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.fillStyle = "#fafafa";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = COLORS.muted;
  ctx.font = "12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const words = text.split(" ");
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && ctx.measureText(`${last} ${word}`).width < width - 24) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  lines.forEach((line, i) => ctx.fillText(line, width / 2, height / 2 + (i - (lines.length - 1) / 2) * 16));
}

function drawPoints(ctx: CanvasRenderingContext2D, info: DataInfo, size: number, showTest: boolean): void {
  const pts = info.points;
  if (!pts) return;
  const scale = size / (2 * info.extent);
  for (let i = 0; i < pts.label.length; i++) {
    const split = pts.split[i]!;
    if (split !== 0 && !showTest) continue;
    const x = (pts.xy[2 * i]! + info.extent) * scale, y = (info.extent - pts.xy[2 * i + 1]!) * scale;
    ctx.beginPath();
    ctx.arc(x, y, size > 200 ? 3 : 2.2, 0, 2 * Math.PI);
    ctx.fillStyle = css(pts.label[i] ? COLORS.pos : COLORS.neg);
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = split === 0 ? "#fff" : "#000";
    ctx.stroke();
  }
}

/** Draws P(class 1) over the plane (2p - 1 on the diverging scale) with the points; returns nothing to test but the canvas. */
export function drawSurface(canvas: HTMLCanvasElement, surface: Surface | undefined, info: DataInfo | undefined, showTest: boolean): void {
  if (!surface || !info) return placeholder(canvas, "The decision surface is drawn for the 2-D sets (circle, xor, gauss, spiral).");
  const { ctx, width } = fitCanvas(canvas);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(gridImage(surface.prob, surface.size, (p) => diverging(2 * p - 1)), 0, 0, width, width);
  drawPoints(ctx, info, width, showTest);
}

export function drawUncertainty(canvas: HTMLCanvasElement, surface: Surface | undefined, info: DataInfo | undefined, showTest: boolean): void {
  if (!surface || !info) return placeholder(canvas, "");
  if (!surface.uncertainty || !surface.uncertaintySize) {
    return placeholder(canvas, "No unit is dropped (every keepProb is 1): MC dropout has no masks to sample.");
  }
  const { ctx, width } = fitCanvas(canvas);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(gridImage(surface.uncertainty, surface.uncertaintySize, (v) => sequential(v, UNCERTAINTY_MAX)), 0, 0, width, width);
  ctx.globalAlpha = 0.55;
  drawPoints(ctx, info, width, showTest);
  ctx.globalAlpha = 1;
}
