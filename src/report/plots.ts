// Vega-Lite specifications for the report's plots. Views only receive data:
// each builder takes plain rows and returns a spec; rendering to SVG happens
// elsewhere (render.ts), so the same specs can be drawn live in a page.

export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** Plot area of line and bar plots: with axes and legend about the width of a report card (~1000 px), one plot per row. */
const WIDTH = 820;
const HEIGHT = 300;

/** Text sizes of every plot: 12 px and up, so a plot shown at its natural size reads like the page around it. */
const CONFIG = {
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal" },
  legend: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 15, anchor: "start", offset: 8 },
  text: { fontSize: 12 },
} as const;

export interface LinePoint {
  readonly x: number;
  readonly y: number;
  /** Which line the point belongs to. */
  readonly series: string;
}

/**
 * A labelled reference line across the plot: a horizontal rule at y = value
 * (axis "y", e.g. an eval-mode accuracy; labelled in the right margin, where
 * it cannot cover data) or a vertical one at x = value (axis "x", e.g. the
 * step where dropout is switched back on; labelled at the top).
 */
export interface ReferenceRule {
  readonly axis: "x" | "y";
  readonly value: number;
  readonly label: string;
  readonly color?: string;
}

/**
 * Several named series over a shared x axis (e.g. noisy cost and clean J per
 * epoch), drawn as lines or, with mark "point", as dots; optional reference
 * rules are drawn over them.
 */
export function linePlot(options: {
  title: string;
  points: readonly LinePoint[];
  xTitle: string;
  yTitle: string;
  logY?: boolean;
  logX?: boolean;
  /** Series drawn as thin, light lines (e.g. the noisy per-step cost). */
  faint?: readonly string[];
  colors?: Readonly<Record<string, string>>;
  yDomain?: readonly [number, number];
  xDomain?: readonly [number, number];
  /** "line" (default) or "point" (one dot per row, e.g. one per trial). */
  mark?: "line" | "point";
  rules?: readonly ReferenceRule[];
  /**
   * Fit the y axis to the points at x >= this value only (earlier points are
   * clipped at the edge), so a gap late in training is not flattened by the
   * first epochs' values (e.g. an accuracy starting at chance). Ignored with yDomain.
   */
  yFocusFrom?: number;
}): VegaLiteSpec {
  const series = [...new Set(options.points.map((p) => p.series))];
  const colors = series.map((s, i) => options.colors?.[s] ?? PALETTE[i % PALETTE.length]!);
  const faint = new Set(options.faint ?? []);
  const xScale = { ...(options.logX ? { type: "log" } : {}), ...(options.xDomain ? { domain: [...options.xDomain] } : {}) };
  const x = { field: "x", type: "quantitative", title: options.xTitle, ...(Object.keys(xScale).length ? { scale: xScale } : {}) };
  const yDomain = options.yDomain ?? (options.yFocusFrom === undefined ? undefined : focusDomain(options.points, options.yFocusFrom, options.logY ?? false));
  const y = {
    field: "y",
    type: "quantitative",
    title: options.yTitle,
    // A log axis is not rounded out to whole decades, which left half its height empty.
    scale: { ...(options.logY ? { type: "log", nice: false, padding: 6 } : { zero: false }), ...(yDomain ? { domain: [...yDomain] } : {}) },
  };
  const color = { field: "series", type: "nominal", title: null, scale: { domain: series, range: colors }, legend: { orient: "top", columns: 2, labelLimit: 320 } };
  const isFaint = `indexof(${JSON.stringify([...faint])}, datum.series) >= 0`;
  const main =
    options.mark === "point"
      ? {
          data: { values: options.points.map((p) => ({ ...p })) },
          mark: { type: "point", filled: true, size: 60, opacity: 0.85, clip: true },
          encoding: { x, y, color },
        }
      : {
          data: { values: options.points.map((p) => ({ ...p })) },
          mark: { type: "line", interpolate: "linear", clip: true },
          encoding: {
            x,
            y,
            color,
            strokeWidth: { condition: { test: isFaint, value: 1 }, value: 2.5 },
            opacity: { condition: { test: isFaint, value: 0.45 }, value: 1 },
          },
        };
  const head = { $schema: SCHEMA, config: CONFIG, title: options.title, width: WIDTH, height: HEIGHT };
  if (!options.rules?.length) return { ...head, ...main };
  return { ...head, layer: [main, ...options.rules.flatMap(ruleLayers)] };
}

