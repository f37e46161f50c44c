// What a sweep is, as plain JSON that can travel through a queue: a tune
// search (the CLI's experiment config plus the search) or a batch of
// independent experiment runs. A sweep's name is its content hash, so the same
// command finds its own queue again after a crash, and a queue holding anything
// else is noticed.
//
// Jobs are untrusted input (anyone who can write to the Redis can add one):
// validateJob checks each one with the CLI's own schema (validateExperiment;
// validateTuneExperiment once the data is loaded), confines file data to the
// worker's --data-root, and bounds its size; the reason for a refusal is the
// failed job's reason.

import { createHash } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { InputError, checkNumber, show } from "../../core/errors.js";
import { validateExperiment, resolveNetworkSpec, trainOptionsOf, type ExperimentConfig } from "../../config/experiment.js";
import { formatDataSpec, parseDataSpec } from "../../data/spec.js";
import { BACKEND_NAMES, type BackendName } from "../../backend/select.js";
import { INPUT_KINDS, type InputKind } from "../../analysis/advisor.js";
import { trialCount, type SearchSpec, type TrialRun, type TuneExperiment } from "../../analysis/tune.js";
import type { Dataset } from "../../data/dataset.js";
import { loadOptionsOf, type ExperimentResult } from "../experiment.js";
import type { WorkerTuneExperiment } from "./tune-pool.js";

/** A keepProb search: the experiment as the CLI's schema, the search, and the seeds every trial runs on. */
export interface TuneSweep {
  /** Data (file paths absolute), split seed, network and training settings; patience for convergence. */
  readonly config: ExperimentConfig;
  readonly search?: SearchSpec;
  readonly rungs?: readonly number[];
  readonly inputKind?: InputKind;
  readonly backend: BackendName;
  readonly seeds: readonly number[];
}

/** One job: a segment of a tune trial (one trial, one seed, up to an epoch), or one experiment run. */
export type SweepJob =
  | { readonly kind: "segment"; readonly sweep: TuneSweep; readonly index: number; readonly seed: number; readonly until: number }
  | { readonly kind: "run"; readonly config: ExperimentConfig; readonly backend: BackendName };

/** What a finished job leaves in the store. */
export type JobOutcome =
  | {
      readonly kind: "segment";
      readonly keepProbs: readonly number[];
      readonly result: TrialRun;
      /** The epoch of the checkpoint the next segment continues from; absent once the run ended. */
      readonly checkpointEpoch?: number;
      /** The epoch this attempt continued from (a retried trial resumes from the store's last checkpoint). */
      readonly resumedFrom: number;
      readonly worker: string;
    }
  | { readonly kind: "run"; readonly result: ExperimentResult; readonly worker: string };

/** Largest job the worker reads (JSON characters). */
export const MAX_JOB_CHARS = 256 * 1024;
/** Most examples a synthetic set in a job may ask for. */
export const MAX_JOB_EXAMPLES = 1_000_000;
/** Most seeds a tune sweep may run every trial on. */
export const MAX_SEEDS = 100;
/** Most epochs a worker trains one job for unless its --max-epochs says otherwise: a job is work a stranger asks for. */
export const DEFAULT_MAX_JOB_EPOCHS = 1000;

/** JSON with object keys sorted, so equal sweeps hash equally whatever their field order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The queue of a sweep: "dl-<kind>-" and the first 16 hex digits of sha256(canonical JSON). */
export function sweepName(kind: "tune" | "runs", content: unknown): string {
  return `dl-${kind}-${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 16)}`;
}

export function tuneSweepName(sweep: TuneSweep): string {
  return sweepName("tune", sweep);
}

export function runsSweepName(configs: readonly ExperimentConfig[], backend: BackendName): string {
  return sweepName("runs", { configs, backend });
}

/** The tuning experiment a sweep stands for, once its training data is known (for the network's input and output sizes). */
export function tuneExperimentOf(sweep: TuneSweep, train: Dataset): WorkerTuneExperiment {
  const { config } = sweep;
  return {
    network: resolveNetworkSpec(config, train),
    train: trainOptionsOf(config),
    ...(sweep.search ? { search: sweep.search } : {}),
    ...(sweep.rungs ? { pruning: { rungs: sweep.rungs } } : {}),
    ...(sweep.inputKind ? { inputKind: sweep.inputKind } : {}),
    backend: sweep.backend,
    data: { spec: config.data, options: loadOptionsOf(config) },
  };
}

/** The rung epochs a sweep's segments stop at: its pruning rungs, then the epoch cap. */
export function sweepRungs(sweep: TuneSweep): number[] {
  return [...(sweep.rungs ?? []), sweep.config.epochs];
}

/**
 * The experiment's data confined to `dataRoot`: synthetic and bundled sets
 * pass; csv:PATH and fashion-mnist:DIR must resolve (symbolic links followed)
 * inside the root, and without a root they are refused.
 */
