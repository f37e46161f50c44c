// Choosing kernels by name: "js" (the plain reference), "wasm" (WebAssembly
// SIMD) or "auto" (WebAssembly when this runtime supports it, else js). The
// WebAssembly module is instantiated once per thread and shared.

import type { Backend } from "../core/backend.js";
import { InputError, show } from "../core/errors.js";
import { jsBackend } from "../core/ops.js";
import { createWasmBackend, wasmSimdSupported, type WasmBackend } from "./wasm.js";

export type BackendName = "auto" | "js" | "wasm";
export const BACKEND_NAMES: readonly BackendName[] = ["auto", "js", "wasm"];

let wasm: WasmBackend | undefined;

/** The backend called `name`; "wasm" throws an InputError where WebAssembly SIMD is unavailable. */
export function selectBackend(name: BackendName = "auto"): Backend {
  switch (name) {
    case "js":
      return jsBackend;
    case "wasm":
      if (!wasmSimdSupported()) throw new InputError("the wasm backend needs WebAssembly SIMD, which this runtime lacks; use js");
      wasm ??= createWasmBackend();
      return wasm;
    case "auto":
      return wasmSimdSupported() ? selectBackend("wasm") : jsBackend;
    default:
      throw new InputError(`backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(name)}`);
  }
}

export function parseBackendName(value: unknown): BackendName {
  if (typeof value === "string" && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new InputError(`--backend must be one of ${BACKEND_NAMES.join(", ")}; got ${show(value)}`);
}
