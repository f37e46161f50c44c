// Per-epoch checkpoints of tune trials, kept in the sweep's store (Redis), so
// a trial whose worker died continues from its last finished epoch instead of
// from scratch, and bit for bit: a resumed Trainer is the one that never
// stopped (src/train/fit.ts), and runTrialSegment resumes from exactly this.
//
// One entry per (sweep, trial, seed): the latest segment (keepProbs, result,
// and, while the run goes on, its weights and trainer state). A write only
// replaces an older epoch (one Lua script, atomic in Redis), so a slow worker
// whose job was taken over cannot move a trial backwards. The entry is read
// as untrusted: its shapes are checked against the network and its trainer
// state with validateTrainerState.

import type { Redis } from "ioredis";
import { InputError, checkNumber, show } from "../../core/errors.js";
import { decodeBase64, encodeBase64, bytesOf } from "../../core/base64.js";
import { parameterShapes } from "../../nn/network.js";
import { stepsPerEpoch, validateTrainerState } from "../../train/checkpoint.js";
import type { TrainerState } from "../../train/fit.js";
import type { TrialCheckpoint, TrialRun, TrialSegment, TuneExperiment } from "../../analysis/tune.js";

/** The store's form of a segment: params as base64 bytes with their element type. */
interface StoredSegment {
  readonly epoch: number;
  readonly keepProbs: readonly number[];
  readonly result: TrialRun;
  readonly checkpoint?: { readonly params: readonly { readonly type: "f32" | "f64"; readonly data: string }[]; readonly trainer: TrainerState };
}

export function checkpointKey(sweep: string, index: number, seed: number): string {
  return `dropout-lab:ckpt:${sweep}:${index}:${seed}`;
}

/** The entry's text for the segment that ended at `epoch` (the run's epoch count). */
export function encodeSegment(segment: TrialSegment): string {
  const { checkpoint } = segment;
  const stored: StoredSegment = {
    epoch: segment.result.epochs,
    keepProbs: segment.keepProbs,
    result: segment.result,
    ...(checkpoint
      ? {
          checkpoint: {
            params: checkpoint.params.map((p) => ({ type: p instanceof Float64Array ? ("f64" as const) : ("f32" as const), data: encodeBase64(bytesOf(p)) })),
            trainer: checkpoint.trainer,
          },
        }
      : {}),
  };
  return JSON.stringify(stored);
}

/** A stored segment, checked against the trial's experiment and `examples` training examples. */
export function decodeSegment(text: string, experiment: TuneExperiment, examples: number, where: string): TrialSegment {
  let v: StoredSegment;
  try {
    v = JSON.parse(text) as StoredSegment;
  } catch (e) {
    throw new InputError(`the checkpoint ${where} is not JSON: ${(e as Error).message}`);
  }
  const epochs = experiment.train.epochs;
  const epoch = checkNumber(`${where} epoch`, v.epoch, { min: 1, max: epochs, integer: true });
  const nKeep = experiment.network.layers.length - 1;
  if (!Array.isArray(v.keepProbs) || v.keepProbs.length !== nKeep) throw new InputError(`${where} keepProbs must list ${nKeep} values, got ${show(v.keepProbs)}`);
  v.keepProbs.forEach((p, i) => checkNumber(`${where} keepProbs[${i}]`, p, { min: 0, minExclusive: true, max: 1 }));
  const r = v.result;
  if (typeof r !== "object" || r === null || typeof r.finished !== "boolean") throw new InputError(`${where} result must be a trial run, got ${show(r)}`);
  for (const f of ["devAccuracy", "trainAccuracy"] as const) checkNumber(`${where} result.${f}`, r[f], { min: 0, max: 1 });
  checkNumber(`${where} result.devLoss`, r.devLoss, {});
  checkNumber(`${where} result.bestEpoch`, r.bestEpoch, { min: 0, max: epoch, integer: true });
  if (r.epochs !== epoch) throw new InputError(`${where} result.epochs is ${show(r.epochs)}, but the entry is for epoch ${epoch}`);
  const result: TrialRun = { seed: r.seed, devAccuracy: r.devAccuracy, devLoss: r.devLoss, trainAccuracy: r.trainAccuracy, bestEpoch: r.bestEpoch, epochs: r.epochs, finished: r.finished };
  if (v.checkpoint === undefined) {
    if (!r.finished) throw new InputError(`${where} has no checkpoint, but its run has not finished`);
    return { keepProbs: v.keepProbs, result };
  }
  const shapes = parameterShapes(experiment.network.layers);
  const params = v.checkpoint.params;
  if (!Array.isArray(params) || params.length !== shapes.length) throw new InputError(`${where} must hold ${shapes.length} parameter arrays, got ${show(params?.length)}`);
  const values = params.map((p, i) => {
    const { name, rows, cols } = shapes[i]!;
    if (p?.type !== "f32" && p?.type !== "f64") throw new InputError(`${where} ${name} type must be "f32" or "f64", got ${show(p?.type)}`);
    const bytes = decodeBase64(p.data, `${where} ${name}`);
    const size = p.type === "f32" ? 4 : 8;
    if (bytes.length !== rows * cols * size) throw new InputError(`${where} ${name} has ${bytes.length} bytes; a ${rows}x${cols} ${p.type} array has ${rows * cols * size}`);
    const buffer = bytes.slice().buffer;
    return p.type === "f32" ? new Float32Array(buffer) : new Float64Array(buffer);
  });
  const trainer = validateTrainerState(v.checkpoint.trainer, { source: where, epochs, stepsPerEpoch: stepsPerEpoch(examples, experiment.train.batchSize) });
  if (trainer.epoch !== epoch) throw new InputError(`${where} trainer.epoch is ${trainer.epoch}, but the entry is for epoch ${epoch}`);
  const checkpoint: TrialCheckpoint = { epoch, params: values, trainer };
  return { keepProbs: v.keepProbs, result, checkpoint };
}

/** Replaces the entry only with a later epoch: 1 when written, 0 when the store already had this epoch or a later one. */
const WRITE_IF_LATER = `
local e = redis.call('HGET', KEYS[1], 'epoch')
if (not e) or tonumber(e) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'entry', ARGV[2])
  return 1
end
return 0`;

export async function writeCheckpoint(redis: Redis, key: string, epoch: number, entry: string): Promise<boolean> {
  return (await redis.eval(WRITE_IF_LATER, 1, key, String(epoch), entry)) === 1;
}

export async function readCheckpoint(redis: Redis, key: string): Promise<string | undefined> {
  return (await redis.hget(key, "entry")) ?? undefined;
}
