import { describe, expect, it } from "vitest";
import { DivergenceError, InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { tensorDataset, type Dataset } from "../data/dataset.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { loadNetwork, saveNetwork } from "../nn/serialize.js";
import { cleanCostRises } from "./history.js";
import { evaluate } from "./evaluate.js";
import { Trainer, fit } from "./fit.js";
import type { TrainOptions } from "./options.js";

/** Two interleaved noisy classes in 2-D: a ring around a blob (made here so this test needs no loader). */
function ring(n: number, seed: number): Dataset {
  const rng = Rng.fromSeed(seed);
  const x = zeros(n, 2), y = zeros(n, 1);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const r = label ? 3 + rng.uniform() * 2 : rng.uniform() * 2;
    const a = rng.uniform() * 2 * Math.PI;
    x.data[2 * i] = r * Math.cos(a) + 0.3 * rng.normal();
    x.data[2 * i + 1] = r * Math.sin(a) + 0.3 * rng.normal();
    y.data[i] = label;
  }
  return tensorDataset(x, y, { kind: "classification", classes: 2 });
}

const SPEC: NetworkSpec = { layers: [2, 16, 16, 1], activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" };
const OPTS: TrainOptions = { epochs: 5, batchSize: 32, lr: 0.1, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } };

function run(seed: number, spec = SPEC, options = OPTS, data = ring(200, 1)) {
  const root = Rng.fromSeed(seed);
  const net = new Network(spec, root.stream("init"));
  const history = fit(net, { train: data, dev: ring(100, 2) }, options, root.stream("train"));
  return { net, history };
}

