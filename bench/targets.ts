// The native backend's targets (issue 15), judged from one run's results, and
// the README's paragraph about them, written from the same numbers so that the
// text cannot disagree with the tables. Where a measure has seeds (C), the
// verdict follows its 95% interval: met only when the whole interval clears
// the goal, otherwise the words say it is not measurable.

import type { Interval } from "../src/toolkit.js";
import { num, ok, pct, ratio, series, table, type PeerResult } from "./format.js";
import { QUIET_LOAD } from "./machine.js";
import { intervalText, pairedRatio, summarizeC } from "./report-c.js";
import type { Results, WorkloadReport } from "./report.js";

/** One target: the measured ratio against its goal, with its interval over seeds where the measure has seeds. */
export interface Target {
  readonly target: string;
  readonly ratio: number | null;
  readonly goal: number;
  /** Over the seeds (C); absent where the ratio is one median against another (A, B, the product). */
  readonly interval?: Interval | null;
}

export type Verdict = "met" | "not met" | "not measured" | "not measurable: one seed, no interval" | "no measurable difference from the goal";

/**
 * A median ratio is met when it reaches the goal. A ratio over seeds is met
 * only when its interval lies above the goal and not met only when it lies
 * below; an interval that holds the goal, or a single seed, decides nothing.
 */
export function verdictOf(t: Target): Verdict {
  if (t.ratio === null) return "not measured";
  if (t.interval === undefined) return t.ratio >= t.goal ? "met" : "not met";
  if (t.interval === null || t.interval.low === null || t.interval.high === null) return "not measurable: one seed, no interval";
  if (t.interval.low > t.goal) return "met";
  if (t.interval.high < t.goal) return "not met";
  return "no measurable difference from the goal";
}

/** GFLOPS of one product: median and best of the repetitions. */
export interface Gflops {
  readonly median: number;
  readonly max: number;
}

/** The best GFLOPS a ceiling row reached on `key` (undefined where it did not run). */
export function bestGflops(ceiling: Record<string, PeerResult> | undefined, id: string, key: string): number | undefined {
  const r = ceiling?.[id];
  return r && ok(r) ? (r.gflops as Record<string, Gflops> | undefined)?.[key]?.max : undefined;
}

/** Best GFLOPS of the native backend's NT product over NumPy's with the machine's settings, on `threads` threads (null where either is missing). */
export function productShare(ceiling: Record<string, PeerResult> | undefined, threads: number): number | null {
  const ours = bestGflops(ceiling, threads === 1 ? "ours-native" : "ours-native-2t", "NT"), numpy = bestGflops(ceiling, `numpy-env-${threads}`, "128x784x1024");
  return ours !== undefined && numpy !== undefined ? ours / numpy : null;
}

const median = (w: WorkloadReport | undefined, id: string, key: string) => series(w?.ours[id] ?? w?.peers[id], key)?.median;
const over = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined ? x / y : null);

/** The native backend's targets from this run's numbers; a ratio is null where a side did not run. */
export function nativeTargets(results: Results): Target[] {
  const { A, B, C } = results.workloads;
  const c = pairedRatio(C?.peers["torch-2"], C?.ours["ours-native-2t"]);
  return [
    { target: "A with dropout: native ÷ PyTorch, 2 threads each", ratio: over(median(A, "ours-native-2t", "dropout"), median(A, "torch-2", "dropout")), goal: 1 },
    { target: "A with dropout: native ÷ PyTorch, 1 thread each", ratio: over(median(A, "ours-native", "dropout"), median(A, "torch-1", "dropout")), goal: 1 },
    { target: "A without dropout: native ÷ PyTorch, 2 threads each", ratio: over(median(A, "ours-native-2t", "noDropout"), median(A, "torch-2", "noDropout")), goal: 0.9 },
    { target: "A without dropout: native ÷ PyTorch, 1 thread each", ratio: over(median(A, "ours-native", "noDropout"), median(A, "torch-1", "noDropout")), goal: 0.9 },
    { target: "native product ÷ NumPy/OpenBLAS, same settings, 1 thread", ratio: productShare(results.ceiling, 1), goal: 0.9 },
    { target: "native product ÷ NumPy/OpenBLAS, same settings, 2 threads", ratio: productShare(results.ceiling, 2), goal: 0.9 },
    { target: "B: native (what auto runs) ÷ PyTorch, 1 thread", ratio: over(median(B, "ours-native", "steps"), median(B, "torch-1", "steps")), goal: 3 },
    { target: "B: native ÷ wasm (small networks no slower)", ratio: over(median(B, "ours-native", "steps"), median(B, "ours-wasm", "steps")), goal: 1 },
    { target: "C: PyTorch's seconds per epoch ÷ native's, 2 threads each, paired by seed", ratio: c?.mean ?? null, goal: 1, interval: c },
  ];
}

