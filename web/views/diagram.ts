// The network diagram: one column per layer, edges coloured by the sign of the
// weight and as wide as its size, and the units dropped in the step shown
// greyed out (the mask of the batch's first example, new every step). For the
// 2-D sets each unit shows its output over the plane, as in TensorFlow
// Playground; a bar under each unit shows how evenly it spreads its weights.
// The dropped units are also written to data attributes, so tests and
// assistive tech can read what the picture shows.

import type { DataInfo, RunFrame } from "../protocol.js";
import { COLORS, css, diverging, fitCanvas, gridImage } from "./paint.js";

/** Units drawn per layer; wider layers show the first ones and a count of the rest. */
const MAX_NODES = 20;
const TOP = 10, BOTTOM = 34;

interface NodeBox {
  readonly layer: number;
  readonly unit: number;
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** Dropped units per dropout layer (inputs first), from the masks of a frame. */
export function droppedUnits(frame: RunFrame | undefined): number[][] {
  return (frame?.masks ?? []).map((m) => {
    const out: number[] = [];
    if (m) m.forEach((v, i) => v === 0 && out.push(i));
    return out;
  });
}

export function layerName(l: number, layers: readonly number[]): string {
  return l === 0 ? "inputs" : l === layers.length - 1 ? "output" : `hidden ${l}`;
}

export class DiagramView {
  private boxes: NodeBox[] = [];
  private layers: readonly number[] = [];
  private frame: RunFrame | undefined;
  private featureNames: readonly string[] = [];
  private readonly featureImages = new Map<string, HTMLCanvasElement>();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tip: HTMLElement,
  ) {
    canvas.addEventListener("mousemove", (e) => this.hover(e));
    canvas.addEventListener("mouseleave", () => (this.tip.hidden = true));
  }

  draw(layers: readonly number[], frame: RunFrame | undefined, info: DataInfo | undefined): void {
    this.layers = layers;
    this.frame = frame;
    this.featureNames = info?.featureNames ?? [];
    const { ctx, width, height } = fitCanvas(this.canvas);
    const dropped = droppedUnits(frame);
    const isDropped = (l: number, u: number) => frame?.masks[l]?.[u] === 0;
    const colW = width / layers.length;
    this.boxes = [];
    const columns = layers.map((n, l) => this.layout(l, n, (l + 0.5) * colW, colW, height, info));
    columns.forEach((boxes, l) => {
      if (l + 1 < columns.length) this.drawEdges(ctx, boxes, columns[l + 1]!, frame?.weights[l] ?? null, layers[l]!, (u) => isDropped(l, u));
    });
    columns.forEach((boxes, l) => {
      for (const b of boxes) this.drawNode(ctx, b, isDropped(l, b.unit), info);
      this.drawColumnFooter(ctx, l, boxes, (l + 0.5) * colW, height, dropped[l]?.length ?? 0);
    });
    if (layers[0]! > MAX_NODES && info?.data === "mnist") this.drawInputMask(ctx, 0.5 * colW, colW, height, frame?.masks[0] ?? null);
    const total = dropped.reduce((n, d) => n + d.length, 0);
    this.canvas.dataset.dropped = String(total);
    this.canvas.dataset.droppedUnits = dropped.map((d, l) => `${l}:${d.join(",")}`).join("|");
    this.canvas.dataset.step = String(frame?.step ?? 0);
    this.canvas.setAttribute(
      "aria-label",
      `Network ${layers.join("-")}; step ${frame?.step ?? 0}: ${total} unit${total === 1 ? "" : "s"} dropped` +
        dropped.map((d, l) => (d.length ? `, ${layerName(l, layers)}: ${d.join(" ")}` : "")).join(""),
    );
  }

  private layout(l: number, n: number, cx: number, colW: number, height: number, info: DataInfo | undefined): NodeBox[] {
    if (l === 0 && n > MAX_NODES && info?.data === "mnist") return [];
    const shown = Math.min(n, MAX_NODES);
    const avail = height - TOP - BOTTOM;
    const size = Math.max(5, Math.min(40, colW * 0.42, (avail / shown) * 0.78));
    const gap = Math.min(size * 0.55, (avail - shown * size) / Math.max(1, shown));
    const span = shown * size + (shown - 1) * gap;
    const y0 = TOP + (avail - span) / 2;
    const boxes = Array.from({ length: shown }, (_, u) => ({ layer: l, unit: u, x: cx - size / 2, y: y0 + u * (size + gap), size }));
    this.boxes.push(...boxes);
    return boxes;
  }

  private drawEdges(ctx: CanvasRenderingContext2D, from: NodeBox[], to: NodeBox[], w: Float32Array | null, fanIn: number, dropped: (u: number) => boolean): void {
    if (!w || from.length === 0) return;
    let max = 1e-9;
    for (const v of w) max = Math.max(max, Math.abs(v));
    for (const t of to) {
      for (const f of from) {
        const v = w[t.unit * fanIn + f.unit]!;
        const off = dropped(f.unit);
        const x1 = f.x + f.size, y1 = f.y + f.size / 2, x2 = t.x, y2 = t.y + t.size / 2, mx = (x1 + x2) / 2;
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.bezierCurveTo(mx, y1, mx, y2, x2, y2);
        ctx.lineWidth = off ? 0.6 : 0.4 + (3.6 * Math.abs(v)) / max;
        ctx.strokeStyle = off ? "rgba(160, 160, 160, 0.35)" : css(diverging(v / max), 0.25 + (0.65 * Math.abs(v)) / max);
        ctx.setLineDash(off ? [2, 3] : []);
        ctx.stroke();
      }
    }
    ctx.setLineDash([]);
  }

