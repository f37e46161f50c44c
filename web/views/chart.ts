// A small line chart on a canvas, light enough to redraw every frame. A noisy
// series (the minibatch cost under dropout, one value per step) is binned per
// pixel column and drawn as its min-max band with the mean through it, so a
// long run stays readable; clean series (J per epoch) are drawn as lines.

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
  /** Smallest x range shown, so a young run does not fill the chart with a few points. */
  readonly minXMax?: number;
}

const PAD = { left: 42, right: 10, top: 22, bottom: 26 };

/** 1, 2 or 5 times a power of ten near range / count. */
function niceStep(range: number, count: number): number {
  const raw = range / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** An upper bound for the y axis: the largest clean value, and the 99th percentile of noisy ones (a sample of them). */
function yTop(series: readonly Series[]): number {
  let top = 0;
  for (const s of series) {
    const n = s.y.length;
    if (n === 0) continue;
    if (s.band) {
      const stride = Math.max(1, Math.floor(n / 2000));
      const sample: number[] = [];
      for (let i = 0; i < n; i += stride) if (Number.isFinite(s.y[i]!)) sample.push(s.y[i]!);
      sample.sort((a, b) => a - b);
      top = Math.max(top, sample[Math.floor(0.99 * (sample.length - 1))] ?? 0);
    } else {
      for (let i = 0; i < n; i++) if (Number.isFinite(s.y[i]!)) top = Math.max(top, s.y[i]!);
    }
  }
  return top > 0 ? top * 1.08 : 1;
}

export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], options: ChartOptions): void {
  const { ctx, width, height } = fitCanvas(canvas);
  const w = width - PAD.left - PAD.right, h = height - PAD.top - PAD.bottom;
  let xMax = options.minXMax ?? 1;
  for (const s of series) if (s.x.length) xMax = Math.max(xMax, s.x[s.x.length - 1]!);
  const yMax = yTop(series);
  const X = (x: number) => PAD.left + (x / xMax) * w;
  const Y = (y: number) => PAD.top + h - (Math.min(y, yMax) / yMax) * h;

  ctx.font = "10px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLORS.grid;
  ctx.fillStyle = COLORS.muted;
  const yStep = niceStep(yMax, 4);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let v = 0; v <= yMax + 1e-12; v += yStep) {
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(v));
    ctx.lineTo(PAD.left + w, Y(v));
    ctx.stroke();
    ctx.fillText(Number(v.toPrecision(3)).toString(), PAD.left - 4, Y(v));
  }
  const xStep = niceStep(xMax, 5);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (let v = 0; v <= xMax + 1e-12; v += xStep) ctx.fillText(v >= 10000 ? `${v / 1000}k` : String(v), X(v), PAD.top + h + 4);
  ctx.textAlign = "right";
  ctx.fillText(options.xLabel, PAD.left + w, PAD.top + h + 14);

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top - 2, w + 2, h + 4);
  ctx.clip();
  for (const s of series) {
    if (s.band) drawBand(ctx, s, X, Y, w);
    else drawLine(ctx, s, X, Y);
  }
  ctx.restore();

  let lx = PAD.left, ly = 9;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.font = "11px system-ui, sans-serif";
  for (const s of series) {
    if (s.unlisted) continue;
    const entry = 30 + ctx.measureText(s.name).width;
    if (lx > PAD.left && lx + entry > width) {
      lx = PAD.left;
      ly += 13;
    }
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.band ? 6 : (s.width ?? 2);
    ctx.globalAlpha = s.band ? 0.4 : 1;
    ctx.setLineDash(s.dash ? [...s.dash] : []);
    ctx.beginPath();
    ctx.moveTo(lx, ly);
    ctx.lineTo(lx + 16, ly);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.ink;
    ctx.fillText(s.name, lx + 20, ly);
    lx += entry;
  }
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

/** Per pixel column: the band from the smallest to the largest value, and the mean as a line. */
function drawBand(ctx: CanvasRenderingContext2D, s: Series, X: (x: number) => number, Y: (y: number) => number, w: number): void {
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
}
