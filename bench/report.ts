// Turns the peers' raw results into what `npm run bench` shows and keeps: the
// ratios (above 1: dropout-lab is faster), markdown tables for stdout and the
// README's Benchmark section, and the shape of bench/results.json.

import type { MachineInfo } from "./machine.js";
import type { Series } from "./harness.js";
import { describeWorkloads, WORKLOAD_C } from "./workloads.js";

/** Peer ids in table order, with their labels. */
export const PEER_LABELS: Record<string, string> = {
  "ours-native": "dropout-lab (native backend, BLAS on 1 thread)",
  "ours-native-2t": "dropout-lab (native backend, BLAS on 2 threads)",
  "ours-wasm": "dropout-lab (wasm backend)",
  "ours-wasm-2t": "dropout-lab (wasm backend, 2 threads)",
  "ours-js": "dropout-lab (js backend)",
  "tfjs-cpu-fit": "tfjs cpu, model.fit",
  "tfjs-cpu-expert": "tfjs cpu, hand-written backward",
  "tfjs-wasm-fit": "tfjs wasm, model.fit",
  "tfjs-wasm-expert": "tfjs wasm, hand-written backward",
  "tfjs-wasm-flags": "tfjs wasm, hand-written, transpose flags",
  convnetjs: "convnetjs",
  "torch-1": "PyTorch, 1 thread",
  "torch-2": "PyTorch, 2 threads",
};

/** A child's result as it arrives, plus what the parent measured around it. */
export interface PeerResult {
  readonly skipped?: string;
  readonly notes?: string[];
  /** Cores other processes kept busy meanwhile (average). */
  readonly otherLoad?: number;
  readonly wallSeconds?: number;
  readonly [key: string]: unknown;
}

export interface WorkloadReport {
  readonly description: string;
  /** The ours-* id the ratios of one-thread peers divide by (the fastest of our one-thread backends that ran). */
  readonly reference: string | null;
  /** The ours-* id the ratios of two-thread peers (PyTorch, 2 threads) divide by, when it ran: like with like. */
  readonly reference2t?: string | null;
  readonly ours: Record<string, PeerResult>;
  readonly peers: Record<string, PeerResult>;
  /** reference / peer for throughput, peer / reference for time-to-accuracy: above 1 means dropout-lab is faster. */
  readonly ratios: Record<string, number | null>;
  readonly [key: string]: unknown;
}

import type { EngineResult } from "./engine.js";

export interface Results {
  readonly date: string;
  readonly machine: MachineInfo & { readonly otherLoad?: number; readonly loadAverage: readonly number[] };
  readonly mode: "full" | "quick";
  readonly wallSeconds: number;
  readonly workloads: Partial<Record<"A" | "B" | "C", WorkloadReport>>;
  readonly ceiling?: Record<string, PeerResult>;
  /** The engine's own benchmark (784-256-256-10, with and without dropout) per backend. */
  readonly engine?: { readonly network: string; readonly backends: Record<string, EngineResult> };
  readonly memory?: { readonly peakRssMB: number | null; readonly limitMB: number; readonly withinLimit: boolean | null };
}

const isOurs = (id: string) => id.startsWith("ours-");
const ok = (r: PeerResult | undefined): boolean => r !== undefined && r.skipped === undefined;
const series = (r: PeerResult | undefined, key: string): Series | undefined => (r && ok(r) ? (r[key] as Series | undefined) : undefined);

/** Threads a peer runs on: 2 for PyTorch's and our two-thread runs, else 1. */
const threadsOf = (id: string): number => (id.endsWith("-2t") || id === "torch-2" ? 2 : 1);

/** The fastest of our backends on `threads` threads by `score` (higher is better); ratios compare like with like. */
function pickReference(results: Record<string, PeerResult>, score: (r: PeerResult) => number | undefined, threads = 1): string | null {
  let best: string | null = null, bestScore = -Infinity;
  for (const [id, r] of Object.entries(results)) {
    const s = isOurs(id) && threadsOf(id) === threads && ok(r) ? score(r) : undefined;
    if (s !== undefined && s > bestScore) [best, bestScore] = [id, s];
  }
  return best;
}

