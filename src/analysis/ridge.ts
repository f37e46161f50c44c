// Dropout as adaptive L2, exactly. For linear regression with inverted input
// dropout at keep probability p (mask m_ij ~ Bernoulli(p), x̃_ij = m_ij x_ij / p)
// the expected squared error is least squares plus a ridge penalty that charges
// each weight by its feature's energy (Srivastava et al. 2014, sec. 9.1):
//
//   E_m ||y - X̃ w||² = ||y - X w||² + ((1-p)/p) Σ_j w_j² (XᵀX)_jj
//   w* = (XᵀX + ((1-p)/p) diag(XᵀX))⁻¹ Xᵀy
//
// This module computes that closed form in float64, checks it by enumerating
// every mask of tiny problems, compares it with plain ridge at the same total
// penalty (dropout charges high-variance features more), and trains the same
// model with the engine's dropout by SGD with iterate averaging.

import { InputError, RunError, checkKeepProb, checkNumber, show } from "../core/errors.js";
import { zeros, type Matrix } from "../core/matrix.js";
import { materialize, tensorDataset, type Dataset } from "../data/dataset.js";
import type { NetworkSpec } from "../nn/network.js";
import type { OptimizerSpec } from "../optim/optimizer.js";
import { startRun } from "../train/run.js";

/** Largest number of mask entries (rows x features) enumerateDropoutExpectation accepts: 2^20 masks. */
export const MAX_ENUMERATED_ENTRIES = 20;

function checkShapes(x: Matrix, y: ArrayLike<number>): void {
  if (x.rows < 1 || x.cols < 1) throw new InputError(`X must have at least one row and one column, got ${x.rows}x${x.cols}`);
  if (y.length !== x.rows) throw new InputError(`y has ${y.length} values but X has ${x.rows} rows; they must match`);
}

function checkWeights(w: readonly number[], d: number): void {
  if (w.length !== d) throw new InputError(`w has ${w.length} values but X has ${d} columns; they must match`);
}

/** XᵀX (d x d) in float64. */
export function gramMatrix(x: Matrix): number[][] {
  const { rows: n, cols: d, data } = x;
  const g = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = data[i * d + a]!;
      const row = g[a]!;
      for (let b = a; b < d; b++) row[b] = row[b]! + xa * data[i * d + b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) g[a]![b] = g[b]![a]!;
  return g;
}

/** Xᵀy (length d) in float64. */
export function moment(x: Matrix, y: ArrayLike<number>): number[] {
  checkShapes(x, y);
  const { rows: n, cols: d, data } = x;
  const b = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) b[j] = b[j]! + data[i * d + j]! * y[i]!;
  return b;
}

/**
 * Solves A w = b for a square A by Gaussian elimination with partial pivoting
 * (float64). Throws a RunError when A is singular to working precision
 * (a pivot below 1e-13 times the largest entry of A).
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const d = b.length;
  if (a.length !== d || a.some((row) => row.length !== d)) throw new InputError(`solveLinear needs a ${d}x${d} matrix for ${d} right-hand values`);
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...a.flatMap((row) => row.map(Math.abs)));
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (!(Math.abs(m[p]![c]!) > 1e-13 * scale)) throw new RunError(`the linear system is singular (column ${c} has no usable pivot): a feature is constant or a copy of others`);
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]!;
    for (let r = c + 1; r < d; r++) {
      const row = m[r]!;
      const f = row[c]! / pivot[c]!;
      if (f === 0) continue;
      for (let k = c; k <= d; k++) row[k] = row[k]! - f * pivot[k]!;
    }
  }
  const w = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[d]!;
    for (let k = r + 1; k < d; k++) s -= row[k]! * w[k]!;
    w[r] = s / row[r]!;
  }
  return w;
}

/** The dropout penalty's coefficient of each w_j²: c_j = ((1-p)/p) (XᵀX)_jj. */
export function dropoutPenaltyCoefficients(x: Matrix, keepProb: number): number[] {
  const p = checkKeepProb("keepProb", keepProb);
  return gramMatrix(x).map((row, j) => ((1 - p) / p) * row[j]!);
}

/** E_m ||y - X̃ w||² = ||y - Xw||² + ((1-p)/p) Σ_j w_j² (XᵀX)_jj (sums over rows, not means). */
export function dropoutExpectedCost(x: Matrix, y: ArrayLike<number>, w: readonly number[], keepProb: number): number {
  checkShapes(x, y);
  checkWeights(w, x.cols);
  const c = dropoutPenaltyCoefficients(x, keepProb);
  let cost = 0;
  for (let i = 0; i < x.rows; i++) {
    let r = y[i]!;
    for (let j = 0; j < x.cols; j++) r -= x.data[i * x.cols + j]! * w[j]!;
    cost += r * r;
  }
  return cost + c.reduce((s, cj, j) => s + cj * w[j]! ** 2, 0);
}

