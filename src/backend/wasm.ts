// The WebAssembly SIMD backend: the kernels of assembly/ (AssemblyScript,
// 128-bit SIMD) behind the Backend interface. Matrices made by its `zeros`
// live in the module's linear memory, so kernels on them copy nothing; other
// float32 matrices are staged through scratch regions (reused, so repeated
// calls with the same shapes allocate nothing), and float64 matrices go to the
// plain backend, which stays the reference for results. With `threads` > 1 the
// module runs over a shared memory and large products are split across helper
// threads (wasm-threads.ts), with results bit for bit those of one thread.
// The kernel variant ("relaxed": fused multiply-add in the products, where the
// runtime validates relaxed SIMD; else "plain") is chosen once per backend.

import { InputError } from "../core/errors.js";
import { shapeError, updateCount } from "./checks.js";
import { zeros as plainZeros, type DType, type Matrix } from "../core/matrix.js";
import { assertNever, jsBackend } from "../core/ops.js";
import type { Activation, Backend } from "../core/backend.js";
import type { MaskBulk, MaskTies } from "../core/rng.js";
import { SLOT_A, SLOT_B, SLOT_MASK, SLOT_OUT, SLOT_TIES, WasmHeap, type WasmStats } from "./wasm-heap.js";
import {
  instantiateKernels,
  instantiateKernelsAsync,
  instantiateSharedKernels,
  instantiateSharedKernelsAsync,
  kernelVariant,
  sharedMemorySupported,
  type KernelExports,
  type KernelVariant,
} from "./wasm-module.js";
import { DEFAULT_MIN_SPLIT, MAX_THREADS, ThreadTeam, threadsSupported, type SpawnHelper, type ThreadStats } from "./wasm-threads.js";

export { wasmSimdSupported, relaxedSimdSupported, relaxedSimdDisabled, type KernelVariant } from "./wasm-module.js";
export { WasmMatrix, type WasmStats } from "./wasm-heap.js";
export { threadsSupported, runHelper, type HelperInit, type HelperHandle, type SpawnHelper, type ThreadStats } from "./wasm-threads.js";

/** A Backend running on WebAssembly SIMD, with a view of its memory use. */
export interface WasmBackend extends Backend {
  /** Threads sharing large products, the calling one included. */
  readonly threads: number;
  /** The kernels it runs: "relaxed" (fused multiply-add in products) or "plain"; helper threads run the same. */
  readonly variant: KernelVariant;
  /** Size of linear memory, blocks allocated and freed, scratch reserved; what the threads did; the variant. */
  stats(): WasmStats & ThreadStats & { readonly variant: KernelVariant };
  /** Ends the helper threads (products then run on the calling thread alone); a no-op with one thread. */
  close(): void;
}

export interface WasmBackendOptions {
  /**
   * Threads that share large matrix products, the calling one included
   * (default 1). More than one needs `spawn` and threadsSupported(): shared
   * memory, and a thread allowed to block (not a browser's main thread).
   */
  readonly threads?: number;
  /** Starts a helper thread: the platform's part (Node: nodeHelperSpawner in src/node/wasm-threads.ts). */
  readonly spawn?: SpawnHelper;
  /** Products with fewer multiply-adds (m·n·k) than this stay on the calling thread (default 2^22). */
  readonly minSplit?: number;
  /**
   * true: the relaxed-SIMD kernels (an InputError where the runtime lacks
   * them); false: the plain ones, for results reproducible on any machine;
   * default: relaxed where supported, unless DROPOUT_LAB_NO_RELAXED is set.
   */
  readonly relaxed?: boolean;
  /**
   * One thread over a shared memory (default: where the runtime has one). Its
   * views never go stale, so optimizer state can live in it (stateVector) and
   * the update kernels run in place; false gives the module its own memory.
   */
  readonly sharedMemory?: boolean;
}

/** The variant `relaxed` asks for here (see WasmBackendOptions.relaxed), an InputError if unavailable. */
export function wasmVariant(relaxed: boolean | undefined): KernelVariant {
  try {
    return kernelVariant(relaxed);
  } catch (error) {
    throw new InputError(`wasm backend: ${(error as Error).message}`);
  }
}

/** Product layouts, as numbered in assembly/gemm.ts. */
const LAYOUT_NN = 0;
const LAYOUT_NT = 1;
const LAYOUT_TN = 2;

/** The activation's code in assembly/elementwise.ts. */
function activationCode(activation: Activation): number {
  switch (activation) {
    case "linear":
      return 0;
    case "relu":
      return 1;
    case "leaky-relu":
      return 2;
    case "tanh":
      return 3;
    case "sigmoid":
      return 4;
    default:
      return assertNever(activation);
  }
}

