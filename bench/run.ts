// `npm run bench`: dropout-lab (js, wasm and native backends) side by side
// with its peers (tfjs cpu and wasm, ConvNetJS, PyTorch, and NumPy's matrix
// product as the machine's ceiling) on
// three workloads, one peer after another, each in its own child process.
// Prints the tables and ratios; a complete full run writes bench/results.json
// and bench/README-section.md, any other run bench/last-run.json. Timing lives here and never in a test.
//
//   npm run bench [-- --quick] [--only A,B,C,ceiling] [--peers ours-wasm,torch-1,...]

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic, writeJsonAtomic } from "../src/node/index.js";
import { RESULT_MARKER } from "./harness.js";
import { selectBackend } from "../src/index.js";
import { benchEngine } from "./engine.js";
import { cpuSnapshot, describeMachine, otherLoad } from "./machine.js";
import { PEER_LABELS, renderMarkdown, renderReadmeSection, reportA, reportB, reportC, type PeerResult, type Results } from "./report.js";
import { WORKLOAD_A, WORKLOAD_B, WORKLOAD_C, writeWorkloadData, type Task, type Timing } from "./workloads.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MEMORY_LIMIT_MB = 600;
const SECTIONS = ["engine", "A", "B", "C", "ceiling"] as const;
type Section = (typeof SECTIONS)[number];
const THROUGHPUT_PEERS = ["ours-native", "ours-native-2t", "ours-wasm", "ours-wasm-2t", "ours-js", "tfjs-cpu-fit", "tfjs-cpu-expert", "tfjs-wasm-fit", "tfjs-wasm-expert", "tfjs-wasm-flags", "convnetjs", "torch-1", "torch-2"];
/** A full run measures a peer again when other processes kept more than this many cores busy during its first attempt. */
const RETRY_LOAD = 0.3;

/** The medians of a result's series, for a note. */
function medians(r: PeerResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(r)) {
    const m = (value as { median?: unknown } | null)?.median;
    if (typeof m === "number") out[key] = Math.round(m);
  }
  return out;
}

/** Only in A, C and the ceiling: threads share large products, and B's are tiny. */
const LARGE_ONLY = ["ours-wasm-2t", "ours-native-2t"];
/** Left out of A by --quick: about 50 examples/s, half a minute each. */
const SLOW_IN_A = ["tfjs-cpu-fit", "tfjs-cpu-expert"];

interface Options {
  readonly quick: boolean;
  readonly only: ReadonlySet<Section>;
  readonly peers: ReadonlySet<string> | undefined;
}

const USAGE = `usage: npm run bench [-- --quick] [--only ${SECTIONS.join(",")}] [--peers ${THROUGHPUT_PEERS.join(",")}]`;

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
      for (const p of list) if (!THROUGHPUT_PEERS.includes(p)) usage(`--peers: unknown peer ${JSON.stringify(p)}; allowed: ${THROUGHPUT_PEERS.join(", ")}`);
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
  const head = `  [${section}] ${(PEER_LABELS[peer] ?? peer).padEnd(34)}`;
  const tail = ` (${Math.round(r.wallSeconds ?? 0)} s${r.otherLoad === undefined ? "" : `, others ${r.otherLoad.toFixed(1)} cores`})`;
  if (r.skipped !== undefined) return `${head} skipped: ${r.skipped}${tail}`;
  const median = (key: string) => (r[key] as { median: number } | undefined)?.median;
  const fmt = (n: number | undefined) => (n === undefined ? "?" : Math.round(n).toLocaleString("en-US"));
  if (section === "A") return `${head} ${fmt(median("dropout"))} ex/s with dropout, ${fmt(median("noDropout"))} without${tail}`;
  if (section === "B") return `${head} ${fmt(median("steps"))} steps/s${tail}`;
  if (section === "C") return `${head} ${typeof r.seconds === "number" ? `${r.seconds.toFixed(1)} s to 88%` : "88% not reached"}${tail}`;
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
    if (options.only.has("engine")) {
      // the engine's own check: 784-256-256-10, batch 128, with and without dropout, each backend
      engine = { network: "784-256-256-10 relu, batch 128, momentum SGD, keepProbs 1/0.5/0.5 vs all 1", backends: {} };
      for (const name of ["js", "wasm"] as const) {
        const r = benchEngine(selectBackend(name), options.quick ? 3 : 5);
        engine.backends[name] = r;
        process.stderr.write(
          `engine ${name}: ${Math.round(r.examplesPerSecond.dropout)} examples/s with dropout, ${Math.round(r.examplesPerSecond.noDropout)} without; dropout's share ${(100 * r.dropoutShare).toFixed(1)}%\n`,
        );
      }
    }
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
          if (first.skipped !== undefined || (first.otherLoad ?? 0) <= RETRY_LOAD) continue;
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
      const maxEpochs = options.quick ? 1 : 15;
      const results: Record<string, PeerResult> = {};
      const cPeers = (options.quick ? ["ours-wasm", "ours-native", "torch-1"] : ["ours-wasm", "ours-wasm-2t", "ours-native", "ours-native-2t", "torch-1", "torch-2"]).filter(wanted);
      const exportData = cPeers.some((p) => p.startsWith("torch"));
      // the first of our peers writes the data the Python peers read
      const exporter = cPeers.find((p) => p.startsWith("ours"));
      const runC = async (peer: string, epochs: number) => {
        const task = { workload: "C" as const, timing, dataDir, maxEpochs: epochs, ...(peer === exporter || peer === "ours-js" ? { exportData } : {}) };
        results[peer] = await runChild(peerChild(peer, task, options.quick ? 150 : 420));
        process.stderr.write(`${summary("C", peer, results[peer]!)}\n`);
      };
      for (const peer of cPeers) {
        await runC(peer, maxEpochs);
        // without the wasm backend, the plain one (about 10x slower) shows the memory peak and the time per epoch
        if (peer === "ours-wasm" && results[peer]!.skipped !== undefined && wanted("ours-js")) await runC("ours-js", Math.min(2, maxEpochs));
      }
      workloads.C = reportC(results);
      const mem = Object.values(workloads.C.ours).find((r) => r.memory !== undefined)?.memory as { maxRssMB: number } | undefined;
      memory = { peakRssMB: mem?.maxRssMB ?? null, limitMB: MEMORY_LIMIT_MB, withinLimit: mem ? mem.maxRssMB < MEMORY_LIMIT_MB : null };
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
      for (const peer of ["ours-native", "ours-native-2t", "ours-wasm", "ours-wasm-2t", "ours-js"].filter(wanted)) {
        ceiling[peer] = await runChild(nodeChild({ peer, workload: "gemm", timing, dataDir }, childTimeout));
        process.stderr.write(`${summary("ceiling", peer, ceiling[peer]!)}\n`);
      }
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
      ...(memory ? { memory } : {}),
    };
    // bench/results.json holds the last complete full run; partial and quick runs go to bench/last-run.json
    const complete = !options.quick && !options.peers && SECTIONS.every((s) => options.only.has(s));
    const file = complete ? "results.json" : "last-run.json";
    writeJsonAtomic(join(root, "bench", file), results);
    process.stdout.write(`${renderMarkdown(results, { notes: true })}\n\nwrote bench/${file}\n`);
    if (complete) {
      writeFileAtomic(join(root, "bench", "README-section.md"), renderReadmeSection(results));
      process.stdout.write("wrote bench/README-section.md\n");
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
