// Splits the large matrix products of the wasm backend across helper threads.
// The Backend interface is synchronous, so the calling thread publishes a
// product in a small control block (an Int32Array over a SharedArrayBuffer),
// computes chunks of it itself, and blocks (Atomics.wait) until every helper
// that took a chunk is done. Helpers run the same kernels module over the same
// shared memory, so they read the operands and write C in place; they never
// allocate. A chunk is a range of columns or rows of C, and gemmRange computes
// every entry exactly as the one-thread product does, so results are the same
// bit for bit whatever the number of threads or who computed which chunk.
// Platform-free: starting a thread is the `SpawnHelper` hook's job
// (src/node/wasm-threads.ts for Node).

import { instantiateOn, sharedMemorySupported, type CompiledModule, type KernelExports, type WasmMemory } from "./wasm-module.js";

/** What a helper thread is given (structured-cloneable: post it to the worker). */
export interface HelperInit {
  /** The compiled shared variant of the kernels. */
  readonly module: CompiledModule;
  /** The caller's shared WebAssembly.Memory. */
  readonly memory: WasmMemory;
  /** The control block (see the offsets below). */
  readonly control: SharedArrayBuffer;
  /** This helper's number, 0 .. helpers - 1. */
  readonly index: number;
  /** Byte address of this helper's gemm workspace (gemmWorkspaceBytes() bytes). */
  readonly work: number;
}

/** A started helper thread. */
export interface HelperHandle {
  terminate(): void;
}

/**
 * Starts a thread that calls `runHelper(init)`. The thread must not keep its
 * process (or page) alive by itself. Node: src/node/wasm-threads.ts.
 */
export type SpawnHelper = (init: HelperInit) => HelperHandle;

/** What the threads of a wasm backend have done so far. */
export interface ThreadStats {
  /** Threads that share large products, the calling one included (1: none shared). */
  readonly threads: number;
  /** Helper threads that are up and waiting for work. */
  readonly helpersStarted: number;
  /** Products split into chunks for the threads. */
  readonly productsSplit: number;
  /** Optimizer updates (one param each) split into ranges of weights for the threads. */
  readonly updatesSplit: number;
  /** Chunks of those products computed by helpers (the rest by the calling thread). */
  readonly helperChunks: number;
}

// Offsets (in int32 words) into the control block. Words written by different
// threads sit 64 bytes apart, so that a spinning reader does not slow a writer.
/** Id of the current job (a product or an optimizer update); helpers wait for it to change. */
const JOB = 0;
/** Set (then JOB bumped) to make helpers return. */
const STOP = 1;
/** The next chunk to claim (Atomics.add). */
const NEXT = 16;
/** A product: layout, m, n, k, addresses of A, B, C, chunk count, split axis, chunk width. */
const P_LAYOUT = 32, P_M = 33, P_N = 34, P_K = 35, P_A = 36, P_B = 37, P_C = 38, P_CHUNKS = 39, P_AXIS = 40, P_STEP = 41;
/** What the job is (OP_*); an update reuses P_A.. as the addresses of w, g and its state, P_M as the weight count. */
const P_OP = 42;
/** Counters for ThreadStats. */
const STARTED = 48, HELPER_CHUNKS = 49;
/** An update's float64 hyperparameters: float64 slots F_LR.. of the block (bytes 256..383). */
const F_BASE = 32, F_LR = 0, F_WD = 1, F_BETA1 = 2, F_BETA2 = 3, F_C1 = 4, F_C2 = 5, F_EPS = 6, F_NESTEROV = 7;
/** Helper t's ticket at TICKETS + 16 t: IDLE, RUNNING, or the id of the job it is invited to. */
const TICKETS = 96;
const IDLE = 0;
const RUNNING = -1;

/** Jobs: a matrix product, or one optimizer update of a param (element-wise, split into ranges of weights). */
const OP_GEMM = 0, OP_SGD = 1, OP_MOMENTUM = 2, OP_ADAM = 3;

/** Split axes: columns of C (each chunk packs its own panel of B) or rows of C (its own rows of A). */
const AXIS_COLUMNS = 0;
const AXIS_ROWS = 1;
/** Column chunks are multiples of the micro-kernel's 8 columns (assembly/gemm.ts NR); row chunks of its rows (gemmRowTile()). */
const NR = 8;

