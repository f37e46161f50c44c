import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { tensorDataset } from "../data/dataset.js";
import { Network, type NetworkSpec } from "../nn/network.js";
import { stepsPerEpoch, validateTrainerState } from "./checkpoint.js";
import { Trainer, type TrainerState } from "./fit.js";
import type { TrainOptions } from "./options.js";

const SPEC: NetworkSpec = { layers: [2, 4, 1], activation: "tanh", keepProbs: [1, 0.5], loss: "sigmoid-cross-entropy" };
const OPTIONS: TrainOptions = { epochs: 3, batchSize: 8, lr: 0.1, optimizer: { kind: "sgd" } };

function data() {
  const x = zeros(20, 2), y = zeros(20, 1);
  for (let i = 0; i < 20; i++) {
    x.data[2 * i] = i / 20;
    x.data[2 * i + 1] = (i % 3) / 3;
    y.data[i] = i % 2;
  }
  return { train: tensorDataset(x, y, { kind: "classification", classes: 2 }) };
}

const trainer = (resume?: TrainerState) => new Trainer(new Network(SPEC, Rng.fromSeed(1).stream("init")), data(), OPTIONS, Rng.fromSeed(1).stream("train"), resume);

/** A real snapshot after one of the run's three epochs, as a file holds it. */
function snapshot(): Record<string, any> {
  const t = trainer();
  t.runEpoch();
  return JSON.parse(JSON.stringify(t.snapshot()));
}

const CONTEXT = { epochs: 3, stepsPerEpoch: stepsPerEpoch(20, 8), source: "ck.json" };

function refused(state: unknown, message: RegExp): void {
  let error: unknown;
  try {
    validateTrainerState(state, CONTEXT);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toMatch(/^ck\.json: /);
  expect((error as Error).message).toMatch(message);
}

describe("validateTrainerState", () => {
  it("accepts a real snapshot, and the Trainer resumes from it", () => {
    const s = snapshot();
    expect(validateTrainerState(s, CONTEXT)).toBe(s);
    const t = trainer(s as TrainerState);
    expect(t.epoch).toBe(1);
    t.run();
    expect(t.history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
  });

  it("refuses an epoch outside the run, and a step that does not match it", () => {
    refused({ ...snapshot(), epoch: -3 }, /trainer\.epoch must be an integer in \[0, 1000000\], got -3/);
    refused({ ...snapshot(), epoch: 99 }, /trainer\.epoch is 99, but the run has 3 epochs/);
    refused({ ...snapshot(), epoch: 1.5 }, /trainer\.epoch must be an integer/);
    refused({ ...snapshot(), step: "abc" }, /trainer\.step must be an integer .*got "abc"/);
    refused({ ...snapshot(), step: 2 }, /trainer\.step is 2, but 1 epochs of 3 steps make 3/);
  });

  it("refuses a cut, reordered or missing history", () => {
    const s = snapshot();
    refused({ ...s, history: { ...s.history, epochs: [s.history.epochs[0]] } }, /history\.epochs must hold one record per epoch, 0 to 1 \(2\), got 1 records/);
    refused({ ...s, history: { ...s.history, steps: s.history.steps.slice(1) } }, /history\.steps must hold one record per step \(3\), got 2 records/);
    const swapped = [s.history.epochs[1], s.history.epochs[0]];
    refused({ ...s, history: { ...s.history, epochs: swapped } }, /history\.epochs\[0\]\.epoch must be 0, got 1/);
    refused({ ...s, history: { ...s.history, steps: s.history.steps.map((r: object) => ({ ...r, cost: null })) } }, /steps\[0\]\.cost must be a number, got null/);
    const { history: _h, ...noHistory } = s;
    refused(noHistory, /trainer\.history is missing/);
    const { rng: _r, ...noRng } = s;
    refused(noRng, /trainer\.rng is missing/);
  });

  it("refuses a random state that would hang the run or overflow the stack, and unknown fields", () => {
    const s = snapshot();
    const zero = structuredClone(s);
    zero.rng.children.shuffle.s = [0, 0, 0, 0];
    refused(zero, /trainer\.rng: random-stream state shuffle\.s is all zero/);
    let deep: object = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: {} };
    for (let i = 0; i < 20000; i++) deep = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: { c: deep } };
    refused({ ...s, rng: deep }, /nested deeper than 16/);
    refused({ ...s, extra: 1 }, /trainer has an unknown field "extra"/);
    refused([], /trainer must be an object/);
  });

  it("is the check the Trainer runs before restoring a state", () => {
    const zero = snapshot();
    zero.rng.children.shuffle.s = [0, 0, 0, 0];
    expect(() => trainer(zero as TrainerState)).toThrow(/shuffle\.s is all zero/);
    expect(() => trainer({ ...snapshot(), epoch: 7 } as TrainerState)).toThrow(/trainer\.epoch is 7, but the run has 3 epochs/);
  });
});