describe("fit", () => {
  it("gives a bit-identical History for the same seed, and a different one for another seed", () => {
    const spec = { ...SPEC, keepProbs: [0.9, 0.5, 0.5] };
    const a = run(7, spec), b = run(7, spec), c = run(8, spec);
    expect(JSON.stringify(a.history)).toBe(JSON.stringify(b.history));
    a.net.params().forEach((p, i) => expect(Buffer.from(p.value.data.buffer).equals(Buffer.from(b.net.params()[i]!.value.data.buffer))).toBe(true));
    expect(JSON.stringify(c.history)).not.toBe(JSON.stringify(a.history));
  });

  it("records the noisy cost of every step and the clean J of every epoch, epoch 0 included", () => {
    const { net, history } = run(1);
    expect(history.steps).toHaveLength(5 * Math.ceil(200 / 32));
    expect(history.steps.map((s) => s.step)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const e of history.epochs) {
      expect(Number.isFinite(e.cleanCost)).toBe(true);
      // accuracies are counts of correct examples over the set sizes (200 train, 100 dev)
      expect(Number.isInteger(Math.round(e.trainAccuracy! * 200 * 1e6) / 1e6)).toBe(true);
      expect(Number.isInteger(Math.round(e.devAccuracy! * 100 * 1e6) / 1e6)).toBe(true);
    }
    // the last record is what the trained network measures now
    const now = evaluate(net, ring(100, 2));
    expect(history.epochs.at(-1)!.devAccuracy).toBe(now.accuracy);
    expect(history.epochs.at(-1)!.devLoss).toBe(now.loss);
    expect(history.epochs.at(-1)!.cleanCost).toBeLessThan(history.epochs[0]!.cleanCost);
  });

  it("includes the L2 penalty in the clean J", () => {
    const { net, history } = run(1, SPEC, { ...OPTS, epochs: 1, l2: 5 });
    const sumSq = net.params().filter((p) => p.penalize).reduce((s, p) => s + Array.from(p.value.data).reduce((a, v) => a + v * v, 0), 0);
    const last = history.epochs.at(-1)!;
    expect(last.cleanCost - last.trainLoss).toBeCloseTo((5 / (2 * 200)) * sumSq, 5);
  });

  it("with every keepProb 1 and full-batch gradient descent at a small rate, J never rises in 500 iterations", () => {
    const { history } = run(3, SPEC, { epochs: 500, batchSize: 200, lr: 0.05, optimizer: { kind: "sgd" } });
    expect(history.steps).toHaveLength(500);
    expect(cleanCostRises(history)).toEqual([]);
    expect(history.epochs.at(-1)!.cleanCost).toBeLessThan(history.epochs[0]!.cleanCost * 0.9);
  });

  it("with dropout on, the noisy cost rises on some steps while the clean J still trends down (the cost function problem)", () => {
    const spec = { ...SPEC, keepProbs: [1, 0.5, 0.5] };
    const { history } = run(3, spec, { epochs: 300, batchSize: 200, lr: 0.05, optimizer: { kind: "sgd" } });
    const noisy = history.steps.map((s) => s.cost);
    const noisyRises = noisy.filter((c, i) => i > 0 && c > noisy[i - 1]!).length;
    expect(noisyRises).toBeGreaterThan(30);
    // the clean J trends down: each third of the run ends lower than the one before
    const J = history.epochs.map((e) => e.cleanCost);
    const third = Math.floor(J.length / 3);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(J.slice(third, 2 * third))).toBeLessThan(mean(J.slice(0, third)));
    expect(mean(J.slice(2 * third))).toBeLessThan(mean(J.slice(third, 2 * third)));
    expect(J.at(-1)!).toBeLessThan(J[0]! * 0.9);
  });

  it("stops with an error naming the step and the last finite cost when the cost becomes NaN", () => {
    const root = Rng.fromSeed(1);
    const net = new Network(SPEC, root.stream("init"));
    const trainer = new Trainer(net, { train: ring(64, 1) }, { epochs: 3, batchSize: 32, lr: 0.1, optimizer: { kind: "sgd" } }, root.stream("train"));
    trainer.runEpoch();
    net.params()[0]!.value.data[0] = Number.NaN;
    let error: unknown;
    try {
      trainer.runEpoch();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).step).toBe(3);
    expect((error as Error).message).toMatch(/diverged at step 3: .*last finite cost 0\.\d+/);
  });

  it("resumes from a snapshot bit-identically to an uninterrupted run", () => {
    const spec = { ...SPEC, keepProbs: [0.8, 0.5, 0.5] };
    const options: TrainOptions = { epochs: 4, batchSize: 16, lr: 0.01, optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, l2: 0.1, maxNorm: 3 };
    const data = { train: ring(100, 1), dev: ring(50, 2) };
    const full = new Trainer(new Network(spec, Rng.fromSeed(5).stream("init")), data, options, Rng.fromSeed(5).stream("train"));
    full.run();

    const first = new Trainer(new Network(spec, Rng.fromSeed(5).stream("init")), data, options, Rng.fromSeed(5).stream("train"));
    first.runEpoch();
    first.runEpoch();
    const saved = JSON.parse(JSON.stringify({ network: saveNetwork(first.network), trainer: first.snapshot() }));
    const resumed = new Trainer(loadNetwork(saved.network), data, options, Rng.fromSeed(12345), saved.trainer);
    resumed.run();
    expect(JSON.stringify(resumed.history)).toBe(JSON.stringify(full.history));
    resumed.network.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(full.network.params()[i]!.value.data)));
  });

  describe("refuses bad input before any training step", () => {
    const expectRefused = (make: () => unknown, message: RegExp) => {
      expect(make).toThrow(InputError);
      expect(make).toThrow(message);
    };

    it("keepProb outside (0, 1]", () => {
      for (const bad of [0, 1.5, -0.5, Number.NaN]) {
        expectRefused(() => new Network({ ...SPEC, keepProbs: [1, bad, 1] }, Rng.fromSeed(1)), new RegExp(`keepProbs\\[1\\] must be a number in \\(0, 1\\], got ${bad}`));
      }
      expectRefused(() => new Network({ ...SPEC, keepProbs: [1, 1] }, Rng.fromSeed(1)), /keepProbs needs 3 values/);
    });

    it("zero, negative or fractional layer sizes", () => {
      expectRefused(() => new Network({ ...SPEC, layers: [2, 0, 1] , keepProbs: [1, 1]}, Rng.fromSeed(1)), /layer size 1 \(hidden\) must be an integer in \[1, 65536\], got 0/);
      expectRefused(() => new Network({ ...SPEC, layers: [2, -3, 1], keepProbs: [1, 1] }, Rng.fromSeed(1)), /got -3/);
      expectRefused(() => new Network({ ...SPEC, layers: [2, 2.5, 1], keepProbs: [1, 1] }, Rng.fromSeed(1)), /got 2.5/);
    });

    it("NaN or infinite values in the data", () => {
      const data = ring(40, 1);
      const x = zeros(40, 2), y = zeros(40, 1);
      data.gather(Int32Array.from({ length: 40 }, (_, i) => i), x, y);
      x.data[2 * 17 + 1] = Number.POSITIVE_INFINITY;
      const bad = tensorDataset(x, y, data.task);
      const net = new Network(SPEC, Rng.fromSeed(1));
      const before = Array.from(net.params()[0]!.value.data);
      expectRefused(() => new Trainer(net, { train: bad }, OPTS, Rng.fromSeed(1)), /training data has a non-finite value Infinity at row 17, column 1/);
      expect(Array.from(net.params()[0]!.value.data)).toEqual(before);
    });

    it("data whose width does not match the first layer", () => {
      const net = new Network({ ...SPEC, layers: [3, 4, 1], keepProbs: [1, 1] }, Rng.fromSeed(1));
      expectRefused(() => new Trainer(net, { train: ring(10, 1) }, OPTS, Rng.fromSeed(1)), /training data has 2 features per example but the network's first layer expects 3/);
    });

    it("labels out of range", () => {
      const x = zeros(3, 2), y = zeros(3, 1);
      y.data.set([0, 1, 2]);
      const bad = tensorDataset(x, y, { kind: "classification", classes: 2 });
      const net = new Network(SPEC, Rng.fromSeed(1));
      expectRefused(() => new Trainer(net, { train: bad }, OPTS, Rng.fromSeed(1)), /label 2 at row 2 is out of range; a 1-output classifier allows 0 or 1/);
      const soft = new Network({ ...SPEC, layers: [2, 4, 3], keepProbs: [1, 1], loss: "softmax-cross-entropy" }, Rng.fromSeed(1));
      const y3 = zeros(3, 1);
      y3.data.set([0, 5, 1]);
      expectRefused(
        () => new Trainer(soft, { train: tensorDataset(x, y3, { kind: "classification", classes: 3 }) }, OPTS, Rng.fromSeed(1)),
        /label 5 at row 1 is out of range; allowed are the integers 0..2/,
      );
    });

    it("bad training options", () => {
      const net = new Network(SPEC, Rng.fromSeed(1));
      expectRefused(() => new Trainer(net, { train: ring(10, 1) }, { ...OPTS, lr: -1 }, Rng.fromSeed(1)), /learning rate must be a number in \(0, 10\], got -1/);
      expectRefused(() => new Trainer(net, { train: ring(10, 1) }, { ...OPTS, batchSize: 0 }, Rng.fromSeed(1)), /batch size must be an integer >= 1, got 0/);
      expectRefused(() => new Trainer(net, { train: ring(10, 1) }, { ...OPTS, l2: -0.1 }, Rng.fromSeed(1)), /l2 must be a number >= 0, got -0.1/);
    });
  });
});

describe("fit on the synthetic circle set", () => {
  it("a 2-16-16-1 network reaches at least 97% test accuracy on a noisy circle (noise 0.05: 1.3% of labels flipped)", async () => {
    const { synthetic } = await import("../data/synthetic.js");
    const { splitIndices } = await import("../data/split.js");
    const { subset } = await import("../data/dataset.js");
    const root = Rng.fromSeed(1);
    const { data } = synthetic("circle", { n: 1000, noise: 0.05, rng: root.stream("data") });
    const split = splitIndices(data.size, { devFraction: 0.15, testFraction: 0.3 }, root.stream("split"));
    const net = new Network({ layers: [2, 16, 16, 1], activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" }, root.stream("init"));
    fit(net, { train: subset(data, split.train), dev: subset(data, split.dev) }, { epochs: 60, batchSize: 16, lr: 0.03, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } }, root.stream("train"));
    const { evaluate } = await import("./evaluate.js");
    expect(evaluate(net, subset(data, split.test)).accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
