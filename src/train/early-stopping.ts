// Early stopping: training settings are compared where training has converged,
// not at an arbitrary short budget. After each epoch a monitored dev metric is
// compared with the best so far; after `patience` epochs without an
// improvement of at least `minDelta` training stops, and (by default, like
// Keras's restore_best_weights) the weights of the best epoch come back.
// The state is plain data so a checkpointed run resumes bit for bit.

import { bytesOf, decodeBase64, encodeBase64 } from "../core/base64.js";
import { InputError, checkNumber, show } from "../core/errors.js";
import type { FloatArray } from "../core/matrix.js";
import type { EpochRecord } from "./history.js";

/** The dev metric early stopping watches: accuracy (higher is better) or mean loss (lower is better). */
export type Monitor = "dev-accuracy" | "dev-loss";
export const MONITORS: readonly Monitor[] = ["dev-accuracy", "dev-loss"];

export interface EarlyStoppingSpec {
  /** Epochs without improvement after which training stops, >= 1. */
  readonly patience: number;
  readonly monitor: Monitor;
  /** An epoch improves when it beats the best by more than this (accuracy: a fraction, 0.001 = 0.1 pt). */
  readonly minDelta: number;
  /** Restore the best epoch's weights when training ends (default true). */
  readonly restoreBest: boolean;
}

/** Why a run ended. */
export type StopReason = "patience" | "max-epochs";

/** What the History says about early stopping once a run has ended. */
export interface StopRecord {
  readonly reason: StopReason;
  readonly monitor: Monitor;
  /** The epoch with the best monitored value (the weights the network ends with when restored). */
  readonly bestEpoch: number;
  readonly bestValue: number;
  /** Whether the network's weights were set back to bestEpoch's. */
  readonly restored: boolean;
}

/** Plain, JSON-serializable early-stopping state between epochs. */
export interface EarlyStoppingState {
  readonly bestEpoch: number;
  /** null until the first trained epoch is recorded. */
  readonly bestValue: number | null;
  /** Epochs since the best one. */
  readonly wait: number;
  /** The best epoch's parameters, little-endian bytes in base64 (present with restoreBest). */
  readonly bestParams?: readonly string[];
}

export function parseMonitor(value: unknown, what = "monitor"): Monitor {
  if (typeof value === "string" && (MONITORS as readonly string[]).includes(value)) return value as Monitor;
  throw new InputError(`${what} must be one of ${MONITORS.join(", ")}; got ${show(value)}`);
}

