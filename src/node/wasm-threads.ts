// Helper threads for the wasm backend in Node: starts each helper on a
// worker_threads Worker (unref'd, so idle helpers never keep a command from
// exiting) and offers them to selectBackend, which then splits large matrix
// products across min(cores, 4) threads on the main thread. In a worker
// thread (parallel runs already use every core) the default stays one thread.
// It also turns on relaxed SIMD in Node 20, whose V8 validates it only behind a
// flag, so that the backend's faster "relaxed" kernels (fused multiply-add)
// are available there as in Node 22+ (not when DROPOUT_LAB_NO_RELAXED is set).

import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { isMainThread } from "node:worker_threads";
import { setThreadPlatform } from "../backend/select.js";
import { relaxedSimdDisabled, relaxedSimdSupported } from "../backend/wasm-module.js";
import type { HelperHandle, HelperInit, SpawnHelper } from "../backend/wasm-threads.js";
import { startWorker } from "./worker-start.js";

/** Most threads the default uses: beyond four, a 128-row batch has too little work per thread. */
const DEFAULT_MAX_THREADS = 4;

/** Starts a helper on a Worker that does not keep the process alive. */
export const nodeHelperSpawner: SpawnHelper = (init: HelperInit): HelperHandle => {
  const worker = startWorker(import.meta.url, "wasm-helper");
  worker.unref();
  // A helper that fails takes no more chunks: the calling thread computes them.
  worker.on("error", (error) => process.emitWarning(`wasm helper thread ${init.index} failed: ${error.message}`));
  worker.postMessage(init);
  return { terminate: () => void worker.terminate() };
};

/** Threads the wasm backend uses by default here: min(cores, 4) on the main thread, 1 in a worker. */
export function defaultWasmThreads(): number {
  return isMainThread ? Math.max(1, Math.min(availableParallelism(), DEFAULT_MAX_THREADS)) : 1;
}

/**
 * Lets V8 validate relaxed SIMD if it does not yet (Node 20: a flag). The flag
 * holds for the whole process, worker threads included, and for modules
 * compiled after this call; a backend made before it keeps the plain kernels.
 * True if the relaxed kernels are now available.
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedSimdSupported()) setFlagsFromString("--experimental-wasm-relaxed-simd");
  return relaxedSimdSupported();
}

if (!relaxedSimdDisabled()) enableRelaxedSimd();
setThreadPlatform({ spawn: nodeHelperSpawner, threads: defaultWasmThreads() });
