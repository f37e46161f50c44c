import { describe, expect, it } from "vitest";
import { DEFAULT_EXPERIMENT, trainOptionsOf, validateExperiment, type ExperimentConfig } from "../config/experiment.js";
import { RECIPE_RULE, adviseRecipe, applyRecipe, parseRecipeName } from "./recipe.js";

const MOMENTUM = { kind: "momentum", beta: 0.9, nesterov: false } as const;

describe("the dropout recipe", () => {
  it("changes keepProbs, epochs, patience and max-norm, and says why it keeps the rate and momentum, each with its reason and source", () => {
    const r = adviseRecipe({ layers: [784, 512, 512, 10], examples: 7000, inputKind: "image" }, { epochs: 20, optimizer: MOMENTUM, lr: 0.05, patience: 5 });
    expect(r.settings).toEqual({ keepProbs: [0.9, 0.8, 0.8], epochs: 60, patience: 10, maxNorm: 3 });
    expect(r.changes.map((c) => [c.field, c.flag, c.from, c.to])).toEqual([
      ["keepProbs", "--keep-probs", "all 1", "0.9,0.8,0.8"],
      ["epochs", "--epochs", "20", "60"],
      ["patience", "--patience", "5", "10"],
      ["maxNorm", "--max-norm", "none", "3"],
      ["lr", "--lr", "0.05", "unchanged"],
    ]);
    // each reason speaks of its own field (a reason moved to the wrong field, or emptied, fails here)
    const topic: Record<string, RegExp> = { keepProbs: /advisor's rule/, epochs: /epochs/, patience: /patience/, maxNorm: /weight vector/, lr: /momentum 0\.95/ };
    for (const c of r.changes) {
      expect(c.reason).toMatch(topic[c.field]!);
      expect(c.source).toMatch(/Srivastava et al\. 2014|dropout-lab's rule|measured/);
    }
  });

  it("keeps the run's own max-norm and Adam's settings, and uses the base patience when the run had none", () => {
    const adam = { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
    const r = adviseRecipe({ layers: [784, 512, 512, 10], examples: 7000 }, { epochs: 10, optimizer: adam, lr: 0.001, maxNorm: 4 });
    expect(r.settings).toEqual({ keepProbs: [0.9, 0.8, 0.8], epochs: 30, patience: RECIPE_RULE.patienceFactor * RECIPE_RULE.basePatience });
    expect(r.changes.map((c) => c.field)).toEqual(["keepProbs", "epochs", "patience", "lr"]);
  });

  it("changes nothing else when the advisor drops nothing", () => {
    const r = adviseRecipe({ layers: [4, 3, 3], examples: 1000 }, { epochs: 10, optimizer: MOMENTUM, lr: 0.05 });
    expect(r.advice.keepProbs).toEqual([1, 1]);
    expect(r.settings).toEqual({ keepProbs: [1, 1] });
  });

  it("applies to an experiment, leaving the fields set by their own flags", () => {
    const base: ExperimentConfig = { ...DEFAULT_EXPERIMENT, layers: [784, 512, 512, 10], hidden: undefined } as ExperimentConfig;
    const recipe = adviseRecipe({ layers: [784, 512, 512, 10], examples: 7000, inputKind: "image" }, base);
    const all = validateExperiment(applyRecipe(base, recipe, new Set()));
    expect(all).toMatchObject({ keepProbs: [0.9, 0.8, 0.8], epochs: 30, patience: 10, maxNorm: 3, optimizer: { beta: 0.9 } });
    expect(trainOptionsOf(all).earlyStopping).toEqual({ patience: 10, monitor: "dev-accuracy", minDelta: 0, restoreBest: true });
    const mine = applyRecipe({ ...base, epochs: 7, maxNorm: 2 }, recipe, new Set(["epochs", "maxNorm"]));
    expect(mine).toMatchObject({ epochs: 7, maxNorm: 2, patience: 10 });
  });

  it("names the recipes there are", () => {
    expect(parseRecipeName("advised")).toBe("advised");
    expect(() => parseRecipeName("fast")).toThrow(/--recipe must be one of advised; got "fast"/);
  });
});
