// Renders Vega-Lite specs to SVG text with Vega's headless renderer: no DOM,
// no canvas, no network, so the report is one self-contained file.

import * as vega from "vega";
import { compile } from "vega-lite";
import { escapeHtml } from "./html.js";
import type { VegaLiteSpec } from "./plots.js";

/**
 * The spec as SVG markup, named for assistive tech by the spec's title: the
 * root gets role="img" and an aria-label, and a <title> as its first child.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile(spec as unknown as Parameters<typeof compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return nameSvg(await view.toSVG(), typeof spec.title === "string" ? spec.title : "plot");
  } finally {
    view.finalize();
  }
}

function nameSvg(svg: string, name: string): string {
  const text = escapeHtml(name);
  return svg.replace(/^<svg\b([^>]*)>/, `<svg role="img" aria-label="${text}"$1><title>${text}</title>`);
}
