// Turns the peers' raw results into what `npm run bench` shows and keeps: the
// ratios (above 1: dropout-lab is faster), the markdown of every section for
// stdout and the README (bench/readme.ts), and the shape of bench/results.json.
// Workload C over seeds is bench/report-c.ts; the native backend's targets
// bench/targets.ts; the parts of a step bench/step-parts.ts.

import type { EngineResult } from "./engine.js";
import { PEER_LABELS, backendLabel, isOurs, labelOf, load, num, ok, pct, pickReference, ratio, referenceOf, series, splitOurs, table, type OursKind, type PeerResult } from "./format.js";
import type { Series } from "./harness.js";
import type { MachineInfo } from "./machine.js";
import { ratioText, ratiosC, tableC } from "./report-c.js";
import { STEP_PARTS_INTRO, tableStepParts } from "./step-parts.js";
import { bestGflops, nativeTargets, productShare, tableTargets, type Gflops } from "./targets.js";
import { describeWorkloads } from "./workloads.js";

export interface WorkloadReport {
  readonly description: string;
  /** The ours-* id the ratios of one-thread peers divide by (the fastest of our one-thread backends that ran). */
  readonly reference: string | null;
  /** The ours-* id the ratios of two-thread peers (PyTorch, 2 threads) divide by, when it ran: like with like. */
  readonly reference2t?: string | null;
  readonly ours: Record<string, PeerResult>;
  readonly peers: Record<string, PeerResult>;
  /** reference / peer for throughput, peer / reference for time: above 1 means dropout-lab is faster. */
  readonly ratios: Record<string, number | null>;
  readonly [key: string]: unknown;
}

export interface Results {
  readonly date: string;
  readonly machine: MachineInfo & { readonly otherLoad?: number; readonly loadAverage: readonly number[] };
  readonly mode: "full" | "quick";
  readonly wallSeconds: number;
  readonly workloads: Partial<Record<"A" | "B" | "C", WorkloadReport>>;
  readonly ceiling?: Record<string, PeerResult>;
  /**
   * The engine's own benchmark (784-256-256-10, with and without dropout): by
   * peer id, each run in its own process and recording its threads; results
   * from before that was recorded have one entry per backend name, measured in
   * the benchmark's own process with the backend's default thread count.
   */
  readonly engine?: { readonly network: string; readonly backends: Record<string, EngineResult | PeerResult> };
  /** The parts of a step (mask draw and apply, the optimizer's update) per peer id (bench/step-parts.ts). */
  readonly parts?: Record<string, PeerResult>;
  readonly memory?: { readonly peakRssMB: number | null; readonly limitMB: number; readonly withinLimit: boolean | null };
}

function throughputRatios(results: Record<string, PeerResult>, reference: string | null, reference2t: string | null, key: string): Record<string, number | null> {
  return Object.fromEntries(
    Object.keys(results)
      .filter((id) => !isOurs(id))
      .map((id) => {
        const ref = referenceOf(id, reference, reference2t);
        const r = ref ? series(results[ref], key)?.median : undefined;
        const m = series(results[id], key)?.median;
        return [id, r !== undefined && m !== undefined ? r / m : null];
      }),
  );
}

export function reportA(results: Record<string, PeerResult>): WorkloadReport {
  const reference = pickReference(results, (r) => series(r, "dropout")?.median);
  const reference2t = pickReference(results, (r) => series(r, "dropout")?.median, 2);
  return {
    description: describeWorkloads().A,
    reference,
    reference2t,
    ...splitOurs(results),
    ratios: throughputRatios(results, reference, reference2t, "dropout"),
    ratiosNoDropout: throughputRatios(results, reference, reference2t, "noDropout"),
    dropoutShare: Object.fromEntries(
      Object.entries(results)
        .filter(([, r]) => ok(r) && typeof r.dropoutShare === "number")
        .map(([id, r]) => [id, r.dropoutShare as number]),
    ),
  };
}

