// The layering of docs/ARCHITECTURE.md, checked on the code: every relative
// import under src/ (tests and fixtures aside) goes to the same folder or to
// a lower layer. Node-only and browser-only code (src/node, src/web) may use
// everything; nothing else may import them.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

/** Lower number = lower layer; a file may import its own folder or a lower layer. */
const LAYER: Readonly<Record<string, number>> = {
  core: 0,
  backend: 1,
  nn: 1,
  data: 1,
  optim: 2,
  train: 3,
  config: 4,
  analysis: 5,
  report: 6,
  node: 9,
  web: 9,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ts$/.test(name) && !/\.(test|fixtures)\.ts$/.test(name) ? [path] : [];
  });
}

/** [from folder, to folder, file, import] for every import that crosses folders under src/. */
function arrows(): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  for (const file of files(SRC)) {
    const from = relative(SRC, file).split("/")[0]!;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+)"/g)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1]!)));
      const to = target.split("/")[0]!;
      if (target.startsWith("..") || to === from || !(to in LAYER)) continue;
      out.push([from, to, relative(SRC, file), m[1]!]);
    }
  }
  return out;
}

/** The arrows that go up a layer, or between the two top folders (node and web never import each other). */
function wrong(list: readonly [string, string, string, string][]): string[] {
  return list.filter(([from, to]) => LAYER[to]! > LAYER[from]! || (LAYER[to] === 9 && LAYER[from] === 9)).map(([from, to, file, spec]) => `${file} (${from}) imports ${spec} (${to})`);
}

describe("the layers of src/", () => {
  it("knows every folder under src/", () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in LAYER))).toEqual([]);
  });

  it("has no import against the documented direction", () => {
    expect(wrong(arrows())).toEqual([]);
  });

  it("flags an upward arrow and passes a downward one (the check itself, on made-up arrows)", () => {
    expect(wrong([["analysis", "node", "analysis/x.ts", "../node/y.js"]])).toEqual(["analysis/x.ts (analysis) imports ../node/y.js (node)"]);
    expect(wrong([["data", "train", "data/x.ts", "../train/y.js"]])).toHaveLength(1);
    expect(wrong([["node", "web", "node/x.ts", "../web/y.js"]])).toHaveLength(1);
    expect(wrong([["node", "analysis", "node/x.ts", "../analysis/y.js"], ["train", "core", "train/x.ts", "../core/y.js"]])).toEqual([]);
    // and it sees the real imports: the engine's folders import each other hundreds of times
    expect(arrows().length).toBeGreaterThan(100);
  });
});
