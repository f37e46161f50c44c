// The checkpoint `train --checkpoint DIR` writes after every epoch and
// `--resume DIR` reads: DIR/checkpoint.json (the experiment, the network, the
// trainer's state, the seconds so far and the backend that wrote it), and
// DIR/checkpoint.lock while a run writes there, so two runs never share one
// directory. Every section is validated before anything is built.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import {
  InputError,
  loadNetwork,
  saveNetwork,
  show,
  validateTrainerState,
  type Backend,
  type Network,
  type NetworkSpec,
  type Trainer,
  type TrainerState,
} from "../src/index.js";
import { validateExperiment, type ExperimentConfig } from "../src/toolkit.js";
import { FILE_LIMITS, processAlive, readJsonFile, withAbsoluteDataPath, writeJsonAtomic } from "../src/node/index.js";

export const CHECKPOINT_FORMAT = "dropout-lab/checkpoint";
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_FILE = "checkpoint.json";
export const LOCK_FILE = "checkpoint.lock";

const FIELDS = ["format", "version", "experiment", "network", "trainer", "seconds", "backend"];

export interface Checkpoint {
  readonly experiment: ExperimentConfig;
  readonly network: Network;
  readonly trainer: TrainerState;
  readonly seconds: number;
  /** The backend that wrote it ("js", "wasm/relaxed", ...), when recorded. */
  readonly backend?: string;
}

/** "js", or "wasm/relaxed": what decides whether a resumed run stays bit-identical. */
export function backendLabel(backend: Backend): string {
  const variant = (backend as { variant?: unknown }).variant;
  return typeof variant === "string" ? `${backend.name}/${variant}` : backend.name;
}

/** Reads and checks DIR/checkpoint.json; the network is loaded onto `backend`. */
export function readCheckpoint(dir: string, backend: Backend): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--resume ${show(dir)} does not exist or is not a directory; give the directory a --checkpoint run wrote`);
  if (!existsSync(path)) throw new InputError(`--resume ${show(dir)}: there is no ${CHECKPOINT_FILE} in that directory`);
  const json = readJsonFile(path, "--resume", FILE_LIMITS.checkpoint);
  const fail = (message: string) => new InputError(`${path}: ${message}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw fail(`not a dropout-lab checkpoint (expected a JSON object, got ${show(json)})`);
  const c = json as Record<string, unknown>;
  if (c.format !== CHECKPOINT_FORMAT) throw fail(`not a dropout-lab checkpoint (format ${show(c.format)}, expected ${show(CHECKPOINT_FORMAT)})`);
  if (c.version !== CHECKPOINT_VERSION) throw fail(`checkpoint version ${show(c.version)} is not supported; this build reads version ${CHECKPOINT_VERSION}`);
  for (const key of Object.keys(c)) if (!FIELDS.includes(key)) throw fail(`unknown field ${show(key)}; a checkpoint has ${FIELDS.join(", ")}`);
  let experiment: ExperimentConfig;
  try {
    experiment = validateExperiment(c.experiment);
  } catch (e) {
    throw e instanceof InputError ? fail(`experiment: ${e.message}`) : e;
  }
  const trainer = validateTrainerState(c.trainer, { source: path, epochs: experiment.epochs });
  if (typeof c.seconds !== "number" || !Number.isFinite(c.seconds) || c.seconds < 0) throw fail(`seconds must be a number >= 0, got ${show(c.seconds)}`);
  if (c.backend !== undefined && typeof c.backend !== "string") throw fail(`backend must be a string such as "js", got ${show(c.backend)}`);
  const network = loadNetwork(c.network, { source: `${path}: network`, backend });
  return { experiment, network, trainer, seconds: c.seconds, ...(c.backend !== undefined ? { backend: c.backend } : {}) };
}

export function writeCheckpoint(dir: string, experiment: ExperimentConfig, trainer: Trainer, seconds: number): void {
  writeJsonAtomic(join(dir, CHECKPOINT_FILE), {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    experiment: withAbsoluteDataPath(experiment),
    network: saveNetwork(trainer.network),
    trainer: trainer.snapshot(),
    seconds,
    backend: backendLabel(trainer.network.backend),
  });
}

