// The lab report as one self-contained HTML file: inline SVG plots, inline
// CSS, no script and no request to any host, so it opens anywhere offline.
// Each section states its claim in one sentence, shows plots and the measured
// numbers, and gives the exact command that reproduces them.

export interface ReportTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** One sentence: what the section shows. */
  readonly claim: string;
  /** Rendered plots (SVG markup) with optional captions. */
  readonly figures: readonly { readonly svg: string; readonly caption?: string }[];
  readonly numbers: ReportTable;
  /** Measured findings in prose, one sentence each, numbers included. */
  readonly findings: readonly string[];
  /** Commands that reproduce the numbers. */
  readonly commands: readonly string[];
  readonly seconds: number;
}

export interface Report {
  readonly title: string;
  readonly subtitle: string;
  readonly generated: string;
  readonly command: string;
  readonly summary: ReportTable;
  readonly sections: readonly ReportSection[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function tableHtml(t: ReportTable): string {
  const head = t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join("")}</tr>`).join("\n");
  // The box scrolls sideways on its own, so a wide table never widens the page.
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/**
 * A command for a <pre> that wraps: each word kept whole (browsers would
 * otherwise break after the hyphens of a flag), lines broken at spaces only.
 * The plain command stays in data-command, for scripts that read the report.
 */
export function commandHtml(command: string): string {
  const words = command
    .split(" ")
    .map((word) => (word ? `<span class="w">${escapeHtml(word)}</span>` : ""))
    .join(" ");
  return `<span class="cmd" data-command="${escapeHtml(command)}">${words}</span>`;
}

const CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #dde2ea; --accent: #0072B2; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 28px max(24px, calc(50% - 520px)); }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 2px 0; color: var(--muted); }
main { padding: 8px max(24px, calc(50% - 520px)) 48px; }
nav ol { padding-left: 20px; columns: 2; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; margin: 22px 0; }
section h2 { margin: 0 0 6px; font-size: 20px; }
.claim { font-size: 16px; border-left: 4px solid var(--accent); padding: 4px 12px; margin: 10px 0 16px; background: #f1f6fb; }
.figures { display: grid; grid-template-columns: minmax(0, 1fr); gap: 18px; }
figure { margin: 0; min-width: 0; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, thead th:first-child { text-align: left; }
thead th { border-bottom: 2px solid var(--ink); }
ul.findings li { margin: 3px 0; }
pre { background: #1d2330; color: #e8ecf3; padding: 10px 14px; border-radius: 6px; overflow-x: auto; font-size: 13px; white-space: pre-wrap; overflow-wrap: break-word; }
@media (max-width: 600px) {
  header, main { padding-left: 12px; padding-right: 12px; }
  section { padding: 14px 12px; }
  nav ol { columns: 1; }
  th, td { padding: 4px 8px; }
}
pre .w { white-space: nowrap; }
.muted { color: var(--muted); font-size: 13px; }
`;

export function renderReportHtml(report: Report): string {
  const toc = report.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join("");
  const sections = report.sections
    .map(
      (s) => `<section id="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.title)}</h2>
<p class="claim">${escapeHtml(s.claim)}</p>
<div class="figures">${s.figures.map((f) => `<figure>${f.svg}${f.caption ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : ""}</figure>`).join("\n")}</div>
${s.findings.length ? `<ul class="findings">${s.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join("")}</ul>` : ""}
${tableHtml(s.numbers)}
<p class="muted">Reproduce:</p>
<pre>${s.commands.map(commandHtml).join("\n")}</pre>
<p class="muted">Section time: ${s.seconds.toFixed(1)} s</p>
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p>${escapeHtml(report.subtitle)}</p>
<p>Generated ${escapeHtml(report.generated)} by <code>${escapeHtml(report.command)}</code></p>
</header>
<main>
<h2>Summary</h2>
${tableHtml(report.summary)}
<nav><ol>${toc}</ol></nav>
${sections}
</main>
</body>
</html>
`;
}
