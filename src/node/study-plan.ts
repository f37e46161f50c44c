// What the advice benchmark runs: the data sets (8 real ones, images and
// tables, Fashion-MNIST at three training-set sizes), two networks each (one
// that fits the data comfortably, one much larger), the seeds, the search
// grids, and the two measurements beside the table (bias-variance, and
// dropout's gain against training-set size). Sized towards an hour on 2
// cores for the full study (patience 3, doubled by the recipe; a 2-value grid
// per searched layer; 2 L2 strengths) and three minutes for --quick; every
// choice is written here.

import { DEFAULT_EXPERIMENT, type ExperimentConfig } from "../config/experiment.js";
import type { InputKind } from "../analysis/advisor.js";
import type { StudyCase, StudySettings } from "../analysis/study.js";

export interface StudyPlan {
  readonly cases: readonly StudyCase[];
  readonly settings: StudySettings;
  /** Bias-variance: bootstrap models per setting, on these experiments (one image set, one table). */
  readonly variance: { readonly models: number; readonly cases: readonly { readonly name: string; readonly inputKind: InputKind; readonly config: ExperimentConfig }[] };
  /** Dropout's gain against training-set size on Fashion-MNIST. */
  readonly sizes: { readonly trainSizes: readonly number[]; readonly seeds: readonly number[]; readonly inputKind: InputKind; readonly config: ExperimentConfig };
}

/** The training settings every arm starts from (the recipe changes its own fields). */
function base(data: string, hidden: readonly number[], quick: boolean, extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  const { hidden: _h, ...rest } = DEFAULT_EXPERIMENT;
  return {
    ...rest,
    data,
    hidden: [...hidden],
    epochs: quick ? 6 : 30,
    patience: quick ? 2 : 3,
    seed: 1,
    ...extra,
  };
}

interface CaseSpec {
  readonly name: string;
  readonly data: string;
  readonly inputKind: InputKind;
  readonly fits: readonly number[];
  readonly large: readonly number[];
  readonly extra?: Partial<ExperimentConfig>;
}

export function studyPlan(quick: boolean): StudyPlan {
  const fashion = (n: number | undefined): Partial<ExperimentConfig> => (n === undefined ? {} : { trainSize: n });
  const specs: CaseSpec[] = quick
    ? [
        { name: "mnist", data: "mnist", inputKind: "image", fits: [32], large: [128, 128] },
        { name: "fashion-mnist 1k", data: "fashion-mnist", inputKind: "image", fits: [32], large: [128, 128], extra: fashion(1000) },
        { name: "fashion-mnist 5k", data: "fashion-mnist", inputKind: "image", fits: [32], large: [128, 128], extra: fashion(5000) },
        { name: "fashion-mnist 60k", data: "fashion-mnist", inputKind: "image", fits: [16], large: [32, 32], extra: { ...fashion(undefined), epochs: 3 } },
        { name: "digits", data: "digits", inputKind: "image", fits: [32], large: [256, 256] },
        { name: "penguins", data: "penguins", inputKind: "tabular", fits: [16], large: [256, 256] },
        { name: "seattle-weather", data: "seattle-weather", inputKind: "tabular", fits: [16], large: [256, 256] },
        { name: "breast-cancer", data: "breast-cancer", inputKind: "tabular", fits: [16], large: [256, 256] },
        { name: "wine", data: "wine", inputKind: "tabular", fits: [16], large: [256, 256] },
      ]
    : [
        { name: "mnist", data: "mnist", inputKind: "image", fits: [64], large: [256, 256] },
        { name: "fashion-mnist 1k", data: "fashion-mnist", inputKind: "image", fits: [64], large: [128, 128], extra: fashion(1000) },
        { name: "fashion-mnist 5k", data: "fashion-mnist", inputKind: "image", fits: [64], large: [128, 128], extra: fashion(5000) },
        { name: "fashion-mnist 60k", data: "fashion-mnist", inputKind: "image", fits: [32], large: [128] },
        { name: "digits", data: "digits", inputKind: "image", fits: [32], large: [512, 512] },
        { name: "penguins", data: "penguins", inputKind: "tabular", fits: [16], large: [512, 512] },
        { name: "seattle-weather", data: "seattle-weather", inputKind: "tabular", fits: [16], large: [512, 512] },
        { name: "breast-cancer", data: "breast-cancer", inputKind: "tabular", fits: [16], large: [512, 512] },
        { name: "wine", data: "wine", inputKind: "tabular", fits: [16], large: [512, 512] },
      ];
  const cases: StudyCase[] = specs.map((s) => ({
    name: s.name,
    inputKind: s.inputKind,
    networks: [
      { name: "fits", config: base(s.data, s.fits, quick, s.extra) },
      { name: "large", config: base(s.data, s.large, quick, s.extra) },
    ],
  }));
  const settings: StudySettings = quick
    ? { seeds: [1, 2], searchSeeds: [101], grid: [0.5, 1], lambdas: [1, 10] }
    : { seeds: [1, 2, 3, 4, 5], searchSeeds: [101], grid: [0.5, 0.8], lambdas: [0.3, 3] };
  const splitFixed = { splitSeed: 1 };
  const variance = quick
    ? {
        models: 4,
        cases: [
          { name: "digits", inputKind: "image" as const, config: base("digits", [256, 256], quick, splitFixed) },
          { name: "wine", inputKind: "tabular" as const, config: base("wine", [256, 256], quick, splitFixed) },
        ],
      }
    : {
        models: 10,
        cases: [
          { name: "mnist", inputKind: "image" as const, config: base("mnist", [256, 256], quick, splitFixed) },
          { name: "breast-cancer", inputKind: "tabular" as const, config: base("breast-cancer", [512, 512], quick, splitFixed) },
        ],
      };
  const sizes = {
    trainSizes: quick ? [500, 2000, 5000] : [500, 1000, 2000, 5000, 10000, 20000, 51000],
    seeds: quick ? [1, 2] : [1, 2, 3],
    inputKind: "image" as const,
    config: base("fashion-mnist", quick ? [128, 128] : [128, 128], quick),
  };
  return { cases, settings, variance, sizes };
}
