// `npm run bench`: dropout-lab (js, wasm and native backends) side by side
// with its peers (tfjs cpu and wasm, ConvNetJS, PyTorch, and NumPy's matrix
// product as the machine's ceiling) on
// three workloads, one peer after another, each in its own child process
// (C once per seed), plus the engine's own check and the parts of a step.
// Prints the tables and ratios; a complete full run writes bench/results.json,
// bench/README-section.md and the README's Benchmark section (bench/readme.ts),
// any other run bench/last-run.json. Timing lives here and never in a test.
//
//   npm run bench [-- --quick] [--only engine,parts,A,B,C,ceiling] [--peers ours-wasm,torch-1,...]

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeJsonAtomic } from "../src/node/index.js";
import { isOurs, labelOf, ok, type PeerResult } from "./format.js";
import { RESULT_MARKER } from "./harness.js";
import { QUIET_LOAD, cpuSnapshot, describeMachine, otherLoad } from "./machine.js";
import { writeReadme } from "./readme.js";
import { combineSeeds, memoryPeakC, reportC, summarizeC } from "./report-c.js";
import { renderMarkdown, reportA, reportB, type Results } from "./report.js";
import { SECTIONS, WORKLOAD_A, WORKLOAD_B, WORKLOAD_C, writeWorkloadData, type Section, type Task, type Timing } from "./workloads.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MEMORY_LIMIT_MB = 600;
const THROUGHPUT_PEERS = ["ours-native", "ours-native-2t", "ours-wasm", "ours-wasm-2t", "ours-js", "tfjs-cpu-fit", "tfjs-cpu-expert", "tfjs-wasm-fit", "tfjs-wasm-expert", "tfjs-wasm-flags", "convnetjs", "torch-1", "torch-2"];
/** Our runs of the engine's own check: every backend, the wasm and native ones on 1 and 2 threads. */
const ENGINE_PEERS = ["ours-js", "ours-wasm", "ours-wasm-2t", "ours-native", "ours-native-2t"];
/** Our runs of the parts of a step, on one thread each (the native backend draws and applies masks in wasm, updates in C). */
const PARTS_PEERS = ["ours-js", "ours-wasm", "ours-native"];
/** The ceiling's runs of ours: besides the throughput peers, the wasm backend's plain kernels. */
const CEILING_PEERS = ["ours-native", "ours-native-2t", "ours-wasm", "ours-wasm-plain", "ours-wasm-2t", "ours-js"];
const ALLOWED_PEERS = [...THROUGHPUT_PEERS, "ours-wasm-plain"];

/** The medians of a result's series, for a note. */
function medians(r: PeerResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(r)) {
    const m = (value as { median?: unknown } | null)?.median;
    if (typeof m === "number") out[key] = Math.round(m);
  }
  return out;
}

/** Left out of B: threads share large products, and B's are tiny. */
const LARGE_ONLY = ["ours-wasm-2t", "ours-native-2t"];
/** Left out of A by --quick: about 50 examples/s, half a minute each. */
const SLOW_IN_A = ["tfjs-cpu-fit", "tfjs-cpu-expert"];

interface Options {
  readonly quick: boolean;
  readonly only: ReadonlySet<Section>;
  readonly peers: ReadonlySet<string> | undefined;
}

const USAGE = `usage: npm run bench [-- --quick] [--only ${SECTIONS.join(",")}] [--peers ${ALLOWED_PEERS.join(",")}]`;

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false, only: Set<Section> = new Set(SECTIONS), peers: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split(/=(.*)/s) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--quick") quick = true;
    else if (flag === "--only") {
      const list = value().split(",").map((s) => s.trim()).filter(Boolean);
      for (const s of list) if (!(SECTIONS as readonly string[]).includes(s)) usage(`--only: unknown workload ${JSON.stringify(s)}; allowed: ${SECTIONS.join(", ")}`);
      only = new Set(list as Section[]);
    } else if (flag === "--peers") {
      const list = value().split(",").map((s) => s.trim()).filter(Boolean);
      for (const p of list) if (!ALLOWED_PEERS.includes(p)) usage(`--peers: unknown peer ${JSON.stringify(p)}; allowed: ${ALLOWED_PEERS.join(", ")}`);
      peers = new Set(list);
    } else if (flag === "--help" || flag === "-h") {
      process.stdout.write(`Side-by-side benchmark of dropout-lab and its peers; writes bench/results.json.\n${USAGE}\n`);
      process.exit(0);
    }
    else usage(`unknown flag ${JSON.stringify(arg)}`);
  }
  return { quick, only, peers };
}

