// The optimizer contract the training loop uses. In the Optax spirit an
// optimizer is a spec (plain hyperparameters), a plain state, and an update
// that is a function of (params with their gradients, state, lr); the update
// rules themselves live in sgd.ts, momentum.ts and adam.ts. The state is
// serialized here so checkpoints can resume training bit for bit.
//
// State slots are always float64, whatever the params' dtype: Adam's second
// moment of small gradients underflows in float32 (g = 1e-20 gives g² = 1e-40,
// a float32 denormal), and float64 values round-trip through JSON numbers
// exactly, so the serialized form needs no dtype.

import { InputError, RunError, checkNumber, show } from "../core/errors.js";
import type { Backend } from "../core/backend.js";
import { assertNever, jsBackend } from "../core/ops.js";
import type { Param } from "../nn/layer.js";
import { adamUpdate } from "./adam.js";
import { momentumUpdate } from "./momentum.js";
import { sgdUpdate } from "./sgd.js";
import { readTagged } from "./spec.js";

/**
 * Which optimizer and its hyperparameters. `weightDecay` (default 0) is
 * DECOUPLED weight decay, w ← w − lr·weightDecay·w on penalized params only
 * (SGDW / AdamW); it is a different thing from coupled L2, the λ term of the
 * cost J (penalties.ts), and the two have different names on purpose.
 */
export type OptimizerSpec =
  /** w ← w − lr·g */
  | { readonly kind: "sgd"; readonly weightDecay?: number }
  /** v ← β·v + g; w ← w − lr·v (Nesterov: w ← w − lr·(g + β·v)); 0 <= beta < 1 */
  | { readonly kind: "momentum"; readonly beta: number; readonly nesterov: boolean; readonly weightDecay?: number }
  /** m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·m̂/(√v̂ + ε), with bias-corrected m̂, v̂ */
  | { readonly kind: "adam"; readonly beta1: number; readonly beta2: number; readonly epsilon: number; readonly weightDecay?: number };

export type OptimizerKind = OptimizerSpec["kind"];

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ["sgd", "momentum", "adam"];

/** The names of each kind's state slots, in slot order. */
export const OPTIMIZER_SLOTS: { readonly [K in OptimizerKind]: readonly string[] } = {
  sgd: [],
  momentum: ["velocity"],
  adam: ["m", "v"],
};

const SPEC_FIELDS: { readonly [K in OptimizerKind]: readonly string[] } = {
  sgd: ["weightDecay"],
  momentum: ["beta", "nesterov", "weightDecay"],
  adam: ["beta1", "beta2", "epsilon", "weightDecay"],
};

/**
 * Plain optimizer state. `slots[s][p]` is slot s (see OPTIMIZER_SLOTS: momentum
 * 0 = velocity; adam 0 = m, 1 = v) of param p: a float64 array with one value
 * per weight, in the param's row-major order.
 */
export interface OptimizerState {
  readonly kind: OptimizerKind;
  /** Updates taken so far; Adam's bias correction uses it. */
  t: number;
  /** The names of the params this state belongs to, in order: an update with other params is refused. */
  readonly names: readonly string[];
  readonly slots: readonly (readonly Float64Array[])[];
}

/** The JSON form of an OptimizerState: the same fields, slots as number arrays. */
export interface SerializedOptimizerState {
  readonly kind: OptimizerKind;
  readonly t: number;
  readonly names: string[];
  readonly slots: number[][][];
}

export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Fresh state for `params`: t = 0, every slot zero. */
  init(params: readonly Param[]): OptimizerState;
  /**
   * One update in place: each param.value moves using param.grad and `lr`
   * (a finite number >= 0); state.t grows by one. Allocates nothing.
   */
  update(params: readonly Param[], state: OptimizerState, lr: number): void;
}

