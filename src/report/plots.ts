// Vega-Lite specifications for the report's plots. Views only receive data:
// each builder takes plain rows and returns a spec; rendering to SVG happens
// elsewhere (render.ts), so the same specs can be drawn live in a page.

export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const WIDTH = 460;
const HEIGHT = 260;

export interface LinePoint {
  readonly x: number;
  readonly y: number;
  /** Which line the point belongs to. */
  readonly series: string;
}

/** Several named lines over a shared x axis (e.g. noisy cost and clean J per epoch). */
export function linePlot(options: {
  title: string;
  points: readonly LinePoint[];
  xTitle: string;
  yTitle: string;
  logY?: boolean;
  /** Series drawn as thin, light lines (e.g. the noisy per-step cost). */
  faint?: readonly string[];
  colors?: Readonly<Record<string, string>>;
  yDomain?: readonly [number, number];
}): VegaLiteSpec {
  const series = [...new Set(options.points.map((p) => p.series))];
  const colors = series.map((s, i) => options.colors?.[s] ?? PALETTE[i % PALETTE.length]!);
  const faint = new Set(options.faint ?? []);
  return {
    $schema: SCHEMA,
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: options.points.map((p) => ({ ...p })) },
    mark: { type: "line", interpolate: "linear", clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xTitle },
      y: {
        field: "y",
        type: "quantitative",
        title: options.yTitle,
        scale: { ...(options.logY ? { type: "log" } : { zero: false }), ...(options.yDomain ? { domain: [...options.yDomain] } : {}) },
      },
      color: { field: "series", type: "nominal", title: null, scale: { domain: series, range: colors }, legend: { orient: "top", columns: 2, labelLimit: 320 } },
      strokeWidth: { condition: { test: `indexof(${JSON.stringify([...faint])}, datum.series) >= 0`, value: 1 }, value: 2.5 },
      opacity: { condition: { test: `indexof(${JSON.stringify([...faint])}, datum.series) >= 0`, value: 0.45 }, value: 1 },
    },
  };
}

export interface BarDatum {
  readonly category: string;
  readonly group: string;
  readonly value: number;
}

/** Grouped bars: one bar per (category, group), e.g. each input's weight under each regularizer. */
export function groupedBars(options: { title: string; bars: readonly BarDatum[]; yTitle: string; xTitle?: string; colors?: Readonly<Record<string, string>> }): VegaLiteSpec {
  const groups = [...new Set(options.bars.map((b) => b.group))];
  return {
    $schema: SCHEMA,
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: options.bars.map((b) => ({ ...b })) },
    mark: "bar",
    encoding: {
      x: { field: "category", type: "nominal", title: options.xTitle ?? null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: "group", sort: groups },
      y: { field: "value", type: "quantitative", title: options.yTitle },
      color: {
        field: "group",
        type: "nominal",
        title: null,
        scale: { domain: groups, range: groups.map((g, i) => options.colors?.[g] ?? PALETTE[i % PALETTE.length]!) },
        legend: { orient: "top", columns: 3, labelLimit: 200 },
      },
    },
  };
}

export interface HeatCell {
  readonly x: string;
  readonly y: string;
  readonly value: number;
}

/** A labelled heatmap (e.g. dev accuracy over two layers' keepProbs). */
export function heatmap(options: { title: string; cells: readonly HeatCell[]; xTitle: string; yTitle: string; valueTitle: string; format?: string }): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: options.title,
    width: 300,
    height: 260,
    data: { values: options.cells.map((c) => ({ ...c })) },
    encoding: {
      x: { field: "x", type: "ordinal", title: options.xTitle },
      y: { field: "y", type: "ordinal", title: options.yTitle, sort: "descending" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "value", type: "quantitative", title: options.valueTitle, scale: { scheme: "viridis" } } } },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          text: { field: "value", type: "quantitative", format: options.format ?? ".3f" },
          color: { value: "white" },
        },
      },
    ],
  };
}

/** Colorblind-safe palette (Okabe and Ito). */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
