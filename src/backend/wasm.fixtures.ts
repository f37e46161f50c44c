// Shared fixtures of the wasm and native backends' tests: backends per kernel variant,
// operands placed in plain or wasm memory, and the product oracle (the plain
// backend, with a float32 error bound of 4·k·eps·(|A|·|B|)).

import { setFlagsFromString } from "node:v8";
import { expect } from "vitest";
import type { Backend } from "../core/backend.js";
import { cast, zeros, type Matrix } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import type { Rng } from "../core/rng.js";
import { createWasmBackend, relaxedSimdSupported, type WasmBackend } from "./wasm.js";

// Node 20's V8 validates relaxed SIMD only behind this flag (src/node/wasm-threads.ts sets it the same way).
if (!relaxedSimdSupported()) setFlagsFromString("--experimental-wasm-relaxed-simd");

export const wasm = createWasmBackend();
/** One backend per kernel variant: the products must match the plain backend in both. */
export const VARIANTS: readonly WasmBackend[] = [createWasmBackend({ relaxed: false }), createWasmBackend({ relaxed: true })];
export const EPS32 = 2 ** -23;

/** Where an operand lives: a plain Float32Array or the backend's linear memory. */
export type Place = "plain" | "wasm";
export const PLACES: readonly (readonly Place[])[] = [
  ["plain", "plain", "plain"],
  ["wasm", "wasm", "wasm"],
  ["wasm", "plain", "wasm"],
  ["plain", "wasm", "plain"],
];

/** A backend under test: the wasm backend, or one that runs on its kernels (the native backend). */
export type TestedBackend = Backend & { readonly variant: string };

export function make(place: Place, rows: number, cols: number, backend: Backend = wasm): Matrix {
  return place === "wasm" ? backend.zeros(rows, cols, "float32") : zeros(rows, cols, "float32");
}

export function filled(place: Place, rows: number, cols: number, rng: Rng, scale = 1, backend: Backend = wasm): Matrix {
  const m = make(place, rows, cols, backend);
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = scale * rng.normal();
  return m;
}

/** Fills `out` with a value no kernel produces, so unwritten entries show. */
export function poison(out: Matrix): Matrix {
  out.data.fill(12345);
  return out;
}

/** Largest violation of |actual - expected| <= atol + rtol * |expected| (<= 0 when all pass). */
export function excess(actual: Matrix, expected: Matrix, atol: number, rtol: number): number {
  expect(actual.data.length).toBe(expected.data.length);
  let worst = -Infinity;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!, a = actual.data[i]!;
    worst = Math.max(worst, Math.abs(a - e) - (atol + rtol * Math.abs(e)));
  }
  return expected.data.length === 0 ? 0 : worst;
}

export type Layout = "NN" | "NT" | "TN";
export const LAYOUTS: readonly Layout[] = ["NN", "NT", "TN"];

/** Operand shapes of a product with output m x n and inner dimension k. */
export function operandShapes(layout: Layout, m: number, n: number, k: number): [[number, number], [number, number]] {
  switch (layout) {
    case "NN":
      return [[m, k], [k, n]];
    case "NT":
      return [[m, k], [n, k]];
    case "TN":
      return [[k, m], [k, n]];
  }
}

export function product(backend: typeof jsBackend, layout: Layout, a: Matrix, b: Matrix, out: Matrix): void {
  if (layout === "NN") backend.matmulNN(a, b, out);
  else if (layout === "NT") backend.matmulNT(a, b, out);
  else backend.matmulTN(a, b, out);
}

/** |a|·|b| in float64: float32 sums of k products are within about k·eps of it, relative. */
export function absProduct(layout: Layout, a: Matrix, b: Matrix, m: number, n: number): Matrix {
  const abs = (x: Matrix) => {
    const y = cast(x, "float64");
    for (let i = 0; i < y.data.length; i++) y.data[i] = Math.abs(y.data[i]!);
    return y;
  };
  const out = zeros(m, n, "float64");
  product(jsBackend, layout, abs(a), abs(b), out);
  return out;
}

