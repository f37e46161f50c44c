// The backends are interchangeable: training the same network on the plain
// TypeScript kernels and on the WebAssembly kernels gives the same run within
// float32 rounding (the products sum in a different order, and the relaxed
// variant fuses multiply and add).

import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import { Network } from "../nn/network.js";
import { fit } from "../train/fit.js";
import { selectBackend } from "./select.js";

describe("js and wasm backends", () => {
  it("train the same dropout network to the same costs and weights within float32 tolerance", () => {
    const run = (name: "js" | "wasm") => {
      const root = Rng.fromSeed(3);
      const { data } = synthetic("spiral", { n: 300, noise: 0.1, rng: root.stream("data") });
      const net = new Network({ layers: [2, 24, 24, 1], activation: "tanh", keepProbs: [1, 0.8, 0.8], loss: "sigmoid-cross-entropy" }, root.stream("init"), {
        backend: selectBackend(name),
      });
      const history = fit(net, { train: data }, { epochs: 5, batchSize: 30, lr: 0.05, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } }, root.stream("train"));
      return { history, weights: net.params().map((p) => Array.from(p.value.data)) };
    };
    const js = run("js"), wasm = run("wasm");
    expect(wasm.history.steps).toHaveLength(js.history.steps.length);
    js.history.epochs.forEach((e, i) => expect(Math.abs(wasm.history.epochs[i]!.cleanCost - e.cleanCost)).toBeLessThan(1e-4 * Math.max(1, e.cleanCost)));
    js.weights.forEach((w, p) => w.forEach((v, i) => expect(Math.abs(wasm.weights[p]![i]! - v)).toBeLessThan(1e-3 * Math.max(1, Math.abs(v)))));
  });
});
