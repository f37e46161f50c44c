// The one check of a Trainer's saved state (TrainerState, the `trainer`
// section of a checkpoint file) before a run resumes from it. The state comes
// from a file a person can edit, so nothing in it is believed: each field has
// one validator in FIELDS (adding a field to TrainerState is one entry there),
// unknown fields are refused, and the fields must agree with each other and
// with the run (the epoch within the run's epochs, the step count with the
// steps per epoch, one history record per step and per epoch).

import { InputError, checkNumber, show } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { TrainerState } from "./fit.js";

/** What the state is checked against; every part optional (the library knows more than a file reader). */
export interface TrainerStateContext {
  /** Names the file in messages, e.g. "run1/checkpoint.json". */
  readonly source?: string;
  /** The run's epochs: a state past them is refused. */
  readonly epochs?: number;
  /** Steps in one epoch of the training data, ceil(n / min(batch, n)): then step = epoch * stepsPerEpoch exactly. */
  readonly stepsPerEpoch?: number;
}

type Check = (value: unknown, state: Record<string, unknown>, ctx: TrainerStateContext) => void;

/** Largest epoch a state may claim (the schema's limit on epochs). */
const MAX_EPOCHS = 1e6;

const integer = (what: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER) => checkNumber(what, v, { min, max, integer: true });
const finite = (what: string, v: unknown) => checkNumber(what, v, {});

/**
 * One validator per field of TrainerState, in the order they are checked
 * (later ones may rely on earlier ones). `optional` fields may be absent.
 */
const FIELDS: Readonly<Record<string, { readonly optional?: boolean; readonly check: Check }>> = {
  epoch: {
    check: (v, _s, ctx) => {
      integer("trainer.epoch", v, 0, MAX_EPOCHS);
      if (ctx.epochs !== undefined && (v as number) > ctx.epochs) {
        throw new InputError(`trainer.epoch is ${v}, but the run has ${ctx.epochs} epochs; a checkpoint cannot be past the end of its run`);
      }
    },
  },
  step: {
    check: (v, s, ctx) => {
      integer("trainer.step", v);
      const expected = ctx.stepsPerEpoch === undefined ? undefined : (s.epoch as number) * ctx.stepsPerEpoch;
      if (expected !== undefined && v !== expected) {
        throw new InputError(`trainer.step is ${v}, but ${s.epoch} epochs of ${ctx.stepsPerEpoch} steps make ${expected}`);
      }
    },
  },
  rng: {
    check: (v) => {
      try {
        Rng.restore(v as never);
      } catch (e) {
        throw new InputError(`trainer.rng: ${(e as Error).message}`);
      }
    },
  },
  optimizer: {
    // its contents are checked against the network's params when the trainer restores it
    check: (v) => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new InputError(`trainer.optimizer must be an object, got ${show(v)}`);
    },
  },
  history: { check: (v, s, ctx) => checkHistory(v, s.epoch as number, s.step as number, ctx) },
  earlyStopping: {
    optional: true,
    // its counters and best weights are checked against the spec and the params when the trainer restores it
    check: (v) => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new InputError(`trainer.earlyStopping must be an object, got ${show(v)}`);
    },
  },
};

/**
 * Checks a trainer state (see the module comment) and returns it; throws an
 * InputError naming the field, the value and what is allowed.
 */
export function validateTrainerState(value: unknown, context: TrainerStateContext = {}): TrainerState {
  const where = context.source ? `${context.source}: ` : "";
  try {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`trainer must be an object, got ${show(value)}`);
    const state = value as Record<string, unknown>;
    for (const key of Object.keys(state)) {
      if (!Object.hasOwn(FIELDS, key)) throw new InputError(`trainer has an unknown field ${show(key)}; the fields are ${Object.keys(FIELDS).join(", ")}`);
    }
    for (const [key, field] of Object.entries(FIELDS)) {
      if (state[key] === undefined) {
        if (field.optional) continue;
        throw new InputError(`trainer.${key} is missing`);
      }
      field.check(state[key], state, context);
    }
    return value as TrainerState;
  } catch (e) {
    if (e instanceof InputError && where) throw new InputError(where + e.message);
    throw e;
  }
}