/**
 * Chunks per thread: more let a thread that starts late (woken slowly, or
 * sharing its core) leave its work to the others; each one repacks the other
 * operand's panel, which costs about 1% at two per thread (8% at eight).
 */
const CHUNKS_PER_THREAD = 2;

/** Spin-wait this many polls before sleeping: a short wait is cheaper spun than slept. */
const SPINS = 1 << 14;

/** Most threads a backend may use (helpers get one control line each). */
export const MAX_THREADS = 64;

/** Multiply-adds (m·n·k) from which a product is split by default: below, waking helpers costs more than it saves. */
export const DEFAULT_MIN_SPLIT = 1 << 22;

/** Weights from which an optimizer update is split (it moves about 28 bytes a weight; below this, waking helpers costs more). */
const MIN_UPDATE_SPLIT = 1 << 16;

function controlWords(helpers: number): number {
  return TICKETS + 16 * helpers;
}

/**
 * True if this thread can block on Atomics.wait (Node, Web Workers; not a
 * browser's main thread) and make shared WebAssembly memory (a browser needs
 * cross-origin isolation for that).
 */
export function threadsSupported(): boolean {
  supported ??= canBlock() && sharedMemorySupported();
  return supported;
}

let supported: boolean | undefined;

function canBlock(): boolean {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Claims chunks of the published product until none are left and computes
 * them with `work` as the packing scratch; returns how many it computed.
 */
function runChunks(kernels: KernelExports, control: Int32Array, work: number): number {
  if (control[P_OP] !== OP_GEMM) return runUpdateChunks(kernels, control);
  const layout = control[P_LAYOUT]!, m = control[P_M]!, n = control[P_N]!, k = control[P_K]!;
  const a = control[P_A]! >>> 0, b = control[P_B]! >>> 0, c = control[P_C]! >>> 0;
  const chunks = control[P_CHUNKS]!, axis = control[P_AXIS]!, step = control[P_STEP]!;
  let done = 0;
  for (let i = Atomics.add(control, NEXT, 1); i < chunks; i = Atomics.add(control, NEXT, 1)) {
    const lo = i * step, hi = Math.min(lo + step, axis === AXIS_COLUMNS ? n : m);
    if (axis === AXIS_COLUMNS) kernels.gemmRange(layout, m, n, k, a, b, c, work, 0, m, lo, hi);
    else kernels.gemmRange(layout, m, n, k, a, b, c, work, lo, hi, 0, n);
    done++;
  }
  return done;
}

/** runChunks for an optimizer update: each chunk is a range of weights (and of their state), updated in place. */
function runUpdateChunks(kernels: KernelExports, control: Int32Array): number {
  const f = new Float64Array(control.buffer, 8 * F_BASE, 8);
  const op = control[P_OP]!, n = control[P_M]!, chunks = control[P_CHUNKS]!, step = control[P_STEP]!;
  const w = control[P_A]! >>> 0, g = control[P_B]! >>> 0, s1 = control[P_C]! >>> 0, s2 = control[P_K]! >>> 0;
  let done = 0;
  for (let i = Atomics.add(control, NEXT, 1); i < chunks; i = Atomics.add(control, NEXT, 1)) {
    const lo = i * step, count = Math.min(step, n - lo), o4 = 4 * lo, o8 = 8 * lo;
    if (op === OP_SGD) kernels.sgdStep(w + o4, g + o4, count, f[F_LR]!, f[F_WD]!);
    else if (op === OP_MOMENTUM) kernels.momentumStep(w + o4, g + o4, s1 + o8, count, f[F_LR]!, f[F_BETA1]!, f[F_NESTEROV] !== 0, f[F_WD]!);
    else kernels.adamStep(w + o4, g + o4, s1 + o8, s2 + o8, count, f[F_LR]!, f[F_BETA1]!, f[F_BETA2]!, f[F_C1]!, f[F_C2]!, f[F_EPS]!, f[F_WD]!);
    done++;
  }
  return done;
}

/** Waits until control[index] is no longer `value`: spins a little, then sleeps. */
function waitWhile(control: Int32Array, index: number, value: number): void {
  for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(control, index) !== value) return;
  while (Atomics.load(control, index) === value) Atomics.wait(control, index, value);
}

