import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng (xoshiro128**)", () => {
  it("matches the reference sequence for state [1, 2, 3, 4]", () => {
    const rng = Rng.restore({ key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: {} });
    // Reference outputs of the C implementation by Blackman and Vigna for s = {1, 2, 3, 4}.
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it("gives the same sequence for the same seed and different ones for different seeds", () => {
    const a = Rng.fromSeed(42), b = Rng.fromSeed(42), c = Rng.fromSeed(43);
    const draw = (r: Rng) => Array.from({ length: 8 }, () => r.nextU32());
    const sa = draw(a);
    expect(draw(b)).toEqual(sa);
    expect(draw(c)).not.toEqual(sa);
  });

  it("derives named streams from the seed alone, not from how much the parent drew", () => {
    const a = Rng.fromSeed(7);
    const b = Rng.fromSeed(7);
    for (let i = 0; i < 100; i++) b.nextU32();
    expect(a.stream("x").nextU32()).toBe(b.stream("x").nextU32());
    expect(a.stream("x")).toBe(a.stream("x"));
    expect(Rng.fromSeed(7).stream("x").nextU32()).not.toBe(Rng.fromSeed(7).stream("y").nextU32());
  });

  it("restores a snapshot exactly, children included", () => {
    const a = Rng.fromSeed(3);
    a.stream("shuffle").nextU32();
    a.nextU32();
    const state = JSON.parse(JSON.stringify(a.snapshot()));
    const b = Rng.restore(state);
    expect(b.nextU32()).toBe(a.nextU32());
    expect(b.stream("shuffle").nextU32()).toBe(a.stream("shuffle").nextU32());
    expect(b.stream("new").nextU32()).toBe(a.stream("new").nextU32());
  });

  it("draws uniforms in [0, 1) with the right mean and normals with mean 0 and variance 1", () => {
    const r = Rng.fromSeed(1);
    const n = 200_000;
    let su = 0, sn = 0, sn2 = 0, lo = 1, hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(su / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it("draws integers uniformly in range and shuffles into a permutation", () => {
    const r = Rng.fromSeed(5);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(4 * Math.sqrt(60_000 * (1 / 6) * (5 / 6)));
    const p = r.shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("draws Bernoulli masks with the exact keep probability, ties on the top byte included", () => {
    const r = Rng.fromSeed(8);
    const mask = new Uint8Array(4_000_003); // sd 0.00025: a tie rule off by 1/512 would be 7.8 sd away
    // 129.5 / 256: every unit whose top byte is 129 keeps with probability 1/2 via the tie path
    for (const p of [0.5, 129.5 / 256, 0.8, 0.05]) {
      r.bernoulliMask(p, mask);
      let kept = 0;
      for (const v of mask) kept += v;
      expect(Math.abs(kept / mask.length - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / mask.length));
    }
    expect(Array.from(r.bernoulliMask(1, new Uint8Array(5)))).toEqual([1, 1, 1, 1, 1]);
    const a = Rng.fromSeed(9).bernoulliMask(0.3, new Uint8Array(1001));
    const b = Rng.fromSeed(9).bernoulliMask(0.3, new Uint8Array(1001));
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("draws masks exactly as the byte rule defines them, for every length and alignment", () => {
    // The rule, one unit at a time: draw u = nextU32(); unit i uses byte i % 4 of the draw for i - i % 4
    // (low byte first); the unit is kept if that byte is below T's top byte, dropped if above, and on a
    // tie decided, after all the bytes, by a fresh draw's top 24 bits against T's low 24 bits.
    const reference = (rng: Rng, keepProb: number, n: number): number[] => {
      const T = Math.floor(keepProb * 2 ** 32), t0 = T >>> 24, low = T & 0xffffff;
      const out: number[] = [], ties: number[] = [];
      let word = 0;
      for (let i = 0; i < n; i++) {
        if (i % 4 === 0) word = rng.nextU32();
        const b = (word >>> (8 * (i % 4))) & 255;
        out.push(b < t0 ? 1 : 0);
        if (b === t0) ties.push(i);
      }
      for (const i of ties) out[i] = (rng.nextU32() >>> 8) < low ? 1 : 0;
      return out;
    };
    const buffer = new Uint8Array(4099);
    for (const keepProb of [0.5, 129.5 / 256, 0.9, 0.004]) {
      for (const [offset, n] of [[0, 4096], [0, 4095], [1, 4094], [2, 7], [3, 3], [0, 1], [4, 4093]] as const) {
        const mask = buffer.subarray(offset, offset + n);
        const expected = reference(Rng.fromSeed(31).stream(`${keepProb}`), keepProb, n);
        Rng.fromSeed(31).stream(`${keepProb}`).bernoulliMask(keepProb, mask);
        expect(Array.from(mask), `keepProb ${keepProb}, offset ${offset}, ${n} units`).toEqual(expected);
      }
    }
  });

  it("refuses a restored state that would stall the generator or exhaust the stack", () => {
    // xoshiro128** never leaves the all-zero state: every draw would be 0 and int(n) would loop forever
    const zero = { key: [1, 2, 3, 4], s: [0, 0, 0, 0], children: {} };
    expect(() => Rng.restore(zero)).toThrow(/random-stream state s is all zero/);
    const nested = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: { shuffle: zero } };
    expect(() => Rng.restore(nested)).toThrow(/random-stream state shuffle.s is all zero/);
    let deep: { key: number[]; s: number[]; children: object } = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: {} };
    for (let i = 0; i < 20000; i++) deep = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: { c: deep } };
    expect(() => Rng.restore(deep as never)).toThrow(/nested deeper than 16/);
    const wide = { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, { key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: {} }])) };
    expect(() => Rng.restore(wide)).toThrow(/more than 1024 streams/);
    expect(() => Rng.restore({ key: [1, 2, 3, 4], s: [1, 2, 3, 4], children: [] } as never)).toThrow(/children must be an object/);
    expect(() => Rng.restore(null as never)).toThrow(/random-stream state must be an object/);
  });

  it("rejects seeds that are not non-negative integers", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) expect(() => Rng.fromSeed(bad)).toThrow(/seed must be a non-negative integer.*got/);
  });
});
