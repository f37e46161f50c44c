import { describe, expect, it } from "vitest";
import type { Backend } from "../core/backend.js";
import { zeros } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { ACTIVATIONS } from "../nn/activations.js";
import type { LossKind } from "../nn/losses.js";
import { Network } from "../nn/network.js";
import { gradientCheck, toFloat64 } from "./gradcheck.js";

const LOSS_CASES: { loss: LossKind; outputs: number; target: (r: Rng) => number[] }[] = [
  { loss: "softmax-cross-entropy", outputs: 3, target: (r) => [r.int(3)] },
  { loss: "sigmoid-cross-entropy", outputs: 1, target: (r) => [r.int(2)] },
  { loss: "mse", outputs: 2, target: (r) => [r.normal(), r.normal()] },
];

function batch(rows: number, features: number, targetCols: number, target: (r: Rng) => number[], rng: Rng) {
  const x = zeros(rows, features, "float64");
  const y = zeros(rows, targetCols, "float64");
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  for (let i = 0; i < rows; i++) y.data.set(target(rng), i * targetCols);
  return { x, y };
}

describe("gradient check (float64, frozen dropout masks)", () => {
  for (const activation of ACTIVATIONS) {
    for (const c of LOSS_CASES) {
      it(`${activation} + ${c.loss} with dropout on every layer and L2: relative error below 1e-7`, () => {
        const rng = Rng.fromSeed(21);
        const net = new Network(
          { layers: [5, 6, 4, c.outputs], activation, keepProbs: [0.8, 0.5, 0.7], loss: c.loss },
          rng.stream("init"),
          { dtype: "float64" },
        );
        // Non-zero biases: with zero biases a row whose inputs are all dropped sits exactly on relu's kink at 0.
        for (const p of net.params()) if (!p.penalize) for (let i = 0; i < p.value.data.length; i++) p.value.data[i] = 0.1 * rng.stream("bias").normal();
        const { x, y } = batch(8, 5, c.loss === "mse" ? c.outputs : 1, c.target, rng.stream("data"));
        const result = gradientCheck(net, x, y, rng.stream("dropout"), { l2: 0.7, m: 8 });
        expect(result.maxRelativeError).toBeLessThan(1e-7);
        expect(result.passed).toBe(true);
        // dropout really was on during the check
        expect(net.dropout.some((d) => d.lastMask() !== undefined)).toBe(true);
      });
    }
  }

  it("checks the L2 penalty's gradient on its own (no data term difference)", () => {
    const rng = Rng.fromSeed(3);
    const net = new Network({ layers: [3, 4, 2], activation: "tanh", keepProbs: [1, 1], loss: "mse" }, rng, { dtype: "float64" });
    const { x, y } = batch(5, 3, 2, (r) => [r.normal(), r.normal()], rng);
    expect(gradientCheck(net, x, y, rng, { l2: 50, m: 5 }).maxRelativeError).toBeLessThan(1e-7);
  });

  it("fails when a backward kernel is wrong", () => {
    const broken: Backend = {
      ...jsBackend,
      name: "broken",
      activationBackward: (y, dy, act, out) => {
        jsBackend.activationBackward(y, dy, act, out);
        for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * 1.01;
      },
    };
    const rng = Rng.fromSeed(4);
    const net = new Network({ layers: [3, 4, 2], activation: "tanh", keepProbs: [1, 0.5], loss: "softmax-cross-entropy" }, rng, {
      dtype: "float64",
      backend: broken,
    });
    const { x, y } = batch(6, 3, 1, (r) => [r.int(2)], rng);
    const result = gradientCheck(net, x, y, rng);
    expect(result.passed).toBe(false);
    expect(result.maxRelativeError).toBeGreaterThan(1e-4);
  });

  it("copies a float32 network to float64 with the same weights", () => {
    const rng = Rng.fromSeed(5);
    const net = new Network({ layers: [3, 4, 2], activation: "relu", keepProbs: [1, 0.5], loss: "softmax-cross-entropy" }, rng);
    const copy = toFloat64(net, Rng.fromSeed(99));
    expect(copy.dtype).toBe("float64");
    copy.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(net.params()[i]!.value.data)));
  });
});
