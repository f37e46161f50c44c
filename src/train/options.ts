// Training options: what fit() needs beyond the network and the data, with the
// validation that runs before any step so bad values fail fast and by name.

import { InputError, checkNumber, show } from "../core/errors.js";
import { validateOptimizerSpec, type OptimizerSpec } from "../optim/optimizer.js";
import { validateScheduleSpec, type ScheduleSpec } from "../optim/schedule.js";
import { validateEarlyStopping, type EarlyStoppingSpec } from "./early-stopping.js";

export interface TrainOptions {
  readonly epochs: number;
  /** Examples per minibatch; a value >= the training set size means full-batch gradient descent. */
  readonly batchSize: number;
  /** Base learning rate (the schedule scales it per epoch). */
  readonly lr: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule?: ScheduleSpec;
  /** Coupled L2: adds (l2 / 2m) Σ w² to the cost J (m = training set size); biases exempt. */
  readonly l2?: number;
  /** Max-norm: after each update every unit's incoming weight vector is rescaled to norm <= maxNorm. */
  readonly maxNorm?: number;
  /** Stop when the dev metric has not improved for `patience` epochs (epochs is then the cap). */
  readonly earlyStopping?: EarlyStoppingSpec;
}

export function validateTrainOptions(value: unknown): TrainOptions {
  if (typeof value !== "object" || value === null) throw new InputError(`training options must be an object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  const options: TrainOptions = {
    epochs: checkNumber("epochs", v.epochs, { min: 1, max: 1e6, integer: true }),
    batchSize: checkNumber("batch size", v.batchSize, { min: 1, integer: true }),
    lr: checkNumber("learning rate", v.lr, { min: 0, minExclusive: true, max: 10 }),
    optimizer: validateOptimizerSpec(v.optimizer),
    ...(v.schedule === undefined ? {} : { schedule: validateScheduleSpec(v.schedule) }),
    ...(v.l2 === undefined ? {} : { l2: checkNumber("l2", v.l2, { min: 0 }) }),
    ...(v.maxNorm === undefined ? {} : { maxNorm: checkNumber("max-norm", v.maxNorm, { min: 0, minExclusive: true }) }),
    ...(v.earlyStopping === undefined ? {} : { earlyStopping: validateEarlyStopping(v.earlyStopping) }),
  };
  return options;
}
