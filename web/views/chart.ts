// A small line chart on a canvas, light enough to redraw every frame. A noisy
// series (the minibatch cost under dropout, one value per step) is binned per
// pixel column and drawn as its min-max band with the mean through it, so a
// long run stays readable; clean series (J per epoch) are drawn as lines.
// Values above the drawn range are clamped to the top edge and marked there
// with a red tick; the y axis can be linear from 0, fitted to the data, or log.

import { COLORS, fitCanvas } from "./paint.js";

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly width?: number;
  readonly dash?: readonly number[];
  /** Bin per pixel column and draw the min-max band (noisy per-step values). */
  readonly band?: boolean;
  /** Draw a dot at every point. */
  readonly dots?: boolean;
  /** Indices of points to circle in red (e.g. where J rose). */
  readonly flagged?: readonly number[];
  /** Leave out of the legend (default: listed). */
  readonly unlisted?: boolean;
}

export interface ChartOptions {
  readonly xLabel: string;
  /** The y axis title, written up the left edge. */
  readonly yLabel: string;
  /** Smallest x range shown, so a young run does not fill the chart with a few points. */
  readonly minXMax?: number;
  /** A log10 y axis (positive values only), so spikes of the noisy cost do not flatten J. */
  readonly logY?: boolean;
  /** Fit the y axis to the data's range instead of starting it at 0 (a small fall then fills the height). */
  readonly fitY?: boolean;
  /** Vertical markers (e.g. where settings changed mid-run), labelled at the top. */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
}

const PAD = { left: 50, right: 18, top: 24, bottom: 30 };

/** 1, 2 or 5 times a power of ten near range / count. */
function niceStep(range: number, count: number): number {
  const raw = range / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * The y range drawn: up to the largest clean value and the 99th percentile of
 * noisy ones (a sample of them), so one spike does not squash the rest; values
 * above it are clamped to the top edge and marked there. From 0, or from the
 * smallest value (fitY, and always on a log axis).
 */
function yRange(series: readonly Series[], fit: boolean, log: boolean): { lo: number; hi: number } {
  let top = -Infinity, bottom = Infinity;
  for (const s of series) {
    const n = s.y.length;
    if (n === 0) continue;
    const stride = s.band ? Math.max(1, Math.floor(n / 2000)) : 1;
    const sample: number[] = [];
    for (let i = 0; i < n; i += stride) {
      const v = s.y[i]!;
      if (Number.isFinite(v) && (!log || v > 0)) sample.push(v);
    }
    if (!sample.length) continue;
    sample.sort((a, b) => a - b);
    top = Math.max(top, s.band ? sample[Math.floor(0.99 * (sample.length - 1))]! : sample[sample.length - 1]!);
    bottom = Math.min(bottom, sample[0]!);
  }
  if (!Number.isFinite(top)) return log ? { lo: 0.01, hi: 1 } : { lo: 0, hi: 1 };
  if (log) {
    const lo = Math.log10(bottom), hi = Math.log10(Math.max(top, bottom * 1.01));
    const pad = 0.04 * (hi - lo);
    return { lo: 10 ** (lo - pad), hi: 10 ** (hi + pad) };
  }
  if (!fit) return { lo: 0, hi: top > 0 ? top * 1.08 : 1 };
  const pad = 0.08 * (top - bottom || Math.abs(top) || 1);
  return { lo: bottom - pad, hi: top + pad };
}

/** Nice steps between lo and hi, about four of them. */
function linearTicks(lo: number, hi: number): number[] {
  const step = niceStep(hi - lo, 4);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Tick values of the y axis: nice steps on a linear axis, 1-2-5 per decade on
 * a log one (finer within a decade); a log axis spanning too little for two
 * such values gets nice linear steps, so it never shows a single tick.
 */
function yTicks(lo: number, hi: number, log: boolean): number[] {
  if (!log) return linearTicks(lo, hi);
  const out: number[] = [];
  const decades = Math.log10(hi / lo);
  const mults = decades > 2 ? [1] : decades > 0.8 ? [1, 2, 5] : [1, 1.5, 2, 3, 5, 7];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mults) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(Number(v.toPrecision(6)));
    }
  }
  return out.length >= 2 ? out : linearTicks(lo, hi);
}

function tickText(v: number): string {
  if (v >= 10000) return `${v / 1000}k`;
  return Number(v.toPrecision(3)).toString();
}