/** w* = (XᵀX + ((1-p)/p) diag(XᵀX))⁻¹ Xᵀy: the minimizer of dropoutExpectedCost. */
export function dropoutRidgeSolution(x: Matrix, y: ArrayLike<number>, keepProb: number): number[] {
  checkShapes(x, y);
  const p = checkKeepProb("keepProb", keepProb);
  const g = gramMatrix(x);
  return solveLinear(g.map((row, j) => row.map((v, k) => (j === k ? v / p : v))), moment(x, y));
}

/** Plain ridge: (XᵀX + λI)⁻¹ Xᵀy, λ >= 0 (λ = 0 is least squares). */
export function ridgeSolution(x: Matrix, y: ArrayLike<number>, lambda: number): number[] {
  checkShapes(x, y);
  const l = checkNumber("ridge lambda", lambda, { min: 0 });
  return solveLinear(gramMatrix(x).map((row, j) => row.map((v, k) => (j === k ? v + l : v))), moment(x, y));
}

/**
 * The ridge λ whose penalty λ||w||² equals the dropout penalty Σ_j c_j w_j²
 * at the weights w (the dropout solution, by convention):
 * λ = Σ_j c_j w_j² / Σ_j w_j², the w²-weighted mean of the coefficients
 * c_j = ((1-p)/p)(XᵀX)_jj. At that λ both penalties charge the dropout
 * solution the same total; ridge spreads it evenly over the features, dropout
 * in proportion to each feature's energy (XᵀX)_jj.
 */
export function matchedRidgeLambda(x: Matrix, keepProb: number, w: readonly number[]): number {
  checkWeights(w, x.cols);
  const c = dropoutPenaltyCoefficients(x, keepProb);
  const norm2 = w.reduce((s, v) => s + v * v, 0);
  if (norm2 === 0) throw new InputError("matchedRidgeLambda needs nonzero weights w");
  return c.reduce((s, cj, j) => s + cj * w[j]! ** 2, 0) / norm2;
}

/** The exact expectation over every dropout mask of a tiny problem. */
export interface DropoutExpectation {
  readonly keepProb: number;
  /** Masks enumerated: 2^(rows x features). */
  readonly masks: number;
  /** E[X̃ᵀX̃] */
  readonly gram: readonly (readonly number[])[];
  /** E[X̃ᵀy] */
  readonly moment: readonly number[];
  /** yᵀy */
  readonly yy: number;
  /** argmin_w E||y - X̃w||² = E[X̃ᵀX̃]⁻¹ E[X̃ᵀy]. */
  readonly solution: readonly number[];
}

/**
 * Enumerates every mask m ∈ {0,1}^(n x d) with probability p^k (1-p)^(nd-k)
 * (k kept entries) and accumulates E[X̃ᵀX̃] and E[X̃ᵀy] for X̃ = m ⊙ X / p,
 * the quantities the expected cost E||y - X̃w||² = wᵀE[X̃ᵀX̃]w - 2wᵀE[X̃ᵀy] + yᵀy
 * is made of. Needs n·d <= MAX_ENUMERATED_ENTRIES.
 */
export function enumerateDropoutExpectation(x: Matrix, y: ArrayLike<number>, keepProb: number): DropoutExpectation {
  checkShapes(x, y);
  const p = checkKeepProb("keepProb", keepProb);
  const { rows: n, cols: d, data } = x;
  const entries = n * d;
  if (entries > MAX_ENUMERATED_ENTRIES) {
    throw new InputError(`enumerating masks needs rows x features <= ${MAX_ENUMERATED_ENTRIES}, got ${n} x ${d} = ${entries}`);
  }
  const g = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const b = new Array<number>(d).fill(0);
  const xt = new Float64Array(entries);
  const masks = 2 ** entries;
  for (let mask = 0; mask < masks; mask++) {
    let prob = 1;
    for (let e = 0; e < entries; e++) {
      const kept = (mask >>> e) & 1;
      prob *= kept ? p : 1 - p;
      xt[e] = kept ? data[e]! / p : 0;
    }
    if (prob === 0) continue;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = xt[i * d + j]!;
        if (v === 0) continue;
        b[j] = b[j]! + prob * v * y[i]!;
        const row = g[j]!;
        for (let k = 0; k < d; k++) row[k] = row[k]! + prob * v * xt[i * d + k]!;
      }
    }
  }
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i]! * y[i]!;
  return { keepProb: p, masks, gram: g, moment: b, yy, solution: solveLinear(g, b) };
}

