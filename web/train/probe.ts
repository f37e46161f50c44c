// What the views need from a network, computed in the worker: the decision
// surface and every hidden unit's output over the 2-D plane (dropout off), the
// MC-dropout spread of the prediction (src/analysis/mc.ts, masks from a seeded
// stream), and how evenly each unit spreads its weights (src/analysis/spread.ts).

import { jsBackend, tensorDataset, toProbabilities, zeros, type Dataset, type Matrix, type Network, type Rng } from "../../src/index.js";
import { mcDropout, weightSpread } from "../../src/toolkit.js";
import type { DigitPredictions, LayerSpread, Surface } from "../protocol.js";

/** Masks sampled per MC-dropout estimate. */
export const MC_SAMPLES = 20;
/** Layers with up to this many inputs also get per-input weight shares. */
const SHARE_MAX_INPUTS = 16;

/** The centres of a size x size grid over [-extent, extent]^2, row 0 at the top (largest x2). */
export function gridInputs(size: number, extent: number): Grid {
  const x = zeros(size * size, 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      x.data[2 * i] = -extent + ((c + 0.5) * 2 * extent) / size;
      x.data[2 * i + 1] = extent - ((r + 0.5) * 2 * extent) / size;
    }
  }
  return { x, size, data: tensorDataset(x, zeros(size * size, 1), { kind: "classification", classes: 2 }) };
}

function column(m: Matrix, j: number): Float32Array {
  const out = new Float32Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

/**
 * Eval-mode pass over the grid, layer by layer through the backend's kernels,
 * keeping each hidden unit's output: h_l = f(h_{l-1} W_l^T + b_l).
 */
function unitOutputs(network: Network, grid: Matrix): { hidden: Float32Array[][]; logits: Matrix } {
  let h = grid;
  const hidden: Float32Array[][] = [];
  network.dense.forEach((d, l) => {
    const out = zeros(h.rows, d.units);
    jsBackend.matmulNT(h, d.weight.value, out);
    jsBackend.biasActivation(out, d.bias.value, d.activation, out);
    if (l + 1 < network.dense.length) hidden.push(Array.from({ length: d.units }, (_, j) => column(out, j)));
    h = out;
  });
  return { hidden, logits: h };
}

function dropsAnything(network: Network): boolean {
  return network.spec.keepProbs.some((p) => p < 1);
}

/**
 * MC dropout over `data`: the standard deviation over the passes of column
 * `pick(i)` of each example's prediction, and the predictive entropy of the
 * mean prediction (src/analysis/mc.ts).
 */
function mcSpread(network: Network, data: Dataset, rng: Rng, pick: (i: number) => number): { sd: Float32Array; entropy: Float32Array } {
  const { std, entropy } = mcDropout(network, data, { samples: MC_SAMPLES, rng });
  return { sd: Float32Array.from(std, (row, i) => row[pick(i)] ?? 0), entropy: Float32Array.from(entropy ?? []) };
}

/** A square grid of inputs with its cells per side. */
export interface Grid {
  readonly x: Matrix;
  readonly size: number;
  /** The grid as a data set (labels unused), for MC dropout. */
  readonly data: Dataset;
}

/**
 * Decision surface of a 2-D binary classifier on `grid`; `mc` adds the
 * MC-dropout uncertainty map on its own (coarser) grid, the costly part.
 */
export function surface(network: Network, grid: Grid, mc?: { rng: Rng; grid: Grid }): Surface {
  const { hidden, logits } = unitOutputs(network, grid.x);
  toProbabilities(network.spec.loss, logits);
  const prob = Float32Array.from(logits.data);
  const base = { size: grid.size, prob, units: hidden };
  if (!mc || !dropsAnything(network)) return base;
  const { sd, entropy } = mcSpread(network, mc.grid.data, mc.rng, () => 0);
  return { ...base, uncertainty: sd, entropy, uncertaintySize: mc.grid.size };
}

/** Predicted class and its probability for each digit (softmax outputs), with the MC spread of that probability. */
export function digitPredictions(network: Network, digits: { x: Matrix; data: Dataset }, mcRng?: Rng): DigitPredictions {
  const x = digits.x;
  const z = network.forward(x, { mode: "eval" });
  toProbabilities(network.spec.loss, z);
  const k = z.cols;
  const predicted = new Uint8Array(x.rows), confidence = new Float32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (z.data[i * k + j]! > z.data[i * k + best]!) best = j;
    predicted[i] = best;
    confidence[i] = z.data[i * k + best]!;
  }
  const mc = mcRng && dropsAnything(network) ? mcSpread(network, digits.data, mcRng, (i) => predicted[i]!) : undefined;
  return { predicted, confidence, ...(mc ? { uncertainty: mc.sd, entropy: mc.entropy } : {}) };
}

/**
 * Per unit of every dense layer: effective number of inputs (sum|w|)^2 / sum w^2
 * and largest share max|w| / sum|w| (src/analysis/spread.ts), plus each
 * input's share |w_j| / sum|w| for narrow layers.
 */
export function layerSpreads(network: Network): LayerSpread[] {
  return network.dense.map((d) => {
    const { rows: units, cols: fanIn, data: w } = d.weight.value;
    const effective = new Float32Array(units), maxShare = new Float32Array(units);
    const shares = fanIn <= SHARE_MAX_INPUTS ? new Float32Array(units * fanIn) : undefined;
    for (let u = 0; u < units; u++) {
      const row = w.subarray(u * fanIn, (u + 1) * fanIn);
      const s = weightSpread(row);
      effective[u] = s.effectiveInputs;
      maxShare[u] = s.largestShare;
      if (!shares) continue;
      let l1 = 0;
      for (let j = 0; j < fanIn; j++) l1 += Math.abs(row[j]!);
      for (let j = 0; j < fanIn; j++) shares[u * fanIn + j] = l1 > 0 ? Math.abs(row[j]!) / l1 : 0;
    }
    return { effective, maxShare, fanIn, ...(shares ? { shares } : {}) };
  });
}