/** One record per step (numbered 1..step) and one per epoch (0..epoch), in order, consistent with each other. */
function checkHistory(value: unknown, epoch: number, step: number, ctx: TrainerStateContext): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`trainer.history must be an object, got ${show(value)}`);
  const h = value as Record<string, unknown>;
  const { steps, epochs } = h;
  if (!Array.isArray(steps) || steps.length !== step) {
    throw new InputError(`trainer.history.steps must hold one record per step (${step}), got ${Array.isArray(steps) ? `${steps.length} records` : show(steps)}`);
  }
  if (!Array.isArray(epochs) || epochs.length !== epoch + 1) {
    throw new InputError(`trainer.history.epochs must hold one record per epoch, 0 to ${epoch} (${epoch + 1}), got ${Array.isArray(epochs) ? `${epochs.length} records` : show(epochs)}`);
  }
  const record = (r: unknown, what: string) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) throw new InputError(`${what} must be an object, got ${show(r)}`);
    return r as Record<string, unknown>;
  };
  let lastEpoch = 1;
  steps.forEach((raw, i) => {
    const what = `trainer.history.steps[${i}]`;
    const r = record(raw, what);
    if (r.step !== i + 1) throw new InputError(`${what}.step must be ${i + 1}, got ${show(r.step)}`);
    const e = integer(`${what}.epoch`, r.epoch, lastEpoch, epoch);
    if (ctx.stepsPerEpoch !== undefined && e !== Math.floor(i / ctx.stepsPerEpoch) + 1) {
      throw new InputError(`${what}.epoch must be ${Math.floor(i / ctx.stepsPerEpoch) + 1} (${ctx.stepsPerEpoch} steps per epoch), got ${e}`);
    }
    lastEpoch = e;
    finite(`${what}.cost`, r.cost);
  });
  if (h.stop !== undefined) {
    const stop = record(h.stop, "trainer.history.stop");
    if (stop.reason !== "patience" && stop.reason !== "max-epochs") throw new InputError(`trainer.history.stop.reason must be "patience" or "max-epochs", got ${show(stop.reason)}`);
    if (stop.monitor !== "dev-accuracy" && stop.monitor !== "dev-loss") throw new InputError(`trainer.history.stop.monitor must be "dev-accuracy" or "dev-loss", got ${show(stop.monitor)}`);
    integer("trainer.history.stop.bestEpoch", stop.bestEpoch, 0, epoch);
    finite("trainer.history.stop.bestValue", stop.bestValue);
    if (typeof stop.restored !== "boolean") throw new InputError(`trainer.history.stop.restored must be true or false, got ${show(stop.restored)}`);
  }
  for (const key of Object.keys(h)) {
    if (key !== "steps" && key !== "epochs" && key !== "stop") throw new InputError(`trainer.history has an unknown field ${show(key)}; the fields are steps, epochs, stop`);
  }
  let lastStep = 0;
  epochs.forEach((raw, i) => {
    const what = `trainer.history.epochs[${i}]`;
    const r = record(raw, what);
    if (r.epoch !== i) throw new InputError(`${what}.epoch must be ${i}, got ${show(r.epoch)}`);
    const s = integer(`${what}.step`, r.step, lastStep, step);
    if (ctx.stepsPerEpoch !== undefined && s !== i * ctx.stepsPerEpoch) throw new InputError(`${what}.step must be ${i * ctx.stepsPerEpoch}, got ${s}`);
    if (i === epoch && s !== step) throw new InputError(`${what}.step must be the state's step ${step}, got ${s}`);
    lastStep = s;
    checkNumber(`${what}.lr`, r.lr, { min: 0, minExclusive: true });
    finite(`${what}.cleanCost`, r.cleanCost);
    finite(`${what}.trainLoss`, r.trainLoss);
    for (const key of ["trainAccuracy", "devAccuracy"] as const) if (r[key] !== undefined) checkNumber(`${what}.${key}`, r[key], { min: 0, max: 1 });
    if (r.devLoss !== undefined) finite(`${what}.devLoss`, r.devLoss);
  });
}

/** Steps in one epoch of `examples` training examples at `batchSize`, as Trainer.runEpoch takes them. */
export function stepsPerEpoch(examples: number, batchSize: number): number {
  return Math.ceil(examples / Math.min(batchSize, examples));
}
