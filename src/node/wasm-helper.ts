// Worker-thread entry of a wasm backend's helper (started by wasm-threads.ts):
// receives the shared module, memory and control block, then computes chunks
// of matrix products until its backend closes. It blocks its thread in
// Atomics.wait between products, so it takes no other messages.

import { parentPort } from "node:worker_threads";
import { runHelper, type HelperInit } from "../backend/wasm-threads.js";

parentPort?.once("message", (init: HelperInit) => runHelper(init));
