import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { tensorDataset, type Dataset } from "../data/dataset.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { loadNetwork, saveNetwork } from "../nn/serialize.js";
import { EarlyStopping, validateEarlyStopping, type EarlyStoppingSpec } from "./early-stopping.js";
import { evaluate } from "./evaluate.js";
import { Trainer } from "./fit.js";
import { finalEpoch, type EpochRecord } from "./history.js";
import type { TrainOptions } from "./options.js";

/** Two noisy overlapping blobs in 2-D: few examples, so a wide network overfits them. */
function blobs(n: number, seed: number): Dataset {
  const rng = Rng.fromSeed(seed);
  const x = zeros(n, 2), y = zeros(n, 1);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    x.data[2 * i] = (label ? 0.6 : -0.6) + rng.normal();
    x.data[2 * i + 1] = (label ? 0.6 : -0.6) + rng.normal();
    y.data[i] = label;
  }
  return tensorDataset(x, y, { kind: "classification", classes: 2 });
}

const record = (epoch: number, devAccuracy: number, devLoss = 1 - devAccuracy): EpochRecord => ({ epoch, step: epoch, lr: 0.1, cleanCost: 1, trainLoss: 1, devAccuracy, devLoss });
const param = (v: number) => ({ value: { data: new Float32Array([v]) } });

describe("EarlyStopping on a scripted metric sequence", () => {
  const spec: EarlyStoppingSpec = { patience: 3, monitor: "dev-accuracy", minDelta: 0.01, restoreBest: true };

  it("stops after `patience` epochs without an improvement above minDelta and keeps the best epoch's weights", () => {
    const es = new EarlyStopping(spec);
    const accs = [0.5, 0.7, 0.8, 0.805, 0.79, 0.81];
    const stops = accs.map((a, i) => es.observe(record(i + 1, a), [param(i + 1)]));
    // 0.805 and 0.81 are within minDelta of 0.8: no improvement after epoch 3; the 3rd miss (epoch 6) stops
    expect(stops).toEqual([false, false, false, false, false, true]);
    const p = [param(0)];
    expect(es.restore(p)).toBe(true);
    expect(p[0]!.value.data[0]).toBe(3);
    expect(es.record("patience", true)).toEqual({ reason: "patience", monitor: "dev-accuracy", bestEpoch: 3, bestValue: 0.8, restored: true });
  });

  it("watches the dev loss downwards", () => {
    const es = new EarlyStopping({ ...spec, monitor: "dev-loss", minDelta: 0, patience: 2 });
    const losses = [0.9, 0.5, 0.6, 0.4, 0.45, 0.41];
    const stops = losses.map((l, i) => es.observe(record(i + 1, 0, l), [param(i)]));
    expect(stops).toEqual([false, false, false, false, false, true]);
    expect(es.record("patience", false).bestEpoch).toBe(4);
  });

  it("keeps no copy of the weights when restoreBest is off", () => {
    const es = new EarlyStopping({ ...spec, restoreBest: false });
    es.observe(record(1, 0.5), [param(1)]);
    expect(es.restore([param(0)])).toBe(false);
    expect(es.snapshot().bestParams).toBeUndefined();
  });

  it("validates its spec, naming the value and what is allowed", () => {
    expect(() => validateEarlyStopping({ patience: 0 })).toThrow(/patience must be an integer in \[1, 1000000\], got 0/);
    expect(() => validateEarlyStopping({ patience: 3, monitor: "val_acc" })).toThrow(/monitor must be one of dev-accuracy, dev-loss; got "val_acc"/);
    expect(() => validateEarlyStopping({ patience: 3, minDelta: -1 })).toThrow(/min-delta must be a number in \[0, 1000000\], got -1/);
    expect(validateEarlyStopping({ patience: 4 })).toEqual({ patience: 4, monitor: "dev-accuracy", minDelta: 0, restoreBest: true });
  });

  it("refuses a snapshot whose counters or weights do not fit", () => {
    const shapes = [{ length: 1, float64: false }];
    const good = (() => {
      const es = new EarlyStopping(spec);
      es.observe(record(1, 0.5), [param(1)]);
      return es.snapshot();
    })();
    expect(() => EarlyStopping.restore(spec, { ...good, wait: 7 }, shapes, 1)).toThrow(/wait must be an integer in \[0, 2\]/);
    expect(() => EarlyStopping.restore(spec, { ...good, bestEpoch: 9 }, shapes, 1)).toThrow(/bestEpoch must be an integer in \[0, 1\]/);
    expect(() => EarlyStopping.restore(spec, { ...good, bestParams: ["AAAAAAAA"] }, shapes, 1)).toThrow(/has 6 bytes, expected 4/);
    expect(() => EarlyStopping.restore(spec, { ...good, bestParams: undefined }, shapes, 1)).toThrow(InputError);
  });
});

