import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { encodeBase64, decodeBase64 } from "../core/base64.js";
import { jsBackend } from "../core/ops.js";
import { Network } from "./network.js";
import { loadNetwork, saveNetwork } from "./serialize.js";

const spec = { layers: [5, 7, 3], activation: "relu", keepProbs: [0.9, 0.5], loss: "softmax-cross-entropy" } as const;

describe("saving and loading networks", () => {
  it("round-trips spec and weights exactly through JSON text", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const net = new Network(spec, Rng.fromSeed(4), { dtype });
      const text = JSON.stringify(saveNetwork(net));
      const back = loadNetwork(JSON.parse(text));
      expect(back.spec).toEqual(net.spec);
      expect(back.dtype).toBe(dtype);
      back.params().forEach((p, i) => {
        const src = net.params()[i]!.value.data;
        expect(Buffer.from(p.value.data.buffer).equals(Buffer.from(src.buffer, src.byteOffset, src.byteLength))).toBe(true);
      });
    }
  });

  it("encodes base64 like the standard alphabet", () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253]);
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
    expect(Array.from(decodeBase64(Buffer.from(bytes).toString("base64"), "x"))).toEqual(Array.from(bytes));
  });

  const saved = () => JSON.parse(JSON.stringify(saveNetwork(new Network(spec, Rng.fromSeed(4))))) as Record<string, any>;

  it("checks params against the spec's shapes before building anything (a 404-byte file cannot allocate gigabytes)", () => {
    let allocated = 0;
    const counting = { ...jsBackend, zeros: (...args: Parameters<typeof jsBackend.zeros>) => (allocated++, jsBackend.zeros(...args)) };
    const huge = { ...saved(), spec: { ...spec, layers: [65536, 30000, 10] }, params: [] };
    expect(() => loadNetwork(huge, { source: "m.json", backend: counting })).toThrow(/m\.json: spec: layers 65536,30000,10 make a network of 1966410010 parameters; at most 33554432 \(2\^25\) are allowed/);
    const wide = { ...saved(), spec: { ...spec, layers: [5, 60000, 3] }, params: [] };
    expect(() => loadNetwork(wide, { backend: counting })).toThrow(/params must list 4 tensors \(W1, b1, W2, b2\), got 0/);
    const short = saved();
    short.params[0].data = short.params[0].data.slice(0, 8);
    expect(() => loadNetwork(short, { backend: counting })).toThrow(/W1 has 6 bytes, expected 140 \(truncated\?\)/);
    expect(allocated).toBe(0);
  });

  it("refuses a tampered file (checksum mismatch)", () => {
    const s = saved();
    const d: string = s.params[0].data;
    s.params[0].data = (d[0] === "A" ? "B" : "A") + d.slice(1);
    expect(() => loadNetwork(s, { source: "model.json" })).toThrow("model.json: checksum mismatch: the file was changed or damaged after it was saved");
    const t = saved();
    t.spec.keepProbs = [1, 0.5];
    expect(() => loadNetwork(t)).toThrow(/checksum mismatch/);
  });

  it("refuses truncated weights", () => {
    const s = saved();
    s.params[2].data = s.params[2].data.slice(0, 8);
    expect(() => loadNetwork(s)).toThrow(/W2 has 6 bytes, expected 84 \(truncated\?\)/);
  });

  it("refuses malformed files with a clear message", () => {
    expect(() => loadNetwork("hello")).toThrow(/expected a JSON object/);
    expect(() => loadNetwork({ ...saved(), format: "other" })).toThrow(/format must be "dropout-lab\/network", got "other"/);
    expect(() => loadNetwork({ ...saved(), version: 9 })).toThrow(/version 9 is not supported/);
    const s = saved();
    s.spec.keepProbs = [1, 2];
    expect(() => loadNetwork(s)).toThrow(/spec: keepProbs\[1\] must be a number in \(0, 1\], got 2/);
    const t = saved();
    t.params.pop();
    expect(() => loadNetwork(t)).toThrow(/params must list 4 tensors \(W1, b1, W2, b2\), got 3/);
    const u = saved();
    u.params[0].rows = 6;
    expect(() => loadNetwork(u)).toThrow(/params\[0\] must be W1 with shape 7x5, got "W1" 6x5/);
    const v = saved();
    v.params[1].data = "@@@@";
    expect(() => loadNetwork(v)).toThrow(InputError);
  });
});

describe("utf8", () => {
  it("matches TextEncoder on ASCII, accents, CJK and astral characters", async () => {
    const { utf8 } = await import("../core/base64.js");
    for (const s of ["plain", "héllo", "数据", "𝔡ropout", ""]) expect(Array.from(utf8(s))).toEqual(Array.from(new TextEncoder().encode(s)));
  });
});
