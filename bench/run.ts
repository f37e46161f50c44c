// `npm run bench`: dropout-lab side by side with its peers (tfjs cpu and wasm,
// ConvNetJS, PyTorch, and NumPy's matrix product as the machine's ceiling) on
// three workloads, one peer after another, each in its own child process.
// Prints the tables and ratios, writes bench/results.json and, after a full
// run, bench/README-section.md. Timing lives here and never in a test.
//
//   npm run bench [-- --quick] [--only A,B,C,ceiling] [--peers ours-wasm,torch-1,...]

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic, writeJsonAtomic } from "../src/node/index.js";
import { RESULT_MARKER } from "./harness.js";
import { cpuSnapshot, describeMachine, otherLoad } from "./machine.js";
import { PEER_LABELS, renderMarkdown, renderReadmeSection, reportA, reportB, reportC, type PeerResult, type Results } from "./report.js";
import { WORKLOAD_A, WORKLOAD_B, WORKLOAD_C, writeWorkloadData, type Task, type Timing } from "./workloads.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MEMORY_LIMIT_MB = 600;
const SECTIONS = ["A", "B", "C", "ceiling"] as const;
type Section = (typeof SECTIONS)[number];
const THROUGHPUT_PEERS = ["ours-wasm", "ours-js", "tfjs-cpu-fit", "tfjs-cpu-expert", "tfjs-wasm-fit", "tfjs-wasm-expert", "convnetjs", "torch-1", "torch-2"];

interface Options {
  readonly quick: boolean;
  readonly only: ReadonlySet<Section>;
  readonly peers: ReadonlySet<string> | undefined;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench [-- --quick] [--only ${SECTIONS.join(",")}] [--peers ${THROUGHPUT_PEERS.join(",")}]\n`);
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
    } else if (flag === "--help" || flag === "-h") usage("side-by-side benchmark of dropout-lab and its peers");
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

/** NumPy's child: the thread count set, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (they can slow OpenBLAS down). */
function numpyChild(threads: number, timing: Timing): Child {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
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
    const runSection = async (section: "A" | "B", peers: string[]) => {
      const results: Record<string, PeerResult> = {};
      for (const peer of peers.filter(wanted)) {
        results[peer] = await runChild(peerChild(peer, { workload: section, timing, dataDir }, childTimeout));
        process.stderr.write(`${summary(section, peer, results[peer]!)}\n`);
      }
      return results;
    };
    if (options.only.has("A")) workloads.A = reportA(await runSection("A", THROUGHPUT_PEERS));
    if (options.only.has("B")) workloads.B = reportB(await runSection("B", THROUGHPUT_PEERS));
    let memory: Results["memory"];
    if (options.only.has("C")) {
      const maxEpochs = options.quick ? 1 : 12;
      const results: Record<string, PeerResult> = {};
      const cPeers = (options.quick ? ["ours-wasm", "torch-2"] : ["ours-wasm", "torch-1", "torch-2"]).filter(wanted);
      const exportData = cPeers.some((p) => p.startsWith("torch"));
      for (const peer of cPeers) {
        const task = { workload: "C" as const, timing, dataDir, maxEpochs, ...(peer.startsWith("ours") ? { exportData } : {}) };
        results[peer] = await runChild(peerChild(peer, task, options.quick ? 150 : 420));
        process.stderr.write(`${summary("C", peer, results[peer]!)}\n`);
      }
      workloads.C = reportC(results);
      const mem = (Object.values(workloads.C.ours)[0]?.memory ?? undefined) as { maxRssMB: number } | undefined;
      memory = { peakRssMB: mem?.maxRssMB ?? null, limitMB: MEMORY_LIMIT_MB, withinLimit: mem ? mem.maxRssMB < MEMORY_LIMIT_MB : null };
    }
    let ceiling: Record<string, PeerResult> | undefined;
    if (options.only.has("ceiling")) {
      ceiling = {};
      for (const threads of [1, 2]) {
        ceiling[`numpy-${threads}`] = await runChild(numpyChild(threads, timing));
        process.stderr.write(`${summary("ceiling", `NumPy, ${threads} thread${threads > 1 ? "s" : ""}`, ceiling[`numpy-${threads}`]!)}\n`);
      }
      for (const peer of ["ours-wasm", "ours-js"].filter(wanted)) {
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
      ...(ceiling ? { ceiling } : {}),
      ...(memory ? { memory } : {}),
    };
    writeJsonAtomic(join(root, "bench", "results.json"), results);
    process.stdout.write(`${renderMarkdown(results, { notes: true })}\n\nwrote bench/results.json\n`);
    const complete = !options.quick && !options.peers && SECTIONS.every((s) => options.only.has(s));
    if (complete) {
      writeFileAtomic(join(root, "bench", "README-section.md"), renderReadmeSection(results));
      process.stdout.write("wrote bench/README-section.md\n");
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