export function reportB(results: Record<string, PeerResult>): WorkloadReport {
  const reference = pickReference(results, (r) => series(r, "steps")?.median);
  const reference2t = pickReference(results, (r) => series(r, "steps")?.median, 2);
  return { description: describeWorkloads().B, reference, reference2t, ...splitOurs(results), ratios: throughputRatios(results, reference, reference2t, "steps") };
}

// ---------------------------------------------------------------- formatting

const range = (s: Series) => `${num(s.median)} (${num(s.min)}–${num(s.max)})`;

function rowsOf(report: WorkloadReport): [string, PeerResult][] {
  return Object.entries({ ...report.ours, ...report.peers });
}

/** Ratio of the reference to an ours-* row, or the recorded ratio of a peer. */
function rowRatio(report: WorkloadReport, id: string, key: string): number | null {
  if (!isOurs(id)) return (key === "noDropout" ? (report.ratiosNoDropout as Record<string, number | null>) : report.ratios)[id] ?? null;
  const ref = report.reference ? series(report.ours[report.reference], key)?.median : undefined;
  const m = series(report.ours[id], key)?.median;
  return ref !== undefined && m !== undefined ? ref / m : null;
}

function tableA(report: WorkloadReport): string {
  const rows = rowsOf(report).map(([id, r]) => {
    const d = series(r, "dropout"), n = series(r, "noDropout");
    if (!d || !n) return [labelOf(id, r), `skipped: ${r.skipped ?? "no result"}`, "", "", "", "", ""];
    return [labelOf(id, r), range(d), range(n), pct(r.dropoutShare as number), ratio(rowRatio(report, id, "dropout")), ratio(rowRatio(report, id, "noDropout")), load(r)];
  });
  return table(["peer", "examples/s, keepProbs 1/0.5/0.5", "examples/s, no dropout", "dropout share", "ours ÷ peer (dropout)", "ours ÷ peer (no dropout)", "others' load"], rows);
}

function tableB(report: WorkloadReport): string {
  const rows = rowsOf(report).map(([id, r]) => {
    const s = series(r, "steps");
    if (!s) return [labelOf(id, r), `skipped: ${r.skipped ?? "no result"}`, "", ""];
    return [labelOf(id, r), range(s), ratio(rowRatio(report, id, "steps")), load(r)];
  });
  return table(["peer", "steps/s", "ours ÷ peer", "others' load"], rows);
}

const gf = (g: Gflops | undefined) => (g ? `${num(g.median)} (${num(g.max)})` : "–");

/** Sentences under the ceiling table: the wasm kernels against NumPy, relaxed against plain, native against NumPy. */
function ceilingShares(ceiling: Record<string, PeerResult>): string {
  const out: string[] = [];
  const numpyOne = bestGflops(ceiling, "numpy-1", "128x784x1024"), wasm = bestGflops(ceiling, "ours-wasm", "NT");
  if (numpyOne !== undefined && wasm !== undefined) out.push(`On A's first product the wasm backend reaches ${pct(wasm / numpyOne)} of NumPy/OpenBLAS on one core (best against best).`);
  const plain = bestGflops(ceiling, "ours-wasm-plain", "NT");
  if (wasm !== undefined && plain !== undefined && ceiling["ours-wasm"]?.variant === "relaxed") {
    out.push(`Its relaxed kernels (fused multiply-add) reach ${ratio(wasm / plain)} the GFLOPS of its plain ones on that product.`);
  }
  const nativeShares = [1, 2].flatMap((threads) => {
    const r = productShare(ceiling, threads);
    return r === null ? [] : [`${pct(r)} on ${threads} thread${threads > 1 ? "s" : ""}`];
  });
  if (nativeShares.length) out.push(`The native backend reaches ${nativeShares.join(" and ")} of NumPy/OpenBLAS under the same settings (best against best).`);
  return out.join(" ");
}

