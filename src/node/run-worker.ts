// Worker-thread entry for runs.ts: receives an experiment config, runs it,
// posts the result (or the error's message) back.

import { parentPort } from "node:worker_threads";
import { runExperiment } from "./experiment.js";
// "auto" and "native" reach the machine's BLAS in this thread too.
import "./native.js";
import type { ExperimentConfig } from "../config/experiment.js";
import type { BackendName } from "../backend/select.js";

parentPort?.on("message", (msg: { config: ExperimentConfig; keepNetwork: boolean; backend: BackendName }) => {
  try {
    parentPort!.postMessage({ ok: true, result: runExperiment(msg.config, { keepNetwork: msg.keepNetwork, backend: msg.backend }) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, name: (e as Error).name, message: (e as Error).message });
  }
});