function split(results: Record<string, PeerResult>) {
  const ours: Record<string, PeerResult> = {}, peers: Record<string, PeerResult> = {};
  for (const [id, r] of Object.entries(results)) (isOurs(id) ? ours : peers)[id] = r;
  return { ours, peers };
}

/** The reference a peer's ratio divides by: our run on as many threads as the peer's, else our one-thread reference. */
function referenceOf(id: string, reference: string | null, reference2t: string | null): string | null {
  return threadsOf(id) === 2 && reference2t !== null ? reference2t : reference;
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
    ...split(results),
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
  return { description: describeWorkloads().B, reference, reference2t, ...split(results), ratios: throughputRatios(results, reference, reference2t, "steps") };
}

export function reportC(results: Record<string, PeerResult>): WorkloadReport {
  const seconds = (r: PeerResult | undefined) => (r && ok(r) && typeof r.seconds === "number" ? r.seconds : undefined);
  const score = (r: PeerResult) => {
    const s = seconds(r);
    return s === undefined ? undefined : -s;
  };
  const reference = pickReference(results, score);
  const reference2t = pickReference(results, score, 2);
  const ratios = Object.fromEntries(
    Object.keys(results)
      .filter((id) => !isOurs(id))
      .map((id) => {
        const ref = referenceOf(id, reference, reference2t);
        const r = ref ? seconds(results[ref]) : undefined;
        const s = seconds(results[id]);
        return [id, r !== undefined && s !== undefined ? s / r : null];
      }),
  );
  return { description: describeWorkloads().C, reference, reference2t, ...split(results), ratios };
}

// ---------------------------------------------------------------- formatting

