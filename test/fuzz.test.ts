// Property-based fuzzing of every file reader (model, checkpoint, config,
// CSV, IDX): random mutations of a valid file, byte-level and structural, are
// either loaded (a model exactly as saved) or refused with an InputError;
// never another error and never a hang (a resumed checkpoint trains an epoch
// to prove it). A fixed seed and a bounded number of runs keep it a few
// seconds long and the same on every run.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, Rng, Trainer, jsBackend } from "../src/index.js";
import { trainOptionsOf } from "../src/toolkit.js";
import { encodeIdx, parseIdxPair } from "../src/data/idx.js";
import { loadData, loadExperimentData } from "../src/node/index.js";
import { readCheckpoint } from "../cli/checkpoint-file.js";
import { experimentFromFlags } from "../cli/experiment-flags.js";
import { loadModel } from "../cli/model-file.js";
import { cli, tempDir } from "./helpers.js";

const SEED = 20240613;
const RUNS = 120;

/** A mutation of a file's bytes: flip, delete, insert or duplicate a span. */
type ByteEdit = { kind: "flip" | "delete" | "insert" | "duplicate"; at: number; length: number; byte: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  kind: fc.constantFrom("flip", "delete", "insert", "duplicate"),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 64 }),
  byte: fc.integer({ min: 0, max: 255 }),
});

function applyBytes(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = Buffer.from(bytes);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % b.length;
    const span = b.subarray(at, at + e.length);
    if (e.kind === "flip") {
      b = Buffer.from(b);
      b[at] = e.byte;
    } else if (e.kind === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)]);
    else if (e.kind === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.alloc(e.length, e.byte), b.subarray(at)]);
    else b = Buffer.concat([b.subarray(0, at + span.length), span, b.subarray(at + span.length)]);
  }
  return b;
}

/** Values a hostile or careless edit puts into a JSON file. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, -3, 1, 2, 99, 1.5, 1e9, 2 ** 32, -0, 1e308, "", "abc", "NaN", null, true, [], {}, [0, 0, 0, 0], [65536, 30000, 10], { __proto__: null }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Every path into a JSON value (arrays: the first three elements and the last). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    const idx = [...new Set([0, 1, 2, value.length - 1])].filter((i) => i >= 0 && i < value.length);
    for (const i of idx) paths(value[i], [...prefix, i], out);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}

/** A structural mutation: a value replaced, a field deleted, or a field added; `focus` picks among the fields the readers trust most. */
type JsonEdit = { pick: number; focus: boolean; kind: "set" | "zero" | "delete" | "add"; value: unknown };

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({ pick: fc.noBias(fc.integer({ min: 0, max: 1_000_000 })), focus: fc.boolean(), kind: fc.constantFrom("set", "zero", "delete", "add"), value: hostileValue });

/** The same shape with every number 0: the edit that stalls a random generator. */
function zeroed(value: unknown): unknown {
  if (typeof value === "number") return 0;
  if (Array.isArray(value)) return value.map(zeroed);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, zeroed(v)]));
  return value;
}

/** Fields whose values decide sizes, positions and random states. */
const FOCUS = new Set(["s", "key", "children", "rng", "shuffle", "dropout", "epoch", "step", "steps", "epochs", "history", "layers", "keepProbs", "params", "rows", "cols", "data", "spec", "t", "slots", "names", "version", "seed", "size", "hidden", "batchSize"]);

function applyJson(text: string, edits: readonly JsonEdit[]): string {
  const json = JSON.parse(text);
  let root: unknown = json;
  for (const e of edits) {
    const every = paths(root);
    const focused = every.filter((p) => FOCUS.has(String(p[p.length - 1])));
    const all = e.focus && focused.length > 0 ? focused : every;
    const path = all[e.pick % all.length]!;
    if (path.length === 0) {
      if (e.kind === "set") root = e.value;
      if (e.kind === "zero") root = zeroed(root);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (e.kind === "set") parent[last] = e.value;
    else if (e.kind === "zero") parent[last] = zeroed(parent[last]);
    else if (e.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (!Array.isArray(parent)) parent[`x${e.pick % 7}`] = e.value;
  }
  return JSON.stringify(root);
}

/** A mutation of a JSON file: structural edits, then (sometimes) byte edits of the text. */
const jsonMutation = fc.record({
  json: fc.array(jsonEdit, { minLength: 1, maxLength: 2 }),
  bytes: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 2 }) }),
});

function mutateJson(text: string, m: { json: readonly JsonEdit[]; bytes: readonly ByteEdit[] }): Uint8Array {
  return applyBytes(Buffer.from(applyJson(text, m.json)), m.bytes);
}

/** Runs `read`; an InputError is a refusal, anything else thrown fails the property. */
function loadedOrRefused<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

