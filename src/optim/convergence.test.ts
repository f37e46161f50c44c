import { describe, it, expect } from "vitest";
import type { Param } from "../nn/layer.js";
import { createOptimizer, type OptimizerSpec } from "./optimizer.js";

function param(values: number[]): Param {
  return {
    name: "w",
    value: { rows: 1, cols: values.length, data: Float64Array.from(values) },
    grad: { rows: 1, cols: values.length, data: new Float64Array(values.length) },
    penalize: true,
  };
}

/**
 * Runs `spec` from `start` until `done(w)` or `maxSteps`; `gradient` writes
 * ∇f(w) into g. Returns the number of steps taken and the final point.
 */
function minimize(
  spec: OptimizerSpec,
  lr: number,
  start: number[],
  gradient: (w: Float64Array, g: Float64Array) => void,
  done: (w: Float64Array) => boolean,
  maxSteps: number,
): { steps: number; w: number[] } {
  const p = param(start);
  const opt = createOptimizer(spec);
  const state = opt.init([p]);
  const w = p.value.data as Float64Array, g = p.grad.data as Float64Array;
  let steps = 0;
  while (steps < maxSteps && !done(w)) {
    gradient(w, g);
    opt.update([p], state, lr);
    steps++;
  }
  return { steps, w: Array.from(w) };
}

const momentum: OptimizerSpec = { kind: "momentum", beta: 0.9, nesterov: false };
const nesterov: OptimizerSpec = { kind: "momentum", beta: 0.9, nesterov: true };
const adam: OptimizerSpec = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

describe("convergence on a quadratic with different curvatures", () => {
  // f(w) = 1/2 Σ a_i (w_i − c_i)², ∇f = a ⊙ (w − c); curvatures 1, 5, 25 (condition number 25).
  const a = [1, 5, 25], c = [1, -2, 3];
  const gradient = (w: Float64Array, g: Float64Array) => {
    for (let i = 0; i < 3; i++) g[i] = a[i]! * (w[i]! - c[i]!);
  };
  const done = (w: Float64Array) => c.every((ci, i) => Math.abs(w[i]! - ci) < 1e-6);
  const cases: [string, OptimizerSpec, number, number][] = [
    ["sgd", { kind: "sgd" }, 0.05, 400],
    ["momentum", momentum, 0.01, 400],
    ["nesterov", nesterov, 0.01, 300],
    ["adam", adam, 0.05, 400],
  ];
  for (const [name, spec, lr, bound] of cases) {
    it(`${name} reaches the minimum to 1e-6 within ${bound} steps (lr ${lr})`, () => {
      const { steps, w } = minimize(spec, lr, [0, 0, 0], gradient, done, bound);
      expect(steps).toBeLessThan(bound);
      for (let i = 0; i < 3; i++) expect(Math.abs(w[i]! - c[i]!)).toBeLessThan(1e-6);
    });
  }

  it("sgd above the stability limit lr = 2/25 diverges (the test can tell)", () => {
    const { w } = minimize({ kind: "sgd" }, 0.081, [0, 0, 0], gradient, done, 400);
    expect(Math.abs(w[2]! - c[2]!)).toBeGreaterThan(1);
  });
});

describe("convergence on the 2-D Rosenbrock function", () => {
  // f(x, y) = (1 − x)² + 100 (y − x²)², minimum f(1, 1) = 0; classic start (−1.2, 1).
  // ∂f/∂x = −2(1 − x) − 400 x (y − x²), ∂f/∂y = 200 (y − x²).
  const gradient = (w: Float64Array, g: Float64Array) => {
    const x = w[0]!, y = w[1]!;
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
  };
  const distance = (w: ArrayLike<number>) => Math.hypot(w[0]! - 1, w[1]! - 1);
  const done = (w: Float64Array) => distance(w) < 1e-3;
  const cases: [string, OptimizerSpec, number, number][] = [
    ["sgd", { kind: "sgd" }, 0.001, 20_000],
    ["momentum", momentum, 0.0002, 10_000],
    ["nesterov", nesterov, 0.0002, 10_000],
    ["adam", adam, 0.01, 6_000],
  ];
  for (const [name, spec, lr, bound] of cases) {
    it(`${name} gets within 1e-3 of (1, 1) within ${bound} steps (lr ${lr})`, () => {
      const { steps, w } = minimize(spec, lr, [-1.2, 1], gradient, done, bound);
      expect(steps).toBeLessThan(bound);
      expect(distance(w)).toBeLessThan(1e-3);
    });
  }
});
