// Seeded random streams. Every random choice in dropout-lab comes from an Rng
// passed explicitly: a root seed makes a stream, and each consumer
// (initialization, shuffling, each dropout layer) takes its own named child
// stream with `stream(name)`. A child's seed depends only on its parent's seed
// and its name, never on how much the parent has drawn, so adding a consumer
// does not change the numbers any other consumer sees.
//
// Generator: xoshiro128** (Blackman and Vigna), 128-bit state, period 2^128 - 1,
// seeded through splitmix32 so that nearby seeds give unrelated streams.

import { InputError, show } from "./errors.js";

/** Plain, JSON-serializable state of a stream and all of its named children. */
export interface RngState {
  readonly key: readonly number[];
  readonly s: readonly number[];
  readonly children: { readonly [name: string]: RngState };
}

const TWO_POW_32 = 4294967296;

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Expands a 32-bit value into four well-mixed, not all zero, 32-bit words. */
function expand(seed: number): Uint32Array {
  const out = new Uint32Array(4);
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    out[i] = splitmix32(x);
  }
  if ((out[0]! | out[1]! | out[2]! | out[3]!) === 0) out[0] = 1;
  return out;
}

/** FNV-1a over a key and a name: the seed of a named child stream. */
function childSeed(key: Uint32Array, name: string): number {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  for (const word of key) for (let b = 0; b < 4; b++) mix(word >>> (8 * b));
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    mix(c);
    mix(c >>> 8);
  }
  return h >>> 0;
}

export class Rng {
  /** Immutable identity of this stream: children are derived from it. */
  private readonly key: Uint32Array;
  /** The xoshiro128** state words, advanced by every draw. */
  private readonly s: Uint32Array;
  private readonly children = new Map<string, Rng>();
  /** Scratch for bernoulliMask: indices whose top byte tied with the threshold's. */
  private ties: Int32Array = new Int32Array(64);
  /** bernoulliMask's last word view of its output. */
  private words: Uint32Array | undefined;

  private constructor(key: Uint32Array) {
    this.key = key;
    this.s = key.slice();
  }