/**
 * A helper thread's whole life: join the shared memory, then compute chunks of
 * each product it is invited to, until the team stops. Blocks its thread.
 */
export function runHelper(init: HelperInit): void {
  const kernels = instantiateOn(init.module, init.memory);
  const control = new Int32Array(init.control);
  const ticket = TICKETS + 16 * init.index;
  Atomics.add(control, STARTED, 1);
  let seen = 0;
  for (;;) {
    waitWhile(control, JOB, seen);
    if (Atomics.load(control, STOP) !== 0) return;
    const job = Atomics.load(control, JOB);
    seen = job;
    // Taking the ticket fails if the caller finished this product without us (and
    // withdrew the invitation) or already moved on; the caller cannot publish the
    // next product while we hold the ticket, so the parameters we read are this one's.
    if (Atomics.compareExchange(control, ticket, job, RUNNING) !== job) continue;
    const done = runChunks(kernels, control, init.work);
    if (done > 0) Atomics.add(control, HELPER_CHUNKS, done);
    Atomics.store(control, ticket, IDLE);
    Atomics.notify(control, ticket);
  }
}

/** The calling thread's side: helpers started through `spawn`, and products split among them. */
export class ThreadTeam {
  readonly threads: number;
  readonly #kernels: KernelExports;
  readonly #rowTile: number;
  readonly #control: Int32Array;
  readonly #helpers: HelperHandle[] = [];
  readonly #minSplit: number;
  /** The control block's float64 slots (an update's hyperparameters). */
  readonly #floats: Float64Array;
  #job = 0;
  #split = 0;
  #updatesSplit = 0;

  /**
   * `threads` in all (the caller and threads - 1 helpers); `workspace()` gives
   * a fresh gemm workspace address for each helper. Products of fewer than
   * `minSplit` multiply-adds stay on the calling thread.
   */
  constructor(threads: number, kernels: KernelExports, module: CompiledModule, memory: WasmMemory, workspace: () => number, spawn: SpawnHelper, minSplit: number) {
    this.threads = threads;
    this.#kernels = kernels;
    this.#rowTile = kernels.gemmRowTile();
    this.#minSplit = minSplit;
    this.#control = new Int32Array(new SharedArrayBuffer(4 * controlWords(threads - 1)));
    this.#floats = new Float64Array(this.#control.buffer, 8 * F_BASE, 8);
    for (let index = 0; index < threads - 1; index++) {
      this.#helpers.push(spawn({ module, memory, control: this.#control.buffer as SharedArrayBuffer, index, work: workspace() }));
    }
  }

  /**
   * C = op(A) · op(B) as `kernels.gemm(layout, m, n, k, a, b, c, work)` computes
   * it, split across the threads when it is large enough. Helpers not yet up
   * (or asleep too long) simply take no chunk: the caller computes it.
   */
  gemm(layout: number, m: number, n: number, k: number, a: number, b: number, c: number, work: number): void {
    const helpers = this.#helpers.length;
    // Split the longer side of C: each chunk repacks the other operand's panel, the smaller one.
    const axis = n >= m ? AXIS_COLUMNS : AXIS_ROWS;
    const length = axis === AXIS_COLUMNS ? n : m, unit = axis === AXIS_COLUMNS ? NR : this.#rowTile;
    const step = Math.ceil(Math.ceil(length / (CHUNKS_PER_THREAD * (helpers + 1))) / unit) * unit;
    const chunks = Math.ceil(length / step);
    if (helpers === 0 || m * n * k < this.#minSplit || chunks < 2) {
      this.#kernels.gemm(layout, m, n, k, a, b, c, work);
      return;
    }
    const control = this.#control;
    control[P_OP] = OP_GEMM;
    control[P_LAYOUT] = layout;
    control[P_M] = m;
    control[P_N] = n;
    control[P_K] = k;
    control[P_A] = a;
    control[P_B] = b;
    control[P_C] = c;
    control[P_CHUNKS] = chunks;
    control[P_AXIS] = axis;
    control[P_STEP] = step;
    this.#share(work);
  }

