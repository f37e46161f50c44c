// The playground's state module, without a browser: URL round trips, refused
// values keep the last valid setting, and the CLI line is the schema's own
// and parses back to the same experiment, on the same kernels.

import { describe, expect, it } from "vitest";
import { validateExperiment } from "../src/toolkit.js";
import {
  DEFAULT_STATE,
  applyBackend,
  applyHidden,
  applyKeepProb,
  applySetting,
  cliCommand,
  parseState,
  serializeState,
  toConfig,
  trainExamples,
  type PageState,
} from "../web/state.js";

describe("playground state", () => {
  it("round-trips through the URL hash", () => {
    const s: PageState = { ...DEFAULT_STATE, data: "xor", noise: 0.25, layers: [2, 6, 4, 1], keepProbs: [0.9, 0.5, 0.75], activation: "relu", optimizer: "adam", lr: 0.003, batch: 32, epochs: 50, l2: 0.5, maxNorm: 3, seed: 42, trainFraction: 0.5, compare: true, backend: "wasm", threads: 4 };
    const hash = serializeState(s);
    expect(hash).toContain("layers=2,6,4,1");
    expect(hash).toContain("keep-probs=0.9,0.5,0.75");
    expect(hash).toContain("backend=wasm&threads=4");
    expect(parseState(`#${hash}`)).toEqual({ state: s, errors: [] });
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual({ state: DEFAULT_STATE, errors: [] });
  });

  it("refuses bad values by name and keeps the last valid setting", () => {
    const { state, errors } = parseState("#keep-probs=0,0.5,0.5&lr=abc&layers=2,1000000,1&batch=2.5&bogus=1&data=cifar");
    expect(state).toEqual(DEFAULT_STATE);
    expect(errors).toHaveLength(6);
    expect(errors.join("\n")).toContain("keep-probs[0] (input layer) must be a number in (0, 1], got 0; kept keep-probs=1,0.5,0.5");
    expect(errors.join("\n")).toContain('lr must be a number, got "abc"; kept lr=0.1');
    expect(errors.join("\n")).toContain("1000000");
    expect(errors.join("\n")).toContain('unknown setting "bogus"');
    expect(() => applyKeepProb(DEFAULT_STATE, 1, "1.5")).toThrow("keepProb of hidden layer 1 must be a number in (0, 1], got 1.5");
    expect(() => applyKeepProb(DEFAULT_STATE, 0, "x")).toThrow('keepProb of the input layer must be a number, got "x"');
    expect(() => applyHidden(DEFAULT_STATE, "8,1000000")).toThrow("hidden layer 2 size must be an integer in [1, 256], got 1000000");
    expect(() => applySetting(DEFAULT_STATE, "epochs", "0")).toThrow("epochs must be an integer in [1, 1000000], got 0");
  });

  it("keeps the backend in the URL: js (the default) is left out, threads only with wasm", () => {
    expect(serializeState(DEFAULT_STATE)).not.toContain("backend");
    const wasm = applyBackend(DEFAULT_STATE, "wasm");
    expect(wasm).toEqual({ ...DEFAULT_STATE, backend: "wasm", threads: 1 });
    expect(serializeState(wasm)).toMatch(/&backend=wasm$/);
    const threaded = applyBackend(DEFAULT_STATE, "wasm", 2);
    expect(serializeState(threaded)).toMatch(/&backend=wasm&threads=2$/);
    expect(parseState(serializeState(threaded))).toEqual({ state: threaded, errors: [] });
    expect(applyBackend(threaded, "js", 2)).toEqual(DEFAULT_STATE);
    expect(applySetting(threaded, "backend", "js")).toEqual(DEFAULT_STATE);
    expect(parseState("#backend=js", threaded)).toEqual({ state: DEFAULT_STATE, errors: [] });

    const { state, errors } = parseState("#backend=gpu&threads=2");
    expect(state).toEqual(DEFAULT_STATE);
    expect(errors).toEqual([
      'backend must be one of js, wasm; got "gpu"; kept backend=js',
      "threads applies to the wasm backend only (backend=wasm); got threads=2 with backend=js; kept threads=1",
    ]);
    expect(parseState("#backend=wasm&threads=0").errors).toEqual(["threads must be an integer in [1, 16], got 0; kept threads=1"]);
    expect(parseState("#backend=wasm&threads=1.5").errors).toEqual(["threads must be an integer in [1, 16], got 1.5; kept threads=1"]);
    expect(() => applyBackend(DEFAULT_STATE, "wasm", 17)).toThrow("threads must be an integer in [1, 16], got 17");
  });

  it("keeps layers and keepProbs in step with the data and the hidden sizes", () => {
    const mnist = applySetting(DEFAULT_STATE, "data", "mnist");
    expect(mnist.layers).toEqual([784, 32, 32, 10]);
    expect(applyHidden(mnist, "32").keepProbs).toEqual([1, 0.5]);
    expect(applyHidden(DEFAULT_STATE, "8,8,4").keepProbs).toEqual([1, 0.5, 0.5, 1]);
    expect(applyHidden(DEFAULT_STATE, "").layers).toEqual([2, 1]);
    // 2,000 examples, 5% for training: 100; the bundled 1,000 digits: 50.
    expect(trainExamples(DEFAULT_STATE)).toBe(100);
    expect(trainExamples(mnist)).toBe(50);
    expect(trainExamples({ ...DEFAULT_STATE, size: 500, trainFraction: 0.7 })).toBe(350);
  });

  it("writes the CLI line of the experiment schema, which parses back to the same experiment", () => {
    expect(cliCommand(DEFAULT_STATE)).toBe(
      "dropout-lab train --data gauss --noise 0.5 --size 2000 --layers 2,32,32,1 --activation tanh --keep-probs 1,0.5,0.5 --optimizer sgd --lr 0.1 --batch 10 --epochs 1000 --l2 0 --seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend js",
    );
    // The CLI's default size is left out; view settings never reach the command.
    expect(cliCommand({ ...DEFAULT_STATE, size: 500 })).not.toContain("--size");
    expect(cliCommand({ ...DEFAULT_STATE, view: { showTest: true, logY: true, uncertainty: "entropy", continueRun: true } })).toBe(cliCommand(DEFAULT_STATE));
    expect(validateExperiment(toConfig(DEFAULT_STATE))).toEqual(toConfig(DEFAULT_STATE));
    expect(cliCommand({ ...DEFAULT_STATE, trainFraction: 0.5, maxNorm: 2 })).toContain("--max-norm 2 --seed 1 --dev-fraction 0.25 --test-fraction 0.25");
    expect(cliCommand({ ...DEFAULT_STATE, data: "mnist", layers: [784, 64, 10] })).not.toContain("--noise");
    // The CLI picks its own thread count: the page's never reaches the command line.
    expect(cliCommand(applyBackend(DEFAULT_STATE, "wasm", 4))).toMatch(/--seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend wasm$/);
  });
});
