// The worker-thread side of tune-pool.ts: loads the experiment's data once
// (Node's loadData, the same spec, options and seed as every other worker),
// then trains the trial segments the pool sends, one at a time, and posts each
// segment back with its weights transferred rather than copied.

import { parentPort } from "node:worker_threads";
import { loadData } from "../load.js";
// A trial's backend "auto" or "native" reaches the machine's BLAS in this thread too.
import "../native.js";
import type { TrainData } from "../../train/fit.js";
import type { Backend } from "../../core/backend.js";
import { selectBackend } from "../../backend/select.js";
import { runTrialSegment, type SegmentRequest, type TrialSegment } from "../../analysis/tune.js";
import type { ToWorker, FromWorker, WorkerTuneExperiment } from "./tune-pool.js";

const port = parentPort;
if (!port) throw new Error("tune-thread must run in a worker thread");

let experiment: WorkerTuneExperiment | undefined;
let drawSeed = 0;
let backend: Backend | undefined;
let data: TrainData | undefined;

function transferables(segment: TrialSegment): ArrayBuffer[] {
  return segment.checkpoint ? segment.checkpoint.params.map((p) => p.buffer as ArrayBuffer) : [];
}

port.on("message", (message: ToWorker) => {
  try {
    switch (message.type) {
      case "init": {
        experiment = message.experiment;
        drawSeed = message.drawSeed;
        backend = selectBackend(experiment.backend ?? "js");
        const loaded = loadData(experiment.data.spec, experiment.data.options);
        data = { train: loaded.train, dev: loaded.dev };
        port.postMessage({ type: "ready" } satisfies FromWorker);
        return;
      }
      case "run": {
        if (!experiment || !data) throw new Error("tune-thread: a segment arrived before init");
        const request: SegmentRequest = message.request;
        const segment = runTrialSegment(experiment, request.index, request.seed, data, request.until, request.from, { drawSeed, ...(backend ? { backend } : {}) });
        port.postMessage({ type: "segment", id: message.id, segment } satisfies FromWorker, transferables(segment));
        return;
      }
      default: {
        const never: never = message;
        throw new Error(`tune-thread: unknown message ${String(never)}`);
      }
    }
  } catch (e) {
    const error = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
    port.postMessage({ type: "error", id: message.type === "run" ? message.id : -1, error } satisfies FromWorker);
  }
});
