import { describe, expect, it } from "vitest";
import { zeros } from "../core/matrix.js";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { Dropout } from "./dropout.js";

const N_ROWS = 1000, N_COLS = 1000; // 10^6 units

function ones(rows: number, cols: number) {
  const m = zeros(rows, cols);
  m.data.fill(1);
  return m;
}

describe("inverted dropout", () => {
  it("keeps each unit with probability keepProb and leaves the mean unchanged (10^6 units, within 4 sd)", () => {
    for (const p of [0.5, 0.8]) {
      const layer = new Dropout(N_COLS, p, "dropout/1", "float32");
      const x = ones(N_ROWS, N_COLS);
      const y = layer.forward(x, { mode: "train", rng: Rng.fromSeed(1) }, jsBackend);
      const n = N_ROWS * N_COLS;
      let kept = 0, sum = 0;
      for (let i = 0; i < n; i++) {
        if (y.data[i] !== 0) kept++;
        sum += y.data[i]!;
      }
      expect(Math.abs(kept / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      // y = m / p has mean 1 and variance (1 - p) / p.
      expect(Math.abs(sum / n - 1)).toBeLessThan(4 * Math.sqrt((1 - p) / p / n));
      // kept units are scaled by exactly 1 / keepProb
      const firstKept = y.data.find((v) => v !== 0)!;
      expect(firstKept).toBe(Math.fround(1 / p));
    }
  });

  it("is bit-identical to its input in eval mode", () => {
    const layer = new Dropout(64, 0.5, "dropout/0", "float32");
    const x = zeros(32, 64);
    const r = Rng.fromSeed(2);
    for (let i = 0; i < x.data.length; i++) x.data[i] = r.normal();
    const before = x.data.slice();
    const y = layer.forward(x, { mode: "eval" }, jsBackend);
    expect(y).toBe(x);
    expect(Buffer.from(y.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });

  it("gives the same masks for the same seed and a new mask every step", () => {
    const masks = (seed: number) => {
      const layer = new Dropout(100, 0.5, "dropout/1", "float32");
      const rng = Rng.fromSeed(seed);
      const x = ones(10, 100);
      return [0, 1, 2].map(() => Array.from(layer.forward(x, { mode: "train", rng }, jsBackend).data));
    };
    const a = masks(9), b = masks(9), c = masks(10);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(a[0]).not.toEqual(c[0]);
  });

  it("draws each layer's masks from its own named stream", () => {
    const x = ones(4, 50);
    const rng = Rng.fromSeed(3);
    const l0 = new Dropout(50, 0.5, "dropout/0", "float32");
    const l1 = new Dropout(50, 0.5, "dropout/1", "float32");
    const y0 = Array.from(l0.forward(x, { mode: "train", rng }, jsBackend).data);
    const y1 = Array.from(l1.forward(x, { mode: "train", rng }, jsBackend).data);
    expect(y0).not.toEqual(y1);
    // layer 1's first mask does not depend on whether layer 0 drew before it
    const alone = new Dropout(50, 0.5, "dropout/1", "float32").forward(x, { mode: "train", rng: Rng.fromSeed(3) }, jsBackend);
    expect(Array.from(alone.data)).toEqual(y1);
  });

  it("treats keepProb 1 as exactly the identity, in train mode too", () => {
    const layer = new Dropout(20, 1, "dropout/0", "float32");
    const x = ones(5, 20);
    x.data[3] = 0.123;
    const y = layer.forward(x, { mode: "train", rng: Rng.fromSeed(4) }, jsBackend);
    expect(y).toBe(x);
    const dy = ones(5, 20);
    expect(layer.backward(dy, jsBackend)).toBe(dy);
  });

  it("scales the gradient by the same mask / keepProb", () => {
    const layer = new Dropout(30, 0.7, "dropout/2", "float32");
    const x = ones(6, 30);
    const y = Array.from(layer.forward(x, { mode: "train", rng: Rng.fromSeed(5) }, jsBackend).data);
    const dx = layer.backward(ones(6, 30), jsBackend)!;
    expect(Array.from(dx.data)).toEqual(y);
  });

  it("replays a frozen mask and draws again after unfreeze", () => {
    const layer = new Dropout(40, 0.5, "dropout/0", "float32");
    const rng = Rng.fromSeed(6);
    const x = ones(3, 40);
    const first = Array.from(layer.forward(x, { mode: "train", rng }, jsBackend).data);
    layer.freeze();
    expect(Array.from(layer.forward(x, { mode: "train", rng }, jsBackend).data)).toEqual(first);
    expect(Array.from(layer.forward(x, { mode: "train", rng }, jsBackend).data)).toEqual(first);
    layer.unfreeze();
    expect(Array.from(layer.forward(x, { mode: "train", rng }, jsBackend).data)).not.toEqual(first);
  });

  it("refuses keepProb outside (0, 1] with the value in the message, never clamping", () => {
    for (const bad of [0, -0.2, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Dropout(10, bad, "dropout/1", "float32")).toThrow(new RegExp(`keepProb of dropout/1 must be a number in \\(0, 1\\], got ${String(bad)}`));
    }
    const layer = new Dropout(10, 0.5, "dropout/1", "float32");
    expect(() => layer.setKeepProb(0)).toThrow(/got 0/);
    expect(layer.keepProb).toBe(0.5);
  });
});
