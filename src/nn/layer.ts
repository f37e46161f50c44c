// The layer contract. A network is a list of layers; each one transforms a
// batch (one example per row) forward and sends gradients backward. Mode is an
// explicit argument of every forward call: there is no default and no global
// training flag.

import type { Backend } from "../core/backend.js";
import type { Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";

export type Mode = "train" | "eval";

/**
 * What a forward pass needs besides its input. `rng` is the stream that
 * stochastic layers take their own named child streams from; it is required
 * in train mode only.
 */
export type ForwardContext = { readonly mode: "train"; readonly rng: Rng } | { readonly mode: "eval"; readonly rng?: Rng };

/** A trainable tensor with its gradient. `penalize` says whether L2 and max-norm apply (weights yes, biases no). */
export interface Param {
  readonly name: string;
  readonly value: Matrix;
  readonly grad: Matrix;
  readonly penalize: boolean;
}

export interface Layer {
  /** Output for a batch. Buffers may be reused by the next call: copy the result to keep it. */
  forward(x: Matrix, ctx: ForwardContext, backend: Backend): Matrix;
  /**
   * Given dCost/dOutput of the last forward call, writes the parameter gradients
   * (overwriting them) and returns dCost/dInput. With `inputGradient` false
   * (the first layer: nothing upstream needs it) it returns undefined and
   * skips that work, for a dense layer a whole matrix product.
   */
  backward(dy: Matrix, backend: Backend, inputGradient?: boolean): Matrix | undefined;
  params(): readonly Param[];
  /** A plain description, enough to rebuild the layer's shape. */
  config(): LayerConfig;
}

export type LayerConfig =
  | { readonly type: "dense"; readonly inputs: number; readonly units: number; readonly activation: import("../core/backend.js").Activation }
  | { readonly type: "dropout"; readonly units: number; readonly keepProb: number; readonly stream: string };
