import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, encodeIdx, isGzip, parseIdxImages, parseIdxLabels, parseIdxPair } from "./idx.js";

const pixels = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => (i * 37) % 256);
const labels = Uint8Array.from([7, 0, 9]);

function header(magic: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  return out;
}

describe("IDX", () => {
  it("round-trips images and labels", () => {
    const file = encodeIdx([3, 4, 5], pixels);
    expect(Array.from(file.subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 0, 3]);
    const img = parseIdxImages(file, "img");
    expect([img.count, img.rows, img.cols]).toEqual([3, 4, 5]);
    expect(Array.from(img.pixels)).toEqual(Array.from(pixels));
    expect(Array.from(parseIdxLabels(encodeIdx([3], labels), "lab"))).toEqual([7, 0, 9]);
  });

  it("parses a pair and works on a view with a byte offset", () => {
    const file = encodeIdx([3, 4, 5], pixels);
    const padded = new Uint8Array(file.length + 7);
    padded.set(file, 7);
    const pair = parseIdxPair(padded.subarray(7), encodeIdx([3], labels), { images: "i", labels: "l" });
    expect(Array.from(pair.pixels)).toEqual(Array.from(pixels));
    expect(Array.from(pair.labels)).toEqual([7, 0, 9]);
  });

  it("detects gzip by its magic bytes, and the parser asks for decompression", () => {
    const gz = gzipSync(encodeIdx([3], labels));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(encodeIdx([3], labels))).toBe(false);
    expect(() => parseIdxLabels(gz, "l.gz")).toThrow(/l\.gz is gzip-compressed/);
  });

  it("rejects a truncated file, naming both lengths", () => {
    const file = encodeIdx([3, 4, 5], pixels);
    expect(() => parseIdxImages(file.subarray(0, file.length - 1), "img")).toThrow(/img is truncated.*3 x 4 x 5 = 60 data bytes, the file has 59/);
    expect(() => parseIdxImages(file.subarray(0, 10), "img")).toThrow(/shorter than the 16-byte header/);
    const extra = new Uint8Array(file.length + 2);
    extra.set(file);
    expect(() => parseIdxImages(extra, "img")).toThrow(/2 bytes more than its header/);
  });

  it("rejects a wrong magic number and says what the file is", () => {
    expect(() => parseIdxImages(encodeIdx([3], labels), "lab")).toThrow(/lab has magic number 0x00000801 \(that is an IDX label file\); an IDX image file starts with 0x00000803/);
    expect(() => parseIdxLabels(Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 0]), "x")).toThrow(/magic number 0x01020304/);
    expect(() => parseIdxLabels(Uint8Array.from([0, 0]), "x")).toThrow(/too short/);
  });

  it("fails fast, with an InputError, on a header claiming 10^9 images", () => {
    const file = new Uint8Array(16 + 784 * 2);
    file.set(header(IDX_IMAGES_MAGIC, [1e9, 28, 28]));
    // Allocating 7.84e11 bytes would throw a RangeError; the length check must come first.
    let error: unknown;
    try {
      parseIdxImages(file, "huge");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/huge is truncated or its header is corrupt: the header says 1000000000 x 28 x 28 = 784000000000 data bytes, the file has 1568/);
  });

  it("rejects a zero dimension", () => {
    expect(() => parseIdxImages(header(IDX_IMAGES_MAGIC, [0, 28, 28]), "z")).toThrow(/dimension 1 of the IDX header is 0/);
  });

  it("rejects a label count that does not match the image count", () => {
    expect(() => parseIdxPair(encodeIdx([3, 4, 5], pixels), encodeIdx([2], labels.subarray(0, 2)), { images: "i.idx", labels: "l.idx" })).toThrow(
      /l\.idx has 2 labels but i\.idx has 3 images/,
    );
    expect(IDX_LABELS_MAGIC).toBe(0x801);
  });
});