/** Debian's python3 (where python3-torch and its numpy live) when present, else the one on PATH. */
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

interface Child {
  readonly command: string;
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutSeconds: number;
}

/** Runs one child, relays its stderr indented, and returns its result line plus the load around it. */
function runChild(child: Child): Promise<PeerResult> {
  return new Promise((resolve) => {
    const before = cpuSnapshot();
    const start = performance.now();
    const proc = spawn(child.command, child.args, { cwd: root, env: child.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, child.timeoutSeconds * 1000);
    proc.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\n")) if (line.trim()) process.stderr.write(`      ${line}\n`);
    });
    const finish = (result: PeerResult) => {
      clearTimeout(timer);
      const load = otherLoad(before, cpuSnapshot());
      resolve({ ...result, wallSeconds: (performance.now() - start) / 1000, ...(load === undefined ? {} : { otherLoad: load }) });
    };
    proc.on("error", (e) => finish({ skipped: `could not start ${child.command}: ${e.message}` }));
    proc.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
      if (line) finish(JSON.parse(line.slice(RESULT_MARKER.length)) as PeerResult);
      else finish({ skipped: timedOut ? `timed out after ${child.timeoutSeconds} s` : `exited with code ${code} without a result` });
    });
  });
}

function nodeChild(task: Task, timeoutSeconds: number): Child {
  return { command: process.execPath, args: ["--import", "tsx", join(root, "bench", "worker.ts"), JSON.stringify(task)], timeoutSeconds };
}

function torchChild(task: Task, timeoutSeconds: number): Child {
  const threads = String(task.threads ?? 1);
  const payload = { ...task, workloads: { A: WORKLOAD_A, B: WORKLOAD_B, C: WORKLOAD_C } };
  return {
    command: PYTHON,
    args: [join(root, "bench", "peers", "torch_peer.py"), JSON.stringify(payload)],
    env: { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads },
    timeoutSeconds,
  };
}

/**
 * NumPy's child: the thread count set, and unless `machineSettings`,
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (they can slow OpenBLAS
 * down); with `machineSettings` the environment stays the machine's, the
 * kernel settings PyTorch and the native backend run under.
 */