export function num(n: number): string {
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : 2;
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const ratio = (r: number | null | undefined) => (r === null || r === undefined ? "–" : `${num(r)}x`);
const range = (s: Series) => `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const label = (id: string) => PEER_LABELS[id] ?? id;
/** Cores other processes kept busy while this peer ran. */
const load = (r: PeerResult) => (r.otherLoad === undefined ? "–" : r.otherLoad.toFixed(1));

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

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
    if (!d || !n) return [label(id), `skipped: ${r.skipped ?? "no result"}`, "", "", "", "", ""];
    return [label(id), range(d), range(n), pct(r.dropoutShare as number), ratio(rowRatio(report, id, "dropout")), ratio(rowRatio(report, id, "noDropout")), load(r)];
  });
  return table(["peer", "examples/s, keepProbs 1/0.5/0.5", "examples/s, no dropout", "dropout share", "ours ÷ peer (dropout)", "ours ÷ peer (no dropout)", "others' load"], rows);
}

function tableB(report: WorkloadReport): string {
  const rows = rowsOf(report).map(([id, r]) => {
    const s = series(r, "steps");
    if (!s) return [label(id), `skipped: ${r.skipped ?? "no result"}`, "", ""];
    return [label(id), range(s), ratio(rowRatio(report, id, "steps")), load(r)];
  });
  return table(["peer", "steps/s", "ours ÷ peer", "others' load"], rows);
}

function tableC(report: WorkloadReport): string {
  const target = `${(100 * WORKLOAD_C.targetAccuracy).toFixed(0)}%`;
  const rows = rowsOf(report).map(([id, r]) => {
    if (!ok(r)) return [label(id), `skipped: ${r.skipped ?? "no result"}`, "", "", "", ""];
    const epochs = (r.epochs as { epoch: number; seconds: number; testAccuracy: number }[]) ?? [];
    const last = epochs[epochs.length - 1];
    const time = typeof r.seconds === "number" ? `${num(r.seconds)} s` : `not reached in ${epochs.length} epoch${epochs.length === 1 ? "" : "s"} (${last ? num(last.seconds) : "?"} s)`;
    const perEpoch = last ? `${num(last.seconds / epochs.length)} s` : "–";
    const ratioCell = isOurs(id) ? (id === report.reference ? "1.00x" : "–") : ratio(report.ratios[id]);
    return [label(id), time, last ? `${(100 * last.testAccuracy).toFixed(2)}% after ${last.epoch}` : "–", perEpoch, ratioCell, load(r)];
  });
  return table(["peer", `training time to ${target} test accuracy`, "test accuracy, epoch", "s per epoch", "peer ÷ ours (time)", "others' load"], rows);
}

/** GFLOPS of one product: median and best of the repetitions. */
interface Gflops {
  readonly median: number;
  readonly max: number;
}

const gf = (g: Gflops | undefined) => (g ? `${num(g.median)} (${num(g.max)})` : "–");

function tableCeiling(ceiling: Record<string, PeerResult>, a: WorkloadReport | undefined): string {
  const rows: string[][] = [];
  for (const [id, r] of Object.entries(ceiling)) {
    if (!ok(r)) {
      rows.push([id, `skipped: ${r.skipped ?? "no result"}`, "", ""]);
      continue;
    }
    const g = r.gflops as Record<string, Gflops>;
    if (id.startsWith("numpy")) {
      const settings = id.startsWith("numpy-env") ? ", the machine's OPENBLAS_* (as PyTorch and native)" : "";
      rows.push([`NumPy/OpenBLAS, ${id.endsWith("1") ? "1 thread" : "2 threads"}${settings}`, gf(g["128x784x1024"]), gf(g["1024x1024x1024"]), "a @ b.T"]);
    }
    else rows.push([label(id), gf(g.NT), "–", `NT; NN ${gf(g.NN)}, TN ${gf(g.TN)}`]);
  }
  for (const id of ["torch-1", "torch-2"]) {
    const blas = (a?.peers[id]?.blas ?? undefined) as { gflops128x784x1024: number; gflops1024: number } | undefined;
    if (blas) rows.push([`${label(id)} (torch.matmul, one timing)`, num(blas.gflops128x784x1024), num(blas.gflops1024), "a @ b.T"]);
  }
  const ceilingRow = ceiling["numpy-1"], oursRow = ceiling["ours-wasm"];
  const numpyOne = ceilingRow && ok(ceilingRow) ? (ceilingRow.gflops as Record<string, Gflops>)["128x784x1024"]?.max : undefined;
  const oursNT = oursRow && ok(oursRow) ? (oursRow.gflops as Record<string, Gflops>).NT?.max : undefined;
  const share = numpyOne && oursNT ? `\n\nOn A's first product the wasm backend reaches ${pct(oursNT / numpyOne)} of NumPy/OpenBLAS on one core (best against best).` : "";
  const nativeShares = [1, 2].flatMap((threads) => {
    const r = productShare(ceiling, threads);
    return r === null ? [] : [`${pct(r)} on ${threads} thread${threads > 1 ? "s" : ""}`];
  });
  const nativeShare = nativeShares.length ? ` The native backend reaches ${nativeShares.join(" and ")} of NumPy/OpenBLAS under the same settings (best against best).` : "";
  return table(["float32 matrix product", "GFLOPS 128x784x1024, median (best)", "GFLOPS 1024³, median (best)", "layout"], rows) + share + nativeShare;
}

/** Best GFLOPS of the native backend's NT product over NumPy's with the machine's settings, on `threads` threads (null where either is missing). */
function productShare(ceiling: Record<string, PeerResult> | undefined, threads: number): number | null {
  const best = (id: string, key: string): number | undefined => {
    const r = ceiling?.[id];
    return r && ok(r) ? (r.gflops as Record<string, Gflops>)[key]?.max : undefined;
  };
  const ours = best(threads === 1 ? "ours-native" : "ours-native-2t", "NT"), numpy = best(`numpy-env-${threads}`, "128x784x1024");
  return ours !== undefined && numpy !== undefined ? ours / numpy : null;
}

/** One target of the native backend (issue 15): the measured ratio against its goal; met when ratio >= goal. */
export interface Target {
  readonly target: string;
  readonly ratio: number | null;
  readonly goal: number;
}