/** Hyperparameters commonly used: momentum β = 0.9 (not Nesterov); Adam β1 = 0.9, β2 = 0.999, ε = 1e-8; no weight decay. */
export function defaultOptimizerSpec(kind: OptimizerKind): OptimizerSpec {
  switch (kind) {
    case "sgd":
      return { kind };
    case "momentum":
      return { kind, beta: 0.9, nesterov: false };
    case "adam":
      return { kind, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    default:
      return assertNever(kind);
  }
}

/**
 * Checks a spec read from JSON and returns a fresh copy. Throws an InputError
 * naming the field, its value and the allowed range: beta, beta1, beta2 in
 * [0, 1); epsilon > 0; weightDecay >= 0 (optional); nesterov a boolean;
 * unknown fields are errors.
 */
export function validateOptimizerSpec(value: unknown, what = "optimizer"): OptimizerSpec {
  const { kind, fields } = readTagged(what, value, SPEC_FIELDS);
  const beta = (name: string) => checkNumber(`${what}.${name}`, fields[name], { min: 0, max: 1, maxExclusive: true });
  const decay = fields["weightDecay"] === undefined ? {} : { weightDecay: checkNumber(`${what}.weightDecay`, fields["weightDecay"], { min: 0 }) };
  switch (kind) {
    case "sgd":
      return { kind, ...decay };
    case "momentum": {
      const nesterov = fields["nesterov"];
      if (typeof nesterov !== "boolean") throw new InputError(`${what}.nesterov must be true or false, got ${show(nesterov)}`);
      return { kind, beta: beta("beta"), nesterov, ...decay };
    }
    case "adam":
      return {
        kind,
        beta1: beta("beta1"),
        beta2: beta("beta2"),
        epsilon: checkNumber(`${what}.epsilon`, fields["epsilon"], { min: 0, minExclusive: true }),
        ...decay,
      };
    default:
      return assertNever(kind);
  }
}

/**
 * An optimizer for `spec` (validated here: a bad spec throws an InputError)
 * whose updates run on `backend`'s kernels, and whose fresh state lives where
 * they reach it fastest (Backend.stateVector). Every backend computes the same
 * update bit for bit; the network's own backend is the fast choice.
 */
export function createOptimizer(spec: OptimizerSpec, backend: Backend = jsBackend): Optimizer {
  const s = validateOptimizerSpec(spec);
  const weightDecay = s.weightDecay ?? 0;
  return {
    spec: s,
    init: (params) => initState(s.kind, params, backend),
    update(params, state, lr) {
      checkNumber("learning rate", lr, { min: 0 });
      checkState(s.kind, params, state);
      state.t += 1;
      switch (s.kind) {
        case "sgd":
          return sgdUpdate(backend, params, lr, weightDecay);
        case "momentum":
          return momentumUpdate(backend, params, state.slots[0]!, lr, s.beta, s.nesterov, weightDecay);
        case "adam":
          return adamUpdate(backend, params, state.slots[0]!, state.slots[1]!, state.t, lr, s.beta1, s.beta2, s.epsilon, weightDecay);
        default:
          return assertNever(s);
      }
    },
  };
}

function initState(kind: OptimizerKind, params: readonly Param[], backend: Backend): OptimizerState {
  return {
    kind,
    t: 0,
    names: params.map((p) => p.name),
    slots: OPTIMIZER_SLOTS[kind].map(() => params.map((p) => backend.stateVector(p.value.data.length))),
  };
}

function describe(param: Param, index: number): string {
  return `param ${index} (${show(param.name)}, ${param.value.rows}x${param.value.cols})`;
}

/** Throws an InputError unless `state` is `kind`'s state for exactly these params. */
function checkState(kind: OptimizerKind, params: readonly Param[], state: OptimizerState): void {
  if (state.kind !== kind) throw new InputError(`optimizer state is for ${show(state.kind)} but the optimizer is ${show(kind)}`);
  const slotNames = OPTIMIZER_SLOTS[kind];
  if (state.slots.length !== slotNames.length) {
    throw new InputError(`${kind} optimizer state has ${state.slots.length} slots, expected ${slotNames.length}`);
  }
  if (state.names.length !== params.length) {
    throw new InputError(`optimizer state belongs to ${state.names.length} params, but ${params.length} were given`);
  }
  for (let p = 0; p < params.length; p++) {
    const param = params[p]!;
    if (state.names[p] !== param.name) {
      throw new InputError(`optimizer state's param ${p} is ${show(state.names[p])}, but ${describe(param, p)} is named ${show(param.name)}`);
    }
    const n = param.value.data.length;
    if (param.grad.data.length !== n) {
      throw new InputError(`${describe(param, p)} has ${n} values but its gradient has ${param.grad.data.length}`);
    }
    for (let s = 0; s < slotNames.length; s++) {
      const slot = state.slots[s]!;
      if (slot.length !== params.length) {
        throw new InputError(`${kind} optimizer state slot ${slotNames[s]} covers ${slot.length} params, expected ${params.length}`);
      }
      if (slot[p]!.length !== n) {
        throw new InputError(`${kind} optimizer state slot ${slotNames[s]} of ${describe(param, p)} has ${slot[p]!.length} values, expected ${n}`);
      }
    }
  }
}

/**
 * The state as plain JSON (numbers only). Exact: a float64 survives
 * JSON.stringify / JSON.parse bit for bit, and the update rules never store -0.
 * Throws a RunError if a slot holds NaN or an infinity (JSON cannot carry them;
 * training diverged).
 */
export function serializeOptimizerState(state: OptimizerState): SerializedOptimizerState {
  const slotNames = OPTIMIZER_SLOTS[state.kind];
  const slots = state.slots.map((slot, s) =>
    slot.map((values, p) => {
      const i = values.findIndex((x) => !Number.isFinite(x));
      if (i >= 0) {
        throw new RunError(`optimizer slot ${slotNames[s]} of param ${show(state.names[p])} holds ${values[i]} at index ${i}; only finite values can be saved`);
      }
      return Array.from(values);
    }),
  );
  return { kind: state.kind, t: state.t, names: [...state.names], slots };
}

/**
 * Rebuilds a state saved by serializeOptimizerState for `params`, checking the
 * kind, the update count, the param names and every slot's length and values;
 * anything malformed is an InputError that says what and where. The slots are
 * made by `backend.stateVector` (see createOptimizer).
 */
export function deserializeOptimizerState(json: unknown, params: readonly Param[], backend: Backend = jsBackend): OptimizerState {
  const what = "optimizer state";
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InputError(`${what} must be an object, got ${show(json)}`);
  const o = json as { readonly [field: string]: unknown };
  const kind = o["kind"];
  if (typeof kind !== "string" || !(OPTIMIZER_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(`${what}.kind must be one of ${OPTIMIZER_KINDS.map(show).join(", ")}, got ${show(kind)}`);
  }
  const k = kind as OptimizerKind;
  const t = checkNumber(`${what}.t`, o["t"], { min: 0, integer: true });
  const names = o["names"];
  if (!Array.isArray(names) || names.length !== params.length) {
    throw new InputError(`${what}.names must list the names of ${params.length} params, got ${show(names)}`);
  }
  params.forEach((param, p) => {
    if (names[p] !== param.name) throw new InputError(`${what}.names[${p}] is ${show(names[p])}, but ${describe(param, p)} is named ${show(param.name)}`);
  });
  const slotNames = OPTIMIZER_SLOTS[k];
  const slots = o["slots"];
  if (!Array.isArray(slots) || slots.length !== slotNames.length) {
    throw new InputError(`${what}.slots of a ${k} optimizer must be ${slotNames.length} arrays (${slotNames.join(", ") || "none"}), got ${show(slots)}`);
  }
  const restored = slots.map((slot: unknown, s) => {
    if (!Array.isArray(slot) || slot.length !== params.length) {
      throw new InputError(`${what}.slots[${s}] (${slotNames[s]}) must hold one array per param (${params.length}), got ${show(slot)}`);
    }
    return params.map((param, p) => {
      const values: unknown = slot[p];
      const n = param.value.data.length;
      const where = `${what}.slots[${s}][${p}] (${slotNames[s]} of ${describe(param, p)})`;
      if (!Array.isArray(values) || values.length !== n) {
        throw new InputError(`${where} must be an array of ${n} numbers, got ${Array.isArray(values) ? `${values.length} values` : show(values)}`);
      }
      const out = backend.stateVector(n);
      for (let i = 0; i < n; i++) out[i] = checkNumber(`${where}[${i}]`, values[i], {});
      return out;
    });
  });
  return { kind: k, t, names: params.map((p) => p.name), slots: restored };
}