/** E||y - X̃w||² from an enumerated expectation: wᵀGw - 2wᵀb + yᵀy. */
export function expectationCost(e: DropoutExpectation, w: readonly number[]): number {
  checkWeights(w, e.moment.length);
  let quad = 0, lin = 0;
  e.gram.forEach((row, j) => {
    lin += w[j]! * e.moment[j]!;
    row.forEach((v, k) => (quad += w[j]! * v * w[k]!));
  });
  return quad - 2 * lin + e.yy;
}

export interface DropoutRegressionOptions {
  /** Keep probability of the inputs, 0 < keepProb <= 1. */
  readonly keepProb: number;
  /** Root seed of the training run (weights "init", shuffles and masks "train"). Default 1. */
  readonly seed?: number;
  /** Default 60. */
  readonly epochs?: number;
  /** Default 10. */
  readonly batchSize?: number;
  /** Learning rate; default 0.05 / E||x̃||², scaled to the data (see dropoutRegression). */
  readonly lr?: number;
  /** Default plain SGD. */
  readonly optimizer?: OptimizerSpec;
  /** Share of the steps run before iterates are averaged, in [0, 1). Default 0.5 (average the second half). */
  readonly burnIn?: number;
}

/** Per feature: how each method charges and shrinks its weight. */
export interface RidgeFeature {
  readonly name: string;
  /** (XᵀX)_jj / n of the centered feature: its variance. */
  readonly variance: number;
  /** Dropout's coefficient of w_j²: ((1-p)/p)(XᵀX)_jj. */
  readonly dropoutCoefficient: number;
  /** Ridge's coefficient of w_j²: λ, the same for every feature. */
  readonly ridgeCoefficient: number;
  readonly leastSquares: number;
  readonly dropout: number;
  readonly ridge: number;
  /** dropout / leastSquares: 1 = untouched, below 1 = shrunk. */
  readonly dropoutShrinkage: number;
  /** ridge / leastSquares. */
  readonly ridgeShrinkage: number;
}

export interface DropoutRegressionResult {
  /** The keep probability (the paper's p; the same value as keepProb). */
  readonly p: number;
  readonly keepProb: number;
  readonly examples: number;
  /** w* of the centered data, closed form (float64). */
  readonly closedForm: readonly number[];
  /** Weights the engine learned with input dropout: SGD iterates averaged after burn-in. */
  readonly trained: readonly number[];
  /** The learned bias (0 is optimal for centered data). */
  readonly trainedBias: number;
  /** ||trained - closedForm|| / ||closedForm||. */
  readonly relativeError: number;
  /** Least squares (no penalty). */
  readonly leastSquares: readonly number[];
  /** Ridge at ridgeLambda: the same total penalty as dropout at its solution (matchedRidgeLambda). */
  readonly ridge: readonly number[];
  readonly ridgeLambda: number;
  readonly features: readonly RidgeFeature[];
  /** The dropout penalty at w* (= ridgeLambda · ||w*||² by construction) and the ridge penalty at the ridge solution. */
  readonly penalty: { readonly dropout: number; readonly ridge: number };
  readonly training: { readonly epochs: number; readonly batchSize: number; readonly lr: number; readonly steps: number; readonly averagedSteps: number };
  /** The column means subtracted from X and the mean subtracted from y. */
  readonly centering: { readonly xMeans: readonly number[]; readonly yMean: number };
}

/**
 * Dropout regression on a one-output regression set, closed form against the
 * engine. X and y are centered first, so the optimal bias of the engine's
 * network is exactly 0 and the weights' optimum is w* of the centered data
 * (E_m Σ_i (y_i - x̃_i·w - b)² = E_m Σ_i (y_i - x̃_i·w)² + n b² when Σ_i x_i = 0
 * and Σ_i y_i = 0). The engine trains Network [d, 1] with loss mse (a mean
 * over rows, the same minimizer) and keepProbs [p] by minibatch SGD; the
 * iterates after burn-in are averaged (Polyak-Ruppert), which removes most of
 * the dropout noise around w*. The default learning rate 0.05 / E||x̃||²
 * (E||x̃||² = Σ_j (XᵀX)_jj / (n p), the mean squared norm of a dropped-out
 * row) keeps the step well inside the stability limit of SGD on this loss.
 */
