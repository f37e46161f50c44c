// The note's protocol for "is my cost function right?" under dropout. With
// dropout on, every step trains a different thinned network, so the cost J
// jitters and a falling curve proves little. The protocol: (1) turn dropout
// off (every keepProb 1), train full-batch and check that J falls at every
// iteration; (2) check the gradients numerically with the dropout masks
// frozen; (3) turn dropout back on from the same weights and measure how much
// the noisy cost jitters compared with the clean J. The caller's network is
// never changed: the check works on a copy.

import { InputError, checkNumber } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { materialize, subset, type Dataset } from "../data/dataset.js";
import { Network } from "../nn/network.js";
import type { OptimizerSpec } from "../optim/optimizer.js";
import { cleanCost } from "../train/evaluate.js";
import { Trainer } from "../train/fit.js";
import { gradientCheck, toFloat64 } from "./gradcheck.js";
import { mean, successiveDifferenceStd } from "./stats.js";

export interface CheckOptions {
  /** Learning rate of both training phases. */
  readonly lr: number;
  /** Default plain SGD (gradient descent, full-batch in phase 1). */
  readonly optimizer?: OptimizerSpec;
  /** Coupled L2 λ, part of J. Default 0. */
  readonly l2?: number;
  /** Masks of phases 2 and 3 come from its streams "gradcheck" and "train". */
  readonly rng: Rng;
  /** Full-batch iterations of phase 1. Default 50. */
  readonly iterations?: number;
  /** At least this many steps in phase 3 (whole epochs are run). Default 50. */
  readonly jitterSteps?: number;
  /** Minibatch size of phase 3; default all rows, so the jitter comes from the dropout masks alone. */
  readonly batchSize?: number;
  /** The check uses at most this many training examples, evenly spaced. Default 1000. */
  readonly maxRows?: number;
  /** Rows of the gradient-check batch. Default 8. */
  readonly gradCheckRows?: number;
  /** Entries checked per parameter (evenly spread). Default 20. */
  readonly gradCheckEntries?: number;
  /** A rise of J smaller than tolerance · |J| is rounding, not a violation. Default 1e-6 (float32 networks round J at about 1e-7). */
  readonly tolerance?: number;
}

export interface CheckResult {
  /** Training examples the check used. */
  readonly rows: number;
  /** The network's keepProbs (dropout "on" in phases 2 and 3). */
  readonly keepProbs: readonly number[];
  readonly monotone: {
    readonly passed: boolean;
    readonly iterations: number;
    /** Iterations (1-based) where J rose: J before and after. */
    readonly violations: readonly { readonly iteration: number; readonly before: number; readonly after: number }[];
    readonly advice: string;
  };
  readonly gradientCheck: { readonly maxRelativeError: number; readonly relativeError: number; readonly passed: boolean; readonly rows: number };
  /**
   * The jitter of a cost series is von Neumann's noise estimate
   * sqrt(Σ_t (c_(t+1) - c_t)² / (2 (T-1))) (stats.successiveDifferenceStd):
   * the standard deviation of the series around its slow trend.
   * noisyStd: of the dropout-on step costs; cleanStd: of the clean J at the
   * same weights; ratio = noisyStd / cleanStd (null when cleanStd is 0);
   * meanGap: mean of (noisy - clean), what dropout adds to the cost on average.
   */
  readonly jitter: { readonly steps: number; readonly batchSize: number; readonly noisyStd: number; readonly cleanStd: number; readonly ratio: number | null; readonly meanGap: number };
  /** For plots: J per phase-1 iteration (0 = before), and per phase-3 step the noisy cost and the clean J at the same weights. */
  readonly curves: { readonly monotone: readonly number[]; readonly noisy: readonly number[]; readonly clean: readonly number[] };
  /** All three parts passed (the jitter is a measurement, it cannot fail). */
  readonly passed: boolean;
}