  /** A root stream. `seed` is a non-negative safe integer; the same seed always gives the same stream. */
  static fromSeed(seed: number): Rng {
    if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
      throw new InputError(`seed must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}, got ${show(seed)}`);
    }
    const lo = seed % TWO_POW_32;
    const hi = Math.floor(seed / TWO_POW_32);
    return new Rng(expand(splitmix32(lo) ^ Math.imul(hi, 0x27d4eb2d)));
  }

  /**
   * The child stream called `name`: created on first request, the same object
   * afterwards. Its sequence depends only on this stream's seed and `name`.
   */
  stream(name: string): Rng {
    let child = this.children.get(name);
    if (!child) {
      child = new Rng(expand(childSeed(this.key, name)));
      this.children.set(name, child);
    }
    return child;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Standard normal N(0, 1) by the Box-Muller transform (two uniforms per value, no cached spare). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [0, n) (Lemire's method, unbiased). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new InputError(`int(n) needs an integer n in [1, 2^32], got ${show(n)}`);
    const threshold = (TWO_POW_32 - n) % n;
    for (;;) {
      const x = this.nextU32();
      const m = x * n;
      const low = m % TWO_POW_32;
      if (low >= threshold) return Math.floor(m / TWO_POW_32);
    }
  }

  /** Shuffles `a` in place (Fisher-Yates). */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /**
   * Fills `out` with a Bernoulli(keepProb) mask: 1 keeps the unit, 0 drops it.
   * A unit is kept when a uniform 32-bit number u is below T = floor(keepProb
   * * 2^32), so P(keep) = T / 2^32 exactly (keepProb = 1 keeps everything).
   * Bits are drawn in bulk: u's top byte comes from one byte of a 32-bit draw
   * (four units per draw) and decides the comparison unless it equals T's top
   * byte (1 time in 256); only then is a fresh draw taken for u's low 24 bits.
   * The comparisons are branch-free, which matters more than the generator:
   * with keepProb 0.5 a branch would be mispredicted every other unit. `bulk`
   * (a backend's MaskBulk) may do the whole draws; the mask is the same.
   */
  bernoulliMask(keepProb: number, out: Uint8Array, bulk?: MaskBulk): Uint8Array {
    if (keepProb >= 1) return out.fill(1);
    const T = Math.floor(keepProb * TWO_POW_32);
    const t0 = T >>> 24, low = T & 0xffffff;
    const { ties, start, count } = bulk ? bulk(this.s, t0, out) : this.maskBulk(t0, out);
    // ties on the top byte, in order: u's low 24 bits decide, from fresh draws
    const n = out.length;
    for (let k = start; k < start + count; k++) {
      const i = ties[k]!;
      if (i < n) out[i] = ((this.nextU32() >>> 8) - low) >>> 31;
    }
    return out;
  }

  /** The plain MaskBulk: the whole draws of bernoulliMask, here in JavaScript. */
  private maskBulk(t0: number, out: Uint8Array): MaskTies {
    const spread = Math.imul(t0, 0x01010101);
    const s = this.s;
    let s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;
    const n = out.length;
    // Whole draws go out as one 32-bit store of four 0/1 bytes where `out` allows it.
    const words = this.wordsOf(out);
    const whole = words ? n & ~3 : 0;
    let ties = this.ties, count = 0;
    for (let i = 0; i < n; i += 4) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const b0 = r & 255, b1 = (r >>> 8) & 255, b2 = (r >>> 16) & 255, b3 = r >>> 24;
      if (i < whole) {
        words![i >> 2] = ((b0 - t0) >>> 31) | (((b1 - t0) >>> 31) << 8) | (((b2 - t0) >>> 31) << 16) | (((b3 - t0) >>> 31) << 24);
      } else if (i + 4 <= n) {
        out[i] = (b0 - t0) >>> 31;
        out[i + 1] = (b1 - t0) >>> 31;
        out[i + 2] = (b2 - t0) >>> 31;
        out[i + 3] = (b3 - t0) >>> 31;
      } else {
        const bytes = [b0, b1, b2];
        for (let j = 0; i + j < n; j++) out[i + j] = (bytes[j]! - t0) >>> 31;
      }
      // Some byte equals t0 (a zero byte of r ^ spread): rare, so one test guards the four.
      const x = r ^ spread;
      if (((x - 0x01010101) & ~x & 0x80808080) !== 0) {
        if (count + 4 > ties.length) ties = this.ties = growTies(ties);
        if (b0 === t0) ties[count++] = i;
        if (b1 === t0) ties[count++] = i + 1;
        if (b2 === t0) ties[count++] = i + 2;
        if (b3 === t0) ties[count++] = i + 3;
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return { ties, start: 0, count };
  }

  /** A Uint32Array over `out`'s whole words (kept for the next call on the same bytes), or undefined where that is not possible. */
  private wordsOf(out: Uint8Array): Uint32Array | undefined {
    if (!LITTLE_ENDIAN || (out.byteOffset & 3) !== 0 || out.length < 4) return undefined;
    const w = this.words;
    if (w && w.buffer === out.buffer && w.byteOffset === out.byteOffset && w.length === out.length >> 2) return w;
    return (this.words = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2));
  }

  /** The state of this stream and of every child created so far. */
  snapshot(): RngState {
    const children: { [name: string]: RngState } = {};
    for (const [name, child] of this.children) children[name] = child.snapshot();
    return { key: Array.from(this.key), s: Array.from(this.s), children };
  }

  /**
   * Rebuilds a stream (and its children) exactly as `snapshot()` left it.
   * The state comes from a file, so it is checked before use: an all-zero
   * xoshiro state (a fixed point: every draw 0, and int() would never
   * return) is refused, and so are trees deeper than MAX_RNG_DEPTH or with
   * more than MAX_RNG_STREAMS streams.
   */
  static restore(state: RngState): Rng {
    const count = { streams: 0 };
    return Rng.restoreAt(state, "", 0, count);
  }

  private static restoreAt(state: RngState, path: string, depth: number, count: { streams: number }): Rng {
    const at = path ? ` ${path}` : "";
    if (typeof state !== "object" || state === null || Array.isArray(state)) throw new InputError(`random-stream state${at} must be an object, got ${show(state)}`);
    if (depth > MAX_RNG_DEPTH) throw new InputError(`random-stream state is nested deeper than ${MAX_RNG_DEPTH} levels; dropout-lab writes at most a few`);
    if (++count.streams > MAX_RNG_STREAMS) throw new InputError(`random-stream state holds more than ${MAX_RNG_STREAMS} streams; dropout-lab writes one per consumer`);
    const dot = path ? `${path}.` : "";
    const words = (v: unknown, what: string) => {
      if (!Array.isArray(v) || v.length !== 4 || !v.every((x) => Number.isInteger(x) && x >= 0 && x < TWO_POW_32)) {
        throw new InputError(`random-stream state ${dot}${what} must be four 32-bit unsigned integers, got ${show(v)}`);
      }
      return Uint32Array.from(v as number[]);
    };
    const rng = new Rng(words(state.key, "key"));
    const s = words(state.s, "s");
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) throw new InputError(`random-stream state ${dot}s is all zero, which xoshiro128** never reaches (the file was changed or damaged)`);
    rng.s.set(s);
    const children: unknown = state.children;
    if (typeof children !== "object" || children === null || Array.isArray(children)) {
      throw new InputError(`random-stream state ${dot}children must be an object, got ${show(children)}`);
    }
    for (const [name, child] of Object.entries(children as Record<string, RngState>)) rng.children.set(name, Rng.restoreAt(child, `${dot}${name}`, depth + 1, count));
    return rng;
  }
}

/** Deepest random-stream tree restore() accepts (dropout-lab's own are 3 levels deep). */
export const MAX_RNG_DEPTH = 16;
/** Most streams restore() accepts in one tree (dropout-lab's own: a few per layer). */
export const MAX_RNG_STREAMS = 1024;

/** Where bernoulliMask's ties are: `ties[start .. start + count)`, unit indices in increasing order. */
export interface MaskTies {
  readonly ties: ArrayLike<number>;
  readonly start: number;
  readonly count: number;
}

/**
 * The bulk of bernoulliMask, which a faster backend may take over: from the
 * xoshiro128** state `s` (four 32-bit words, advanced in place by one draw per
 * four units), write out[i] = 1 where unit i's byte is below `t0` and 0 where
 * above (unit i's byte: byte i % 4 of draw floor(i / 4), low byte first), and
 * list the units whose byte equals t0. It must give exactly what the plain
 * one gives: the same seed draws the same mask on every backend.
 */
export type MaskBulk = (s: Uint32Array, t0: number, out: Uint8Array) => MaskTies;

/** True on little-endian platforms (all that run JavaScript today), where a word's low byte comes first in memory. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function growTies(ties: Int32Array): Int32Array {
  const bigger = new Int32Array(ties.length * 2);
  bigger.set(ties);
  return bigger;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