/**
 * Takes DIR/checkpoint.lock for this process (creating DIR), or refuses when
 * a live run holds it; a lock left by a killed run is taken over. Returns the
 * release function.
 */
export function lockCheckpointDir(flag: string, dir: string): () => void {
  const lock = join(dir, LOCK_FILE);
  mkdirSync(dir, { recursive: true }); // checkOutputPaths made sure it can be
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const pid = Number(readFileSync(lock, "utf8").trim());
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new InputError(`${flag} ${show(dir)} is in use by another run (process ${pid}); wait for it to finish, give another directory, or remove ${LOCK_FILE} there if no run uses it`);
      }
      rmSync(lock, { force: true }); // its run is gone
    }
  }
  return () => rmSync(lock, { force: true });
}

/**
 * The flags given with --resume: the checkpoint's experiment is the run's, so
 * an experiment flag is refused (it would be silently ignored), except
 * --epochs, which may extend the run. `own` lists the command's flags that
 * are not experiment flags. Returns the new epoch count, if given.
 */
export function resumeEpochs(flags: Readonly<Record<string, unknown>>, own: readonly string[]): number | undefined {
  const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const refused = Object.keys(flags).filter((key) => flags[key] !== undefined && key !== "epochs" && !own.includes(key));
  if (refused.length > 0) {
    throw new InputError(
      `--resume continues the checkpointed experiment, so ${refused.map(kebab).join(", ")} cannot be changed; only --epochs can (to train longer), with --save, --out, --checkpoint, --json and --backend`,
    );
  }
  if (flags.epochs === undefined) return undefined;
  const text = String(flags.epochs);
  const epochs = Number(text);
  if (text.trim() === "" || !Number.isInteger(epochs) || epochs < 1 || epochs > 1e6) throw new InputError(`--epochs must be an integer in [1, 1000000], got ${show(text)}`);
  return epochs;
}

/**
 * The experiment a resumed run continues: the checkpoint's, with `epochs`
 * when given (never fewer than the epochs already trained). The notes say
 * what changed and what a person should know.
 */
export function resumedExperiment(checkpoint: Checkpoint, epochs: number | undefined, backend: Backend): { experiment: ExperimentConfig; notes: string[] } {
  const notes: string[] = [];
  const done = checkpoint.trainer.epoch;
  let experiment = checkpoint.experiment;
  if (epochs !== undefined && epochs !== experiment.epochs) {
    if (epochs < done) throw new InputError(`--epochs ${epochs} is fewer than the ${done} epochs the checkpoint has already trained; give at least ${done}`);
    notes.push(`--epochs ${epochs} replaces the checkpoint's ${experiment.epochs}: the run continues to epoch ${epochs}`);
    experiment = { ...experiment, epochs };
  }
  if (done >= experiment.epochs) notes.push(`the checkpointed run has already trained all its ${experiment.epochs} epochs; nothing is left to train (give --epochs to train longer)`);
  const label = backendLabel(backend);
  if (checkpoint.backend !== undefined && checkpoint.backend !== label) {
    notes.push(`the checkpoint was written on the ${checkpoint.backend} backend and resumes on ${label}: the result will not be bit-identical to an uninterrupted run (give --backend ${checkpoint.backend.split("/")[0]} to keep it so)`);
  }
  return { experiment, notes };
}

/** The checkpoint's network must be the one its experiment builds on this data (its checksum covers only the weights). */
export function checkResumedNetwork(path: string, network: Network, expected: NetworkSpec): void {
  const shape = (s: NetworkSpec) => JSON.stringify([s.layers, s.activation, s.keepProbs, s.loss]);
  if (shape(network.spec) !== shape(expected)) {
    throw new InputError(
      `${path}: the network (${network.spec.layers.join("-")} ${network.spec.activation}, keepProbs ${network.spec.keepProbs.join("/")}) is not the one its experiment builds on this data (${expected.layers.join("-")} ${expected.activation}, keepProbs ${expected.keepProbs.join("/")})`,
    );
  }
}