/** Runs the three-part protocol on a copy of `network` with the training set `train`. */
export function checkCost(network: Network, train: Dataset, options: CheckOptions): CheckResult {
  const lr = checkNumber("learning rate", options.lr, { min: 0, minExclusive: true, max: 10 });
  const l2 = checkNumber("l2", options.l2 ?? 0, { min: 0 });
  const iterations = checkNumber("iterations", options.iterations ?? 50, { min: 1, integer: true });
  const jitterSteps = checkNumber("jitter steps", options.jitterSteps ?? 50, { min: 2, integer: true });
  const maxRows = checkNumber("maxRows", options.maxRows ?? 1000, { min: 1, integer: true });
  const gradRows = checkNumber("gradient-check rows", options.gradCheckRows ?? 8, { min: 1, integer: true });
  const entries = checkNumber("gradient-check entries", options.gradCheckEntries ?? 20, { min: 1, integer: true });
  const tolerance = checkNumber("tolerance", options.tolerance ?? 1e-6, { min: 0 });
  const optimizer = options.optimizer ?? { kind: "sgd" };
  if (train.size < 1) throw new InputError("the training data is empty");
  const rows = Math.min(maxRows, train.size);
  const data = rows === train.size ? train : subset(train, Int32Array.from({ length: rows }, (_, i) => Math.floor((i * train.size) / rows)));
  const batchSize = checkNumber("batch size", options.batchSize ?? rows, { min: 1, integer: true });
  const keepProbs = [...network.spec.keepProbs];
  const penalty = l2 > 0 ? { l2 } : {};

  // (1) dropout off, full batch: J must fall at every iteration.
  const net = copyNetwork(network);
  net.setKeepProbs(keepProbs.map(() => 1));
  const off = new Trainer(net, { train: data }, { epochs: iterations, batchSize: rows, lr, optimizer, ...penalty }, options.rng.stream("off"));
  const monotoneCurve = off.run().epochs.map((e) => e.cleanCost);
  const violations = [];
  for (let i = 1; i < monotoneCurve.length; i++) {
    const before = monotoneCurve[i - 1]!, after = monotoneCurve[i]!;
    if (after > before + tolerance * Math.abs(before)) violations.push({ iteration: i, before, after });
  }
  const advice =
    violations.length === 0
      ? `J fell at each of the ${iterations} full-batch iterations: the cost and the learning rate ${lr} are consistent.`
      : `J rose at ${violations.length} of ${iterations} full-batch iterations (first at iteration ${violations[0]!.iteration}): lower the learning rate (try ${fmt(lr / 3)})` +
        (optimizer.kind === "sgd" ? "" : `, or run this check with plain gradient descent (optimizer sgd): ${optimizer.kind} may raise J on its own`) +
        "; if J still rises, the cost or its gradient is wrong.";

  // (2) gradient check with frozen masks, dropout on, float64.
  const g64 = toFloat64(net, Rng.fromSeed(0));
  g64.setKeepProbs(keepProbs);
  const nGrad = Math.min(gradRows, rows);
  const batch = materialize(subset(data, Int32Array.from({ length: nGrad }, (_, i) => i)), "float64");
  const grad = gradientCheck(g64, batch.x, batch.y, options.rng.stream("gradcheck"), { l2, m: rows, maxPerParam: entries });

  // (3) dropout back on from the same weights: noisy step cost against the clean J at the same weights.
  net.setKeepProbs(keepProbs);
  const stepsPerEpoch = Math.ceil(rows / Math.min(batchSize, rows));
  const on = new Trainer(net, { train: data }, { epochs: Math.ceil(jitterSteps / stepsPerEpoch), batchSize, lr, optimizer, ...penalty }, options.rng.stream("train"));
  const clean = [cleanCost(net, data, l2).cost];
  const history = on.run({ onStep: () => clean.push(cleanCost(net, data, l2).cost) });
  const noisy = history.steps.map((s) => s.cost);
  clean.pop(); // the clean J after the last step pairs with no noisy cost
  const noisyStd = successiveDifferenceStd(noisy), cleanStd = successiveDifferenceStd(clean);
  const jitter = {
    steps: noisy.length,
    batchSize: Math.min(batchSize, rows),
    noisyStd,
    cleanStd,
    ratio: cleanStd > 0 ? noisyStd / cleanStd : null,
    meanGap: mean(noisy.map((c, t) => c - clean[t]!)),
  };
  return {
    rows,
    keepProbs,
    monotone: { passed: violations.length === 0, iterations, violations, advice },
    gradientCheck: { maxRelativeError: grad.maxRelativeError, relativeError: grad.relativeError, passed: grad.passed, rows: nGrad },
    jitter,
    curves: { monotone: monotoneCurve, noisy, clean },
    passed: violations.length === 0 && grad.passed,
  };
}

/** A network with the same spec, dtype and weights (the caller's stays untouched). */
function copyNetwork(network: Network): Network {
  const copy = new Network(network.spec, Rng.fromSeed(0), { dtype: network.dtype, backend: network.backend });
  const src = network.params();
  copy.params().forEach((p, i) => p.value.data.set(src[i]!.value.data));
  return copy;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
