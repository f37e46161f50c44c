// Dropout masks drawn by the wasm backend (assembly/elementwise.ts maskBulk)
// against the plain backend: the same stream gives the same mask and leaves
// the stream in the same state, for every length, alignment and keepProb.

import { describe, expect, it } from "vitest";
import { jsBackend } from "../core/ops.js";
import { Rng } from "../core/rng.js";
import { VARIANTS } from "./wasm.fixtures.js";

describe("wasm backend: dropout masks", () => {
  const lengths = [1, 2, 3, 4, 5, 7, 8, 4095, 4096, 131_073];
  const keepProbs = [0.5, 129.5 / 256, 0.8, 0.004, 1];

  for (const backend of VARIANTS) {
    it(`draws the plain backend's masks bit for bit and leaves the stream where it does (${backend.variant})`, () => {
      for (const keepProb of keepProbs) {
        for (const n of lengths) {
          const plain = Rng.fromSeed(41).stream(`${keepProb}/${n}`), ours = Rng.fromSeed(41).stream(`${keepProb}/${n}`);
          const expected = new Uint8Array(n), actual = new Uint8Array(n + 3).subarray(3);
          for (let round = 0; round < 2; round++) {
            jsBackend.dropoutMask(plain, keepProb, expected);
            backend.dropoutMask(ours, keepProb, actual);
            expect(Array.from(actual), `keepProb ${keepProb}, ${n} units, round ${round}`).toEqual(Array.from(expected));
          }
          expect(ours.nextU32()).toBe(plain.nextU32());
        }
      }
    });
  }

  it("writes a mask that lives in its memory in place", () => {
    const [backend] = VARIANTS;
    const block = backend!.zeros(1, 1000, "float32");
    const inMemory = new Uint8Array(block.data.buffer, block.data.byteOffset + 1, 3001);
    const expected = new Uint8Array(3001);
    backend!.dropoutMask(Rng.fromSeed(42), 0.3, inMemory);
    jsBackend.dropoutMask(Rng.fromSeed(42), 0.3, expected);
    expect(Array.from(inMemory)).toEqual(Array.from(expected));
    expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(700);
  });
});