function measured(t: Target): string {
  if (t.interval === undefined || t.interval === null) return ratio(t.ratio);
  return t.interval.n > 1 ? `${intervalText(t.interval, "x")} over ${t.interval.n} seeds` : intervalText(t.interval, "x");
}

export function tableTargets(results: Results): string {
  const rows = nativeTargets(results).map((t) => [t.target, measured(t), `>= ${num(t.goal)}x`, verdictOf(t)]);
  return table(["target", "measured", "goal", "verdict"], rows);
}

/** "a quiet machine: …" or "a busy machine: …", from the load the run measured. */
export function machineState(results: Results): string {
  const { otherLoad, cores } = results.machine;
  if (otherLoad === undefined) return "the machine's load was not measured";
  const kept = `other processes kept ${otherLoad.toFixed(2)} of the ${cores} cores busy on average`;
  return otherLoad <= QUIET_LOAD ? `a quiet machine: ${kept}` : `a busy machine: ${kept}, which slows the two-thread rows most`;
}

/** How many targets met, and which were not, in words that follow the verdicts. */
function conclusion(targets: readonly Target[]): string {
  const verdicts = targets.map((t) => [t.target, verdictOf(t)] as const);
  if (verdicts.every(([, v]) => v === "met")) return "every target is met";
  const met = verdicts.filter(([, v]) => v === "met").length;
  const others = verdicts.filter(([, v]) => v !== "met").map(([name, v]) => `${name.split(":")[0]} (${v})`);
  return `${met} of ${targets.length} targets are met; the others: ${others.join(", ")}`;
}

/** The OPENBLAS_* settings the native runs recorded in their BLAS note ("OPENBLAS_CORETYPE=Haswell …"), if any. */
function openblasSettings(a: WorkloadReport | undefined): string | undefined {
  const note = a?.ours["ours-native"]?.blas;
  const env = typeof note === "string" ? /environment (OPENBLAS_.*)$/.exec(note)?.[1] : undefined;
  return env?.trim() || undefined;
}

function bulletA(a: WorkloadReport): string[] {
  const n1 = median(a, "ours-native", "dropout"), n2 = median(a, "ours-native-2t", "dropout");
  const t1 = median(a, "torch-1", "dropout"), t2 = median(a, "torch-2", "dropout");
  const share = a.dropoutShare as Record<string, number> | undefined;
  const out: string[] = [];
  if (n1 !== undefined && t1 !== undefined) {
    const two = n2 !== undefined && t2 !== undefined ? `; ${num(n2)} on two, ${ratio(n2 / t2)} PyTorch on two (${num(t2)})` : "";
    const costs = share?.["ours-native"] !== undefined && share["torch-1"] !== undefined ? ` Dropout costs the native backend ${pct(share["ours-native"])} of a step on one thread (PyTorch ${pct(share["torch-1"])}).` : "";
    out.push(`- **A with dropout:** ${num(n1)} examples/s on one BLAS thread, ${ratio(n1 / t1)} PyTorch on one thread (${num(t1)})${two}.${costs}`);
  }
  const w1 = over(median(a, "ours-native", "noDropout"), median(a, "torch-1", "noDropout")), w2 = over(median(a, "ours-native-2t", "noDropout"), median(a, "torch-2", "noDropout"));
  if (w1 !== null) out.push(`- **A without dropout:** ${ratio(w1)} PyTorch on one thread${w2 === null ? "" : ` and ${ratio(w2)} on two`} (goal 0.90x).`);
  return out;
}

