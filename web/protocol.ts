// The messages between the page and its training worker. The worker owns every
// network and random stream; the page only sends what a person asked for and
// draws what comes back, so these types are the whole contract between them.

import type { CheckResult as CostCheck } from "../src/toolkit.js";
import type { PageData, PageState } from "./state.js";

export type ToWorker =
  /** Rebuild data and runs from `state` (also "reset"); `gen` tags every later reply. */
  | { readonly type: "configure"; readonly gen: number; readonly state: PageState }
  | { readonly type: "play" }
  | { readonly type: "pause" }
  /** One minibatch step of every run. */
  | { readonly type: "step" }
  /** The page drew the last frames; the worker may compute the next ones. */
  | { readonly type: "ack" }
  /** Run the clean-J protocol on the displayed run. */
  | { readonly type: "check" }
  /** Carry every run on from its weights under `state` (only keepProbs, L2, learning rate, max-norm or epochs differ). */
  | { readonly type: "continue"; readonly state: PageState };

export type FromWorker =
  | { readonly type: "data"; readonly gen: number; readonly info: DataInfo }
  | { readonly type: "frames"; readonly gen: number; readonly playing: boolean; readonly frames: readonly RunFrame[]; readonly backend: BackendInfo }
  | { readonly type: "check"; readonly gen: number; readonly report: CheckReport }
  | { readonly type: "error"; readonly gen: number; readonly message: string };

/** The kernels the worker trains with, and what its threads have done so far. */
export interface BackendInfo {
  readonly name: "js" | "wasm";
  /** wasm: "relaxed" (fused multiply-add in the products) or "plain". */
  readonly variant?: "plain" | "relaxed";
  /** Threads sharing large products, the worker's own included (1: none shared). */
  readonly threads: number;
  /** Products split among the threads, and chunks of them computed by helper threads (counted since the backend was made). */
  readonly productsSplit: number;
  readonly helperChunks: number;
  /** Why fewer threads run than the state asks for; absent when as asked. */
  readonly note?: string;
  /** Threads the wasm backend could use in this worker: min(cores, 4) where the page is cross-origin isolated, else 1. */
  readonly threadsAvailable: number;
}

/** What the data panel and the plots need to know about the loaded data. */
export interface DataInfo {
  readonly data: PageData;
  readonly features: number;
  readonly classes: number;
  readonly featureNames: readonly string[];
  readonly sizes: { readonly train: number; readonly dev: number; readonly test: number };
  /** 2-D sets: every example, x1 x2 interleaved, its label and its split (0 train, 1 dev, 2 test). */
  readonly points?: { readonly xy: Float32Array; readonly label: Uint8Array; readonly split: Uint8Array };
  /** mnist: a few test digits shown with their predictions (bytes, 28 x 28 each). */
  readonly digits?: { readonly pixels: Uint8Array; readonly labels: Uint8Array };
  /** Half-width of the square the 2-D plots cover: [-extent, extent]^2. */
  readonly extent: number;
}

/** One clean evaluation at the end of an epoch (epoch 0 = before training). */
export interface EpochPoint {
  readonly epoch: number;
  readonly step: number;
  /** Clean J: eval mode, whole training split, L2 penalty included. */
  readonly cleanCost: number;
  readonly trainAccuracy?: number;
  readonly devLoss?: number;
  readonly devAccuracy?: number;
  readonly testLoss: number;
  readonly testAccuracy?: number;
}

/** Effective number of inputs and largest share of each unit of one dense layer. */
export interface LayerSpread {
  /** (sum_j |w_j|)^2 / sum_j w_j^2 per unit: 1 when one input carries everything, fan-in when all are equal. */
  readonly effective: Float32Array;
  /** max_j |w_j| / sum_j |w_j| per unit. */
  readonly maxShare: Float32Array;
  /** |w_ij| / sum_j |w_ij| (units x inputs) for narrow layers, to draw stacked shares. */
  readonly shares?: Float32Array;
  readonly fanIn: number;
}

/** The decision surface of a 2-D classifier on a size x size grid over [-extent, extent]^2, row 0 at the top. */
export interface Surface {
  readonly size: number;
  /** P(class 1) per grid cell, dropout off. */
  readonly prob: Float32Array;
  /** Each hidden unit's output per grid cell: units[layer][unit]. */
  readonly units: readonly (readonly Float32Array[])[];
  /** MC dropout: standard deviation of P(class 1) over sampled masks, on an uncertaintySize grid; absent when nothing is dropped. */
  readonly uncertainty?: Float32Array;
  /** MC dropout: predictive entropy −Σ p̄ ln p̄ (nats, at most ln 2) of the mean P over the masks, on the same grid. */
  readonly entropy?: Float32Array;
  readonly uncertaintySize?: number;
}

/** Predictions on the sample digits: class, its probability, its MC-dropout spread and predictive entropy. */
export interface DigitPredictions {
  readonly predicted: Uint8Array;
  readonly confidence: Float32Array;
  /** sd over the masks of the predicted class's probability. */
  readonly uncertainty?: Float32Array;
  /** Predictive entropy −Σ_k p̄_k ln p̄_k of the MC mean (nats, at most ln 10). */
  readonly entropy?: Float32Array;
}

/** A setting changed mid-run ("continue from these weights"): from `step` on, `text` ("keepProbs 1,1,1 → 1,0.5,0.5"). */
export interface SettingChange {
  readonly step: number;
  readonly text: string;
}

/** What one run looks like at the step it shows. */
export interface RunFrame {
  readonly label: string;
  /** Every mid-run change of settings so far, oldest first. */
  readonly changes: readonly SettingChange[];
  readonly keepProbs: readonly number[];
  readonly l2: number;
  readonly step: number;
  readonly epoch: number;
  readonly done: boolean;
  /** Noisy minibatch costs of the steps after the previous frame, up to `step`. */
  readonly costs: Float32Array;
  /** Epoch evaluations after the previous frame's, up to `step`. */
  readonly epochs: readonly EpochPoint[];
  /** Per dropout layer (inputs first): the mask of the batch's first example at `step`, 1 = kept; null when nothing was dropped. */
  readonly masks: readonly (Uint8Array | null)[];
  /** Per dense layer: W (units x inputs, row-major), or null when too wide to draw. */
  readonly weights: readonly (Float32Array | null)[];
  readonly spread: readonly LayerSpread[];
  readonly surface?: Surface;
  readonly digits?: DigitPredictions;
}

/** "Check J" on the displayed run (src/analysis/check.ts), with what it was run on. */
export interface CheckReport {
  /** Steps the run had taken when checked. */
  readonly step: number;
  readonly lr: number;
  readonly optimizer: string;
  /** Training examples of the run, and the most the check uses (result.rows is the smaller). */
  readonly trainExamples: number;
  readonly maxRows: number;
  readonly result: CostCheck;
}
