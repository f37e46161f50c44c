// Web Worker entry of a wasm backend's helper (started by wasm-threads.ts):
// receives the shared module, memory and control block, then computes chunks
// of matrix products until its backend closes. It blocks its thread in
// Atomics.wait between products, so it takes no other messages. An error
// here (say, the memory cannot be shared) fails only this helper: its owner
// logs it and computes the chunks itself.

import { runHelper, type HelperInit } from "../backend/wasm-threads.js";

/** The part of a dedicated worker's global scope used here (src/ compiles without the DOM library). */
interface HelperScope {
  addEventListener(type: "message", listener: (event: { readonly data: HelperInit }) => void, options: { readonly once: true }): void;
}

(globalThis as unknown as HelperScope).addEventListener("message", (event) => runHelper(event.data), { once: true });