export function checkProduct(layout: Layout, m: number, n: number, k: number, places: readonly Place[], rng: Rng, backend: TestedBackend = wasm): void {
  const [[ar, ac], [br, bc]] = operandShapes(layout, m, n, k);
  const a = filled(places[0]!, ar, ac, rng, 1, backend);
  const b = filled(places[1]!, br, bc, rng, 1, backend);
  const out = poison(make(places[2]!, m, n, backend));
  product(backend, layout, a, b, out);
  const expected = zeros(m, n, "float32");
  product(jsBackend, layout, a, b, expected);
  const bound = absProduct(layout, a, b, m, n);
  for (let i = 0; i < expected.data.length; i++) {
    const tolerance = 4 * Math.max(k, 1) * EPS32 * bound.data[i]! + 1e-30;
    const error = Math.abs(out.data[i]! - expected.data[i]!);
    if (!(error <= tolerance)) {
      throw new Error(`${layout} ${m}x${n}x${k} (${places.join("/")}, ${backend.variant}): entry ${i} is ${out.data[i]}, expected ${expected.data[i]} (tolerance ${tolerance})`);
    }
  }
}

/** Weight counts for the optimizer updates: SIMD tails of every length, and one large enough to split across threads. */
export const UPDATE_SIZES: readonly number[] = [1, 2, 3, 4, 5, 7, 17, 1023, 70_001];

/** Whether the weights, gradient and state of an update live in the backend's memory or in plain arrays (the plain kernels then run). */
export type UpdatePlace = "wasm" | "plain";

/**
 * Runs three steps of SGD, momentum (classical and Nesterov) and Adam, with and
 * without weight decay, on `backend` and on the plain backend from the same
 * start, and expects the weights and state to be equal bit for bit.
 */
export function expectUpdatesLikePlain(backend: Backend, place: UpdatePlace, rng: Rng, sizes: readonly number[] = UPDATE_SIZES): void {
  for (const n of sizes) {
    for (const wd of [0, 0.01]) {
      const w0 = filled("plain", 1, n, rng), grads = [0, 1, 2].map(() => filled("plain", 1, n, rng, 0.1));
      // A -0 weight, and at index 2 a negative gradient then a -0 one under beta 0 (step 2), which
      // makes the new velocity and first moment 0·(negative) + (-0) = -0: the rules must store +0.
      if (n > 2) {
        w0.data[1] = -0;
        grads[0]!.data[2] = -0.5;
        grads[1]!.data[2] = -0;
      }
      const run = (b: typeof jsBackend, where: UpdatePlace): Float64Array[] => {
        const w = where === "wasm" ? b.zeros(1, n, "float32") : zeros(1, n, "float32");
        const g = where === "wasm" ? b.zeros(1, n, "float32") : zeros(1, n, "float32");
        w.data.set(w0.data);
        const state = (): Float64Array => (where === "wasm" ? b.stateVector(n) : new Float64Array(n));
        const [v, m, a] = [state(), state(), state()];
        const seen: number[][] = [[], [], [], []];
        for (let t = 1; t <= 3; t++) {
          g.data.set(grads[t - 1]!.data);
          b.sgdStep(w, g, 0.05, wd);
          const beta = t === 2 ? 0 : 0.9;
          b.momentumStep(w, g, v, { lr: 0.05, beta, nesterov: t === 3, wd });
          const c1 = 1 - Math.pow(beta, t), c2 = 1 - Math.pow(0.999, t);
          b.adamStep(w, g, m, a, { lr: 0.01, beta1: beta, beta2: 0.999, correction1: c1, correction2: c2, epsilon: 1e-8, wd });
          [w.data, v, m, a].forEach((values, k) => seen[k]!.push(...values));
        }
        return seen.map((values) => Float64Array.from(values));
      };
      const expected = run(jsBackend, "plain"), actual = run(backend, place);
      const names = ["weights", "velocity", "Adam m", "Adam v"];
      actual.forEach((values, k) => {
        const bad = values.findIndex((x, i) => !Object.is(x, expected[k]![i]));
        expect(bad, `${names[k]} of ${n} weights (wd ${wd}, ${place}), after each of 3 steps: index ${bad} is ${values[bad]}, plain gives ${expected[k]![bad]}`).toBe(-1);
      });
    }
  }
}