/** The native backend's targets from this run's numbers; a ratio is null where a side did not run. */
export function nativeTargets(results: Results): Target[] {
  const { A, B, C } = results.workloads;
  const median = (w: WorkloadReport | undefined, id: string, key: string) => series(w?.ours[id] ?? w?.peers[id], key)?.median;
  const over = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined ? x / y : null);
  const perEpoch = (id: string): number | undefined => {
    const r = C?.ours[id] ?? C?.peers[id];
    const epochs = r && ok(r) ? (r.epochs as { seconds: number }[] | undefined) : undefined;
    return epochs?.length ? epochs[epochs.length - 1]!.seconds / epochs.length : undefined;
  };
  return [
    { target: "A with dropout: native ÷ PyTorch, 2 threads each", ratio: over(median(A, "ours-native-2t", "dropout"), median(A, "torch-2", "dropout")), goal: 1 },
    { target: "A with dropout: native ÷ PyTorch, 1 thread each", ratio: over(median(A, "ours-native", "dropout"), median(A, "torch-1", "dropout")), goal: 1 },
    { target: "A without dropout: native ÷ PyTorch, 2 threads each", ratio: over(median(A, "ours-native-2t", "noDropout"), median(A, "torch-2", "noDropout")), goal: 0.9 },
    { target: "A without dropout: native ÷ PyTorch, 1 thread each", ratio: over(median(A, "ours-native", "noDropout"), median(A, "torch-1", "noDropout")), goal: 0.9 },
    { target: "native product ÷ NumPy/OpenBLAS, same settings, 1 thread", ratio: productShare(results.ceiling, 1), goal: 0.9 },
    { target: "native product ÷ NumPy/OpenBLAS, same settings, 2 threads", ratio: productShare(results.ceiling, 2), goal: 0.9 },
    { target: "B: native (what auto runs) ÷ PyTorch, 1 thread", ratio: over(median(B, "ours-native", "steps"), median(B, "torch-1", "steps")), goal: 3 },
    { target: "B: native ÷ wasm (small networks no slower)", ratio: over(median(B, "ours-native", "steps"), median(B, "ours-wasm", "steps")), goal: 1 },
    { target: "C: PyTorch's seconds per epoch ÷ native's, 2 threads each", ratio: over(perEpoch("torch-2"), perEpoch("ours-native-2t")), goal: 1 },
  ];
}

function tableTargets(results: Results): string {
  const rows = nativeTargets(results).map((t) => [t.target, ratio(t.ratio), `>= ${num(t.goal)}x`, t.ratio === null ? "not measured" : t.ratio >= t.goal ? "met" : "not met"]);
  return table(["target", "measured", "goal", "verdict"], rows);
}

/** One row per peer: dropout-lab's ratio to it on every workload. */
function tableRatios(results: Results): string {
  const { A, B, C } = results.workloads;
  const ids = Object.keys(PEER_LABELS).filter((id) => [A, B, C].some((w) => w && id in w.ratios));
  const cell = (w: WorkloadReport | undefined, id: string, key = "ratios") => ratio(w ? (w[key] as Record<string, number | null>)[id] : undefined);
  const rows = ids.map((id) => [label(id), cell(A, id), cell(A, id, "ratiosNoDropout"), cell(B, id), cell(C, id)]);
  return table(["dropout-lab ÷ peer", "A with dropout", "A without", "B", "C (time to 88%)"], rows);
}

function dropoutShareLine(a: WorkloadReport): string {
  const shares = Object.entries(a.dropoutShare as Record<string, number>).filter(([id]) => isOurs(id) || id.startsWith("torch"));
  return `Dropout's share of the step time on A (1 − examples/s with dropout ÷ without): ${shares.map(([id, x]) => `${label(id)} ${pct(x)}`).join(", ")}.`;
}

