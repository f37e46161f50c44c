// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a 4-byte big-endian magic number 0x0000TTNN (TT = 0x08 for unsigned bytes,
// NN = number of dimensions), NN big-endian uint32 sizes, then the data. The
// parser is pure over a Uint8Array (the Node loader decompresses gzip first)
// and validates the magic number, the sizes and the exact file length BEFORE
// touching the data, so a corrupt header claiming 10^9 images fails at once
// with a clear message instead of trying to allocate.

import { InputError } from "../core/errors.js";

/** Magic number of an IDX file of unsigned-byte images: 3 dimensions (count, rows, cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of unsigned-byte labels: 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** True when `bytes` starts with the gzip magic bytes 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(v: number): string {
  return "0x" + v.toString(16).padStart(8, "0");
}

function uint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Checks the header against `magic` and the file length against the sizes,
 * then returns the sizes and a view of the data (no copy).
 */
function parseIdx(bytes: Uint8Array, source: string, magic: number, what: string): { dims: number[]; data: Uint8Array } {
  if (isGzip(bytes)) throw new InputError(`${source} is gzip-compressed; decompress it before parsing (the Node loader does this)`);
  if (bytes.length < 4) throw new InputError(`${source} has ${bytes.length} bytes, too short for an IDX header; expected an IDX ${what} file`);
  const found = uint32(bytes, 0);
  if (found !== magic) {
    const other = found === IDX_IMAGES_MAGIC ? " (that is an IDX image file)" : found === IDX_LABELS_MAGIC ? " (that is an IDX label file)" : "";
    throw new InputError(`${source} has magic number ${hex(found)}${other}; an IDX ${what} file starts with ${hex(magic)}`);
  }
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new InputError(`${source} is truncated: ${bytes.length} bytes, shorter than the ${headerBytes}-byte header of an IDX ${what} file`);
  }
  const dims: number[] = [];
  let product = 1;
  for (let d = 0; d < ndims; d++) {
    const size = uint32(bytes, 4 + 4 * d);
    if (size === 0) throw new InputError(`${source}: dimension ${d + 1} of the IDX header is 0; every dimension must be at least 1`);
    dims.push(size);
    product *= size;
  }
  const body = bytes.length - headerBytes;
  if (body !== product) {
    const claim = `the header says ${dims.join(" x ")} = ${product} data bytes`;
    throw new InputError(
      body < product
        ? `${source} is truncated or its header is corrupt: ${claim}, the file has ${body} after the ${headerBytes}-byte header`
        : `${source} has ${body - product} bytes more than its header announces: ${claim}, the file has ${body} after the ${headerBytes}-byte header`,
    );
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, product) };
}

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count * rows * cols bytes, image after image, row-major: a view into the input bytes. */
  readonly pixels: Uint8Array;
}

/** Parses an uncompressed IDX image file (magic 0x00000803). */
export function parseIdxImages(bytes: Uint8Array, source: string): IdxImages {
  const { dims, data } = parseIdx(bytes, source, IDX_IMAGES_MAGIC, "image");
  return { count: dims[0]!, rows: dims[1]!, cols: dims[2]!, pixels: data };
}

/** Parses an uncompressed IDX label file (magic 0x00000801): one byte per example, a view into the input bytes. */
export function parseIdxLabels(bytes: Uint8Array, source: string): Uint8Array {
  return parseIdx(bytes, source, IDX_LABELS_MAGIC, "label").data;
}

/** Parses a matching pair of image and label files; the counts must agree. */
export function parseIdxPair(
  images: Uint8Array,
  labels: Uint8Array,
  sources: { images: string; labels: string },
): IdxImages & { labels: Uint8Array } {
  const img = parseIdxImages(images, sources.images);
  const lab = parseIdxLabels(labels, sources.labels);
  if (lab.length !== img.count) {
    throw new InputError(`${sources.labels} has ${lab.length} labels but ${sources.images} has ${img.count} images; the counts must match`);
  }
  return { ...img, labels: lab };
}

/** Encodes unsigned bytes as an IDX file with the given sizes (writes test fixtures and exports). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length < 1 || dims.length > 255) throw new InputError(`IDX files have 1 to 255 dimensions, got ${dims.length}`);
  const product = dims.reduce((a, b) => a * b, 1);
  if (product !== data.length) throw new InputError(`IDX sizes ${dims.join(" x ")} = ${product} do not match ${data.length} data bytes`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
