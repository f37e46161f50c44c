// How the benchmark's report names a run and writes its numbers: one place for
// the peers' labels (ours say which backend ran on how many threads, taken from
// what the run recorded) and for the number, ratio and table formats that
// every section of bench/report.ts, bench/report-c.ts and bench/targets.ts shares.

import type { Series } from "./harness.js";

/** A child's result as it arrives, plus what the parent measured around it. */
export interface PeerResult {
  readonly skipped?: string;
  readonly notes?: string[];
  /** Cores other processes kept busy meanwhile (average). */
  readonly otherLoad?: number;
  readonly wallSeconds?: number;
  /** Our runs: the threads the backend measured with (bench/engine.ts backendThreads); absent in results from before it was recorded. */
  readonly threads?: number;
  readonly [key: string]: unknown;
}

export type OursKind = "js" | "wasm" | "native";

/**
 * A backend and its thread count (undefined: not recorded), e.g. "wasm
 * backend, 2 threads"; a wasm run on the plain kernel variant (no fused
 * multiply-add) says so, the default relaxed one does not.
 */
export function backendLabel(kind: OursKind, threads: number | undefined, variant?: unknown): string {
  const count = threads === undefined ? "thread count not recorded" : `${threads} thread${threads === 1 ? "" : "s"}`;
  if (kind === "native") return `native backend, BLAS on ${count}`;
  return `${kind} backend, ${kind === "wasm" && variant === "plain" ? "plain kernels, " : ""}${count}`;
}

/** What one of our runs ran on, as a peer's label. */
export const oursLabel = (kind: OursKind, threads: number | undefined, variant?: unknown) => `dropout-lab (${backendLabel(kind, threads, variant)})`;

/** Peer ids in table order, with their labels (ours: the thread count each id asks its backend for). */
export const PEER_LABELS: Record<string, string> = {
  "ours-native": oursLabel("native", 1),
  "ours-native-2t": oursLabel("native", 2),
  "ours-wasm": oursLabel("wasm", 1),
  "ours-wasm-plain": oursLabel("wasm", 1, "plain"),
  "ours-wasm-2t": oursLabel("wasm", 2),
  "ours-js": oursLabel("js", 1),
  "tfjs-cpu-fit": "tfjs cpu, model.fit",
  "tfjs-cpu-expert": "tfjs cpu, hand-written backward",
  "tfjs-wasm-fit": "tfjs wasm, model.fit",
  "tfjs-wasm-expert": "tfjs wasm, hand-written backward",
  "tfjs-wasm-flags": "tfjs wasm, hand-written, transpose flags",
  convnetjs: "convnetjs",
  "torch-1": "PyTorch, 1 thread",
  "torch-2": "PyTorch, 2 threads",
};

export const isOurs = (id: string) => id.startsWith("ours-");
export const ok = (r: PeerResult | undefined): boolean => r !== undefined && r.skipped === undefined;
export const series = (r: PeerResult | undefined, key: string): Series | undefined => (r && ok(r) ? (r[key] as Series | undefined) : undefined);

/** Threads a peer id asks for: 2 for PyTorch's and our two-thread runs, else 1. */
export const threadsOf = (id: string): number => (id.endsWith("-2t") || id === "torch-2" ? 2 : 1);

/** The backend an ours-* id names. */
function kindOf(id: string): OursKind {
  return id.startsWith("ours-native") ? "native" : id.startsWith("ours-wasm") ? "wasm" : "js";
}

/**
 * A row's label: for our runs the backend and the thread count the result
 * recorded, so a label cannot disagree with what was measured; results from
 * before threads were recorded keep the label of their id (each child built
 * its backend with that id's count).
 */
export function labelOf(id: string, r?: PeerResult): string {
  if (isOurs(id) && typeof r?.threads === "number") return oursLabel(kindOf(id), r.threads, r.variant);
  return PEER_LABELS[id] ?? id;
}

export function num(n: number): string {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const ratio = (r: number | null | undefined) => (r === null || r === undefined ? "–" : `${num(r)}x`);
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** Cores other processes kept busy while this peer ran. */
export const load = (r: PeerResult) => (r.otherLoad === undefined ? "–" : r.otherLoad.toFixed(1));

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The fastest of our backends on `threads` threads by `score` (higher is better); ratios compare like with like. */
export function pickReference(results: Record<string, PeerResult>, score: (r: PeerResult) => number | undefined, threads = 1): string | null {
  let best: string | null = null, bestScore = -Infinity;
  for (const [id, r] of Object.entries(results)) {
    const s = isOurs(id) && threadsOf(id) === threads && ok(r) ? score(r) : undefined;
    if (s !== undefined && s > bestScore) [best, bestScore] = [id, s];
  }
  return best;
}

/** The reference a peer's ratio divides by: our run on as many threads as the peer's, else our one-thread reference. */
export function referenceOf(id: string, reference: string | null, reference2t: string | null): string | null {
  return threadsOf(id) === 2 && reference2t !== null ? reference2t : reference;
}

/** Results split into ours and the peers'. */
export function splitOurs(results: Record<string, PeerResult>): { ours: Record<string, PeerResult>; peers: Record<string, PeerResult> } {
  const ours: Record<string, PeerResult> = {}, peers: Record<string, PeerResult> = {};
  for (const [id, r] of Object.entries(results)) (isOurs(id) ? ours : peers)[id] = r;
  return { ours, peers };
}
