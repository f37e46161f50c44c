// The training worker: it owns the data, the networks and every random stream,
// so the page stays responsive while training runs. Messages are handled one
// at a time, in order; while playing, the worker trains one epoch per run,
// posts the frames and waits for the page's "ack" before the next epoch, so
// it never runs ahead of what the page can draw. It trains on the kernels the
// state names: js, or wasm, whose large products it splits across helper
// Web Workers where the page is cross-origin isolated (dropout-lab/web).

import { InputError, Rng, RunError, jsBackend, selectBackend, type Backend, type WasmBackend } from "../src/index.js";
import { checkCost, parseOptimizerName } from "../src/toolkit.js";
import { crossOriginIsolatedHere, defaultWebThreads, webThreadsSupported } from "../src/web/index.js";
import { displayedRun, runSetups } from "./compare.js";
import type { BackendInfo, FromWorker, RunFrame, ToWorker } from "./protocol.js";
import type { PageState } from "./state.js";
import { loadPageData } from "./train/data.js";
import { Run } from "./train/run.js";

declare const self: DedicatedWorkerGlobalScope;

/** Full-batch iterations of "Check J" with dropout off, and the most training examples it uses (keeps it well under a second). */
const CHECK_ITERATIONS = 40;
const CHECK_MAX_ROWS = 300;

let gen = 0;
let runs: Run[] = [];
let shown = 0;
let playing = false;
let awaitingAck = false;
let queue: Promise<void> = Promise.resolve();
let backend: Backend = jsBackend;
/** Why the wasm backend runs on fewer threads than asked, if it does. */
let threadNote: string | undefined;

/** The kernels `state` names (backends are made once per kind and thread count, then reused). */
function chooseBackend(state: PageState): Backend {
  const chosen = state.backend === "wasm" ? selectBackend("wasm", { threads: state.threads }) : jsBackend;
  const threads = (chosen as Partial<WasmBackend>).threads ?? 1;
  threadNote =
    threads >= state.threads
      ? undefined
      : crossOriginIsolatedHere()
        ? "this browser cannot share WebAssembly memory between workers"
        : "the page is not cross-origin isolated (its server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  return chosen;
}

function backendInfo(): BackendInfo {
  const threadsAvailable = webThreadsSupported() ? defaultWebThreads() : 1;
  if (backend.name !== "wasm") return { name: "js", threads: 1, productsSplit: 0, helperChunks: 0, threadsAvailable };
  const s = (backend as WasmBackend).stats();
  const note = threadNote ? { note: threadNote } : {};
  return { name: "wasm", variant: s.variant, threads: s.threads, productsSplit: s.productsSplit, helperChunks: s.helperChunks, ...note, threadsAvailable };
}

function post(message: FromWorker): void {
  const transfer: Transferable[] = [];
  if (message.type === "frames") {
    for (const f of message.frames) {
      transfer.push(f.costs.buffer as ArrayBuffer);
      if (f.surface) transfer.push(f.surface.prob.buffer as ArrayBuffer);
      if (f.surface?.entropy) transfer.push(f.surface.entropy.buffer as ArrayBuffer);
    }
  }
  self.postMessage(message, transfer);
}

function frames(): RunFrame[] {
  return runs.map((r, i) => r.frame({ mc: i === shown }));
}

function postFrames(): void {
  if (runs.every((r) => r.done)) playing = false;
  awaitingAck = true;
  post({ type: "frames", gen, playing, frames: frames(), backend: backendInfo() });
}

/** Stops playing and shows the error on the page: bad input and failed runs by their message, anything else as a bug. */
function fail(e: unknown): void {
  playing = false;
  const known = e instanceof InputError || e instanceof RunError;
  const message = e instanceof Error ? e.message : String(e);
  post({ type: "error", gen, message: known ? message : `internal error: ${message}` });
}

function tick(): void {
  if (!playing || awaitingAck) return;
  try {
    for (const r of runs) r.playEpoch();
  } catch (e) {
    fail(e);
  }
  postFrames();
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case "configure": {
      gen = msg.gen;
      playing = false;
      awaitingAck = false;
      runs = [];
      try {
        backend = chooseBackend(msg.state);
        const data = await loadPageData(msg.state);
        post({ type: "data", gen, info: data.info });
        runs = runSetups(msg.state).map((s) => new Run(s.label, s.state, data, backend));
        shown = displayedRun(msg.state);
        postFrames();
      } catch (e) {
        fail(e);
      }
      return;
    }
    case "play":
      playing = runs.length > 0 && !runs.every((r) => r.done);
      tick();
      return;
    case "pause":
      playing = false;
      return;
    case "step":
      playing = false;
      try {
        for (const r of runs) r.stepOnce();
      } catch (e) {
        fail(e);
      }
      postFrames();
      return;
    case "ack":
      awaitingAck = false;
      if (playing) setTimeout(() => enqueue(tick), 0);
      return;
    case "continue": {
      const setups = runSetups(msg.state);
      try {
        runs.forEach((r, i) => r.adjust(setups[i]!.state));
      } catch (e) {
        fail(e);
      }
      postFrames();
      return;
    }
    case "check": {
      const run = runs[shown];
      if (!run) return;
      const s = run.state;
      const { network, step } = run.shownNetwork();
      const result = checkCost(network, run.trainer.data.train, {
        lr: s.lr,
        optimizer: parseOptimizerName(s.optimizer),
        l2: s.l2,
        rng: Rng.fromSeed(s.seed).stream("check"),
        iterations: CHECK_ITERATIONS,
        maxRows: CHECK_MAX_ROWS,
      });
      post({ type: "check", gen, report: { step, lr: s.lr, optimizer: s.optimizer, trainExamples: run.trainer.data.train.size, maxRows: CHECK_MAX_ROWS, result } });
      return;
    }
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

/** Runs tasks strictly one after another; a failing task reports and leaves the queue working. */
function enqueue(task: () => void | Promise<void>): void {
  queue = queue.then(task).catch(fail);
}

self.onmessage = (e: MessageEvent<ToWorker>) => enqueue(() => handle(e.data));
