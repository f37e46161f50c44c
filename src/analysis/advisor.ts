// keepProb per layer from parameter counts: the rule of thumb "big layers 0.5,
// small layers 0.7 to 1.0, the input 1.0 (0.9 at most)" made precise, so that
// every recommendation can say why. The tuner (tune.ts) checks the advice
// against a real search on a dev set.

import { InputError, checkNumber, show } from "../core/errors.js";
import { MAX_UNITS } from "../nn/network.js";

/** What the input features are: images are high-dimensional and redundant; tables are neither. */
export type InputKind = "image" | "tabular";
export const INPUT_KINDS: readonly InputKind[] = ["image", "tabular"];

/**
 * Every constant of the advisor's rule, in one place: ADVISOR_RULE's text and
 * advise() both read them from here, so the rule as written and the rule as
 * applied cannot drift apart.
 */
export const ADVISOR_CONSTANTS = Object.freeze({
  /** Weight matrices with fewer weights than this get no dropout. */
  minDropoutParams: 16,
  /** A matrix at least this fraction of the largest one counts as large. */
  largeFraction: 0.5,
  /** Examples per weight from which a matrix gets one step less dropout (the "10 examples per parameter" rule of thumb). */
  plentyPerWeight: 10,
  /** Examples per weight from which a matrix gets no dropout at all. */
  abundantPerWeight: 100,
  /** Inputs of at least this many features count as high-dimensional when inputKind is not given. */
  highDimensionalInputs: 256,
  /** The lecture's levels (strong, moderate): the rule of thumb, used when the number of training examples is not known. */
  lecture: Object.freeze({ strong: 0.5, moderate: 0.7 }),
  /**
   * The levels for a real data set (m known), as the advice benchmark
   * measured them (`dropout-lab study`, 2026-12-01, 18 data set x network
   * rows trained to convergence over 5 seeds): with the lecture's 0.5 on the
   * largest matrices the searched keepProbs (0.5 or 0.8 per layer, chosen on
   * dev) beat the advice on 5 of 10 image rows with the paired interval above
   * zero (mean regret 1.8 points), always by choosing 0.8; 0.5 was never
   * clearly better.
   */
  measured: Object.freeze({ strong: 0.8, moderate: 0.9 }),
  /** The input layer's keepProb for high-dimensional inputs; never lower. */
  inputKeepProb: 0.9,
});

const C = ADVISOR_CONSTANTS;

/**
 * The advisor's rule, as the README quotes it.
 *
 * Layer l's units (l = 1 .. L-1, the hidden layers) are fed by the weight
 * matrix W_l of shape n_l x n_(l-1), with P_l = n_l · n_(l-1) weights; the
 * largest weight matrix of the network has P_max weights; m is the number of
 * training examples when known.
 *
 * 1. Tiny matrices are left alone: P_l < 16 gives keepProb 1.0. With so few
 *    weights there is nothing to co-adapt, and each dropped unit removes a
 *    large share of what the layer can pass on.
 * 2. Otherwise size relative to the largest matrix sets the level: the
 *    largest matrix and any within a factor 2 of it (P_l >= P_max / 2) get
 *    strong dropout, 0.5 (the value that maximizes the variance of the
 *    thinned networks, Srivastava et al. 2014); smaller ones get moderate
 *    dropout, 0.7. Big matrices hold most of the capacity to overfit.
 * 3. Data per weight, when m is known: m / P_l >= 10 examples per weight
 *    moves one step lighter (0.5 -> 0.7 -> 1.0); m / P_l >= 100 means no
 *    dropout. With that much data a matrix cannot memorize its training set.
 *    And with m known (a real data set, trained to convergence with early
 *    stopping by the recipe) the levels are the measured ones: 0.8 strong,
 *    0.9 moderate (0.8 -> 0.9 -> 1.0); the lecture's 0.5 and 0.7 lost to a
 *    search on half the image sets of the advice benchmark.
 * 4. The input layer keeps every feature (1.0): a dropped raw feature is
 *    information no unit can recover. High-dimensional inputs, images or
 *    n_0 >= 256 features when the kind is not given, are redundant enough for
 *    0.9, never less; and 1.0 again when W_1 has >= 10 examples per weight.
 *    Tabular inputs always keep 1.0.
 * 5. The output layer is never dropped (it has no keepProb).
 */