function numpyChild(threads: number, timing: Timing, machineSettings: boolean): Child {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  if (!machineSettings) {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  return { command: PYTHON, args: [join(root, "bench", "peers", "numpy_ceiling.py"), JSON.stringify(timing)], env, timeoutSeconds: 120 };
}

function peerChild(peer: string, task: Omit<Task, "peer">, timeoutSeconds: number): Child {
  const threads = /^torch-(\d+)$/.exec(peer);
  if (threads) return torchChild({ ...task, peer: "torch", threads: Number(threads[1]) }, timeoutSeconds);
  return nodeChild({ ...task, peer }, timeoutSeconds);
}

function summary(section: string, peer: string, r: PeerResult): string {
  const head = `  [${section}] ${labelOf(peer, r).padEnd(40)}`;
  const tail = ` (${Math.round(r.wallSeconds ?? 0)} s${r.otherLoad === undefined ? "" : `, others ${r.otherLoad.toFixed(1)} cores`})`;
  if (r.skipped !== undefined) return `${head} skipped: ${r.skipped}${tail}`;
  const median = (key: string) => (r[key] as { median: number } | undefined)?.median;
  const fmt = (n: number | undefined) => (n === undefined ? "?" : Math.round(n).toLocaleString("en-US"));
  const ms = (key: string) => (typeof r[key] === "number" ? `${(r[key] as number).toFixed(3)} ms` : "?");
  if (section === "A") return `${head} ${fmt(median("dropout"))} ex/s with dropout, ${fmt(median("noDropout"))} without${tail}`;
  if (section === "B") return `${head} ${fmt(median("steps"))} steps/s${tail}`;
  if (section === "engine") {
    const eps = r.examplesPerSecond as { dropout: number; noDropout: number } | undefined;
    return `${head} ${fmt(eps?.dropout)} ex/s with dropout, ${fmt(eps?.noDropout)} without, dropout's share ${typeof r.dropoutShare === "number" ? (100 * r.dropoutShare).toFixed(1) : "?"}%${tail}`;
  }
  if (section === "parts") return `${head} draw ${ms("drawMs")}, apply ${ms("applyMs")}, update ${ms("updateMs")}${tail}`;
  if (section.startsWith("C")) {
    const perEpoch = summarizeC(r)?.secondsPerEpoch.mean;
    return `${head} ${typeof r.seconds === "number" ? `${r.seconds.toFixed(1)} s to 88%` : "88% not reached"}, ${perEpoch === undefined ? "?" : perEpoch.toFixed(2)} s per epoch${tail}`;
  }
  return `${head} done${tail}`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const timing: Timing = options.quick ? { reps: 3, targetSeconds: 0.25 } : { reps: 5, targetSeconds: 1 };
  const childTimeout = options.quick ? 120 : 300;
  const wanted = (peer: string) => !options.peers || options.peers.has(peer);
  const machine = describeMachine();
  const dataDir = mkdtempSync(join(os.tmpdir(), "dropout-lab-bench-"));
  const startSnapshot = cpuSnapshot();
  const start = performance.now();
  process.stderr.write(`dropout-lab benchmark (${options.quick ? "quick" : "full"}): ${machine.cpu} x${machine.cores}, Node ${machine.node}, ${PYTHON} for the Python peers\n`);
  try {
    writeWorkloadData(dataDir);
    const workloads: Results["workloads"] = {};
    let engine: Results["engine"];
    const runEach = async (section: string, peers: readonly string[], workload: "engine" | "parts" | "gemm") => {
      const results: Record<string, PeerResult> = {};
      for (const peer of peers.filter(wanted)) {
        results[peer] = await runChild(nodeChild({ peer, workload, timing, dataDir }, childTimeout));
        process.stderr.write(`${summary(section, peer, results[peer]!)}\n`);
      }
      return results;
    };
    if (options.only.has("engine")) {
      // the engine's own check: 784-256-256-10, batch 128, with and without dropout, each backend in its own process
      engine = { network: "784-256-256-10 relu, batch 128, momentum SGD, keepProbs 1/0.5/0.5 vs all 1", backends: await runEach("engine", ENGINE_PEERS, "engine") };
    }
    const parts = options.only.has("parts") ? await runEach("parts", PARTS_PEERS, "parts") : undefined;
    const runSection = async (section: "A" | "B", peers: string[]) => {
      const results: Record<string, PeerResult> = {};
      const run = async (peer: string) => {
        const r = await runChild(peerChild(peer, { workload: section, timing, dataDir }, childTimeout));
        process.stderr.write(`${summary(section, peer, r)}\n`);
        return r;
      };
      for (const peer of peers.filter(wanted)) results[peer] = await run(peer);
      // a full run measures again, at the end, every peer that shared the machine, and keeps the calmer attempt
      if (!options.quick) {
        for (const peer of Object.keys(results)) {
          const first = results[peer]!;
          if (first.skipped !== undefined || (first.otherLoad ?? 0) <= QUIET_LOAD) continue;
          const again = await run(peer);
          const [kept, dropped] = again.skipped === undefined && (again.otherLoad ?? 0) < (first.otherLoad ?? 0) ? [again, first] : [first, again];
          const note = `measured twice (others' load ${first.otherLoad?.toFixed(1)} then ${again.otherLoad?.toFixed(1) ?? "?"} cores); kept the calmer attempt, the other: ${JSON.stringify(medians(dropped))}`;
          results[peer] = { ...kept, notes: [...(kept.notes ?? []), note] };
        }
      }
      return results;
    };
    if (options.only.has("A")) {
      const peers = options.quick && !options.peers ? THROUGHPUT_PEERS.filter((p) => !SLOW_IN_A.includes(p)) : THROUGHPUT_PEERS;
      const measured = await runSection("A", peers);
      const results: Record<string, PeerResult> = {};
      for (const p of THROUGHPUT_PEERS.filter(wanted)) results[p] = measured[p] ?? { skipped: "left out by --quick (pass --peers to include it)" };
      workloads.A = reportA(results);
    }
    if (options.only.has("B")) workloads.B = reportB(await runSection("B", THROUGHPUT_PEERS.filter((p) => !LARGE_ONLY.includes(p))));
    let memory: Results["memory"];
    if (options.only.has("C")) {
      const seeds = options.quick ? WORKLOAD_C.seeds.slice(0, 1) : WORKLOAD_C.seeds;
      const maxEpochs = options.quick ? 1 : WORKLOAD_C.epochCap;
      const cPeers = (options.quick ? ["ours-wasm", "ours-native", "torch-1"] : ["ours-wasm", "ours-native", "ours-native-2t", "torch-1", "torch-2"]).filter(wanted);
      const exportData = cPeers.some((p) => p.startsWith("torch"));
      // our first run that works writes the data the Python peers read
      let exported = !exportData;
      const runs: Record<string, PeerResult[]> = {};
      const runC = async (peer: string, seed: number, epochs: number) => {
        const exportNow = !exported && isOurs(peer);
        const task = { workload: "C" as const, timing, dataDir, seed, maxEpochs: epochs, ...(exportNow ? { exportData } : {}) };
        const r: PeerResult = { seed, ...(await runChild(peerChild(peer, task, options.quick ? 150 : 420))) };
        if (exportNow && ok(r)) exported = true;
        (runs[peer] ??= []).push(r);
        process.stderr.write(`${summary(`C, seed ${seed}`, peer, r)}\n`);
        return r;
      };
      // seed by seed, every peer in turn, so a change in the machine's load falls on all peers of a seed alike
      for (const [i, seed] of seeds.entries()) {
        for (const peer of cPeers) {
          const r = await runC(peer, seed, maxEpochs);
          // without the wasm backend, the plain one (about 10x slower) shows the memory peak and the time per epoch
          if (i === 0 && peer === "ours-wasm" && !ok(r) && wanted("ours-js")) await runC("ours-js", seed, Math.min(2, maxEpochs));
        }
      }
      workloads.C = reportC(Object.fromEntries(Object.entries(runs).map(([peer, r]) => [peer, combineSeeds(r)])));
      const peak = memoryPeakC(workloads.C);
      memory = { peakRssMB: peak ?? null, limitMB: MEMORY_LIMIT_MB, withinLimit: peak === undefined ? null : peak < MEMORY_LIMIT_MB };
    }
    let ceiling: Record<string, PeerResult> | undefined;
    if (options.only.has("ceiling")) {
      ceiling = {};
      for (const threads of [1, 2]) {
        for (const [id, machineSettings] of [[`numpy-${threads}`, false], [`numpy-env-${threads}`, true]] as const) {
          ceiling[id] = await runChild(numpyChild(threads, timing, machineSettings));
          process.stderr.write(`${summary("ceiling", `NumPy, ${threads} thread${threads > 1 ? "s" : ""}${machineSettings ? ", machine's OPENBLAS_*" : ""}`, ceiling[id]!)}\n`);
        }
      }
      Object.assign(ceiling, await runEach("ceiling", CEILING_PEERS, "gemm"));
    }
    const load = otherLoad(startSnapshot, cpuSnapshot());
    const results: Results = {
      date: new Date().toISOString(),
      machine: { ...machine, ...(load === undefined ? {} : { otherLoad: load }), loadAverage: os.loadavg() },
      mode: options.quick ? "quick" : "full",
      wallSeconds: (performance.now() - start) / 1000,
      workloads,
      ...(engine ? { engine } : {}),
      ...(ceiling ? { ceiling } : {}),
      ...(parts ? { parts } : {}),
      ...(memory ? { memory } : {}),
    };
    // bench/results.json holds the last complete full run; partial and quick runs go to bench/last-run.json
    const complete = !options.quick && !options.peers && SECTIONS.every((s) => options.only.has(s));
    const file = complete ? "results.json" : "last-run.json";
    writeJsonAtomic(join(root, "bench", file), results);
    process.stdout.write(`${renderMarkdown(results, { notes: true })}\n\nwrote bench/${file}\n`);
    if (complete) {
      writeReadme(results);
      process.stdout.write("wrote bench/README-section.md and the Benchmark section of README.md\n");
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