/**
 * Draws the series. Returns how many pixel columns had values clamped at the
 * top (also drawn there as small red marks), so the caller can say so.
 */
export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], options: ChartOptions): { clamped: number } {
  const { ctx, width, height } = fitCanvas(canvas);
  const w = width - PAD.left - PAD.right, h = height - PAD.top - PAD.bottom;
  let xMax = options.minXMax ?? 1;
  for (const s of series) if (s.x.length) xMax = Math.max(xMax, s.x[s.x.length - 1]!);
  const log = options.logY ?? false;
  const { lo, hi } = yRange(series, options.fitY ?? false, log);
  const t = (y: number) => (log ? (Math.log10(Math.max(y, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (y - lo) / (hi - lo));
  const X = (x: number) => PAD.left + (x / xMax) * w;
  const Y = (y: number) => PAD.top + h - Math.max(0, Math.min(1, t(y))) * h;

  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLORS.grid;
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const ticks = yTicks(lo, hi, log);
  for (const v of ticks) {
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(v));
    ctx.lineTo(PAD.left + w, Y(v));
    ctx.stroke();
    ctx.fillText(tickText(v), PAD.left - 4, Y(v));
  }
  const xStep = niceStep(xMax, 5);
  ctx.textBaseline = "top";
  const xTicks: string[] = [];
  for (let v = 0; v <= xMax + 1e-12; v += xStep) {
    const text = tickText(v);
    const textWidth = ctx.measureText(text).width;
    // The last tick label ends at the canvas's right edge instead of running past it.
    const right = X(v) + textWidth / 2 > width - 2;
    const left = right ? width - 2 - textWidth : X(v) - textWidth / 2;
    ctx.textAlign = "left";
    ctx.fillText(text, left, PAD.top + h + 4);
    xTicks.push(`${text} ${left.toFixed(1)} ${(left + textWidth).toFixed(1)}`);
  }
  // Where each x tick label lies (text, left and right edge in CSS pixels), for tests and tools to read.
  canvas.dataset.xTicks = xTicks.join(";");
  ctx.textAlign = "right";
  ctx.fillText(options.xLabel, PAD.left + w, PAD.top + h + 17);
  ctx.save();
  ctx.translate(11, PAD.top + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const yTitle = log ? `${options.yLabel} (log)` : options.yLabel;
  ctx.fillText(yTitle, 0, 0);
  ctx.restore();
  // The y axis as drawn (title, scale, tick values) and the legend's entries, for tests and tools to read.
  canvas.dataset.yTitle = yTitle;
  canvas.dataset.yScale = log ? "log" : "linear";
  canvas.dataset.yTicks = ticks.map((v) => String(v)).join(";");

  for (const m of options.markers ?? []) {
    const x = X(m.x);
    ctx.strokeStyle = "#6a3d9a";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x, PAD.top);
    ctx.lineTo(x, PAD.top + h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#6a3d9a";
    ctx.textBaseline = "top";
    ctx.textAlign = x > PAD.left + w / 2 ? "right" : "left";
    ctx.fillText(m.label, x + (ctx.textAlign === "right" ? -4 : 4), PAD.top + 2);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top - 2, w + 2, h + 4);
  ctx.clip();
  let clamped = 0;
  for (const s of series) {
    if (s.band) clamped += drawBand(ctx, s, X, Y, w, hi);
    else {
      drawLine(ctx, s, X, Y);
      clamped += markClamped(ctx, s, X, Y, hi);
    }
  }
  ctx.restore();
  canvas.dataset.legend = drawLegend(ctx, series, width).join("|");
  canvas.dataset.clamped = String(clamped);
  return { clamped };
}

/** The legend along the top; a band's entry shows the band and its mean line, as the plot draws them. Returns the entries' texts. */
function drawLegend(ctx: CanvasRenderingContext2D, series: readonly Series[], width: number): string[] {
  const names: string[] = [];
  let lx = PAD.left, ly = 9;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.font = "11px system-ui, sans-serif";
  for (const s of series) {
    if (s.unlisted) continue;
    const name = s.band ? `${s.name} (band: min–max, line: mean)` : s.name;
    names.push(name);
    const entry = 30 + ctx.measureText(name).width;
    if (lx > PAD.left && lx + entry > width) {
      lx = PAD.left;
      ly += 13;
    }
    if (s.band) {
      ctx.fillStyle = s.color;
      ctx.globalAlpha = 0.28;
      ctx.fillRect(lx, ly - 4, 16, 8);
      ctx.globalAlpha = 0.8;
    }
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.band ? 1 : (s.width ?? 2);
    ctx.setLineDash(s.dash ? [...s.dash] : []);
    ctx.beginPath();
    ctx.moveTo(lx, ly);
    ctx.lineTo(lx + 16, ly);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.ink;
    ctx.fillText(name, lx + 20, ly);
    lx += entry;
  }
  return names;
}

/** A small red triangle at the top edge over a value drawn clamped (above the axis). */
function clampMark(ctx: CanvasRenderingContext2D, x: number, top: number): void {
  ctx.fillStyle = "#c62828";
  ctx.beginPath();
  ctx.moveTo(x - 3, top + 1);
  ctx.lineTo(x + 3, top + 1);
  ctx.lineTo(x, top + 6);
  ctx.fill();
}

function markClamped(ctx: CanvasRenderingContext2D, s: Series, X: (x: number) => number, Y: (y: number) => number, hi: number): number {
  let n = 0;
  for (let i = 0; i < s.y.length; i++) {
    if (s.y[i]! > hi) {
      clampMark(ctx, X(s.x[i]!), Y(hi));
      n++;
    }
  }
  return n;
}

function drawLine(ctx: CanvasRenderingContext2D, s: Series, X: (x: number) => number, Y: (y: number) => number): void {
  ctx.strokeStyle = s.color;
  ctx.lineWidth = s.width ?? 2;
  ctx.setLineDash(s.dash ? [...s.dash] : []);
  ctx.beginPath();
  for (let i = 0; i < s.y.length; i++) {
    const x = X(s.x[i]!), y = Y(s.y[i]!);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  if (s.dots) {
    ctx.fillStyle = s.color;
    for (let i = 0; i < s.y.length; i++) {
      ctx.beginPath();
      ctx.arc(X(s.x[i]!), Y(s.y[i]!), 2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.strokeStyle = "#c62828";
  ctx.lineWidth = 1.5;
  for (const i of s.flagged ?? []) {
    if (i >= s.y.length) continue;
    ctx.beginPath();
    ctx.arc(X(s.x[i]!), Y(s.y[i]!), 5, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

/** Per pixel column: the band from the smallest to the largest value, and the mean as a line; returns the columns clamped at the top. */
function drawBand(ctx: CanvasRenderingContext2D, s: Series, X: (x: number) => number, Y: (y: number) => number, w: number, top: number): number {
  const cols = Math.max(1, Math.round(w));
  const lo = new Float64Array(cols).fill(Infinity), hi = new Float64Array(cols).fill(-Infinity);
  const sum = new Float64Array(cols), count = new Uint32Array(cols);
  const x0 = X(0);
  for (let i = 0; i < s.y.length; i++) {
    const v = s.y[i]!;
    if (!Number.isFinite(v)) continue;
    const c = Math.min(cols - 1, Math.max(0, Math.floor(X(s.x[i]!) - x0)));
    lo[c] = Math.min(lo[c]!, v);
    hi[c] = Math.max(hi[c]!, v);
    sum[c] = sum[c]! + v;
    count[c] = count[c]! + 1;
  }
  ctx.fillStyle = s.color;
  ctx.globalAlpha = 0.28;
  for (let c = 0; c < cols; c++) {
    if (!count[c]) continue;
    const top = Y(hi[c]!), bottom = Y(lo[c]!);
    ctx.fillRect(x0 + c, top, 1, Math.max(1, bottom - top));
  }
  ctx.globalAlpha = 0.8;
  ctx.strokeStyle = s.color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  let started = false;
  for (let c = 0; c < cols; c++) {
    if (!count[c]) continue;
    const y = Y(sum[c]! / count[c]!);
    if (started) ctx.lineTo(x0 + c + 0.5, y);
    else ctx.moveTo(x0 + c + 0.5, y);
    started = true;
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  let clamped = 0;
  for (let c = 0; c < cols; c++) {
    if (count[c] && hi[c]! > top) {
      clampMark(ctx, x0 + c + 0.5, Y(top));
      clamped++;
    }
  }
  return clamped;
}
