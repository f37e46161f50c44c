import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { synthetic } from "../data/synthetic.js";
import { Rng } from "../core/rng.js";
import type { NetworkSpec } from "../nn/network.js";
import { initNetwork, startRun, startTrainer } from "./run.js";
import type { TrainOptions } from "./options.js";

const SPEC: NetworkSpec = { layers: [2, 12, 12, 1], activation: "tanh", keepProbs: [1, 0.6, 0.6], loss: "sigmoid-cross-entropy" };
const OPTS: TrainOptions = { epochs: 6, batchSize: 25, lr: 0.1, optimizer: { kind: "momentum", beta: 0.9, nesterov: false } };
const DATA = { train: synthetic("circle", { n: 150, noise: 0.2, rng: Rng.fromSeed(3).stream("data") }).data };

const weightsOf = (run: ReturnType<typeof startRun>) => run.network.params().map((p) => Array.from(p.value.data));

describe("the run builder", () => {
  it("gives the same run for the same seed and another for another seed", () => {
    const a = startRun(SPEC, DATA, OPTS, 7), b = startRun(SPEC, DATA, OPTS, 7), c = startRun(SPEC, DATA, OPTS, 8);
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)).not.toEqual(weightsOf(c));
    a.trainer.run();
    b.trainer.run();
    expect(JSON.stringify(a.trainer.history)).toBe(JSON.stringify(b.trainer.history));
    expect(weightsOf(a)).toEqual(weightsOf(b));
  });

  it("carries a run on from its weights and snapshot bit for bit, as if it had never stopped", () => {
    const whole = startRun(SPEC, DATA, OPTS, 5);
    whole.trainer.run();
    const first = startRun(SPEC, DATA, OPTS, 5);
    for (let e = 0; e < 3; e++) first.trainer.runEpoch();
    const weights = first.network.params().map((p) => p.value.data.slice());
    const rest = startRun(SPEC, DATA, OPTS, 5, { weights, resume: first.trainer.snapshot() });
    expect(rest.trainer.epoch).toBe(3);
    rest.trainer.run();
    expect(weightsOf(rest)).toEqual(weightsOf(whole));
    expect(JSON.stringify(rest.trainer.history)).toBe(JSON.stringify(whole.trainer.history));
  });

  it("draws weights from the seed's init stream and training from its train stream, independently", () => {
    // The same initial weights whatever the training options: init never shares draws with train.
    const a = initNetwork(SPEC, 9), b = startRun(SPEC, DATA, { ...OPTS, batchSize: 10 }, 9).network;
    expect(a.params().map((p) => Array.from(p.value.data))).toEqual(b.params().map((p) => Array.from(p.value.data)));
    // Two trainers of one network on the same seed draw the same masks: the stream is the seed's, not the network's.
    const t1 = startTrainer(initNetwork(SPEC, 9), DATA, OPTS, 4), t2 = startTrainer(initNetwork(SPEC, 9), DATA, OPTS, 4);
    t1.runEpoch();
    t2.runEpoch();
    expect(t1.history.steps).toEqual(t2.history.steps);
  });

  it("refuses weights that do not fit the network, naming the sizes", () => {
    const weights = initNetwork(SPEC, 1).params().map((p) => p.value.data.slice());
    expect(() => initNetwork(SPEC, 1, { weights: weights.slice(1) })).toThrow(/got 5 weight arrays for a network with 6 parameters/);
    expect(() => initNetwork(SPEC, 1, { weights: [weights[0]!.subarray(1), ...weights.slice(1)] })).toThrow(/weight array 0 has 23 values, parameter 0 has 24/);
  });

  it("is the only place that builds a run: no other file forks a seed's init or train stream", () => {
    const root = join(import.meta.dirname, "..", "..");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) && !/\.(test|fixtures)\.ts$/.test(name) ? [path] : [];
      });
    const forks = ["src", "cli", "web"]
      .flatMap((d) => files(join(root, d)))
      .filter((f) => /\.stream\(\s*"(init|train)"\s*\)/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    // check.ts runs its own protocol (dropout off, then on) from the "check" stream it is given.
    expect(forks.filter((f) => f !== "src/analysis/check.ts")).toEqual([]);
  });
});
