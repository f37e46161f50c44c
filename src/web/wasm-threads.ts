// Helper threads for the wasm backend in a browser: starts each helper on a
// module Web Worker (wasm-helper-worker.ts, which a bundler such as Vite finds
// through the `new Worker(new URL(...))` pattern below) and offers them to
// selectBackend, which then splits large matrix products across
// min(navigator.hardwareConcurrency, 4) threads. That needs what browsers
// grant only to a cross-origin isolated page (COOP same-origin + COEP
// require-corp): shared WebAssembly memory; and a calling thread that may
// block, so it works in a Web Worker, never on the page's main thread, where
// the wasm backend keeps to one thread. Browser-only: Node uses
// src/node/wasm-threads.ts. src/ compiles without the DOM library, so the few
// browser globals used are typed here.

import { setThreadPlatform } from "../backend/select.js";
import { threadsSupported, type HelperHandle, type HelperInit, type SpawnHelper } from "../backend/wasm-threads.js";

/** The part of a browser's Worker used here. */
interface BrowserWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: "error", listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
}

/** The browser's Worker constructor (module-local: it refers to the global at run time). */
declare const Worker: new (url: URL, options: { type: "module"; name: string }) => BrowserWorker;

/** The browser globals read here; each may be missing (Node, old browsers). */
interface BrowserGlobals {
  readonly crossOriginIsolated?: unknown;
  readonly navigator?: { readonly hardwareConcurrency?: number };
  readonly Worker?: unknown;
}

const browser = globalThis as BrowserGlobals;

/** Most threads the default uses: beyond four, a playground-sized batch has too little work per thread. */
export const DEFAULT_MAX_WEB_THREADS = 4;

/**
 * True if this page (or the page that started this worker) is cross-origin
 * isolated, so that its workers may share WebAssembly memory. The page's
 * server must send Cross-Origin-Opener-Policy: same-origin and
 * Cross-Origin-Embedder-Policy: require-corp (`dropout-lab serve` does).
 */
export function crossOriginIsolatedHere(): boolean {
  return browser.crossOriginIsolated === true;
}

/**
 * True if the wasm backend can run on several threads here: a cross-origin
 * isolated browser context, shared memory, Web Workers, and a thread allowed
 * to block in Atomics.wait (a Web Worker; the page's main thread is not).
 */
export function webThreadsSupported(): boolean {
  return crossOriginIsolatedHere() && typeof browser.Worker === "function" && threadsSupported();
}

/**
 * Threads the wasm backend uses by default in a Web Worker of this page:
 * min(navigator.hardwareConcurrency, 4) where the page is cross-origin
 * isolated, else 1. The page's main thread may ask too (what its workers get),
 * though it runs the backend on one thread itself.
 */
export function defaultWebThreads(): number {
  if (!crossOriginIsolatedHere()) return 1;
  const cores = browser.navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(typeof cores === "number" && cores >= 1 ? Math.floor(cores) : 1, DEFAULT_MAX_WEB_THREADS));
}

/**
 * Starts a helper on a module Web Worker. A helper that fails (its script
 * does not load, or it cannot join the shared memory) takes no chunk, so the
 * calling thread computes them all; the failure is logged as a warning and
 * goes no further (preventDefault keeps it from failing the calling worker).
 */
export const webHelperSpawner: SpawnHelper = (init: HelperInit): HelperHandle => {
  const worker = new Worker(new URL("./wasm-helper-worker.js", import.meta.url), { type: "module", name: "dropout-lab wasm helper" });
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    console.warn(`wasm helper thread ${init.index} failed: ${event.message || "it could not start"}; the calling thread computes its share`);
  });
  worker.postMessage(init);
  return { terminate: () => worker.terminate() };
};

setThreadPlatform({ spawn: webHelperSpawner, threads: defaultWebThreads() });
