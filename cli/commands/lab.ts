// `dropout-lab lab` (what `npm start` runs): every experiment section on data
// that installs with the package, a summary table on stdout, and one
// self-contained HTML report with Vega-Lite plots rendered to inline SVG.

import { Command } from "commander";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { BACKEND_NAMES, InputError } from "../../src/index.js";
import { renderReportHtml, type ReportSection } from "../../src/toolkit.js";
import { checkOutputPaths, renderSvg, writeFileAtomic } from "../../src/node/index.js";
import { LAB_SECTIONS } from "../lab/sections.js";
import type { LabContext } from "../lab/section.js";
import { printJson, table } from "../run.js";
import { autoHelp, backendChoiceFromFlag, backendNameFromFlag } from "../backend-flag.js";
import { createLabRunner } from "../lab/runner.js";
import { workersFlag } from "../parse.js";

interface LabFlags {
  quick?: boolean;
  out?: string;
  seed?: string;
  workers?: string;
  only?: string;
  json?: boolean;
  backend?: string;
}

export function labCommand(): Command {
  return new Command("lab")
    .description("run every dropout experiment on bundled data, print a summary and write an HTML report")
    .option("--quick", "small runs to try the lab out (10-55 s measured on 2 cores, idle to busy)")
    .option("--out <dir>", "report directory (default lab-report)")
    .option("--seed <n>", "seed of every run (default 1)")
    .option("--workers <n>", "worker threads for independent runs, 0 to the number of cores (default: the number of cores)")
    .option("--only <ids>", `comma-separated sections to run: ${LAB_SECTIONS.map((s) => s.id).join(", ")}`)
    .option("--json", "print one JSON object on stdout")
    .option("--backend <name>", `kernels: ${BACKEND_NAMES.join(", ")} (default auto: native where the machine's BLAS loads, else wasm)`)
    .addHelpText("after", "\nExamples:\n  $ dropout-lab lab\n  $ dropout-lab lab --quick --out /tmp/report")
    .addHelpText("after", autoHelp)
    .action(async (flags: LabFlags) => {
      await lab(flags);
    });
}

async function lab(flags: LabFlags): Promise<void> {
  const started = performance.now();
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError(`--seed must be a non-negative integer, got ${JSON.stringify(flags.seed)}`);
  const workers = flags.workers === undefined ? availableParallelism() : workersFlag(flags.workers, 0);
  const ids = flags.only?.split(",").map((s) => s.trim());
  for (const id of ids ?? []) {
    if (!LAB_SECTIONS.some((s) => s.id === id)) throw new InputError(`--only: unknown section ${JSON.stringify(id)}; the sections are ${LAB_SECTIONS.map((s) => s.id).join(", ")}`);
  }
  checkOutputPaths([{ flag: "--out", path: flags.out ?? "lab-report", kind: "dir", files: ["index.html"] }]);
  const outDir = resolve(flags.out ?? "lab-report");
  const sections = LAB_SECTIONS.filter((s) => !ids || ids.includes(s.id));
  const tty = process.stderr.isTTY;
  const backend = backendNameFromFlag(flags.backend);
  // which kernels run and why, said once (parallel runs select the same name in their worker threads, on one thread each)
  const backendReason = `${backendChoiceFromFlag(flags.backend).reason}${workers > 0 ? "; runs in worker threads use one thread each" : ""}`;
  const ctx: LabContext = {
    quick: Boolean(flags.quick),
    seed,
    workers,
    backend,
    log: (m) => tty && process.stderr.write(`${m}\n`),
    run: createLabRunner(workers, backend),
    studyDir: join(outDir, flags.quick ? "study-runs-quick" : "study-runs"),
  };
  const rendered: ReportSection[] = [];
  const summary: [string, string][] = [];
  const json: Record<string, unknown> = {};
  for (const [i, section] of sections.entries()) {
    ctx.log(`[${i + 1}/${sections.length}] ${section.title}`);
    const t0 = performance.now();
    const result = await section.run(ctx);
    const figures = await Promise.all(result.plots.map(async (p) => ({ svg: await renderSvg(p.spec), ...(p.caption ? { caption: p.caption } : {}) })));
    const seconds = (performance.now() - t0) / 1000;
    rendered.push({ id: section.id, title: section.title, claim: result.claim, figures, numbers: result.numbers, findings: result.findings, commands: result.commands, seconds });
    summary.push(...result.summary.map(([k, v]) => [k, v] as [string, string]));
    json[section.id] = { claim: result.claim, seconds, results: result.json };
  }
  const command = `dropout-lab lab${flags.quick ? " --quick" : ""}${seed !== 1 ? ` --seed ${seed}` : ""}`;
  const html = renderReportHtml({
    title: "dropout-lab report",
    subtitle: flags.quick ? "Quick run: small networks and few epochs; run `dropout-lab lab` for the full experiments." : "What dropout does, measured.",
    generated: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command,
    summary: { header: ["measurement", "value"], rows: summary },
    sections: rendered,
  });
  const reportPath = join(outDir, "index.html");
  writeFileAtomic(reportPath, html);
  const seconds = (performance.now() - started) / 1000;
  if (flags.json) {
    printJson({ report: reportPath, seconds, quick: ctx.quick, seed, backend: backendReason, sections: json });
    return;
  }
  process.stdout.write(`backend: ${backendReason}\n`);
  process.stdout.write(table(["measurement", "value"], summary) + "\n");
  process.stdout.write(`report: ${reportPath} (${seconds.toFixed(1)} s)\n`);
}
