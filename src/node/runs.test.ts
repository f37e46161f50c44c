import { describe, expect, it } from "vitest";
import type { ExperimentConfig } from "../config/experiment.js";
import { runExperiments } from "./runs.js";
import { InputError } from "../core/errors.js";

const base: ExperimentConfig = {
  data: "xor",
  size: 200,
  hidden: [8],
  activation: "tanh",
  keepProbs: [1, 0.8],
  optimizer: { kind: "sgd" },
  lr: 0.1,
  batchSize: 16,
  epochs: 3,
  l2: 0,
  seed: 4,
};

describe("runExperiments", () => {
  it("gives the same results on two worker threads as in this thread, in input order", async () => {
    const configs = [base, { ...base, keepProbs: [1, 0.5], seed: 5 }, { ...base, data: "circle" }];
    const here = await runExperiments(configs, { workers: 0, backend: "js" });
    const threads = await runExperiments(configs, { workers: 2, backend: "js" });
    expect(threads.map((r) => JSON.stringify([r.history, r.test]))).toEqual(here.map((r) => JSON.stringify([r.history, r.test])));
    expect(threads.map((r) => r.config.data)).toEqual(["xor", "xor", "circle"]);
  });

  it("reports a worker's input error as an InputError", async () => {
    const { size: _size, ...noSize } = base;
    const run = runExperiments([base, { ...noSize, data: "csv:/nonexistent.csv", label: "y" }], { workers: 2 });
    await expect(run).rejects.toThrow(/nonexistent\.csv/);
    await expect(run).rejects.toBeInstanceOf(InputError);
  });
});