/** The y range of the points at x >= from, padded by 5% of its span (on a log axis, in log space). */
function focusDomain(points: readonly LinePoint[], from: number, log: boolean): [number, number] | undefined {
  const ys = points.filter((p) => p.x >= from && Number.isFinite(p.y) && (!log || p.y > 0)).map((p) => (log ? Math.log10(p.y) : p.y));
  if (ys.length === 0) return undefined;
  const lo = Math.min(...ys), hi = Math.max(...ys);
  const pad = 0.05 * (hi - lo || Math.abs(hi) || 1);
  return log ? [10 ** (lo - pad), 10 ** (hi + pad)] : [lo - pad, hi + pad];
}

/**
 * A dashed rule and its label, in the rule's own color (no legend entry). The
 * label is drawn over a white halo (the same text stroked wide in white), so
 * a line passing under it does not make it unreadable.
 */
function ruleLayers(rule: ReferenceRule): VegaLiteSpec[] {
  const color = rule.color ?? "#000000";
  const at = { datum: rule.value, type: "quantitative" };
  const horizontal = rule.axis === "y";
  const one = { values: [{}] };
  const text = horizontal
    ? { type: "text", align: "left", baseline: "middle", dx: 6, fontSize: 12, text: rule.label }
    : { type: "text", align: "left", baseline: "top", dx: 5, dy: 4, fontSize: 12, text: rule.label };
  const encoding = horizontal ? { y: at, x: { value: WIDTH } } : { x: at, y: { value: 0 } };
  return [
    { data: one, mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 1.5, color }, encoding: horizontal ? { y: at } : { x: at } },
    { data: one, mark: { ...text, color: "#ffffff", stroke: "#ffffff", strokeWidth: 4, strokeJoin: "round" }, encoding },
    { data: one, mark: { ...text, color }, encoding },
  ];
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
    config: CONFIG,
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
        legend: { orient: "top", columns: groups.length > 3 ? 2 : 3, labelLimit: 320 },
      },
    },
  };
}

export interface HeatCell {
  readonly x: string;
  readonly y: string;
  readonly value: number;
  /** Text shown in the cell instead of the formatted value. */
  readonly label?: string;
}

/**
 * A labelled heatmap (e.g. dev accuracy over two layers' keepProbs). Each cell
 * shows its label or its value; the text is dark on the light end of the
 * color scale and white on the dark end, so it stays readable.
 */
export function heatmap(options: { title: string; cells: readonly HeatCell[]; xTitle: string; yTitle: string; valueTitle: string; format?: string }): VegaLiteSpec {
  const values = options.cells.map((c) => c.value);
  const middle = values.length ? (Math.min(...values) + Math.max(...values)) / 2 : 0;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: options.title,
    width: 420,
    height: 320,
    data: { values: options.cells.map((c) => ({ ...c })) },
    transform: [{ calculate: `isValid(datum.label) ? datum.label : format(datum.value, ${JSON.stringify(options.format ?? ".3f")})`, as: "text" }],
    encoding: {
      x: { field: "x", type: "ordinal", title: options.xTitle, axis: { labelAngle: 0 } },
      y: { field: "y", type: "ordinal", title: options.yTitle, sort: "descending" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "value", type: "quantitative", title: options.valueTitle, scale: { scheme: "viridis" } } } },
      {
        mark: { type: "text", fontSize: 12, lineBreak: "\n" },
        encoding: {
          text: { field: "text", type: "nominal" },
          color: { condition: { test: `datum.value > ${middle}`, value: "black" }, value: "white" },
        },
      },
    ],
  };
}

/** Colorblind-safe palette (Okabe and Ito). */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