describe("early stopping in the Trainer", () => {
  const SPEC: NetworkSpec = { layers: [2, 64, 64, 1], activation: "relu", keepProbs: [1, 1, 1], loss: "sigmoid-cross-entropy" };
  const OPTS: TrainOptions = {
    epochs: 300,
    batchSize: 8,
    lr: 0.05,
    optimizer: { kind: "momentum", beta: 0.9, nesterov: false },
    earlyStopping: { patience: 8, monitor: "dev-loss", minDelta: 0, restoreBest: true },
  };
  const data = { train: blobs(40, 1), dev: blobs(200, 2) };
  const trainer = (options = OPTS) => new Trainer(new Network(SPEC, Rng.fromSeed(3).stream("init")), data, options, Rng.fromSeed(3).stream("train"));

  it("stops on a plateau well before the cap and ends with the best epoch's weights", () => {
    const t = trainer();
    const history = t.run();
    const stop = history.stop!;
    expect(stop.reason).toBe("patience");
    expect(history.epochs.at(-1)!.epoch).toBe(stop.bestEpoch + 8);
    expect(history.epochs.at(-1)!.epoch).toBeLessThan(300);
    const best = finalEpoch(history);
    expect(best.epoch).toBe(stop.bestEpoch);
    // the dev loss never went below the best one, and the last epoch is worse than the best
    for (const e of history.epochs.slice(1)) expect(e.devLoss!).toBeGreaterThanOrEqual(best.devLoss!);
    expect(history.epochs.at(-1)!.devLoss!).toBeGreaterThan(best.devLoss!);
    // the weights are the best epoch's: re-measuring them gives its numbers exactly
    const now = evaluate(t.network, data.dev);
    expect(now.loss).toBe(best.devLoss);
    expect(now.accuracy).toBe(best.devAccuracy);
    // training on would undo the restore
    expect(() => t.runEpoch()).toThrow(/early stopping has already ended this run/);
  });

  it("without restoreBest keeps the last epoch's weights", () => {
    const t = trainer({ ...OPTS, earlyStopping: { ...OPTS.earlyStopping!, restoreBest: false } });
    const history = t.run();
    expect(history.stop!.restored).toBe(false);
    expect(finalEpoch(history)).toBe(history.epochs.at(-1));
    expect(evaluate(t.network, data.dev).loss).toBe(history.epochs.at(-1)!.devLoss);
  });

  it("says max-epochs when the cap comes first, and still restores the best epoch", () => {
    const history = trainer({ ...OPTS, epochs: 3, earlyStopping: { ...OPTS.earlyStopping!, patience: 50 } }).run();
    expect(history.stop!.reason).toBe("max-epochs");
    expect(history.epochs).toHaveLength(4);
  });

  it("resumes from a JSON snapshot bit for bit, early stopping included", () => {
    const full = trainer();
    full.run();
    const first = trainer();
    for (let i = 0; i < 5; i++) first.runEpoch();
    const saved = JSON.parse(JSON.stringify({ network: saveNetwork(first.network), trainer: first.snapshot() }));
    const resumed = new Trainer(loadNetwork(saved.network), data, OPTS, Rng.fromSeed(999), saved.trainer);
    resumed.run();
    expect(JSON.stringify(resumed.history)).toBe(JSON.stringify(full.history));
    resumed.network.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(full.network.params()[i]!.value.data)));
  });

  it("refuses to start without a dev set, or on accuracy for regression", () => {
    expect(() => new Trainer(new Network(SPEC, Rng.fromSeed(1)), { train: data.train }, OPTS, Rng.fromSeed(1))).toThrow(/dev set is empty/);
  });
});
