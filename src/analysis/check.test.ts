import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { synthetic } from "../data/synthetic.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { checkCost } from "./check.js";

const SPEC: NetworkSpec = { layers: [2, 12, 12, 1], activation: "tanh", keepProbs: [1, 0.5, 0.5], loss: "sigmoid-cross-entropy" };
const { data } = synthetic("circle", { n: 300, noise: 0.1, rng: Rng.fromSeed(2) });

describe("the cost-function check (dropout off, gradient check, dropout on)", () => {
  it("passes with a sound learning rate and measures the jitter dropout adds", () => {
    const net = new Network(SPEC, Rng.fromSeed(1));
    const before = net.params().map((p) => Array.from(p.value.data));
    const r = checkCost(net, data, { lr: 0.5, rng: Rng.fromSeed(3), iterations: 30, jitterSteps: 40 });
    expect(r.rows).toBe(300);
    expect(r.monotone.passed).toBe(true);
    expect(r.monotone.violations).toEqual([]);
    expect(r.monotone.advice).toMatch(/J fell at each of the 30 full-batch iterations/);
    expect(r.curves.monotone).toHaveLength(31);
    expect(r.curves.monotone.at(-1)!).toBeLessThan(r.curves.monotone[0]!);
    expect(r.gradientCheck.passed).toBe(true);
    expect(r.gradientCheck.maxRelativeError).toBeLessThan(1e-7);
    expect(r.jitter.steps).toBe(40);
    expect(r.curves.noisy).toHaveLength(40);
    expect(r.curves.clean).toHaveLength(40);
    // the thinned networks' cost jitters far more than the clean J and sits above it
    expect(r.jitter.noisyStd).toBeGreaterThan(5 * r.jitter.cleanStd);
    expect(r.jitter.ratio!).toBeGreaterThan(5);
    expect(r.jitter.meanGap).toBeGreaterThan(0);
    expect(r.passed).toBe(true);
    // the caller's network is untouched
    expect(net.spec.keepProbs).toEqual([1, 0.5, 0.5]);
    net.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(before[i]));
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("lists the iterations where J rose and advises a lower learning rate", () => {
    const r = checkCost(new Network(SPEC, Rng.fromSeed(1)), data, { lr: 9, rng: Rng.fromSeed(3), iterations: 30, jitterSteps: 4 });
    expect(r.monotone.passed).toBe(false);
    expect(r.passed).toBe(false);
    for (const v of r.monotone.violations) {
      expect(v.after).toBeGreaterThan(v.before);
      expect(r.curves.monotone[v.iteration]).toBe(v.after);
      expect(r.curves.monotone[v.iteration - 1]).toBe(v.before);
    }
    expect(r.monotone.advice).toMatch(/^J rose at \d+ of 30 full-batch iterations \(first at iteration \d+\): lower the learning rate \(try 3\)/);
    const m = checkCost(new Network(SPEC, Rng.fromSeed(1)), data, {
      lr: 9,
      optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
      rng: Rng.fromSeed(3),
      iterations: 10,
      jitterSteps: 2,
      maxRows: 50,
    });
    expect(m.rows).toBe(50);
    expect(m.monotone.advice).toMatch(/run this check with plain gradient descent/);
  });

  it("is bit-identical for the same seed; minibatches add their own noise", () => {
    const run = (batchSize?: number) =>
      checkCost(new Network(SPEC, Rng.fromSeed(1)), data, { lr: 0.5, rng: Rng.fromSeed(3), iterations: 5, jitterSteps: 20, ...(batchSize ? { batchSize } : {}) });
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
    const mini = run(30);
    expect(mini.jitter.batchSize).toBe(30);
    expect(mini.jitter.steps).toBe(20);
  });

  it("rejects bad options with one line naming the value", () => {
    const net = new Network(SPEC, Rng.fromSeed(1));
    expect(() => checkCost(net, data, { lr: 0, rng: Rng.fromSeed(3) })).toThrow(/learning rate must be a number in \(0, 10\], got 0/);
    expect(() => checkCost(net, data, { lr: 0.1, rng: Rng.fromSeed(3), iterations: 2.5 })).toThrow(/iterations must be an integer >= 1, got 2.5/);
    expect(() => checkCost(net, data, { lr: 0.1, rng: Rng.fromSeed(3), jitterSteps: 1 })).toThrow(/jitter steps must be an integer >= 2, got 1/);
  });
});