function notesOf(report: WorkloadReport): string[] {
  return rowsOf(report).flatMap(([id, r]) => (r.notes ?? []).map((n) => `${label(id)}: ${n}`));
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
  const reference = A?.reference ?? B?.reference ?? C?.reference;
  const reference2t = A?.reference2t ?? C?.reference2t;
  out.push("", "### Ratios", "", `${reference ? label(reference) : "dropout-lab's fastest backend"} ÷ peer (for PyTorch with 2 threads: ${reference2t ? label(reference2t) : "dropout-lab's fastest two-thread backend"} ÷ peer, where it ran): throughput ratio on A and B, time ratio (peer ÷ ours) on C; above 1 means dropout-lab is faster.`, "", tableRatios(results));
  if (A) out.push("", dropoutShareLine(A));
  if (nativeTargets(results).some((t) => t.ratio !== null)) {
    out.push("", "### The native backend's targets", "", "Each from this run: the native backend against PyTorch on as many threads (A, C), NumPy/OpenBLAS under the same thread count and OPENBLAS_* settings (the product), and PyTorch and the wasm backend on B.", "", tableTargets(results));
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
    const rows = Object.entries(results.engine.backends).map(
      ([name, r]) => `| ${name} | ${Math.round(r.examplesPerSecond.dropout).toLocaleString("en-US")} | ${Math.round(r.examplesPerSecond.noDropout).toLocaleString("en-US")} | ${(100 * r.dropoutShare).toFixed(1)}% |`,
    );
    out.push("", "### The engine alone", "", `${results.engine.network}: training examples per second, and dropout's share of the step time (target under 15%; negative means faster with dropout: the plain kernels skip the zeros it makes).`, "", "| backend | keepProbs 1/0.5/0.5 | no dropout | dropout's share |", "| --- | --- | --- | --- |", ...rows);
  }
  if (results.memory) {
    const mem = results.memory;
    out.push("", `Memory: training on all of Fashion-MNIST (workload C, in its own process) peaked at ${mem.peakRssMB === null ? "?" : `${Math.round(mem.peakRssMB)} MB`} resident (limit ${mem.limitMB} MB: ${mem.withinLimit === null ? "not measured" : mem.withinLimit ? "within" : "EXCEEDED"}).`);
  }
  return out.join("\n");
}

/** bench/README-section.md: the README's Benchmark section, from a full run. */
export function renderReadmeSection(results: Results): string {
  return [
    "## Benchmark",
    "",
    "`npm run bench` trains the same networks the same way (same sizes, initialization family, momentum SGD with the same learning rate, same batch) in dropout-lab (its js backend, its WebAssembly SIMD backend on one thread and, for A and C, on two, and its native backend: the machine's OpenBLAS through the addon, its BLAS on one thread and, for A and C, on two, under the machine's OPENBLAS_* environment as PyTorch runs) and in its peers, one after another in one invocation, each in its own process: TensorFlow.js 4.22 (cpu and wasm backends, both as `model.fit` with `tf.layers.dropout` and as a hand-written forward/backward inside `tf.tidy`), ConvNetJS, and PyTorch on the CPU (Debian's `python3-torch` with OpenBLAS, 1 and 2 threads; skipped with a note when missing). A ratio above 1 means dropout-lab is faster; ratios compare like with like: a one-thread peer against dropout-lab's fastest one-thread backend, PyTorch with 2 threads against dropout-lab's fastest two-thread backend (where one ran). Numbers from a shared 2-core machine are noisy: compare ratios within one run. A full run measures again, at the end of A and of B, every peer during whose run other processes kept more than 0.3 cores busy, and keeps the calmer attempt (both are in `bench/results.json`).",
    "",
    "```sh",
    "npm run bench                   # everything, about 15 minutes on 2 cores; writes bench/results.json",
    "npm run bench -- --quick        # shorter repetitions, no tfjs-cpu in A, C capped at one epoch: under 2 minutes",
    "npm run bench -- --only A,B     # a subset of A, B, C and ceiling",
    "npm run bench -- --peers ours-wasm,torch-1   # a subset of the peers",
    "```",
    "",
    renderMarkdown(results, { notes: false }),
    "",
    "Where the peers cannot match exactly: ConvNetJS trains one example at a time in float64, has no one-unit sigmoid output (B uses a two-class softmax) and does not invert its dropout; tfjs's `heNormal` draws from a truncated normal; in A the peers get their images as floats while dropout-lab scales bytes per batch (in C both dropout-lab and PyTorch scale bytes per batch). dropout-lab's times leave out the clean-J pass its Trainer runs after every epoch (B with it is in `bench/results.json`).",
    "",
    "Reading the numbers: tfjs-wasm sends products with `transposeA`/`transposeB` to a plain kernel about 10x slower than its XNNPACK path, so its fast hand-written version materializes transposes with `tf.transpose` (the flags version is listed too). dropout-lab's js backend skips zero entries in its products, so dropout's zeros make it faster (a negative dropout share). PyTorch with 2 threads on 2 cores collapses whenever another process holds a core (each parallel region waits for the preempted thread): compare with 1 thread and look at the others' load column.",
    "",
  ].join("\n");
}
