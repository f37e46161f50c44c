// The training loop. One step: gather a shuffled minibatch, forward in train
// mode (fresh dropout masks), loss on the logits, backward, L2 gradient, the
// optimizer's update, max-norm. Every step's noisy cost and every epoch's clean
// J go into the History. A Trainer can be snapshotted between epochs and
// restored so that the resumed run is bit-identical to an uninterrupted one.

import { DivergenceError, InputError } from "../core/errors.js";
import { checkFinite, zeros, type Matrix } from "../core/matrix.js";
import { Rng, type RngState } from "../core/rng.js";
import { targetColumns, type Dataset } from "../data/dataset.js";
import { BufferCache } from "../nn/buffers.js";
import { checkTargets, lossForward, lossTargetColumns } from "../nn/losses.js";
import type { Network } from "../nn/network.js";
import {
  createOptimizer,
  deserializeOptimizerState,
  serializeOptimizerState,
  type Optimizer,
  type OptimizerState,
} from "../optim/optimizer.js";
import { addL2Gradient, applyMaxNorm, l2Cost } from "../optim/penalties.js";
import { learningRate } from "../optim/schedule.js";
import { cleanCost, evaluate } from "./evaluate.js";
import { copyHistory, emptyHistory, type EpochRecord, type History, type StepRecord } from "./history.js";
import { stepsPerEpoch, validateTrainerState } from "./checkpoint.js";
import { validateTrainOptions, type TrainOptions } from "./options.js";
import { EarlyStopping, type EarlyStoppingState, type StopReason } from "./early-stopping.js";

export interface TrainData {
  readonly train: Dataset;
  readonly dev?: Dataset;
}

/** Where a step sits in the run, for progress displays. */
export interface StepProgress extends StepRecord {
  readonly stepInEpoch: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
}

export interface TrainCallbacks {
  onStep?(progress: StepProgress): void;
  onEpoch?(record: EpochRecord): void;
}

/** Plain, JSON-serializable state of a trainer between epochs. */
export interface TrainerState {
  readonly epoch: number;
  readonly step: number;
  readonly rng: RngState;
  readonly optimizer: unknown;
  readonly history: History;
  /** Present when the options ask for early stopping. */
  readonly earlyStopping?: EarlyStoppingState;
}

export class Trainer {
  readonly options: TrainOptions;
  readonly history: History;
  private readonly optimizer: Optimizer;
  private readonly optState: OptimizerState;
  private readonly rng: Rng;
  private completedEpochs = 0;
  private steps = 0;
  private readonly perm: Int32Array;
  private readonly xBuf: BufferCache;
  private readonly yBuf: BufferCache;
  private readonly dzBuf: BufferCache;
  private readonly stopper: EarlyStopping | undefined;

  /**
   * Validates everything before any step. `rng` drives shuffling ("shuffle")
   * and dropout masks ("dropout"); pass a dedicated stream (startRun in
   * train/run.ts passes the seed's "train" stream). `resume` continues from a
   * snapshot().
   */
  constructor(
    readonly network: Network,
    readonly data: TrainData,
    options: TrainOptions,
    rng: Rng,
    resume?: TrainerState,
  ) {
    this.options = validateTrainOptions(options);
    checkData(network, data);
    if (resume) validateTrainerState(resume, { epochs: this.options.epochs, stepsPerEpoch: stepsPerEpoch(data.train.size, this.options.batchSize) });
    const es = this.options.earlyStopping;
    if (es) checkMonitor(es.monitor, data);
    this.optimizer = createOptimizer(this.options.optimizer, network.backend);
    const params = network.params();
    if (resume) {
      this.rng = Rng.restore(resume.rng);
      this.optState = deserializeOptimizerState(resume.optimizer, params, network.backend);
      this.completedEpochs = resume.epoch;
      this.steps = resume.step;
      this.history = copyHistory(resume.history);
      if (es) {
        if (resume.earlyStopping === undefined) throw new InputError("the trainer state has no earlyStopping section, but the options ask for early stopping");
        const shapes = params.map((p) => ({ length: p.value.data.length, float64: p.value.data instanceof Float64Array }));
        this.stopper = EarlyStopping.restore(es, resume.earlyStopping, shapes, resume.epoch);
      }
    } else {
      this.rng = rng;
      this.optState = this.optimizer.init(params);
      this.history = emptyHistory();
      if (es) this.stopper = new EarlyStopping(es);
    }
    this.perm = new Int32Array(data.train.size);
    this.xBuf = new BufferCache(data.train.features, network.dtype);
    this.yBuf = new BufferCache(targetColumns(data.train.task), network.dtype);
    this.dzBuf = new BufferCache(network.outputs, network.dtype);
    if (this.history.epochs.length === 0) this.record(0, this.lrAt(0));
  }