export const ADVISOR_RULE =
  `Hidden layer l is judged by the weight matrix feeding it (W_l, P_l weights): fewer than ${C.minDropoutParams} weights: no dropout (1.0); ` +
  `otherwise ${C.lecture.strong} if P_l is at least ${C.largeFraction} of the largest matrix of the network (P_max), else ${C.lecture.moderate}; with m training examples, m/P_l >= ${C.plentyPerWeight} ` +
  `examples per weight means one step lighter (${C.lecture.strong} -> ${C.lecture.moderate} -> 1.0) and m/P_l >= ${C.abundantPerWeight} means none; with m known the levels are the ` +
  `ones the advice benchmark measured on real data, ${C.measured.strong} and ${C.measured.moderate} (${C.measured.strong} -> ${C.measured.moderate} -> 1.0). The input layer keeps 1.0, ` +
  `except high-dimensional inputs (images, or >= ${C.highDimensionalInputs} features) which get ${C.inputKeepProb} unless W_1 has >= ${C.plentyPerWeight} examples per weight. ` +
  "The output layer is never dropped.";

export interface AdviceRequest {
  /** Units per layer, inputs first, outputs last (the network spec's layers). */
  readonly layers: readonly number[];
  /** Number of training examples, when known. */
  readonly examples?: number;
  /** What the inputs are; when absent, >= 256 features count as high-dimensional. */
  readonly inputKind?: InputKind;
}

/** The advice for one keepProb (input layer or a hidden layer). */
export interface LayerAdvice {
  /** Index in the network's keepProbs: 0 = input layer, l = hidden layer l. */
  readonly index: number;
  /** Units of the layer (features for the input layer). */
  readonly units: number;
  /** Shape [n_l, n_(l-1)] of W_l, the matrix feeding the layer; null for the input layer. */
  readonly shape: readonly [number, number] | null;
  /** Weights in W_l (0 for the input layer). */
  readonly params: number;
  /** P_l / P_max (null for the input layer). */
  readonly relativeSize: number | null;
  /** m / P_l (m / P_1 for the input layer); null when m is unknown. */
  readonly examplesPerWeight: number | null;
  readonly keepProb: number;
  /** Why, in one sentence a person reads. */
  readonly reason: string;
}

export interface Advice {
  /** In the network spec's order: input layer first, then each hidden layer. */
  readonly keepProbs: readonly number[];
  readonly layers: readonly LayerAdvice[];
  /** P_max: weights of the largest matrix (output matrix included). */
  readonly largestParams: number;
  readonly examples: number | null;
}

const LADDER = [C.lecture.strong, C.lecture.moderate, 1] as const;
const MEASURED_LADDER = [C.measured.strong, C.measured.moderate, 1] as const;