  /** kernels.sgdStep, split into ranges of weights when there are enough. */
  sgdStep(w: number, g: number, n: number, lr: number, wd: number): void {
    if (!this.#publishUpdate(OP_SGD, n, w, g, 0, 0)) return this.#kernels.sgdStep(w, g, n, lr, wd);
    this.#floats[F_LR] = lr;
    this.#floats[F_WD] = wd;
    this.#share(0);
  }

  /** kernels.momentumStep, split into ranges of weights when there are enough. */
  momentumStep(w: number, g: number, v: number, n: number, lr: number, beta: number, nesterov: boolean, wd: number): void {
    if (!this.#publishUpdate(OP_MOMENTUM, n, w, g, v, 0)) return this.#kernels.momentumStep(w, g, v, n, lr, beta, nesterov, wd);
    const f = this.#floats;
    f[F_LR] = lr;
    f[F_WD] = wd;
    f[F_BETA1] = beta;
    f[F_NESTEROV] = nesterov ? 1 : 0;
    this.#share(0);
  }

  /** kernels.adamStep, split into ranges of weights when there are enough. */
  adamStep(w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, wd: number): void {
    if (!this.#publishUpdate(OP_ADAM, n, w, g, m, v)) return this.#kernels.adamStep(w, g, m, v, n, lr, beta1, beta2, c1, c2, epsilon, wd);
    const f = this.#floats;
    f[F_LR] = lr;
    f[F_WD] = wd;
    f[F_BETA1] = beta1;
    f[F_BETA2] = beta2;
    f[F_C1] = c1;
    f[F_C2] = c2;
    f[F_EPS] = epsilon;
    this.#share(0);
  }

  /** Writes an update's addresses and chunks into the control block; false if it is too small to split. */
  #publishUpdate(op: number, n: number, w: number, g: number, s1: number, s2: number): boolean {
    const helpers = this.#helpers.length;
    if (helpers === 0 || n < MIN_UPDATE_SPLIT) return false;
    // Chunks of a multiple of 4 weights, so every chunk starts on a 16-byte boundary like the whole.
    const step = Math.ceil(n / (CHUNKS_PER_THREAD * (helpers + 1)) / 4) * 4;
    const control = this.#control;
    control[P_OP] = op;
    control[P_M] = n;
    control[P_A] = w;
    control[P_B] = g;
    control[P_C] = s1;
    control[P_K] = s2;
    control[P_CHUNKS] = Math.ceil(n / step);
    control[P_STEP] = step;
    return true;
  }

  /** Invites the helpers to the job just published, computes chunks of it here too, and waits for the helpers. */
  #share(work: number): void {
    const control = this.#control;
    const helpers = this.#helpers.length;
    Atomics.store(control, NEXT, 0);
    const job = (this.#job = this.#job === 0x7fffffff ? 1 : this.#job + 1);
    for (let t = 0; t < helpers; t++) Atomics.store(control, TICKETS + 16 * t, job);
    Atomics.store(control, JOB, job);
    Atomics.notify(control, JOB);
    if (control[P_OP] === OP_GEMM) this.#split++;
    else this.#updatesSplit++;
    runChunks(this.#kernels, control, work);
    for (let t = 0; t < helpers; t++) {
      const ticket = TICKETS + 16 * t;
      if (Atomics.compareExchange(control, ticket, job, IDLE) !== job) waitWhile(control, ticket, RUNNING);
    }
  }

  stats(): ThreadStats {
    return {
      threads: this.threads,
      helpersStarted: Atomics.load(this.#control, STARTED),
      productsSplit: this.#split,
      updatesSplit: this.#updatesSplit,
      helperChunks: Atomics.load(this.#control, HELPER_CHUNKS),
    };
  }

  /** Stops the helpers (they return from runHelper) and ends their threads. */
  close(): void {
    Atomics.store(this.#control, STOP, 1);
    Atomics.store(this.#control, JOB, this.#job === 0x7fffffff ? 1 : this.#job + 1);
    Atomics.notify(this.#control, JOB);
    for (const helper of this.#helpers.splice(0)) helper.terminate();
  }
}
