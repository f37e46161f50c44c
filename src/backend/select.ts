// Choosing kernels by name: "js" (the plain reference), "wasm" (WebAssembly
// SIMD) or "auto" (WebAssembly when this runtime supports it, else js). The
// WebAssembly backend is instantiated once per thread, thread count and kernel
// variant, and shared. Where a platform offers helper threads (Node: importing
// src/node/wasm-threads.ts, which dropout-lab/node does), "wasm" splits large
// products across its default number of threads; results do not depend on it.
// They depend on the variant only in the last bits (fused multiply-add or not):
// `relaxed: false` (or DROPOUT_LAB_NO_RELAXED=1) pins the plain kernels.

import type { Backend } from "../core/backend.js";
import { InputError, show } from "../core/errors.js";
import { jsBackend } from "../core/ops.js";
import { createWasmBackend, threadsSupported, wasmSimdSupported, wasmVariant, type SpawnHelper, type WasmBackend } from "./wasm.js";
import { MAX_THREADS } from "./wasm-threads.js";

export type BackendName = "auto" | "js" | "wasm";
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "js", "wasm"];

/** How a platform starts helper threads, and how many threads the wasm backend uses there by default. */
export interface ThreadPlatform {
  readonly spawn: SpawnHelper;
  /** Default thread count, the calling thread included. */
  readonly threads: number;
}

export interface SelectOptions {
  /** Threads for the wasm backend's large products (default: the platform's, else 1). Ignored by js. */
  readonly threads?: number;
  /** The wasm backend's kernels: true relaxed SIMD, false plain, default as createWasmBackend's `relaxed`. Ignored by js. */
  readonly relaxed?: boolean;
}

let platform: ThreadPlatform | undefined;
/** Backends by thread count and variant ("2/relaxed"). */
const wasmBackends = new Map<string, WasmBackend>();

/** Installs (or with undefined removes) the platform's helper threads; backends made earlier keep theirs. */
export function setThreadPlatform(next: ThreadPlatform | undefined): void {
  platform = next;
}

/** Threads the wasm backend would get here for `requested` (undefined: the default): 1 where helpers cannot run. */
export function wasmThreads(requested?: number): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > MAX_THREADS)) {
    throw new InputError(`threads must be an integer from 1 to ${MAX_THREADS}; got ${show(requested)}`);
  }
  const wanted = requested ?? platform?.threads ?? 1;
  return wanted > 1 && platform !== undefined && threadsSupported() ? wanted : 1;
}

/** The backend called `name`; "wasm" throws an InputError where WebAssembly SIMD is unavailable. */
export function selectBackend(name: BackendName = "auto", options: SelectOptions = {}): Backend {
  switch (name) {
    case "js":
      return jsBackend;
    case "wasm": {
      if (!wasmSimdSupported()) throw new InputError("the wasm backend needs WebAssembly SIMD, which this runtime lacks; use js");
      const threads = wasmThreads(options.threads);
      const variant = wasmVariant(options.relaxed);
      const key = `${threads}/${variant}`;
      let backend = wasmBackends.get(key);
      if (backend === undefined) {
        const relaxed = variant === "relaxed";
        backend = threads > 1 ? createWasmBackend({ threads, spawn: platform!.spawn, relaxed }) : createWasmBackend({ relaxed });
        wasmBackends.set(key, backend);
      }
      return backend;
    }
    case "auto":
      return wasmSimdSupported() ? selectBackend("wasm", options) : jsBackend;
    default:
      throw new InputError(`backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(name)}`);
  }
}

export function parseBackendName(value: unknown): BackendName {
  if (typeof value === "string" && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new InputError(`--backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(value)}`);
}
