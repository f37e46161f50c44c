import { describe, expect, it } from "vitest";
import { zeros } from "../core/matrix.js";
import { IMAGE_PIXELS, imageDataset, mnistDigitsToBytes } from "./mnist.js";

const sources = Array.from({ length: 10 }, (_, d) => `${d}.json`);

describe("mnistDigitsToBytes", () => {
  it("rounds v * 255 to bytes and labels images digit after digit", () => {
    const digits = Array.from({ length: 10 }, (_, d) => new Float64Array(IMAGE_PIXELS * (d === 3 ? 2 : 1)).fill(d / 9));
    digits[0]![5] = 0.5;
    const { pixels, labels } = mnistDigitsToBytes(digits, sources);
    expect(labels.length).toBe(11);
    expect(Array.from(labels)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    expect(pixels[5]).toBe(128);
    expect(pixels[0]).toBe(0);
    expect(pixels[IMAGE_PIXELS * 10]).toBe(255);
    expect(pixels[IMAGE_PIXELS * 3]).toBe(Math.round((3 / 9) * 255));
  });

  it("rejects bad lengths and pixel values, naming the file", () => {
    const ok = () => Array.from({ length: 10 }, () => new Float64Array(IMAGE_PIXELS));
    const short = ok();
    short[4] = new Float64Array(100);
    expect(() => mnistDigitsToBytes(short, sources)).toThrow("4.json has 100 values, not a positive multiple of 784 (28 x 28 pixels per image)");
    const bad = ok();
    bad[2]![7] = 1.5;
    expect(() => mnistDigitsToBytes(bad, sources)).toThrow("2.json value 7 is 1.5; pixels must be numbers in [0, 1]");
    expect(() => mnistDigitsToBytes(ok().slice(0, 9), sources)).toThrow(/10 digits/);
  });

  it("imageDataset scales bytes to [0, 1] per batch", () => {
    const data = imageDataset(Uint8Array.of(0, 255, 51, 102), Uint8Array.of(1, 0), 2, ["a", "b"]);
    const x = zeros(1, 2), y = zeros(1, 1);
    data.gather([1], x, y);
    expect(Array.from(x.data)).toEqual([Math.fround(0.2), Math.fround(0.4)]);
    expect(y.data[0]).toBe(0);
  });
});