describe("fuzzing the file readers: mutated files load exactly or are refused with an InputError", () => {
  const dir = tempDir("fuzz-");
  // one real run: its model file and its checkpoint are the seeds of the mutations
  const trained = cli(["train", "--data", "circle", "--size", "60", "--hidden", "4", "--keep-probs", "0.8,0.5", "--epochs", "2", "--optimizer", "adam", "--backend", "js", "--save", "m.json", "--checkpoint", "ck"], { cwd: dir });
  const modelText = readFileSync(join(dir, "m.json"), "utf8");
  // a checkpoint in the middle of its run (2 of 3 epochs), so a loaded one trains
  const checkpointText = readFileSync(join(dir, "ck", "checkpoint.json"), "utf8").replace('"epochs":2,', '"epochs":3,');

  it("the seed files are real", () => {
    expect(trained.status, trained.stderr).toBe(0);
  });

  it("model files", () => {
    const original = loadModel(join(dir, "m.json"), jsBackend);
    const path = join(dir, "mutated-model.json");
    fc.assert(
      fc.property(fc.oneof(jsonMutation.map((m) => mutateJson(modelText, m)), fc.array(byteEdit, { minLength: 1, maxLength: 4 }).map((e) => applyBytes(Buffer.from(modelText), e))), (bytes) => {
        writeFileSync(path, bytes);
        const loaded = loadedOrRefused(() => loadModel(path, jsBackend));
        if (loaded) {
          // the checksums cover everything that matters: what loads is what was saved
          expect(loaded.experiment).toEqual(original.experiment);
          expect(loaded.network.spec).toEqual(original.network.spec);
          loaded.network.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(original.network.params()[i]!.value.data)));
        }
      }),
      params,
    );
  });

  it("checkpoints, resumed for an epoch when they load", () => {
    const ck = join(dir, "mutated-ck");
    mkdirSync(ck);
    let resumed = 0;
    fc.assert(
      fc.property(jsonMutation, (m) => {
        writeFileSync(join(ck, "checkpoint.json"), mutateJson(checkpointText, m));
        loadedOrRefused(() => {
          const c = readCheckpoint(ck, jsBackend);
          const data = loadExperimentData(c.experiment);
          const trainer = new Trainer(c.network, { train: data.train, dev: data.dev }, trainOptionsOf(c.experiment), Rng.fromSeed(c.experiment.seed).stream("train"), c.trainer);
          if (!trainer.done && c.experiment.epochs <= 5 && data.train.size <= 2000) {
            trainer.runEpoch();
            resumed++;
          }
        });
      }),
      { ...params, numRuns: 200 },
    );
    expect(resumed).toBeGreaterThan(20); // the property reached training, not only refusals
  });

  it("--config files", () => {
    const text = JSON.stringify({ data: "circle", hidden: [8], keepProbs: [1, 0.5], epochs: 3, lr: 0.1, optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, seed: 4 });
    const path = join(dir, "config.json");
    fc.assert(
      fc.property(jsonMutation, (m) => {
        writeFileSync(path, mutateJson(text, m));
        loadedOrRefused(() => experimentFromFlags({ config: path }));
      }),
      params,
    );
  });

  it("CSV tables", () => {
    const rows = ["id,island,mass,flipper,species"];
    for (let i = 0; i < 40; i++) rows.push(`p${i},"${["Biscoe", "Dream", "Torgersen"][i % 3]}",${3000 + i * 37},${180 + (i % 11)},${["Adelie", "Gentoo"][i % 2]}`);
    const text = Buffer.from(rows.join("\n") + "\n");
    const path = join(dir, "t.csv");
    fc.assert(
      fc.property(fc.array(byteEdit, { minLength: 1, maxLength: 6 }), (edits) => {
        writeFileSync(path, applyBytes(text, edits));
        const d = loadedOrRefused(() => loadData(`csv:${path}`, { seed: 1, label: "species" }));
        if (d) expect(d.train.size + d.dev.size + d.test.size).toBeGreaterThan(0);
      }),
      params,
    );
  });

  it("IDX files, raw and gzipped", () => {
    const images = encodeIdx([6, 4, 3], Uint8Array.from({ length: 72 }, (_, i) => (i * 7) % 256));
    const labels = encodeIdx([6], Uint8Array.from([0, 1, 2, 3, 4, 5]));
    fc.assert(
      fc.property(fc.array(byteEdit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, onLabels) => {
        const img = onLabels ? images : applyBytes(images, edits);
        const lab = onLabels ? applyBytes(labels, edits) : labels;
        const pair = loadedOrRefused(() => parseIdxPair(img, lab, { images: "i", labels: "l" }));
        if (pair) expect(pair.pixels.length).toBe(pair.count * pair.rows * pair.cols);
      }),
      params,
    );
    const fm = join(dir, "fm");
    mkdirSync(fm);
    const files = { "train-images-idx3-ubyte.gz": images, "train-labels-idx1-ubyte.gz": labels, "t10k-images-idx3-ubyte.gz": images, "t10k-labels-idx1-ubyte.gz": labels };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(fm, name), gzipSync(bytes));
    const gz = gzipSync(images);
    fc.assert(
      fc.property(fc.array(byteEdit, { minLength: 1, maxLength: 3 }), (edits) => {
        writeFileSync(join(fm, "train-images-idx3-ubyte.gz"), applyBytes(gz, edits));
        loadedOrRefused(() => loadData(`fashion-mnist:${fm}`, { seed: 1, devFraction: 0.2 }));
      }),
      { ...params, numRuns: 60 },
    );
  });
});