function tableCeiling(ceiling: Record<string, PeerResult>, a: WorkloadReport | undefined): string {
  const rows: string[][] = [];
  for (const [id, r] of Object.entries(ceiling)) {
    if (!ok(r)) {
      rows.push([labelOf(id, r), `skipped: ${r.skipped ?? "no result"}`, "", ""]);
      continue;
    }
    const g = r.gflops as Record<string, Gflops>;
    if (id.startsWith("numpy")) {
      const settings = id.startsWith("numpy-env") ? ", the machine's OPENBLAS_* (as PyTorch and native)" : "";
      rows.push([`NumPy/OpenBLAS, ${id.endsWith("1") ? "1 thread" : "2 threads"}${settings}`, gf(g["128x784x1024"]), gf(g["1024x1024x1024"]), "a @ b.T"]);
    }
    else rows.push([labelOf(id, r), gf(g.NT), "–", `NT; NN ${gf(g.NN)}, TN ${gf(g.TN)}`]);
  }
  for (const id of ["torch-1", "torch-2"]) {
    const blas = (a?.peers[id]?.blas ?? undefined) as { gflops128x784x1024: number; gflops1024: number } | undefined;
    if (blas) rows.push([`${labelOf(id)} (torch.matmul, one timing)`, num(blas.gflops128x784x1024), num(blas.gflops1024), "a @ b.T"]);
  }
  const shares = ceilingShares(ceiling);
  return table(["float32 matrix product", "GFLOPS 128x784x1024, median (best)", "GFLOPS 1024³, median (best)", "layout"], rows) + (shares ? `\n\n${shares}` : "");
}

/**
 * The engine's rows, each labelled with the backend and the threads its result
 * recorded; a result from before threads were recorded says so rather than
 * guess (the benchmark's process then gave wasm its default thread count).
 */
export function tableEngine(engine: NonNullable<Results["engine"]>): string {
  const rows = Object.entries(engine.backends).map(([key, r]) => {
    const e = r as Partial<EngineResult> & PeerResult;
    if (e.skipped !== undefined || !e.examplesPerSecond || e.dropoutShare === undefined) return [labelOf(key), `skipped: ${e.skipped ?? "no result"}`, "", ""];
    const kind = KINDS.find((k) => k === e.backend);
    const label = kind ? backendLabel(kind, e.threads, e.variant) : `${e.backend ?? key} backend`;
    return [label, Math.round(e.examplesPerSecond.dropout).toLocaleString("en-US"), Math.round(e.examplesPerSecond.noDropout).toLocaleString("en-US"), pct(e.dropoutShare)];
  });
  return table(["backend", "keepProbs 1/0.5/0.5", "no dropout", "dropout's share"], rows);
}

const KINDS: readonly OursKind[] = ["js", "wasm", "native"];

/** One row per peer: dropout-lab's ratio to it on every workload (C: seconds per epoch, paired by seed, with its interval). */
function tableRatios(results: Results): string {
  const { A, B, C } = results.workloads;
  const c = C ? ratiosC({ ...C.ours, ...C.peers }).intervals : {};
  const ids = Object.keys(PEER_LABELS).filter((id) => [A, B, C].some((w) => w && id in w.ratios));
  const cell = (w: WorkloadReport | undefined, id: string, key = "ratios") => ratio(w ? (w[key] as Record<string, number | null>)[id] : undefined);
  const rows = ids.map((id) => [labelOf(id), cell(A, id), cell(A, id, "ratiosNoDropout"), cell(B, id), ratioText(c[id])]);
  return table(["dropout-lab ÷ peer", "A with dropout", "A without", "B", "C (s per epoch, 95% interval)"], rows);
}

function dropoutShareLine(a: WorkloadReport): string {
  const shares = Object.entries(a.dropoutShare as Record<string, number>).filter(([id]) => isOurs(id) || id.startsWith("torch"));
  return `Dropout's share of the step time on A (1 − examples/s with dropout ÷ without): ${shares.map(([id, x]) => `${labelOf(id, a.ours[id])} ${pct(x)}`).join(", ")}.`;
}

