// Drawing helpers every view shares: a canvas sized to its CSS box at the
// device's pixel ratio, and the playground's colour scales (orange for class 0
// and negative weights, blue for class 1 and positive ones, as in TensorFlow
// Playground; purple for uncertainty).

export const COLORS = {
  pos: [8, 119, 189],
  neg: [245, 147, 34],
  mid: [232, 234, 235],
  uncertain: [106, 61, 154],
  ink: "#222",
  muted: "#666",
  grid: "#eee",
  dropped: "#b9b9b9",
} as const;

type RGB = readonly [number, number, number];

function mix(a: RGB, b: RGB, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** A value in [-1, 1] as orange (-1), light grey (0) or blue (+1); values outside are clamped. */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(COLORS.mid, COLORS.neg, -t) : mix(COLORS.mid, COLORS.pos, t);
}

/** An uncertainty in [0, max] as white to purple. */
export function sequential(v: number, max: number): [number, number, number] {
  return mix([255, 255, 255], COLORS.uncertain, Math.max(0, Math.min(1, v / max)));
}

export function css(rgb: readonly number[], alpha = 1): string {
  return `rgba(${Math.round(rgb[0]!)}, ${Math.round(rgb[1]!)}, ${Math.round(rgb[2]!)}, ${alpha})`;
}

/**
 * Sizes the canvas's backing store to its displayed size times the device
 * pixel ratio and returns a context drawing in CSS pixels, with the size.
 */
export function fitCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const rect = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width)), height = Math.max(1, Math.round(rect.height));
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser has no 2-D canvas");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.imageSmoothingQuality = "high";
  return { ctx, width, height };
}

/** A size x size grid of values (row 0 at the top) as an image, coloured by `color`. */
export function gridImage(values: Float32Array, size: number, color: (v: number) => readonly number[]): HTMLCanvasElement {
  const img = document.createElement("canvas");
  img.width = size;
  img.height = size;
  const ctx = img.getContext("2d")!;
  const data = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const c = color(values[i]!);
    data.data[4 * i] = c[0]!;
    data.data[4 * i + 1] = c[1]!;
    data.data[4 * i + 2] = c[2]!;
    data.data[4 * i + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
  return img;
}

/** Formats a number for a readout: 3 significant digits, thousands separated. */
export function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return "–";
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(digits);
}

export function pct(v: number | undefined): string {
  return v === undefined ? "–" : `${(v * 100).toFixed(1)}%`;
}
