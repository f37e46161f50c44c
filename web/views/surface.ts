// The 2-D plots: the decision surface (P(class 1) with dropout off, orange to
// blue) with the data points on top, and the MC-dropout uncertainty map (the
// spread of P over sampled masks, or the predictive entropy of their mean,
// white to purple). Each has axes (x1, x2 over the data's square) and a colour
// bar under it; the uncertainty scale runs from 0 to the largest value the map
// holds, so it never saturates, and the bar says what that value is. Both only
// draw the grids the worker computed, and describe them in their aria-label.

import type { DataInfo, Surface } from "../protocol.js";
import type { UncertaintyMeasure } from "../view-settings.js";
import { COLORS, css, diverging, fitCanvas, gridImage, sequential } from "./paint.js";

/** Margins around the square plot: tick labels left and below, then the colour bar and its labels. */
const M = { left: 24, top: 4, right: 8, axis: 15, gap: 5, bar: 8, barText: 13 };
const FONT = "10px system-ui, sans-serif";

interface Frame {
  readonly ctx: CanvasRenderingContext2D;
  readonly x0: number;
  readonly y0: number;
  readonly size: number;
}

function placeholder(canvas: HTMLCanvasElement, text: string): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.fillStyle = "#fafafa";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = COLORS.muted;
  ctx.font = "12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && ctx.measureText(`${last} ${word}`).width < width - 24) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  lines.forEach((line, i) => ctx.fillText(line, width / 2, height / 2 + (i - (lines.length - 1) / 2) * 16));
  canvas.setAttribute("aria-label", text || "Nothing to show yet");
}

/** The square plot area with x1 and x2 axes over [-extent, extent]. */
function plotFrame(canvas: HTMLCanvasElement, extent: number): Frame {
  const { ctx, width, height } = fitCanvas(canvas);
  const size = Math.max(20, Math.min(width - M.left - M.right, height - M.top - M.axis - M.gap - M.bar - M.barText));
  const x0 = M.left + (width - M.left - M.right - size) / 2, y0 = M.top;
  ctx.font = FONT;
  ctx.fillStyle = COLORS.muted;
  ctx.strokeStyle = "#bbb";
  ctx.lineWidth = 1;
  for (const v of [-extent, 0, extent]) {
    const t = (v + extent) / (2 * extent);
    ctx.textAlign = v === -extent ? "left" : v === extent ? "right" : "center";
    ctx.textBaseline = "top";
    ctx.fillText(String(v), x0 + t * size, y0 + size + 2);
    ctx.textAlign = "right";
    ctx.textBaseline = v === extent ? "top" : v === -extent ? "bottom" : "middle";
    ctx.fillText(String(v), x0 - 3, y0 + (1 - t) * size);
  }
  ctx.textBaseline = "top";
  ctx.textAlign = "center";
  ctx.fillText("x₁", x0 + size * 0.75, y0 + size + 2);
  ctx.save();
  ctx.translate(x0 - 9, y0 + size * 0.25);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText("x₂", 0, 0);
  ctx.restore();
  return { ctx, x0, y0, size };
}

/** A horizontal colour bar under the plot with labelled ends (and middle), and its title. */
function colourBar(f: Frame, color: (t: number) => readonly number[], labels: readonly [string, string, string?], title: string): void {
  const { ctx, x0, size } = f;
  const y = f.y0 + size + M.axis + M.gap;
  for (let i = 0; i < size; i++) {
    ctx.fillStyle = css(color(i / Math.max(1, size - 1)));
    ctx.fillRect(x0 + i, y, 1.2, M.bar);
  }
  ctx.strokeStyle = "#ccc";
  ctx.strokeRect(x0 + 0.5, y + 0.5, size - 1, M.bar - 1);
  ctx.font = FONT;
  ctx.fillStyle = COLORS.muted;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(labels[0], x0, y + M.bar + 1);
  ctx.textAlign = "right";
  ctx.fillText(labels[1], x0 + size, y + M.bar + 1);
  ctx.textAlign = "center";
  ctx.fillText(labels[2] ? `${labels[2]} ${title}` : title, x0 + size / 2, y + M.bar + 1);
}

