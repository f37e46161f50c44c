// The Node-only entry point ("dropout-lab/node"): file loaders and helpers
// that touch the file system. The engine itself stays browser-safe.

export { loadData, type LoadOptions, type LoadedData } from "./load.js";
export { writeFileAtomic, writeJsonAtomic, readJsonFile, readFileBounded, checkOutputPaths, processAlive, FILE_LIMITS, type OutputCheck } from "./files.js";
export { runExperiment, checkExperiment, loadExperimentData, loadOptionsOf, withAbsoluteDataPath, type ExperimentResult } from "./experiment.js";
export { runExperiments, type RunOptions } from "./runs.js";
export { diagnoseExperiment, diagnosisConfigs, convergingConfig, outcomes, type DiagnoseExperimentOptions, type ExperimentDiagnosis } from "./diagnose.js";
// Importing this entry offers Node's worker threads to selectBackend("wasm").
export { nodeHelperSpawner, defaultWasmThreads } from "./wasm-threads.js";
// Importing this entry offers the machine's BLAS to selectBackend("native" and "auto").
export { loadNativeBlas, processBlas, blasCandidates, type NativeLoadOptions } from "./native.js";
export { renderSvg } from "../report/render.js";
export { tuneInWorkers, type WorkerTuneExperiment, type WorkerTuneOptions } from "./sweep/tune-pool.js";
export { startServer, ISOLATION_HEADERS, type ServerOptions, type RunningServer } from "./serve.js";
export { runStudy, type StudyOptions, type StudyResult, type StoredRun, type VarianceResult, type SizeResult } from "./study.js";
export { studyPlan, type StudyPlan } from "./study-plan.js";
export { openSweepRunner, type SweepRunner, type SweepRunnerOptions, type Runner, type TuneOptions, type SweepProgress } from "./sweep/runner.js";
export { tuneSweepName, runsSweepName, validateJob, MAX_JOB_CHARS, DEFAULT_MAX_JOB_EPOCHS, type TuneSweep, type SweepJob, type JobOutcome } from "./sweep/spec.js";
export { parseRedisUrl, type RedisTarget } from "./sweep/redis.js";
export { startSweepWorker, type SweepWorkerOptions, type RunningWorker } from "./sweep/worker.js";
export { sweepStatus, exportSweep, type SweepStatus } from "./sweep/status.js";