/** Recommends keepProbs for a network of these layer sizes by ADVISOR_RULE, each with its reason. */
export function advise(request: AdviceRequest): Advice {
  const { layers } = request;
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new InputError(`layers must list at least an input and an output size, e.g. 784,256,10; got ${show(layers)}`);
  }
  layers.forEach((n, i) => checkNumber(`layer size ${i}`, n, { min: 1, max: MAX_UNITS, integer: true }));
  const m = request.examples === undefined ? null : checkNumber("examples", request.examples, { min: 1, integer: true });
  const kind = request.inputKind;
  if (kind !== undefined && !INPUT_KINDS.includes(kind)) throw new InputError(`inputKind must be one of ${INPUT_KINDS.join(", ")}, got ${show(kind)}`);

  const params = layers.slice(1).map((n, l) => n * layers[l]!);
  const largest = Math.max(...params);
  const perWeight = (p: number) => (m === null ? null : m / p);
  const advice: LayerAdvice[] = [inputAdvice(layers[0]!, kind, perWeight(params[0]!), m)];
  for (let l = 1; l + 1 < layers.length; l++) {
    const p = params[l - 1]!;
    const shape = [layers[l]!, layers[l - 1]!] as const;
    const relativeSize = p / largest;
    const rho = perWeight(p);
    const what = `layer ${l} (${layers[l]} units) is fed by W${l} (${shape[0]}x${shape[1]} = ${fmt(p)} weights)`;
    let keepProb: number, reason: string;
    if (p < C.minDropoutParams) {
      keepProb = 1;
      reason = `${what}, fewer than ${C.minDropoutParams}: too few weights to co-adapt, so no dropout (1.0).`;
    } else {
      const large = relativeSize >= C.largeFraction;
      const sizeText = p === largest ? "the largest weight matrix of the network" : `${fmt(relativeSize, 2)} of the largest matrix (${fmt(largest)} weights)`;
      let step = large ? 0 : 1;
      const data = rho === null ? 0 : rho >= C.abundantPerWeight ? 2 : rho >= C.plentyPerWeight ? 1 : 0;
      step = Math.min(2, step + data);
      const ladder = m === null ? LADDER : MEASURED_LADDER;
      keepProb = ladder[step]!;
      const measured = m === null ? "" : `, the level the advice benchmark measured on real data; the lecture's rule of thumb says ${large ? C.lecture.strong : C.lecture.moderate}`;
      const level = large ? `strong dropout (${ladder[0]}${measured})` : `moderate dropout (${ladder[1]}${measured})`;
      reason = `${what}, ${sizeText}: ${level}`;
      if (rho === null) reason += `.`;
      else if (data === 0) reason += `; ${fmt(m!)} training examples are only ${fmt(rho, 2)} per weight, so it stays.`;
      else if (data === 1) reason += `; but ${fmt(m!)} training examples give ${fmt(rho, 1)} per weight (at least ${C.plentyPerWeight}), so one step lighter: ${keepProb.toFixed(1)}.`;
      else reason += `; but ${fmt(m!)} training examples give ${fmt(rho, 0)} per weight (at least ${C.abundantPerWeight}): no dropout needed (1.0).`;
    }
    advice.push({ index: l, units: layers[l]!, shape, params: p, relativeSize, examplesPerWeight: rho, keepProb, reason });
  }
  return { keepProbs: advice.map((a) => a.keepProb), layers: advice, largestParams: largest, examples: m };
}

function inputAdvice(features: number, kind: InputKind | undefined, rho: number | null, m: number | null): LayerAdvice {
  const base = { index: 0, units: features, shape: null, params: 0, relativeSize: null, examplesPerWeight: rho } as const;
  const highDim = kind === "image" || (kind === undefined && features >= C.highDimensionalInputs);
  const what = `input layer (${fmt(features)} ${kind === "image" ? "pixels" : "features"})`;
  if (!highDim) {
    const why = kind === "tabular" ? "tabular features" : `not high-dimensional (fewer than ${C.highDimensionalInputs} features)`;
    return { ...base, keepProb: 1, reason: `${what}: ${why}; every feature is kept (1.0), since a dropped raw feature is information no unit can recover.` };
  }
  const why = kind === "image" ? "an image, high-dimensional with redundant neighbouring values" : `high-dimensional (at least ${C.highDimensionalInputs} features)`;
  if (rho !== null && rho >= C.plentyPerWeight) {
    return { ...base, keepProb: 1, reason: `${what}: ${why}, but ${fmt(m!)} training examples give ${fmt(rho, 1)} per weight of W1 (at least ${C.plentyPerWeight}): every feature is kept (1.0).` };
  }
  return { ...base, keepProb: C.inputKeepProb, reason: `${what}: ${why}; light input dropout (${C.inputKeepProb}), never stronger, since raw features carry information no unit can recover.` };
}

/** A number for a sentence: thousands separated by commas, `digits` decimals when not an integer. */
function fmt(v: number, digits = 0): string {
  const text = Number.isInteger(v) ? String(v) : v.toFixed(digits);
  const [int, frac] = text.split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