/** Validates a spec; `restoreBest` and `minDelta` default to true and 0, `monitor` to dev-accuracy. */
export function validateEarlyStopping(value: unknown): EarlyStoppingSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`early stopping must be an object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  if (v.restoreBest !== undefined && typeof v.restoreBest !== "boolean") throw new InputError(`restoreBest must be true or false, got ${show(v.restoreBest)}`);
  return {
    patience: checkNumber("patience", v.patience, { min: 1, max: 1e6, integer: true }),
    monitor: parseMonitor(v.monitor ?? "dev-accuracy"),
    minDelta: checkNumber("min-delta", v.minDelta ?? 0, { min: 0, max: 1e6 }),
    restoreBest: v.restoreBest ?? true,
  };
}

/** The monitored value of an epoch record, or undefined when the record lacks it. */
export function monitoredValue(monitor: Monitor, record: EpochRecord): number | undefined {
  switch (monitor) {
    case "dev-accuracy":
      return record.devAccuracy;
    case "dev-loss":
      return record.devLoss;
    default: {
      const never: never = monitor;
      throw new Error(`unhandled monitor ${show(never)}`);
    }
  }
}

/** Whether `value` beats `best` by more than minDelta in the monitor's direction. */
export function improves(monitor: Monitor, value: number, best: number | null, minDelta: number): boolean {
  if (best === null) return true;
  return monitor === "dev-loss" ? value < best - minDelta : value > best + minDelta;
}

/**
 * The tracker the Trainer consults after each epoch. `observe` returns true
 * when training should stop (patience exhausted). Parameters are copied at
 * each improvement when the spec restores the best weights.
 */
export class EarlyStopping {
  private bestEpoch = 0;
  private bestValue: number | null = null;
  private wait = 0;
  private bestParams: FloatArray[] | undefined;

  constructor(readonly spec: EarlyStoppingSpec) {}

  /** Records epoch `record`; `params` are the network's current parameters. */
  observe(record: EpochRecord, params: readonly { readonly value: { readonly data: FloatArray } }[]): boolean {
    const value = monitoredValue(this.spec.monitor, record);
    if (value === undefined) throw new InputError(`early stopping monitors ${this.spec.monitor}, but epoch ${record.epoch} has no such value (is the dev set empty?)`);
    if (improves(this.spec.monitor, value, this.bestValue, this.spec.minDelta)) {
      this.bestValue = value;
      this.bestEpoch = record.epoch;
      this.wait = 0;
      if (this.spec.restoreBest) this.bestParams = params.map((p) => p.value.data.slice());
      return false;
    }
    this.wait++;
    return this.wait >= this.spec.patience;
  }

  /** Copies the best epoch's weights back into `params`; false when there is nothing to restore. */
  restore(params: readonly { readonly value: { readonly data: FloatArray } }[]): boolean {
    if (!this.bestParams) return false;
    params.forEach((p, i) => p.value.data.set(this.bestParams![i]!));
    return true;
  }

  record(reason: StopReason, restored: boolean): StopRecord {
    return { reason, monitor: this.spec.monitor, bestEpoch: this.bestEpoch, bestValue: this.bestValue ?? Number.NaN, restored };
  }

  snapshot(): EarlyStoppingState {
    return {
      bestEpoch: this.bestEpoch,
      bestValue: this.bestValue,
      wait: this.wait,
      ...(this.bestParams ? { bestParams: this.bestParams.map((p) => encodeBase64(bytesOf(p))) } : {}),
    };
  }

  /**
   * Restores a snapshot() for a network whose parameters have `lengths`
   * values each of `dtype`; every field is checked before anything is kept.
   */
  static restore(spec: EarlyStoppingSpec, value: unknown, shapes: readonly { readonly length: number; readonly float64: boolean }[], completedEpochs: number): EarlyStopping {
    const what = "trainer.earlyStopping";
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`${what} must be an object, got ${show(value)}`);
    const v = value as Record<string, unknown>;
    const es = new EarlyStopping(spec);
    es.bestEpoch = checkNumber(`${what}.bestEpoch`, v.bestEpoch, { min: 0, max: completedEpochs, integer: true });
    es.bestValue = v.bestValue === null ? null : checkNumber(`${what}.bestValue`, v.bestValue, {});
    es.wait = checkNumber(`${what}.wait`, v.wait, { min: 0, max: Math.max(0, spec.patience - 1), integer: true });
    if (spec.restoreBest && es.bestValue !== null) {
      const raw = v.bestParams;
      if (!Array.isArray(raw) || raw.length !== shapes.length) throw new InputError(`${what}.bestParams must hold ${shapes.length} base64 tensors, got ${show(raw)}`);
      es.bestParams = raw.map((text: unknown, i) => {
        if (typeof text !== "string") throw new InputError(`${what}.bestParams[${i}] must be a base64 string`);
        const bytes = decodeBase64(text, `${what}.bestParams[${i}]`);
        const { length, float64 } = shapes[i]!;
        if (bytes.length !== length * (float64 ? 8 : 4)) throw new InputError(`${what}.bestParams[${i}] has ${bytes.length} bytes, expected ${length * (float64 ? 8 : 4)}`);
        const copy = bytes.slice().buffer;
        return float64 ? new Float64Array(copy) : new Float32Array(copy);
      });
    }
    return es;
  }
}