function drawPoints(f: Frame, info: DataInfo, showTest: boolean): void {
  const pts = info.points;
  if (!pts) return;
  const { ctx, x0, y0, size } = f;
  const scale = size / (2 * info.extent);
  for (let i = 0; i < pts.label.length; i++) {
    const split = pts.split[i]!;
    if (split !== 0 && !showTest) continue;
    const x = x0 + (pts.xy[2 * i]! + info.extent) * scale, y = y0 + (info.extent - pts.xy[2 * i + 1]!) * scale;
    ctx.beginPath();
    ctx.arc(x, y, size > 200 ? 3 : 2.2, 0, 2 * Math.PI);
    ctx.fillStyle = css(pts.label[i] ? COLORS.pos : COLORS.neg);
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = split === 0 ? "#fff" : "#000";
    ctx.stroke();
  }
}

function pointsText(info: DataInfo, showTest: boolean): string {
  return `${info.sizes.train} training points${showTest ? ` and ${info.sizes.test} test points (black rim)` : ""}`;
}

/** Draws P(class 1) over the plane (2p − 1 on the diverging scale) with the points, axes and colour bar. */
export function drawSurface(canvas: HTMLCanvasElement, surface: Surface | undefined, info: DataInfo | undefined, showTest: boolean): void {
  if (!surface || !info) return placeholder(canvas, "The decision surface is drawn for the 2-D sets (circle, xor, gauss, spiral).");
  const f = plotFrame(canvas, info.extent);
  f.ctx.imageSmoothingEnabled = true;
  f.ctx.drawImage(gridImage(surface.prob, surface.size, (p) => diverging(2 * p - 1)), f.x0, f.y0, f.size, f.size);
  drawPoints(f, info, showTest);
  colourBar(f, (t) => diverging(2 * t - 1), ["0", "1", "0.5"], "P(class 1)");
  canvas.setAttribute("aria-label", `Decision surface, dropout off: P(class 1) over x1 and x2 in [${-info.extent}, ${info.extent}], orange for class 0, blue for class 1, with ${pointsText(info, showTest)}.`);
}

/** The largest value of a grid and its cell. */
function peak(values: Float32Array): { max: number; at: number } {
  let max = 0, at = 0;
  values.forEach((v, i) => {
    if (v > max) {
      max = v;
      at = i;
    }
  });
  return { max, at };
}

/** Three significant digits, at least enough to tell a small maximum from 0. */
function short(v: number): string {
  return v >= 0.01 ? v.toFixed(2) : v.toPrecision(2);
}

/**
 * Draws the MC-dropout map of `measure` (sd of P, or predictive entropy in
 * nats) white to purple, scaled from 0 to the map's own maximum. Returns that
 * maximum (0 when nothing is drawn), which the caption states.
 */
export function drawUncertainty(canvas: HTMLCanvasElement, surface: Surface | undefined, info: DataInfo | undefined, showTest: boolean, measure: UncertaintyMeasure): number {
  if (!surface || !info) {
    placeholder(canvas, "");
    return 0;
  }
  const values = measure === "entropy" ? surface.entropy : surface.uncertainty;
  const size = surface.uncertaintySize;
  if (!values || !size) {
    placeholder(canvas, "No unit is dropped (every keepProb is 1): MC dropout has no masks to sample.");
    return 0;
  }
  const { max, at } = peak(values);
  const top = max > 0 ? max : 1;
  const f = plotFrame(canvas, info.extent);
  f.ctx.imageSmoothingEnabled = true;
  f.ctx.drawImage(gridImage(values, size, (v) => sequential(v, top)), f.x0, f.y0, f.size, f.size);
  f.ctx.globalAlpha = 0.55;
  drawPoints(f, info, showTest);
  f.ctx.globalAlpha = 1;
  const what = measure === "entropy" ? "entropy (nats)" : "sd of P";
  colourBar(f, (t) => sequential(t, 1), ["0", short(max)], what);
  const cell = 2 * info.extent / size;
  const px = -info.extent + ((at % size) + 0.5) * cell, py = info.extent - (Math.floor(at / size) + 0.5) * cell;
  canvas.dataset.max = String(max);
  canvas.dataset.measure = measure;
  canvas.setAttribute(
    "aria-label",
    `MC-dropout uncertainty, ${measure === "entropy" ? "predictive entropy of the mean P" : "standard deviation of P"} over the masks: from 0 (white) to ${short(max)} (purple), ` +
      `highest near x1 = ${px.toFixed(1)}, x2 = ${py.toFixed(1)}.`,
  );
  return max;
}
