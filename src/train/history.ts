// What a training run records. Under dropout the minibatch cost is noisy (each
// step trains a different thinned network), so it stops being a usable loss
// curve; the history therefore keeps both that noisy cost for every step and,
// every epoch, the clean cost J: eval mode (no dropout), the whole training
// set, penalty included.

import type { StopRecord } from "./early-stopping.js";

export interface StepRecord {
  /** 1-based count of parameter updates so far. */
  readonly step: number;
  readonly epoch: number;
  /** The minibatch cost as the step saw it: under dropout, L2 penalty included. */
  readonly cost: number;
}

export interface EpochRecord {
  /** 0 is the state before training. */
  readonly epoch: number;
  /** Steps taken when this record was made. */
  readonly step: number;
  /** Learning rate used during this epoch (the first epoch's for epoch 0). */
  readonly lr: number;
  /** Clean J: mean loss over the whole training set in eval mode + (lambda / 2m) * sum of squared weights. */
  readonly cleanCost: number;
  /** Mean loss over the training set in eval mode, without the penalty. */
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
  /** Mean loss over the dev set in eval mode (no penalty). */
  readonly devLoss?: number;
  readonly devAccuracy?: number;
}

export interface History {
  readonly steps: StepRecord[];
  readonly epochs: EpochRecord[];
  /** With early stopping, once the run has ended: why, and which epoch's weights the network holds. */
  stop?: StopRecord;
}

export function emptyHistory(): History {
  return { steps: [], epochs: [] };
}

/** A deep copy (records are flat objects). */
export function copyHistory(history: History): History {
  return { steps: history.steps.map((s) => ({ ...s })), epochs: history.epochs.map((e) => ({ ...e })), ...(history.stop ? { stop: { ...history.stop } } : {}) };
}

/**
 * The epoch whose weights the network ends with: the best epoch when early
 * stopping restored it, otherwise the last one. Results of a run are read here.
 */
export function finalEpoch(history: History): EpochRecord {
  const stop = history.stop;
  const last = history.epochs.at(-1);
  if (!last) throw new Error("finalEpoch: the history has no epochs");
  if (!stop?.restored) return last;
  return history.epochs.find((e) => e.epoch === stop.bestEpoch) ?? last;
}

/** Indices of epochs whose clean J rose above the previous epoch's (tolerance relative to |J|). */
export function cleanCostRises(history: History, tolerance = 0): number[] {
  const rises: number[] = [];
  const e = history.epochs;
  for (let i = 1; i < e.length; i++) {
    const prev = e[i - 1]!.cleanCost, cur = e[i]!.cleanCost;
    if (cur > prev + tolerance * Math.abs(prev)) rises.push(e[i]!.epoch);
  }
  return rises;
}
