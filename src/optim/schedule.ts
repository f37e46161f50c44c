// Learning-rate schedules: the learning rate as a pure function of the base
// rate and the epoch, so a run resumed from a checkpoint at epoch e uses
// exactly the rate an uninterrupted run would.

import { checkNumber } from "../core/errors.js";
import { assertNever } from "../core/ops.js";
import { readTagged } from "./spec.js";

/** How the learning rate lr(epoch) follows from the base rate lr. */
export type ScheduleSpec =
  /** lr */
  | { readonly kind: "constant" }
  /** lr · factor^floor(epoch / every); every an integer >= 1, 0 < factor <= 1 */
  | { readonly kind: "step"; readonly every: number; readonly factor: number }
  /** lr · rate^epoch; 0 < rate <= 1 */
  | { readonly kind: "exponential"; readonly rate: number }
  /** lr · (minFactor + (1 − minFactor)·(1 + cos(π·min(epoch, epochs)/epochs))/2); epochs an integer >= 1, 0 <= minFactor <= 1 */
  | { readonly kind: "cosine"; readonly epochs: number; readonly minFactor: number };

export type ScheduleKind = ScheduleSpec["kind"];

const SPEC_FIELDS: { readonly [K in ScheduleKind]: readonly string[] } = {
  constant: [],
  step: ["every", "factor"],
  exponential: ["rate"],
  cosine: ["epochs", "minFactor"],
};

export const SCHEDULE_KINDS = Object.keys(SPEC_FIELDS) as readonly ScheduleKind[];

/**
 * Checks a spec read from JSON and returns a fresh copy; an InputError names
 * the field, its value and the allowed range (see ScheduleSpec).
 */
export function validateScheduleSpec(value: unknown, what = "schedule"): ScheduleSpec {
  const { kind, fields } = readTagged(what, value, SPEC_FIELDS);
  const decay = (name: string) => checkNumber(`${what}.${name}`, fields[name], { min: 0, minExclusive: true, max: 1 });
  const count = (name: string) => checkNumber(`${what}.${name}`, fields[name], { min: 1, integer: true });
  switch (kind) {
    case "constant":
      return { kind };
    case "step":
      return { kind, every: count("every"), factor: decay("factor") };
    case "exponential":
      return { kind, rate: decay("rate") };
    case "cosine":
      return { kind, epochs: count("epochs"), minFactor: checkNumber(`${what}.minFactor`, fields["minFactor"], { min: 0, max: 1 }) };
    default:
      return assertNever(kind);
  }
}

/**
 * The learning rate at `epoch` (0-based; a fraction such as step / stepsPerEpoch
 * is allowed) for base rate `baseLr` > 0, by the formula of `spec`'s kind.
 * The spec is validated (cheaply) on each call, so a bad one never yields NaN.
 */
export function learningRate(spec: ScheduleSpec, baseLr: number, epoch: number): number {
  const s = validateScheduleSpec(spec);
  checkNumber("base learning rate", baseLr, { min: 0, minExclusive: true });
  checkNumber("epoch", epoch, { min: 0 });
  switch (s.kind) {
    case "constant":
      return baseLr;
    case "step":
      return baseLr * Math.pow(s.factor, Math.floor(epoch / s.every));
    case "exponential":
      return baseLr * Math.pow(s.rate, epoch);
    case "cosine":
      return baseLr * (s.minFactor + ((1 - s.minFactor) * (1 + Math.cos((Math.PI * Math.min(epoch, s.epochs)) / s.epochs))) / 2);
    default:
      return assertNever(s);
  }
}
