// The browser-only entry point ("dropout-lab/web"): helper threads for the wasm
// backend on Web Workers. Importing it offers them to selectBackend("wasm") in
// a Web Worker of a cross-origin isolated page; elsewhere "wasm" keeps to one
// thread. The engine itself (the main entry) stays platform-free.

export { webHelperSpawner, webThreadsSupported, crossOriginIsolatedHere, defaultWebThreads, DEFAULT_MAX_WEB_THREADS } from "./wasm-threads.js";