function notesOf(report: WorkloadReport): string[] {
  return rowsOf(report).flatMap(([id, r]) => (r.notes ?? []).map((n) => `${labelOf(id, r)}: ${n}`));
}

export function loadLine(results: Results): string {
  const load = results.machine.otherLoad;
  const avg = results.machine.loadAverage.map((x) => x.toFixed(2)).join(" / ");
  return `${load === undefined ? "" : `other processes kept ${load.toFixed(2)} of ${results.machine.cores} cores busy on average during the run; `}load average at the end ${avg}`;
}

/** The whole report as markdown: the tables, ratios and notes. */
export function renderMarkdown(results: Results, options: { notes: boolean }): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(`Measured ${results.date.slice(0, 10)} on ${m.cpu} x${m.cores}, ${m.memoryGB} GB, ${m.os}, Node ${m.node} (${results.mode} run, ${Math.round(results.wallSeconds)} s). Medians of the repetitions, min–max in parentheses; ${loadLine(results)}; the column "others' load" gives the cores other processes kept busy while that peer ran.`);
  const { A, B, C } = results.workloads;
  const first = A ?? B ?? C;
  const reference = first?.reference, reference2t = (A ?? C)?.reference2t;
  const refLabel = (id: string | null | undefined, fallback: string) => (id ? labelOf(id, first?.ours[id]) : fallback);
  out.push("", "### Ratios", "", `${refLabel(reference, "dropout-lab's fastest backend")} ÷ peer (for PyTorch with 2 threads: ${refLabel(reference2t, "dropout-lab's fastest two-thread backend")} ÷ peer, where it ran): throughput ratio on A and B, ratio of seconds per epoch (peer ÷ ours, paired by seed) on C; above 1 means dropout-lab is faster.`, "", tableRatios(results));
  if (A) out.push("", dropoutShareLine(A));
  if (nativeTargets(results).some((t) => t.ratio !== null)) {
    out.push("", "### The native backend's targets", "", "Each from this run: the native backend against PyTorch on as many threads (A, C), NumPy/OpenBLAS under the same thread count and OPENBLAS_* settings (the product), and PyTorch and the wasm backend on B. A ratio of medians meets its goal when it reaches it; C's ratio over seeds only when its 95% interval lies above the goal.", "", tableTargets(results));
  }
  const section = (title: string, report: WorkloadReport, body: string) => {
    out.push("", `### ${title}`, "", report.description + ".", "", body);
    if (options.notes) {
      const notes = notesOf(report);
      if (notes.length) out.push("", ...notes.map((n) => `- ${n}`));
    }
  };
  if (A) section("A: 784-1024-1024-10, batch 128", A, tableA(A));
  if (B) section("B: 2-8-8-1 tanh, full batch of 256", B, tableB(B));
  if (C) section("C: Fashion-MNIST to 88%", C, tableC(C));
  if (results.ceiling) {
    out.push("", "### Matrix-product ceiling", "", "float32 GFLOPS = 2·m·n·k / seconds; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from NumPy's environment.", "", tableCeiling(results.ceiling, A));
  }
  if (results.engine) {
    out.push("", "### The engine alone", "", `${results.engine.network}: training examples per second, and dropout's share of the step time (target under 15%; negative means faster with dropout: the plain kernels skip the zeros it makes).`, "", tableEngine(results.engine));
  }
  if (results.parts) out.push("", "### The parts of a step", "", STEP_PARTS_INTRO, "", tableStepParts(results.parts, A));
  if (results.memory) {
    const mem = results.memory;
    out.push("", `Memory: training on all of Fashion-MNIST (workload C, each run in its own process) peaked at ${mem.peakRssMB === null ? "?" : `${Math.round(mem.peakRssMB)} MB`} resident (limit ${mem.limitMB} MB: ${mem.withinLimit === null ? "not measured" : mem.withinLimit ? "within" : "EXCEEDED"}).`);
  }
  return out.join("\n");
}
