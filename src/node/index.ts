// The Node-only entry point ("dropout-lab/node"): file loaders and helpers
// that touch the file system. The engine itself stays browser-safe.

export { loadData, type LoadOptions, type LoadedData } from "../data/load.js";
export { writeFileAtomic, writeJsonAtomic, readJsonFile } from "./files.js";
export { runExperiment, checkExperiment, loadExperimentData, loadOptionsOf, createNetwork, type ExperimentResult } from "./experiment.js";
export { runExperiments, type RunOptions } from "./runs.js";
// Importing this entry offers Node's worker threads to selectBackend("wasm").
export { nodeHelperSpawner, defaultWasmThreads } from "./wasm-threads.js";
// Importing this entry offers the machine's BLAS to selectBackend("native" and "auto").
export { loadNativeBlas, processBlas, blasCandidates, type NativeLoadOptions } from "./native.js";
export { renderSvg } from "../report/render.js";
export { tuneInWorkers, type WorkerTuneExperiment, type WorkerTuneOptions } from "../analysis/tune-workers.js";
export { startServer, ISOLATION_HEADERS, type ServerOptions, type RunningServer } from "./serve.js";
