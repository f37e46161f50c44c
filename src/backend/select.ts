// Choosing kernels by name: "js" (the plain reference), "wasm" (WebAssembly
// SIMD), "native" (the machine's BLAS for the products, where a platform
// offers one: Node with the addon built and a BLAS found; elsewhere it falls
// back to wasm, and chooseBackend says why in one line) or "auto" (native
// where it loaded, else WebAssembly where this runtime supports it, else js).
// Each backend is instantiated once per thread count and kernel variant, and
// shared. Where a platform offers helper threads (Node: importing
// src/node/wasm-threads.ts, which dropout-lab/node does), "wasm" splits large
// products across its default number of threads; results do not depend on it.
// They depend on the variant only in the last bits (fused multiply-add or not):
// `relaxed: false` (or DROPOUT_LAB_NO_RELAXED=1) pins the plain kernels.

import type { Backend } from "../core/backend.js";
import { InputError, show } from "../core/errors.js";
import { jsBackend } from "../core/ops.js";
import { createWasmBackend, threadsSupported, wasmSimdSupported, wasmVariant, type SpawnHelper, type WasmBackend } from "./wasm.js";
import { MAX_THREADS } from "./wasm-threads.js";
import { createNativeBackend, type NativeBackend, type NativeBlas } from "./native.js";

export type BackendName = "auto" | "js" | "wasm" | "native";
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "js", "wasm", "native"];

/** How a platform starts helper threads, and how many threads the wasm backend uses there by default. */
export interface ThreadPlatform {
  readonly spawn: SpawnHelper;
  /** Default thread count, the calling thread included. */
  readonly threads: number;
}

export interface SelectOptions {
  /** Threads for the large products: the wasm backend's helpers, or the native backend's BLAS (default: the platform's, else 1). Ignored by js. */
  readonly threads?: number;
  /** The wasm backend's kernels: true relaxed SIMD, false plain, default as createWasmBackend's `relaxed`. Ignored by js. */
  readonly relaxed?: boolean;
}

/** How a platform reaches the machine's BLAS (Node: src/node/native.ts). */
export interface NativePlatform {
  /** The BLAS (loaded on the first call, then the same), or the one-line reason there is none. */
  readonly load: () => NativeBlas | string;
  /** Default BLAS thread count. */
  readonly threads: number;
}

/** A backend and why it was the one chosen; `note` (one line) when "native" was asked for and wasm runs instead. */
export interface BackendChoice {
  readonly backend: Backend;
  readonly reason: string;
  readonly note?: string;
}

let platform: ThreadPlatform | undefined;
let nativePlatform: NativePlatform | undefined;
/** Backends by kind, thread count and variant ("wasm/2/relaxed"). */
const backends = new Map<string, WasmBackend | NativeBackend>();

/** Installs (or with undefined removes) the platform's helper threads; backends made earlier keep theirs. */
export function setThreadPlatform(next: ThreadPlatform | undefined): void {
  platform = next;
}

/** Throws an InputError unless `requested` is undefined or an integer from 1 to MAX_THREADS. */
function checkThreads(requested: number | undefined): void {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > MAX_THREADS)) {
    throw new InputError(`threads must be an integer from 1 to ${MAX_THREADS}; got ${show(requested)}`);
  }
}

/** Threads the wasm backend would get here for `requested` (undefined: the default): 1 where helpers cannot run. */
export function wasmThreads(requested?: number): number {
  checkThreads(requested);
  const wanted = requested ?? platform?.threads ?? 1;
  return wanted > 1 && platform !== undefined && threadsSupported() ? wanted : 1;
}

/** Installs (or with undefined removes) the platform's BLAS; backends made earlier keep theirs. */
export function setNativePlatform(next: NativePlatform | undefined): void {
  nativePlatform = next;
}

/** The BLAS the native backend would use here, or the one-line reason there is none. */
export function nativeBlas(): NativeBlas | string {
  return nativePlatform?.load() ?? "it needs Node with the dropout-lab/node entry imported (this runtime offers no BLAS)";
}

function cached<T extends WasmBackend | NativeBackend>(key: string, make: () => T): T {
  let backend = backends.get(key) as T | undefined;
  if (backend === undefined) {
    backend = make();
    backends.set(key, backend);
  }
  return backend;
}

function wasmChoice(options: SelectOptions): WasmBackend {
  if (!wasmSimdSupported()) throw new InputError("the wasm backend needs WebAssembly SIMD, which this runtime lacks; use js");
  const threads = wasmThreads(options.threads);
  const variant = wasmVariant(options.relaxed);
  const relaxed = variant === "relaxed";
  return cached(`wasm/${threads}/${variant}`, () => (threads > 1 ? createWasmBackend({ threads, spawn: platform!.spawn, relaxed }) : createWasmBackend({ relaxed })));
}

/** The native backend on `blas`, with the requested or the platform's thread count. */
function nativeChoice(blas: NativeBlas, options: SelectOptions): NativeBackend {
  checkThreads(options.threads);
  const threads = options.threads ?? nativePlatform?.threads ?? 1;
  const variant = wasmVariant(options.relaxed);
  return cached(`native/${threads}/${variant}`, () => createNativeBackend(blas, { threads, relaxed: variant === "relaxed" }));
}

const describeWasm = (b: WasmBackend) => `WebAssembly SIMD (${b.variant} kernels) on ${b.threads} thread${b.threads > 1 ? "s" : ""}`;
const describeNative = (b: NativeBackend) => `${b.blas}; BLAS on ${b.threads} thread${b.threads > 1 ? "s" : ""}, other kernels in wasm`;

/** The backend called `name` and why it runs (see BackendChoice). "wasm" throws an InputError where WebAssembly SIMD is unavailable. */
export function chooseBackend(name: BackendName = "auto", options: SelectOptions = {}): BackendChoice {
  switch (name) {
    case "js":
      return { backend: jsBackend, reason: "js: the plain TypeScript kernels, as asked" };
    case "wasm": {
      const backend = wasmChoice(options);
      return { backend, reason: `wasm: ${describeWasm(backend)}, as asked` };
    }
    case "native":
    case "auto": {
      const blas = nativeBlas();
      const asked = name === "native" ? "as asked" : "auto prefers native where a BLAS loaded";
      if (typeof blas !== "string") {
        const backend = nativeChoice(blas, options);
        return { backend, reason: `native: ${describeNative(backend)} (${asked})` };
      }
      const note = name === "native" ? { note: `native backend unavailable: ${blas}; running on ${wasmSimdSupported() ? "wasm" : "js"}` } : {};
      if (!wasmSimdSupported()) return { backend: jsBackend, reason: `js: no BLAS (${blas}) and no WebAssembly SIMD`, ...note };
      const backend = wasmChoice(options);
      return { backend, reason: `wasm: ${describeWasm(backend)} (native unavailable: ${blas})`, ...note };
    }
    default:
      throw new InputError(`backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(name)}`);
  }
}

/** The backend called `name` (chooseBackend's, without the reason). */
export function selectBackend(name: BackendName = "auto", options: SelectOptions = {}): Backend {
  return chooseBackend(name, options).backend;
}

export function parseBackendName(value: unknown): BackendName {
  if (typeof value === "string" && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new InputError(`--backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(value)}`);
}
