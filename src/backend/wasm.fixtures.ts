// Shared fixtures of the wasm backend's tests: backends per kernel variant,
// operands placed in plain or wasm memory, and the product oracle (the plain
// backend, with a float32 error bound of 4·k·eps·(|A|·|B|)).

import { setFlagsFromString } from "node:v8";
import { expect } from "vitest";
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

export function make(place: Place, rows: number, cols: number, backend: WasmBackend = wasm): Matrix {
  return place === "wasm" ? backend.zeros(rows, cols, "float32") : zeros(rows, cols, "float32");
}

export function filled(place: Place, rows: number, cols: number, rng: Rng, scale = 1, backend: WasmBackend = wasm): Matrix {
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

export function checkProduct(layout: Layout, m: number, n: number, k: number, places: readonly Place[], rng: Rng, backend: WasmBackend = wasm): void {
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
