// A fully connected layer with its activation fused in:
//   y = f(x · Wᵀ + b),  W: units x inputs (row i = the incoming weights of unit i),  b: 1 x units.
// Backward, with dz = dy ⊙ f'(y):  dW = dzᵀ · x,  db = Σ_rows dz,  dx = dz · W.

import type { Activation, Backend } from "../core/backend.js";
import { checkNumber } from "../core/errors.js";
import type { DType, Matrix } from "../core/matrix.js";
import type { Rng } from "../core/rng.js";
import { BufferCache } from "./buffers.js";
import { initWeights, type InitKind } from "./init.js";
import type { ForwardContext, Layer, LayerConfig, Param } from "./layer.js";

export class Dense implements Layer {
  readonly weight: Param;
  readonly bias: Param;
  private readonly outBuf: BufferCache;
  private readonly dxBuf: BufferCache;
  private lastX: Matrix | undefined;
  private lastY: Matrix | undefined;

  constructor(
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    options: { index: number; dtype: DType; init: InitKind; rng: Rng; backend: Backend },
  ) {
    checkNumber("layer size", inputs, { min: 1, integer: true });
    checkNumber("layer size", units, { min: 1, integer: true });
    const { backend, dtype } = options;
    this.weight = { name: `W${options.index + 1}`, value: backend.zeros(units, inputs, dtype), grad: backend.zeros(units, inputs, dtype), penalize: true };
    this.bias = { name: `b${options.index + 1}`, value: backend.zeros(1, units, dtype), grad: backend.zeros(1, units, dtype), penalize: false };
    initWeights(this.weight.value, options.init, options.rng);
    this.outBuf = new BufferCache(units, dtype);
    this.dxBuf = new BufferCache(inputs, dtype);
  }

  forward(x: Matrix, _ctx: ForwardContext, backend: Backend): Matrix {
    const y = this.outBuf.get(x.rows, backend);
    backend.matmulNT(x, this.weight.value, y);
    backend.biasActivation(y, this.bias.value, this.activation, y);
    this.lastX = x;
    this.lastY = y;
    return y;
  }

  /** Overwrites dy with dz = dy ⊙ f'(y) (dy is scratch owned by the caller's chain). */
  backward(dy: Matrix, backend: Backend, inputGradient = true): Matrix | undefined {
    const x = this.lastX, y = this.lastY;
    if (!x || !y) throw new Error("Dense.backward called before forward");
    backend.activationBackward(y, dy, this.activation, dy);
    backend.matmulTN(dy, x, this.weight.grad);
    backend.columnSums(dy, this.bias.grad);
    if (!inputGradient) return undefined;
    const dx = this.dxBuf.get(dy.rows, backend);
    backend.matmulNN(dy, this.weight.value, dx);
    return dx;
  }

  params(): readonly Param[] {
    return [this.weight, this.bias];
  }

  config(): LayerConfig {
    return { type: "dense", inputs: this.inputs, units: this.units, activation: this.activation };
  }
}
