// A feed-forward network built from a plain spec: layer sizes, one hidden
// activation, per-layer keepProbs and a loss. Layout for sizes [n0, ..., nL]:
//   Dropout(keepProbs[0]) on the inputs, then for each hidden layer l:
//   Dense(n_{l-1} -> n_l, activation), Dropout(keepProbs[l]); the output layer
//   Dense(n_{L-1} -> n_L, linear) is never dropped and feeds the loss as logits.

import { jsBackend } from "../core/ops.js";
import type { Backend } from "../core/backend.js";
import { InputError, checkKeepProb, checkNumber, show } from "../core/errors.js";
import type { DType, Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";
import { defaultInit, parseActivation, type Activation } from "./activations.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import { parseInit, type InitKind } from "./init.js";
import type { ForwardContext, Layer, Param } from "./layer.js";
import { checkLossOutputs, parseLoss, type LossKind } from "./losses.js";

/** Everything needed to rebuild a network's shape. */
export interface NetworkSpec {
  /** Units per layer, input features first, outputs last: e.g. [784, 256, 256, 10]. */
  readonly layers: readonly number[];
  /** Nonlinearity of every hidden layer. */
  readonly activation: Activation;
  /** keepProbs[l] for the units of layer l: index 0 = input features, one per hidden layer (length = layers.length - 1). */
  readonly keepProbs: readonly number[];
  readonly loss: LossKind;
  /** Weight initialization; defaults to He for relu units and Glorot otherwise. */
  readonly init?: InitKind;
}

/** Largest layer width accepted (a guard against typos such as 1e6 units). */
export const MAX_UNITS = 65536;

/**
 * Most trainable values a network may have, 2^25: 128 MiB of float32
 * weights, as much again in gradients and up to twice that in float64
 * optimizer state. Checked from the sizes alone, before anything is allocated.
 */
export const MAX_PARAMETERS = 2 ** 25;

/** The parameters of a network of these layer sizes, in params() order: W_l is units x inputs, b_l is 1 x units. */
export function parameterShapes(layers: readonly number[]): { name: string; rows: number; cols: number }[] {
  return layers.slice(1).flatMap((units, l) => [
    { name: `W${l + 1}`, rows: units, cols: layers[l]! },
    { name: `b${l + 1}`, rows: 1, cols: units },
  ]);
}

/** Number of trainable values of a network of these layer sizes: the sum of n_l * (n_{l-1} + 1). */
export function countParameters(layers: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l]! * (layers[l - 1]! + 1);
  return n;
}

