// The in-memory datasets' gather: images stored as bytes come out scaled to
// [0, 1] exactly as b * (1/255) rounds in each dtype, labels as class indices;
// bad shapes and labels are refused.

import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { subset, uint8ImageDataset } from "./dataset.js";

describe("uint8ImageDataset", () => {
  const pixels = Uint8Array.from({ length: 3 * 256 }, (_, i) => (i * 7 + 3) % 256);
  const labels = Uint8Array.of(2, 0, 1);
  const data = uint8ImageDataset(pixels, labels, 256, 3);

  for (const dtype of ["float32", "float64"] as const) {
    it(`gathers rows scaled by 1/255 as ${dtype} rounds them, in the order asked`, () => {
      const x = zeros(2, 256, dtype), y = zeros(2, 1, dtype);
      data.gather(Int32Array.of(2, 0), x, y);
      const want = zeros(2, 256, dtype);
      for (let j = 0; j < 256; j++) {
        want.data[j] = pixels[512 + j]! * (1 / 255);
        want.data[256 + j] = pixels[j]! * (1 / 255);
      }
      expect(Array.from(x.data)).toEqual(Array.from(want.data));
      expect(Array.from(y.data)).toEqual([1, 2]);
      expect(x.data[256 + pixels.indexOf(255)]).toBe(1);
    });
  }

  it("gathers through a subset's indices", () => {
    const part = subset(data, [1, 2]);
    const x = zeros(1, 256), y = zeros(1, 1);
    part.gather(Int32Array.of(1), x, y);
    expect(x.data[0]).toBe(Math.fround(pixels[512]! / 255));
    expect(y.data[0]).toBe(1);
  });

  it("refuses pixel counts that do not match and labels out of range", () => {
    expect(() => uint8ImageDataset(new Uint8Array(10), labels, 4, 3)).toThrow(/image data has 10 bytes, expected 3 images x 4 pixels = 12/);
    expect(() => uint8ImageDataset(new Uint8Array(12), Uint8Array.of(0, 3, 1), 4, 3)).toThrow(InputError);
  });
});