  get epoch(): number {
    return this.completedEpochs;
  }

  get step(): number {
    return this.steps;
  }

  /** True once every epoch has run or early stopping has ended the run (history.stop says which). */
  get done(): boolean {
    return this.history.stop !== undefined || this.completedEpochs >= this.options.epochs;
  }

  /** Learning rate of a 0-based epoch under the schedule. */
  lrAt(epoch: number): number {
    const s = this.options.schedule;
    return s ? learningRate(s, this.options.lr, epoch) : this.options.lr;
  }

  /**
   * Runs one epoch of minibatch steps and records its clean J. With early
   * stopping, the epoch that ends the run (patience exhausted or the epoch
   * cap reached) also restores the best epoch's weights and sets history.stop.
   */
  runEpoch(callbacks: TrainCallbacks = {}): EpochRecord {
    // without early stopping `done` only advises the caller's loop (benchmarks run past options.epochs); a run that
    // early stopping ended holds its restored best weights, so training on would silently undo that
    if (this.history.stop) throw new Error("runEpoch: early stopping has already ended this run");
    const { network, options } = this;
    const train = this.data.train;
    const n = train.size;
    const batch = Math.min(options.batchSize, n);
    const stepsPerEpoch = Math.ceil(n / batch);
    const epoch = this.completedEpochs + 1;
    const lr = this.lrAt(this.completedEpochs);
    const l2 = options.l2 ?? 0;
    const params = network.params();
    const dropoutRng = this.rng.stream("dropout");
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    this.rng.stream("shuffle").shuffle(perm);
    for (let s = 0; s < stepsPerEpoch; s++) {
      const start = s * batch, rows = Math.min(batch, n - start);
      const x = this.xBuf.get(rows, network.backend), y = this.yBuf.get(rows, network.backend);
      train.gather(perm.subarray(start, start + rows), x, y);
      const z = network.forward(x, { mode: "train", rng: dropoutRng });
      const dz = this.dzBuf.get(rows, network.backend);
      let cost = lossForward(network.spec.loss, z, y, dz);
      if (l2 > 0) cost += l2Cost(params, l2, n);
      if (!Number.isFinite(cost)) throw new DivergenceError(this.steps + 1, lastFiniteCost(this.history));
      network.backward(dz);
      if (l2 > 0) addL2Gradient(params, l2, n);
      this.optimizer.update(params, this.optState, lr);
      if (options.maxNorm !== undefined) applyMaxNorm(params, options.maxNorm);
      this.steps++;
      const record: StepRecord = { step: this.steps, epoch, cost };
      this.history.steps.push(record);
      callbacks.onStep?.({ ...record, stepInEpoch: s + 1, stepsPerEpoch, epochs: options.epochs });
    }
    this.completedEpochs = epoch;
    const rec = this.record(epoch, lr);
    if (this.stopper) {
      const patienceOut = this.stopper.observe(rec, params);
      if (patienceOut || epoch >= options.epochs) this.finish(patienceOut ? "patience" : "max-epochs");
    }
    callbacks.onEpoch?.(rec);
    return rec;
  }

  private finish(reason: StopReason): void {
    const stopper = this.stopper!;
    const restored = stopper.spec.restoreBest && stopper.restore(this.network.params());
    this.history.stop = stopper.record(reason, restored);
  }

  /** Runs the remaining epochs. */
  run(callbacks: TrainCallbacks = {}): History {
    while (!this.done) this.runEpoch(callbacks);
    return this.history;
  }

  /** The clean cost J now: eval mode, whole training set, penalty included. */
  cleanCost(): number {
    return cleanCost(this.network, this.data.train, this.options.l2 ?? 0).cost;
  }

  /** State between epochs (the network's weights are saved separately). */
  snapshot(): TrainerState {
    return {
      epoch: this.completedEpochs,
      step: this.steps,
      rng: this.rng.snapshot(),
      optimizer: serializeOptimizerState(this.optState),
      history: copyHistory(this.history),
      ...(this.stopper ? { earlyStopping: this.stopper.snapshot() } : {}),
    };
  }

