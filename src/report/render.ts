// Renders Vega-Lite specs to SVG text with Vega's headless renderer: no DOM,
// no canvas, no network, so the report is one self-contained file.

import * as vega from "vega";
import { compile } from "vega-lite";
import type { VegaLiteSpec } from "./plots.js";

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile(spec as unknown as Parameters<typeof compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