/** Float32 data with at least `count` values, else an error (a stale view of grown wasm memory has length 0). */
function float32(op: string, what: string, data: Float32Array, count: number): Float32Array {
  if (data.length < count) {
    throw new InputError(`${op}: ${what} has ${data.length} values, expected ${count}${data.length === 0 ? " (a view of wasm memory taken before the memory grew is empty: read matrix.data again)" : ""}`);
  }
  return data;
}

/** True if every matrix holds float32 data (otherwise the plain backend runs the kernel). */
function allFloat32(a: Matrix, b: Matrix, c?: Matrix): boolean {
  return a.data instanceof Float32Array && b.data instanceof Float32Array && (c === undefined || c.data instanceof Float32Array);
}

/** Ends the helper threads of a threaded backend that was dropped without close(). */
const abandoned = new FinalizationRegistry<ThreadTeam>((team) => team.close());

function backendOn(kernels: KernelExports, variant: KernelVariant, makeTeam?: (heap: WasmHeap) => ThreadTeam): WasmBackend {
  const heap = new WasmHeap(kernels);
  const work = heap.alloc(kernels.gemmWorkspaceBytes());
  const team = makeTeam?.(heap);
  const gemm = team ? team.gemm.bind(team) : kernels.gemm;
  /** The optimizer updates: split across the threads for large params. */
  const update: Pick<KernelExports, "sgdStep" | "momentumStep" | "adamStep"> = team ?? kernels;

  /** Address of an input: in place if it lives in wasm memory, else staged into scratch `slot`. */
  const input = (address: number, data: Float32Array, count: number, slot: number): number =>
    address >= 0 ? address : heap.stage(slot, data, count);

  function product(layout: number, a: Matrix, b: Matrix, out: Matrix, m: number, n: number, k: number, op: string): void {
    const A = float32(op, "a", a.data as Float32Array, m * k);
    const B = float32(op, "b", b.data as Float32Array, k * n);
    const C = float32(op, "out", out.data as Float32Array, m * n);
    // Addresses of resident operands first: staging may grow the memory and detach their views.
    const ra = heap.addressOf(A), rb = heap.addressOf(B), rc = heap.addressOf(C);
    const pa = input(ra, A, m * k, SLOT_A);
    const pb = input(rb, B, k * n, SLOT_B);
    const pc = rc >= 0 ? rc : heap.scratch(SLOT_OUT, m * n * 4);
    gemm(layout, m, n, k, pa, pb, pc, work);
    if (rc < 0) heap.copyOut(pc, C, m * n);
  }


  /** The result maskBulk hands back (one object, reused: the caller reads it before the next call). */
  const tied = { ties: heap.i32 as ArrayLike<number>, start: 0, count: 0 };
  /** MaskBulk in wasm: the generator state and the ties in scratch, the mask in place or copied out. */
  const maskBulk: MaskBulk = (s: Uint32Array, t0: number, out: Uint8Array): MaskTies => {
    const n = out.length;
    const base = heap.scratch(SLOT_TIES, 16 + 4 * n);
    const resident = heap.addressOf(out);
    const po = resident >= 0 ? resident : heap.scratch(SLOT_MASK, n);
    heap.u32.set(s, base >>> 2);
    tied.count = kernels.maskBulk(base, po, n, t0, base + 16);
    const w = base >>> 2, u32 = heap.u32;
    s[0] = u32[w]!;
    s[1] = u32[w + 1]!;
    s[2] = u32[w + 2]!;
    s[3] = u32[w + 3]!;
    if (resident < 0) out.set(heap.u8.subarray(po, po + n));
    tied.ties = heap.i32;
    tied.start = (base + 16) >>> 2;
    return tied;
  };

  /** Byte address of a float32 matrix's data in this memory, else -1 (float64 and outside data go to the plain kernels). */
  const resident = (m: Matrix): number => (m.data instanceof Float32Array ? heap.addressOf(m.data) : -1);

  const backend: WasmBackend = {
    name: "wasm",
    threads: team?.threads ?? 1,
    variant,

    zeros(rows: number, cols: number, dtype: DType): Matrix {
      if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 0) {
        throw new InputError(`zeros: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
      }
      return dtype === "float32" ? heap.matrix(rows, cols) : plainZeros(rows, cols, dtype);
    },

    matmulNN(a, b, out) {
      const m = a.rows, k = a.cols, n = b.cols;
      if (b.rows !== k || out.rows !== m || out.cols !== n) {
        throw shapeError("matmulNN", `${m}x${k} · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(a, b, out)) return jsBackend.matmulNN(a, b, out);
      product(LAYOUT_NN, a, b, out, m, n, k, "matmulNN");
    },

    matmulNT(a, b, out) {
      const m = a.rows, k = a.cols, n = b.rows;
      if (b.cols !== k || out.rows !== m || out.cols !== n) {
        throw shapeError("matmulNT", `${m}x${k} · (${n}x${b.cols})ᵀ -> ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(a, b, out)) return jsBackend.matmulNT(a, b, out);
      product(LAYOUT_NT, a, b, out, m, n, k, "matmulNT");
    },

    matmulTN(a, b, out) {
      const k = a.rows, m = a.cols, n = b.cols;
      if (b.rows !== k || out.rows !== m || out.cols !== n) {
        throw shapeError("matmulTN", `(${k}x${m})ᵀ · ${b.rows}x${n} -> ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(a, b, out)) return jsBackend.matmulTN(a, b, out);
      product(LAYOUT_TN, a, b, out, m, n, k, "matmulTN");
    },

    biasActivation(x, bias, activation, out) {
      const rows = x.rows, cols = x.cols;
      if (bias.rows * bias.cols !== cols || out.rows !== rows || out.cols !== cols) {
        throw shapeError("biasActivation", `${rows}x${cols} + bias ${bias.rows}x${bias.cols} -> ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(x, bias, out)) return jsBackend.biasActivation(x, bias, activation, out);
      const code = activationCode(activation);
      const n = rows * cols;
      const X = float32("biasActivation", "x", x.data as Float32Array, n);
      const Bv = float32("biasActivation", "bias", bias.data as Float32Array, cols);
      const O = float32("biasActivation", "out", out.data as Float32Array, n);
      const rx = heap.addressOf(X), rb = heap.addressOf(Bv), ro = heap.addressOf(O);
      const px = input(rx, X, n, SLOT_A);
      const pb = input(rb, Bv, cols, SLOT_B);
      const po = ro >= 0 ? ro : heap.scratch(SLOT_OUT, n * 4);
      kernels.biasActivation(px, pb, po, rows, cols, code);
      if (ro < 0) heap.copyOut(po, O, n);
    },

    activationBackward(y, dy, activation, out) {
      const n = y.rows * y.cols;
      if (dy.rows * dy.cols !== n || out.rows * out.cols !== n) {
        throw shapeError("activationBackward", `y ${y.rows}x${y.cols}, dy ${dy.rows}x${dy.cols}, out ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(y, dy, out)) return jsBackend.activationBackward(y, dy, activation, out);
      const code = activationCode(activation);
      const Y = float32("activationBackward", "y", y.data as Float32Array, n);
      const D = float32("activationBackward", "dy", dy.data as Float32Array, n);
      const O = float32("activationBackward", "out", out.data as Float32Array, n);
      const ry = heap.addressOf(Y), rd = heap.addressOf(D), ro = heap.addressOf(O);
      const py = input(ry, Y, n, SLOT_A);
      const pd = input(rd, D, n, SLOT_B);
      const po = ro >= 0 ? ro : heap.scratch(SLOT_OUT, n * 4);
      kernels.activationBackward(py, pd, po, n, code);
      if (ro < 0) heap.copyOut(po, O, n);
    },

    columnSums(x, out) {
      const rows = x.rows, cols = x.cols;
      if (out.rows * out.cols !== cols) throw shapeError("columnSums", `${rows}x${cols} -> ${out.rows}x${out.cols}`);
      if (!allFloat32(x, out)) return jsBackend.columnSums(x, out);
      const X = float32("columnSums", "x", x.data as Float32Array, rows * cols);
      const O = float32("columnSums", "out", out.data as Float32Array, cols);
      const rx = heap.addressOf(X), ro = heap.addressOf(O);
      const px = input(rx, X, rows * cols, SLOT_A);
      const po = ro >= 0 ? ro : heap.scratch(SLOT_OUT, cols * 4);
      kernels.columnSums(px, po, rows, cols);
      if (ro < 0) heap.copyOut(po, O, cols);
    },

    applyMask(x, mask, scale, out) {
      const n = x.rows * x.cols;
      if (mask.length < n || out.rows * out.cols !== n) {
        throw shapeError("applyMask", `x ${x.rows}x${x.cols}, mask ${mask.length}, out ${out.rows}x${out.cols}`);
      }
      if (!allFloat32(x, out)) return jsBackend.applyMask(x, mask, scale, out);
      const X = float32("applyMask", "x", x.data as Float32Array, n);
      const O = float32("applyMask", "out", out.data as Float32Array, n);
      const rx = heap.addressOf(X), rm = heap.addressOf(mask), ro = heap.addressOf(O);
      const px = input(rx, X, n, SLOT_A);
      const pm = rm >= 0 ? rm : heap.stageBytes(SLOT_MASK, mask, n);
      const po = ro >= 0 ? ro : heap.scratch(SLOT_OUT, n * 4);
      kernels.applyMask(px, pm, po, n, scale);
      if (ro < 0) heap.copyOut(po, O, n);
    },

    dropoutMask(rng, keepProb, out) {
      rng.bernoulliMask(keepProb, out, maskBulk);
    },

    stateVector(length: number): Float64Array {
      if (!Number.isSafeInteger(length) || length < 0) throw new InputError(`stateVector: length must be a non-negative integer, got ${length}`);
      return heap.stateVector(length);
    },

    sgdStep(w, g, lr, wd) {
      const n = updateCount("sgdStep", w, g);
      const pw = resident(w), pg = resident(g);
      if (pw < 0 || pg < 0) return jsBackend.sgdStep(w, g, lr, wd);
      update.sgdStep(pw, pg, n, lr, wd);
    },

    momentumStep(w, g, v, step) {
      const n = updateCount("momentumStep", w, g, v);
      const pw = resident(w), pg = resident(g), pv = heap.addressOf(v);
      if (pw < 0 || pg < 0 || pv < 0) return jsBackend.momentumStep(w, g, v, step);
      update.momentumStep(pw, pg, pv, n, step.lr, step.beta, step.nesterov, step.wd);
    },

    adamStep(w, g, m, v, step) {
      const n = updateCount("adamStep", w, g, m, v);
      const pw = resident(w), pg = resident(g), pm = heap.addressOf(m), pv = heap.addressOf(v);
      if (pw < 0 || pg < 0 || pm < 0 || pv < 0) return jsBackend.adamStep(w, g, m, v, step);
      update.adamStep(pw, pg, pm, pv, n, step.lr, step.beta1, step.beta2, step.correction1, step.correction2, step.epsilon, step.wd);
    },

    stats: () => ({ ...heap.stats(), ...(team?.stats() ?? { threads: 1, helpersStarted: 0, productsSplit: 0, updatesSplit: 0, helperChunks: 0 }), variant }),

    close: () => team?.close(),
  };
  if (team) abandoned.register(backend, team);
  return backend;
}

/**
 * A wasm backend, compiled synchronously (Node, Web Workers). With one thread
 * (the default) it runs over a shared memory where the runtime has one (see
 * `options.sharedMemory`), else its own; with more, a shared memory and
 * helper threads started through `options.spawn`. Throws without WebAssembly SIMD,
 * and for more than one thread where threads are unsupported.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InputError(`wasm backend: threads must be an integer from 1 to ${MAX_THREADS}, got ${threads}`);
  }
  const variant = wasmVariant(options.relaxed);
  if (threads === 1) {
    const shared = options.sharedMemory ?? sharedMemorySupported();
    if (shared && !sharedMemorySupported()) throw new InputError("wasm backend: sharedMemory needs shared WebAssembly memory, which this runtime lacks");
    return backendOn(shared ? instantiateSharedKernels(variant).kernels : instantiateKernels(variant), variant);
  }
  if (options.sharedMemory === false) throw new InputError(`wasm backend: ${threads} threads need shared memory; sharedMemory: false allows one thread only`);
  const spawn = options.spawn;
  if (spawn === undefined) throw new InputError(`wasm backend: ${threads} threads need a spawn function that starts helper threads`);
  if (!threadsSupported()) {
    throw new InputError(`wasm backend: ${threads} threads need shared WebAssembly memory and a thread that may block (Atomics.wait); this one has not both`);
  }
  const minSplit = options.minSplit ?? DEFAULT_MIN_SPLIT;
  if (!(minSplit >= 0)) throw new InputError(`wasm backend: minSplit must be a number >= 0, got ${minSplit}`);
  const { kernels, module, memory } = instantiateSharedKernels(variant);
  const workspace = kernels.gemmWorkspaceBytes();
  return backendOn(kernels, variant, (heap) => new ThreadTeam(threads, kernels, module, memory, () => heap.alloc(workspace), spawn, minSplit));
}

/**
 * A one-thread wasm backend compiled asynchronously: use this on a browser
 * main thread (which refuses large synchronous compiles). Like
 * createWasmBackend, it runs over a shared memory where the runtime has one (a
 * cross-origin isolated page), else its own. Rejects without WebAssembly SIMD.
 */
export async function loadWasmBackend(options: Pick<WasmBackendOptions, "relaxed" | "sharedMemory"> = {}): Promise<WasmBackend> {
  const variant = wasmVariant(options.relaxed);
  const shared = options.sharedMemory ?? sharedMemorySupported();
  if (shared && !sharedMemorySupported()) throw new InputError("wasm backend: sharedMemory needs shared WebAssembly memory, which this runtime lacks");
  return backendOn(shared ? (await instantiateSharedKernelsAsync(variant)).kernels : await instantiateKernelsAsync(variant), variant);
}