  private record(epoch: number, lr: number): EpochRecord {
    const { cost, evaluation } = cleanCost(this.network, this.data.train, this.options.l2 ?? 0);
    const dev = this.data.dev && this.data.dev.size > 0 ? evaluate(this.network, this.data.dev) : undefined;
    const rec: EpochRecord = {
      epoch,
      step: this.steps,
      lr,
      cleanCost: cost,
      trainLoss: evaluation.loss,
      ...(evaluation.accuracy === undefined ? {} : { trainAccuracy: evaluation.accuracy }),
      ...(dev ? { devLoss: dev.loss } : {}),
      ...(dev?.accuracy === undefined ? {} : { devAccuracy: dev.accuracy }),
    };
    this.history.epochs.push(rec);
    return rec;
  }
}

/** Trains `network` in place for options.epochs epochs and returns the History. */
export function fit(network: Network, data: TrainData, options: TrainOptions, rng: Rng, callbacks: TrainCallbacks = {}): History {
  return new Trainer(network, data, options, rng).run(callbacks);
}

/** Early stopping watches the dev set: it must exist, and accuracy needs a classification task. */
function checkMonitor(monitor: string, data: TrainData): void {
  if (!data.dev || data.dev.size === 0) throw new InputError(`early stopping monitors ${monitor}, but the dev set is empty (give a dev fraction above 0)`);
  if (monitor === "dev-accuracy" && data.dev.task.kind !== "classification") {
    throw new InputError(`early stopping on dev-accuracy needs a classification task; this is ${data.dev.task.kind} (monitor dev-loss instead)`);
  }
}

function lastFiniteCost(history: History): number | undefined {
  for (let i = history.steps.length - 1; i >= 0; i--) {
    const c = history.steps[i]!.cost;
    if (Number.isFinite(c)) return c;
  }
  return undefined;
}

/**
 * Checks that the data fits the network before any step: widths, the task
 * against the loss and output size, finite features and in-range targets.
 */
export function checkData(network: Network, data: TrainData): void {
  const { loss } = network.spec;
  for (const [name, set] of [["training data", data.train], ["dev data", data.dev]] as const) {
    if (!set) continue;
    if (set.size === 0 && name === "training data") throw new InputError("the training data is empty");
    if (set.features !== network.inputs) {
      throw new InputError(`${name} has ${set.features} features per example but the network's first layer expects ${network.inputs} (set layers[0] = ${set.features})`);
    }
    const task = set.task;
    if (task.kind === "regression") {
      if (loss !== "mse") throw new InputError(`${name} is a regression task; it needs the mse loss, not ${loss}`);
      if (task.outputs !== network.outputs) throw new InputError(`${name} has ${task.outputs} targets but the network has ${network.outputs} outputs`);
    } else {
      if (loss === "mse") throw new InputError(`${name} is a classification task; mse is for regression (use softmax-cross-entropy or sigmoid-cross-entropy)`);
      if (loss === "sigmoid-cross-entropy" && task.classes !== 2) {
        throw new InputError(`${name} has ${task.classes} classes; a single sigmoid output handles exactly 2 (use ${task.classes} outputs with softmax-cross-entropy)`);
      }
      if (loss === "softmax-cross-entropy" && task.classes !== network.outputs) {
        throw new InputError(`${name} has ${task.classes} classes but the network has ${network.outputs} outputs (set the last layer size to ${task.classes})`);
      }
    }
    scan(network, set, name, loss);
  }
}

function scan(network: Network, set: Dataset, name: string, loss: Network["spec"]["loss"]): void {
  const rows = Math.min(1024, Math.max(1, set.size));
  const x: Matrix = zeros(rows, set.features, network.dtype);
  const y: Matrix = zeros(rows, lossTargetColumns(loss, network.outputs), network.dtype);
  const idx = new Int32Array(rows);
  for (let start = 0; start < set.size; start += rows) {
    const n = Math.min(rows, set.size - start);
    for (let i = 0; i < n; i++) idx[i] = start + i;
    const bx = { rows: n, cols: x.cols, data: x.data.subarray(0, n * x.cols) };
    const by = { rows: n, cols: y.cols, data: y.data.subarray(0, n * y.cols) };
    set.gather(idx.subarray(0, n), bx, by);
    checkFinite(name, bx, start);
    checkTargets(loss, network.outputs, by, name, start);
  }
}