/** Validates a spec, throwing an InputError that names the bad field and value. */
export function validateNetworkSpec(value: unknown): NetworkSpec {
  if (typeof value !== "object" || value === null) throw new InputError(`network spec must be an object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  const layers = v.layers;
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new InputError(`layers must list at least an input and an output size, e.g. 784,256,10; got ${show(layers)}`);
  }
  layers.forEach((n, i) => checkNumber(`layer size ${i} (${i === 0 ? "inputs" : i === layers.length - 1 ? "outputs" : "hidden"})`, n, { min: 1, max: MAX_UNITS, integer: true }));
  const count = countParameters(layers as number[]);
  if (count > MAX_PARAMETERS) {
    throw new InputError(`layers ${layers.join(",")} make a network of ${count} parameters; at most ${MAX_PARAMETERS} (2^25) are allowed`);
  }
  const activation = parseActivation(v.activation);
  const keepProbs = v.keepProbs === undefined ? layers.slice(1).map(() => 1) : v.keepProbs;
  if (!Array.isArray(keepProbs) || keepProbs.length !== layers.length - 1) {
    throw new InputError(
      `keepProbs needs ${layers.length - 1} values (the input layer, then each of the ${layers.length - 2} hidden layers; the output is never dropped), got ${show(keepProbs)}`,
    );
  }
  keepProbs.forEach((p, i) => checkKeepProb(`keepProbs[${i}]${i === 0 ? " (input layer)" : ""}`, p));
  const loss = parseLoss(v.loss);
  checkLossOutputs(loss, layers[layers.length - 1] as number);
  const spec: NetworkSpec = { layers: [...layers] as number[], activation, keepProbs: [...keepProbs] as number[], loss };
  return v.init === undefined ? spec : { ...spec, init: parseInit(v.init) };
}

export interface NetworkOptions {
  /** Element type of parameters and buffers (float64 for gradient checks). */
  readonly dtype?: DType;
  readonly backend?: Backend;
}

export class Network {
  private currentSpec: NetworkSpec;
  readonly dtype: DType;
  backend: Backend;
  readonly dense: readonly Dense[];
  readonly dropout: readonly Dropout[];
  private readonly layers: readonly Layer[];

  /** Builds and initializes a network; weights come from `rng`, a dedicated stream (startRun in train/run.ts passes the seed's "init" stream). */
  constructor(spec: NetworkSpec, rng: Rng, options: NetworkOptions = {}) {
    this.currentSpec = validateNetworkSpec(spec);
    this.dtype = options.dtype ?? "float32";
    this.backend = options.backend ?? jsBackend;
    const sizes = this.spec.layers;
    const init = this.spec.init ?? defaultInit(this.spec.activation);
    const dense: Dense[] = [];
    const dropout: Dropout[] = [];
    const layers: Layer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const d = new Dropout(sizes[l]!, this.spec.keepProbs[l]!, `dropout/${l}`, this.dtype);
      const isOutput = l + 2 === sizes.length;
      const w = new Dense(sizes[l]!, sizes[l + 1]!, isOutput ? "linear" : this.spec.activation, {
        index: l,
        dtype: this.dtype,
        init: isOutput && init === "he" ? "glorot" : init,
        rng,
        backend: this.backend,
      });
      dropout.push(d);
      dense.push(w);
      layers.push(d, w);
    }
    this.dense = dense;
    this.dropout = dropout;
    this.layers = layers;
  }

  /** The network's spec, keepProbs as currently set. */
  get spec(): NetworkSpec {
    return this.currentSpec;
  }

  get inputs(): number {
    return this.spec.layers[0]!;
  }

  get outputs(): number {
    return this.spec.layers[this.spec.layers.length - 1]!;
  }

  /** Logits of the output layer for a batch. The result is a reused buffer. */
  forward(x: Matrix, ctx: ForwardContext): Matrix {
    if (x.cols !== this.inputs) {
      throw new InputError(`the data has ${x.cols} features per example but the network's first layer expects ${this.inputs}`);
    }
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, ctx, this.backend);
    return h;
  }

  /**
   * Back-propagates dCost/dLogits of the last forward call, overwriting every
   * parameter gradient. `dLogits` is used as scratch. The gradient with
   * respect to the inputs is never needed, so the first dense layer skips it
   * and the input dropout layer is not visited.
   */
  backward(dLogits: Matrix): void {
    let g: Matrix | undefined = dLogits;
    for (let i = this.layers.length - 1; i >= 1 && g; i--) g = this.layers[i]!.backward(g, this.backend, i > 1);
  }

  /** W1, b1, W2, b2, ...: weights are units x inputs. */
  params(): readonly Param[] {
    return this.dense.flatMap((d) => d.params());
  }

  /** Total number of trainable values. */
  parameterCount(): number {
    return this.params().reduce((n, p) => n + p.value.rows * p.value.cols, 0);
  }

  /** Sets every keepProb (same layout as spec.keepProbs), validated, never clamped. */
  setKeepProbs(keepProbs: readonly number[]): void {
    validateNetworkSpec({ ...this.spec, keepProbs });
    keepProbs.forEach((p, l) => this.dropout[l]!.setKeepProb(p));
    this.currentSpec = { ...this.currentSpec, keepProbs: [...keepProbs] };
  }

  /** Replays each dropout layer's current mask until unfreezeMasks(). */
  freezeMasks(): void {
    for (const d of this.dropout) d.freeze();
  }

  unfreezeMasks(): void {
    for (const d of this.dropout) d.unfreeze();
  }
}