  private drawNode(ctx: CanvasRenderingContext2D, b: NodeBox, dropped: boolean, info: DataInfo | undefined): void {
    const image = this.nodeImage(b, info);
    if (image) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(image, b.x, b.y, b.size, b.size);
    } else {
      ctx.fillStyle = "#fff";
      ctx.fillRect(b.x, b.y, b.size, b.size);
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#888";
    ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.size - 1, b.size - 1);
    if (dropped) {
      ctx.fillStyle = "rgba(185, 185, 185, 0.9)";
      ctx.fillRect(b.x, b.y, b.size, b.size);
      ctx.strokeStyle = "#777";
      ctx.beginPath();
      ctx.moveTo(b.x + 3, b.y + 3);
      ctx.lineTo(b.x + b.size - 3, b.y + b.size - 3);
      ctx.moveTo(b.x + b.size - 3, b.y + 3);
      ctx.lineTo(b.x + 3, b.y + b.size - 3);
      ctx.stroke();
    }
    if (b.layer === 0 && this.featureNames[b.unit]) {
      ctx.fillStyle = COLORS.muted;
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(this.featureNames[b.unit]!, b.x - 4, b.y + b.size / 2);
    }
    const spread = b.layer > 0 ? this.frame?.spread[b.layer - 1] : undefined;
    if (spread && b.size >= 10) {
      const eff = spread.effective[b.unit] ?? 0;
      ctx.fillStyle = "#e3e3e3";
      ctx.fillRect(b.x, b.y + b.size + 2, b.size, 3);
      ctx.fillStyle = "#183d4e";
      ctx.fillRect(b.x, b.y + b.size + 2, (b.size * eff) / spread.fanIn, 3);
    }
  }

  /** The picture inside a unit: its output over the plane for the 2-D sets (the inputs: x1 and x2 themselves). */
  private nodeImage(b: NodeBox, info: DataInfo | undefined): HTMLCanvasElement | undefined {
    const surface = this.frame?.surface;
    if (!surface || !info || b.size < 12) return undefined;
    const last = this.layers.length - 1;
    if (b.layer === 0) return this.featureImage(b.unit, surface.size);
    if (b.layer === last) return gridImage(surface.prob, surface.size, (p) => diverging(2 * p - 1));
    const values = surface.units[b.layer - 1]?.[b.unit];
    return values ? gridImage(values, surface.size, (v) => diverging(v)) : undefined;
  }

  /** Input x1 (left to right) or x2 (bottom to top) itself over the plane. */
  private featureImage(feature: number, size: number): HTMLCanvasElement {
    const key = `${feature}/${size}`;
    let img = this.featureImages.get(key);
    if (!img) {
      const values = new Float32Array(size * size);
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) values[r * size + c] = feature === 0 ? (2 * (c + 0.5)) / size - 1 : 1 - (2 * (r + 0.5)) / size;
      }
      img = gridImage(values, size, diverging);
      this.featureImages.set(key, img);
    }
    return img;
  }

  private drawColumnFooter(ctx: CanvasRenderingContext2D, l: number, boxes: NodeBox[], cx: number, height: number, droppedCount: number): void {
    const n = this.layers[l]!;
    ctx.fillStyle = COLORS.muted;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    const last = boxes[boxes.length - 1];
    if (last && boxes.length < n) ctx.fillText(`+${n - boxes.length} more`, cx, last.y + last.size + 16);
    if (l < this.layers.length - 1) ctx.fillText(droppedCount ? `${droppedCount} of ${n} dropped` : "none dropped", cx, height - 6);
  }

  /** MNIST's 784 inputs as a 28 x 28 picture of the input mask: dark pixels are dropped in this step. */
  private drawInputMask(ctx: CanvasRenderingContext2D, cx: number, colW: number, height: number, mask: Uint8Array | null): void {
    const side = Math.min(colW - 16, 150);
    const x = cx - side / 2, y = (height - side) / 2;
    const cell = side / 28;
    ctx.fillStyle = "#e8eaeb";
    ctx.fillRect(x, y, side, side);
    if (mask) {
      ctx.fillStyle = "#555";
      for (let i = 0; i < 784; i++) if (mask[i] === 0) ctx.fillRect(x + (i % 28) * cell, y + Math.floor(i / 28) * cell, cell, cell);
    }
    ctx.strokeStyle = "#888";
    ctx.strokeRect(x + 0.5, y + 0.5, side - 1, side - 1);
    ctx.fillStyle = COLORS.muted;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("784 pixels", cx, y - 6);
  }

  private hover(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left, y = e.clientY - rect.top;
    const b = this.boxes.find((n) => x >= n.x && x <= n.x + n.size && y >= n.y && y <= n.y + n.size + 6);
    if (!b) {
      this.tip.hidden = true;
      return;
    }
    const lines = [`${layerName(b.layer, this.layers)}, unit ${b.unit + 1}`];
    const mask = this.frame?.masks[b.layer];
    if (b.layer < this.layers.length - 1) lines.push(mask ? (mask[b.unit] === 0 ? "dropped in this step" : "kept in this step") : "nothing dropped in this step");
    const spread = b.layer > 0 ? this.frame?.spread[b.layer - 1] : undefined;
    if (spread) {
      lines.push(`effective inputs ${(spread.effective[b.unit] ?? 0).toFixed(2)} of ${spread.fanIn}`);
      lines.push(`largest |w| share ${((spread.maxShare[b.unit] ?? 0) * 100).toFixed(0)}%`);
    }
    this.tip.textContent = lines.join(" · ");
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(b.x + b.size + 8, rect.width - 200)}px`;
    this.tip.style.top = `${b.y}px`;
  }
}
