// Inverted dropout. In train mode each unit is kept with probability keepProb,
// mask m ~ Bernoulli(keepProb), and kept units are scaled up so the expected
// activation is unchanged:  y = x ⊙ m / keepProb,  E[y] = x.
// In eval mode y = x exactly (the same object). Backward: dx = dy ⊙ m / keepProb
// with the same mask. Each layer draws from its own named child stream of the
// context's rng, a fresh mask every step; a mask can be frozen and replayed
// (gradient checks, the live view).

import type { Backend } from "../core/backend.js";
import { checkKeepProb, InputError } from "../core/errors.js";
import type { DType, Matrix } from "../core/matrix.js";
import { BufferCache } from "./buffers.js";
import type { ForwardContext, Layer, LayerConfig, Param } from "./layer.js";

export class Dropout implements Layer {
  private keep: number;
  private mask = new Uint8Array(0);
  private maskRows = 0;
  private frozen = false;
  private readonly outBuf: BufferCache;
  private readonly dxBuf: BufferCache;

  /**
   * @param units  width of the layer whose units are dropped
   * @param keepProb  probability of keeping a unit, 0 < keepProb <= 1 (1 is the identity)
   * @param stream  name of this layer's child stream, e.g. "dropout/0"
   */
  constructor(
    readonly units: number,
    keepProb: number,
    readonly stream: string,
    dtype: DType,
  ) {
    this.keep = checkKeepProb(`keepProb of ${stream}`, keepProb);
    this.outBuf = new BufferCache(units, dtype);
    this.dxBuf = new BufferCache(units, dtype);
  }

  get keepProb(): number {
    return this.keep;
  }

  /** Changes the keep probability (validated, never clamped). */
  setKeepProb(keepProb: number): void {
    this.keep = checkKeepProb(`keepProb of ${this.stream}`, keepProb);
  }

  /** Whether the last train-mode forward dropped anything (false for keepProb 1 and in eval mode). */
  get active(): boolean {
    return this.maskRows > 0;
  }

  forward(x: Matrix, ctx: ForwardContext, backend: Backend): Matrix {
    if (x.cols !== this.units) throw new InputError(`${this.stream} expects ${this.units} units per row, got ${x.cols}`);
    if (ctx.mode === "eval" || this.keep === 1) {
      if (!this.frozen) this.maskRows = 0;
      return x;
    }
    const n = x.rows * x.cols;
    if (this.frozen) {
      if (this.maskRows !== x.rows) throw new InputError(`${this.stream}: the frozen mask has ${this.maskRows} rows, the batch has ${x.rows}`);
    } else {
      if (this.mask.length < n) this.mask = new Uint8Array(n);
      backend.dropoutMask(ctx.rng.stream(this.stream), this.keep, this.mask.subarray(0, n));
      this.maskRows = x.rows;
    }
    const y = this.outBuf.get(x.rows, backend);
    backend.applyMask(x, this.mask, 1 / this.keep, y);
    return y;
  }

  backward(dy: Matrix, backend: Backend, inputGradient = true): Matrix | undefined {
    if (!inputGradient) return undefined;
    if (this.maskRows === 0) return dy;
    const dx = this.dxBuf.get(dy.rows, backend);
    backend.applyMask(dy, this.mask, 1 / this.keep, dx);
    return dx;
  }

  /** The mask of the last train-mode step (rows x units, 1 = kept), or undefined if nothing was dropped. */
  lastMask(): { rows: number; cols: number; data: Uint8Array } | undefined {
    if (this.maskRows === 0) return undefined;
    return { rows: this.maskRows, cols: this.units, data: this.mask.subarray(0, this.maskRows * this.units) };
  }

  /** Replays the current mask (or `mask`, if given) on every train-mode forward until `unfreeze()`. */
  freeze(mask?: { rows: number; data: Uint8Array }): void {
    if (mask) {
      if (mask.data.length !== mask.rows * this.units) {
        throw new InputError(`${this.stream}: a mask needs rows x ${this.units} values, got ${mask.data.length} for ${mask.rows} rows`);
      }
      this.mask = Uint8Array.from(mask.data);
      this.maskRows = mask.rows;
    }
    this.frozen = true;
  }

  unfreeze(): void {
    this.frozen = false;
  }

  params(): readonly Param[] {
    return [];
  }

  config(): LayerConfig {
    return { type: "dropout", units: this.units, keepProb: this.keep, stream: this.stream };
  }
}
