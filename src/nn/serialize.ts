// Saving and loading networks as versioned JSON: the spec plus each parameter's
// bytes in base64 (exact round trip) and a checksum over all of it. Loading
// validates everything before building anything, so a malformed, truncated or
// tampered file gives one clear error and never a half-loaded network.

import { bytesOf, decodeBase64, encodeBase64, fnv1a, utf8 } from "../core/base64.js";
import type { Backend } from "../core/backend.js";
import { InputError, show } from "../core/errors.js";
import type { DType } from "../core/matrix.js";
import { Rng } from "../core/rng.js";
import { Network, parameterShapes, validateNetworkSpec, type NetworkSpec } from "./network.js";

export const NETWORK_FORMAT = "dropout-lab/network";
export const NETWORK_VERSION = 1;

export interface SavedParam {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Little-endian bytes of the values, base64. */
  readonly data: string;
}

export interface SavedNetwork {
  readonly format: typeof NETWORK_FORMAT;
  readonly version: number;
  readonly dtype: DType;
  readonly spec: NetworkSpec;
  readonly params: readonly SavedParam[];
  /** FNV-1a over the canonical JSON of spec and dtype and every parameter's bytes. */
  readonly checksum: string;
}

function checksumOf(spec: NetworkSpec, dtype: DType, raw: readonly Uint8Array[]): string {
  return fnv1a([utf8(JSON.stringify({ spec, dtype })), ...raw]);
}

export function saveNetwork(network: Network): SavedNetwork {
  const params = network.params();
  const raw = params.map((p) => bytesOf(p.value.data));
  return {
    format: NETWORK_FORMAT,
    version: NETWORK_VERSION,
    dtype: network.dtype,
    spec: network.spec,
    params: params.map((p, i) => ({ name: p.name, rows: p.value.rows, cols: p.value.cols, data: encodeBase64(raw[i]!) })),
    checksum: checksumOf(network.spec, network.dtype, raw),
  };
}

/**
 * Rebuilds a network from saveNetwork()'s output (or its parsed JSON).
 * `source` names the file in error messages.
 */
export function loadNetwork(value: unknown, options: { source?: string; backend?: Backend } = {}): Network {
  const where = options.source ?? "saved network";
  const fail = (msg: string) => new InputError(`${where}: ${msg}`);
  if (typeof value !== "object" || value === null) throw fail(`expected a JSON object, got ${show(value)}`);
  const v = value as Record<string, unknown>;
  if (v.format !== NETWORK_FORMAT) throw fail(`format must be ${show(NETWORK_FORMAT)}, got ${show(v.format)}`);
  if (v.version !== NETWORK_VERSION) throw fail(`version ${show(v.version)} is not supported; this build reads version ${NETWORK_VERSION}`);
  if (v.dtype !== "float32" && v.dtype !== "float64") throw fail(`dtype must be "float32" or "float64", got ${show(v.dtype)}`);
  const dtype = v.dtype;
  let spec: NetworkSpec;
  try {
    spec = validateNetworkSpec(v.spec);
  } catch (e) {
    throw fail(`spec: ${(e as Error).message}`);
  }
  // Everything is checked against the shapes the spec implies before the network is built.
  const expected = parameterShapes(spec.layers);
  if (!Array.isArray(v.params) || v.params.length !== expected.length) {
    throw fail(`params must list ${expected.length} tensors (${expected.map((p) => p.name).join(", ")}), got ${Array.isArray(v.params) ? v.params.length : show(v.params)}`);
  }
  const bytesPer = dtype === "float64" ? 8 : 4;
  const raw = v.params.map((entry: unknown, i) => {
    const p = expected[i]!;
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    if (e.name !== p.name || e.rows !== p.rows || e.cols !== p.cols) {
      throw fail(`params[${i}] must be ${p.name} with shape ${p.rows}x${p.cols}, got ${show(e.name)} ${show(e.rows)}x${show(e.cols)}`);
    }
    if (typeof e.data !== "string") throw fail(`params[${i}].data must be a base64 string`);
    const size = p.rows * p.cols * bytesPer;
    const bytes = decodeBase64(e.data, `${where}: ${p.name}`);
    if (bytes.length !== size) throw fail(`${p.name} has ${bytes.length} bytes, expected ${size} (truncated?)`);
    return bytes;
  });
  if (typeof v.checksum !== "string" || v.checksum !== checksumOf(spec, dtype, raw)) {
    throw fail(`checksum mismatch: the file was changed or damaged after it was saved`);
  }
  const values = raw.map((bytes, i) => {
    const out = dtype === "float64" ? new Float64Array(bytes.slice().buffer) : new Float32Array(bytes.slice().buffer);
    for (let k = 0; k < out.length; k++) {
      if (!Number.isFinite(out[k]!)) throw fail(`${expected[i]!.name} holds a non-finite value ${out[k]} at index ${k}`);
    }
    return out;
  });
  const network = new Network(spec, Rng.fromSeed(0), { dtype, ...(options.backend ? { backend: options.backend } : {}) });
  network.params().forEach((p, i) => p.value.data.set(values[i]!));
  return network;
}