export function confineData(config: ExperimentConfig, dataRoot: string | undefined): void {
  const spec = parseDataSpec(config.data);
  const path = spec.name === "csv" ? spec.path : spec.name === "fashion-mnist" ? spec.dir : undefined;
  if (spec.name !== "csv" && config.size !== undefined && config.size > MAX_JOB_EXAMPLES) {
    throw new InputError(`a job's size is ${config.size}; a worker trains on at most ${MAX_JOB_EXAMPLES} synthetic examples`);
  }
  if (path === undefined) return;
  const shown = formatDataSpec(spec);
  if (dataRoot === undefined) throw new InputError(`data ${show(shown)} reads files, and this worker has no --data-root; start it with --data-root DIR holding the data`);
  const root = realpathSync(dataRoot);
  const target = resolve(root, path);
  const real = existsSync(target) ? realpathSync(target) : target;
  const rel = relative(root, real);
  if (rel.startsWith("..") || isAbsolute(rel)) throw new InputError(`data ${show(shown)} is outside this worker's --data-root ${show(root)}; a job may only read files under it`);
}

/** A job's kind-independent checks: an object within MAX_JOB_CHARS. */
function jobObject(data: unknown): Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new InputError(`a job must be a JSON object, got ${show(data)}`);
  const chars = JSON.stringify(data).length;
  if (chars > MAX_JOB_CHARS) throw new InputError(`a job is ${chars} characters of JSON; at most ${MAX_JOB_CHARS} are allowed`);
  return data as Record<string, unknown>;
}

function backendOf(value: unknown): BackendName {
  if (typeof value === "string" && (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new InputError(`a job's backend must be one of ${BACKEND_NAMES.join(", ")}, got ${show(value)}`);
}

/** Checks a tune sweep's own fields (the experiment by the CLI's schema); the search is checked against the network in checkTuneExperiment. */
function validateTuneSweep(value: unknown): TuneSweep {
  if (typeof value !== "object" || value === null) throw new InputError(`a job's sweep must be an object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  const allowed = ["config", "search", "rungs", "inputKind", "backend", "seeds"];
  for (const key of Object.keys(v)) if (!allowed.includes(key)) throw new InputError(`a job's sweep has an unknown field ${show(key)}; the fields are: ${allowed.join(", ")}`);
  const config = validateExperiment(v.config);
  if (!Array.isArray(v.seeds) || v.seeds.length === 0 || v.seeds.length > MAX_SEEDS) throw new InputError(`a job's seeds must list 1 to ${MAX_SEEDS} seeds, got ${show(v.seeds)}`);
  v.seeds.forEach((s, i) => checkNumber(`seeds[${i}]`, s, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  if (v.inputKind !== undefined && !(INPUT_KINDS as readonly unknown[]).includes(v.inputKind)) throw new InputError(`a job's inputKind must be ${INPUT_KINDS.join(" or ")}, got ${show(v.inputKind)}`);
  return { ...(v as unknown as TuneSweep), config, backend: backendOf(v.backend) };
}

/**
 * Validates a job read from the queue `queue`: its shape, its experiment by
 * the CLI's schema, its data within `dataRoot`, and, for a tune segment,
 * that the sweep it carries is the one the queue is named after and that
 * (index, seed, until) belong to it. Throws an InputError naming the field.
 */
export function validateJob(data: unknown, queue: string, dataRoot: string | undefined, maxEpochs = DEFAULT_MAX_JOB_EPOCHS): SweepJob {
  const v = jobObject(data);
  const bounded = (config: ExperimentConfig): void => {
    if (config.epochs > maxEpochs) throw new InputError(`a job trains up to ${config.epochs} epochs; this worker takes at most ${maxEpochs} (--max-epochs)`);
  };
  switch (v.kind) {
    case "run": {
      const config = validateExperiment(v.config);
      confineData(config, dataRoot);
      bounded(config);
      return { kind: "run", config, backend: backendOf(v.backend) };
    }
    case "segment": {
      const sweep = validateTuneSweep(v.sweep);
      const name = tuneSweepName(v.sweep as TuneSweep);
      if (name !== queue) throw new InputError(`a job in queue ${show(queue)} carries the sweep ${show(name)}; a queue runs only its own sweep's jobs`);
      confineData(sweep.config, dataRoot);
      bounded(sweep.config);
      checkNumber("a job's seed", v.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
      if (!sweep.seeds.includes(v.seed as number)) throw new InputError(`a job's seed ${show(v.seed)} is not one of its sweep's seeds ${show(sweep.seeds)}`);
      if (!sweepRungs(sweep).includes(v.until as number)) throw new InputError(`a job's until ${show(v.until)} is not one of its sweep's rungs ${show(sweepRungs(sweep))}`);
      checkNumber("a job's index", v.index, { min: 0, max: 100_000, integer: true });
      return { kind: "segment", sweep, index: v.index as number, seed: v.seed as number, until: v.until as number };
    }
    default:
      throw new InputError(`a job's kind must be "segment" or "run", got ${show(v.kind)}`);
  }
}

/** A segment job's trial index against its experiment (known once the data is loaded). */
export function checkTrialIndex(experiment: TuneExperiment, index: number): void {
  checkNumber("a job's trial index", index, { min: 0, max: trialCount(experiment) - 1, integer: true });
}
