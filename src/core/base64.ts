// Base64 for typed-array bytes, without Node's Buffer or the DOM, so saved
// networks are compact and exact in Node and in the browser alike. Plus the
// FNV-1a checksum that lets a loader detect truncated or tampered files.

import { InputError } from "./errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = "";
    for (let i = start; i < end; i += 3) {
      const b0 = bytes[i]!, b1 = i + 1 < end ? bytes[i + 1]! : 0, b2 = i + 2 < end ? bytes[i + 2]! : 0;
      const n = (b0 << 16) | (b1 << 8) | b2;
      s += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
      s += i + 1 < end ? ALPHABET[(n >> 6) & 63]! : "=";
      s += i + 2 < end ? ALPHABET[n & 63]! : "=";
    }
    parts.push(s);
  }
  return parts.join("");
}

/** Decodes base64; `what` names the field in the error for malformed text. */
export function decodeBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0) throw new InputError(`${what} is not valid base64 (length ${text.length} is not a multiple of 4)`);
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const isPad = c === 61 && i + k >= text.length - pad;
      const v = isPad ? 0 : c < 128 ? LOOKUP[c]! : -1;
      if (v < 0) throw new InputError(`${what} is not valid base64 (bad character at position ${i + k})`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** FNV-1a (32-bit) over byte chunks, as 8 hex digits. */
export function fnv1a(chunks: readonly Uint8Array[]): string {
  let h = 0x811c9dc5;
  for (const bytes of chunks) {
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i]!;
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** UTF-8 bytes of a string (written out so the engine needs no DOM or Node globals). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The bytes of a typed array, little-endian (the only byte order this engine supports). */
export function bytesOf(data: Float32Array | Float64Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("dropout-lab needs a little-endian platform");
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