function bulletProduct(results: Results): string[] {
  const g = bestGflops(results.ceiling, "ours-native", "NT"), s1 = productShare(results.ceiling, 1), s2 = productShare(results.ceiling, 2);
  if (g === undefined || s1 === null) return [];
  const numpy = bestGflops(results.ceiling, "numpy-1", "128x784x1024"), env = openblasSettings(results.workloads.A);
  const without = numpy === undefined ? "" : ` Without ${env?.split(/\s+/).join(" and ") ?? "the machine's OPENBLAS_* settings"}, which this machine sets and the native backend leaves in place as PyTorch does, NumPy reaches ${num(numpy)} on one thread.`;
  return [`- **Product:** ${num(g)} GFLOPS on 128x784x1024 on one thread, ${pct(s1)} of NumPy under the same OPENBLAS_* settings (best against best)${s2 === null ? "" : `, and ${pct(s2)} on two threads`}.${without}`];
}

function bulletB(b: WorkloadReport): string[] {
  const steps = median(b, "ours-native", "steps"), torch = over(steps, median(b, "torch-1", "steps")), wasm = over(steps, median(b, "ours-wasm", "steps"));
  if (steps === undefined || torch === null) return [];
  const small = wasm === null ? "" : `, ${ratio(wasm)} the wasm backend: \`auto\` (native) ${wasm >= 1 ? "does not make small networks slower" : "makes small networks slower than wasm"}`;
  return [`- **B:** ${num(steps)} steps/s, ${ratio(torch)} PyTorch${small}.`];
}

function bulletC(results: Results, target: Target): string[] {
  const c = results.workloads.C;
  const ours = summarizeC(c?.ours["ours-native-2t"]), torch = summarizeC(c?.peers["torch-2"]);
  if (!ours || !torch || !target.interval) return [];
  const n = target.interval.n;
  // with one seed there is no interval to show, and the head of the bullet says so once
  const text = (iv: Interval, unit: string) => (n > 1 ? intervalText(iv, unit) : `${num(iv.mean)}${unit}`);
  const head = n > 1 ? `${n} seeds, means with 95% intervals` : "1 seed, so no intervals";
  const time = ours.timeToTarget && torch.timeToTarget ? ` Time to 88%: ${text(ours.timeToTarget, " s")} against ${text(torch.timeToTarget, " s")}.` : "";
  const peak = results.memory?.peakRssMB;
  const memory = peak === undefined || peak === null ? "" : ` Training peaks at ${Math.round(peak)} MB resident.`;
  return [`- **C** (${head}): ${text(ours.secondsPerEpoch, " s")} per epoch on two threads against PyTorch's ${text(torch.secondsPerEpoch, " s")}; PyTorch's ÷ native's ${text(target.interval, "x")}: ${verdictOf(target)}.${time}${memory}`];
}

/** The README's paragraph on the targets, every number and word from `results`. */
export function targetsParagraph(results: Results): string {
  const targets = nativeTargets(results);
  if (targets.every((t) => t.ratio === null)) return "";
  const { A, B } = results.workloads;
  const bullets = [...(A ? bulletA(A) : []), ...bulletProduct(results), ...(B ? bulletB(B) : []), ...bulletC(results, targets[targets.length - 1]!)];
  return [`Against the native backend's targets (issue 15), in this run (${machineState(results)}), ${conclusion(targets)}:`, "", ...bullets].join("\n");
}