export function dropoutRegression(data: Dataset, options: DropoutRegressionOptions): DropoutRegressionResult {
  const p = checkKeepProb("keepProb", options.keepProb);
  if (data.task.kind !== "regression" || data.task.outputs !== 1) {
    throw new InputError(`dropout regression needs a regression set with one target, got ${show(data.task)}`);
  }
  const seed = checkNumber("seed", options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  const epochs = checkNumber("epochs", options.epochs ?? 60, { min: 1, integer: true });
  const batchSize = checkNumber("batch size", options.batchSize ?? 10, { min: 1, integer: true });
  const burnIn = checkNumber("burnIn", options.burnIn ?? 0.5, { min: 0, max: 1, maxExclusive: true });
  const { x, y, xMeans, yMean } = centered(data);
  const n = x.rows, d = x.cols;
  const closedForm = dropoutRidgeSolution(x, y.data, p);
  const g = gramMatrix(x);
  const meanSquaredNorm = g.reduce((s, row, j) => s + row[j]!, 0) / (n * p);
  const lr = options.lr === undefined ? 0.05 / meanSquaredNorm : checkNumber("learning rate", options.lr, { min: 0, minExclusive: true });

  const train = tensorDataset(x, y, { kind: "regression", outputs: 1 });
  const spec: NetworkSpec = { layers: [d, 1], activation: "linear", keepProbs: [p], loss: "mse" };
  const { network: net, trainer } = startRun(spec, { train }, { epochs, batchSize, lr, optimizer: options.optimizer ?? { kind: "sgd" } }, seed, { dtype: "float64" });
  const steps = epochs * Math.ceil(n / Math.min(batchSize, n));
  const firstAveraged = Math.floor(burnIn * steps) + 1;
  const sum = new Float64Array(d + 1);
  const weight = net.dense[0]!.weight.value.data, bias = net.dense[0]!.bias.value.data;
  trainer.run({
    onStep: ({ step }) => {
      if (step < firstAveraged) return;
      for (let j = 0; j < d; j++) sum[j] = sum[j]! + weight[j]!;
      sum[d] = sum[d]! + bias[0]!;
    },
  });
  const averagedSteps = steps - firstAveraged + 1;
  const trained = Array.from(sum.subarray(0, d), (s) => s / averagedSteps);

  const leastSquares = ridgeSolution(x, y.data, 0);
  const ridgeLambda = matchedRidgeLambda(x, p, closedForm);
  const ridge = ridgeSolution(x, y.data, ridgeLambda);
  const coefficients = g.map((row, j) => ((1 - p) / p) * row[j]!);
  const names = data.featureNames ?? Array.from({ length: d }, (_, j) => `x${j + 1}`);
  return {
    p,
    keepProb: p,
    examples: n,
    closedForm,
    trained,
    trainedBias: sum[d]! / averagedSteps,
    relativeError: distance(trained, closedForm) / norm(closedForm),
    leastSquares,
    ridge,
    ridgeLambda,
    features: closedForm.map((w, j) => ({
      name: names[j] ?? `x${j + 1}`,
      variance: g[j]![j]! / n,
      dropoutCoefficient: coefficients[j]!,
      ridgeCoefficient: ridgeLambda,
      leastSquares: leastSquares[j]!,
      dropout: w,
      ridge: ridge[j]!,
      dropoutShrinkage: w / leastSquares[j]!,
      ridgeShrinkage: ridge[j]! / leastSquares[j]!,
    })),
    penalty: {
      dropout: coefficients.reduce((s, c, j) => s + c * closedForm[j]! ** 2, 0),
      ridge: ridgeLambda * ridge.reduce((s, v) => s + v * v, 0),
    },
    training: { epochs, batchSize, lr, steps, averagedSteps },
    centering: { xMeans, yMean },
  };
}

/** The data as float64 matrices with every column of X and y shifted to mean 0. */
function centered(data: Dataset): { x: Matrix; y: Matrix; xMeans: number[]; yMean: number } {
  const raw = materialize(data, "float64");
  const n = raw.x.rows, d = raw.x.cols;
  const x = zeros(n, d, "float64"), y = zeros(n, 1, "float64");
  const xMeans = new Array<number>(d).fill(0);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xMeans[j] = xMeans[j]! + raw.x.data[i * d + j]! / n;
    yMean += raw.y.data[i]! / n;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x.data[i * d + j] = raw.x.data[i * d + j]! - xMeans[j]!;
    y.data[i] = raw.y.data[i]! - yMean;
  }
  return { x, y, xMeans, yMean };
}

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, a) => s + a * a, 0));
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
}
