// The page's data, made exactly as the CLI's loader makes it (src/node/load.ts):
// synthetic sets from stream "data" of the seed, `size` examples (the CLI's
// --size), then a seeded split from stream "split". The MNIST subset is
// bundled at build time (gzip + base64, see web/build/mnist-subset.ts) and
// unpacked here on first use, so the page never fetches anything.

import {
  Rng,
  materialize,
  splitIndices,
  subset,
  synthetic,
  uint8ImageDataset,
  type Dataset,
  type Matrix,
} from "../../src/index.js";
import type { DataInfo } from "../protocol.js";
import { DATA_SHAPES, splitFractions, type PageState } from "../state.js";

/** The 2-D sets lie roughly in [-6, 6]^2 (TensorFlow Playground's domain). */
export const EXTENT = 6;
/** Test digits shown with their predictions. */
const SAMPLE_DIGITS = 24;
const MNIST_CLASS_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

export interface PageDataSet {
  readonly train: Dataset;
  readonly dev: Dataset;
  readonly test: Dataset;
  readonly info: DataInfo;
  /** mnist: the sample digits, as a data set and as a feature matrix scaled to [0, 1]. */
  readonly digits?: { readonly x: Matrix; readonly data: Dataset };
}

let mnistCache: Promise<{ pixels: Uint8Array; labels: Uint8Array }> | undefined;

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decodeBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The bundled digits: PER_DIGIT images of each digit, digit after digit, 784 bytes each. */
function loadMnistSubset(): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  mnistCache ??= import("virtual:mnist-subset").then(async ({ PER_DIGIT, GZIP_BASE64 }) => {
    const pixels = await gunzip(decodeBase64(GZIP_BASE64));
    const labels = new Uint8Array(PER_DIGIT * 10);
    for (let d = 0; d < 10; d++) labels.fill(d, d * PER_DIGIT, (d + 1) * PER_DIGIT);
    return { pixels, labels };
  });
  return mnistCache;
}

function split(all: Dataset, state: PageState) {
  const idx = splitIndices(all.size, splitFractions(state), Rng.fromSeed(state.seed).stream("split"));
  return { idx, train: subset(all, idx.train), dev: subset(all, idx.dev), test: subset(all, idx.test) };
}

function sizes(parts: { train: Dataset; dev: Dataset; test: Dataset }) {
  return { train: parts.train.size, dev: parts.dev.size, test: parts.test.size };
}

/** Loads the data a state asks for; the same state always gives the same examples and split. */
export async function loadPageData(state: PageState): Promise<PageDataSet> {
  const { features, classes } = DATA_SHAPES[state.data];
  if (state.data === "mnist") {
    const { pixels, labels } = await loadMnistSubset();
    const all = uint8ImageDataset(pixels, labels, features, classes, MNIST_CLASS_NAMES);
    const parts = split(all, state);
    const n = Math.min(SAMPLE_DIGITS, parts.test.size);
    const sample = subset(parts.test, Int32Array.from({ length: n }, (_, i) => i));
    const { x, y } = materialize(sample);
    const digitPixels = Uint8Array.from(x.data, (v) => Math.round(v * 255));
    return {
      ...parts,
      digits: { x, data: sample },
      info: {
        data: state.data,
        features,
        classes,
        featureNames: [],
        sizes: sizes(parts),
        digits: { pixels: digitPixels, labels: Uint8Array.from(y.data) },
        extent: EXTENT,
      },
    };
  }
  const gen = synthetic(state.data, { n: state.size, noise: state.noise, rng: Rng.fromSeed(state.seed).stream("data") });
  const parts = split(gen.data, state);
  const info: DataInfo = {
    data: state.data,
    features,
    classes,
    featureNames: [...(gen.data.featureNames ?? [])],
    sizes: sizes(parts),
    extent: EXTENT,
  };
  if (features !== 2) return { ...parts, info };
  const { x, y } = materialize(gen.data);
  const splitOf = new Uint8Array(gen.data.size);
  parts.idx.dev.forEach((i) => (splitOf[i] = 1));
  parts.idx.test.forEach((i) => (splitOf[i] = 2));
  return { ...parts, info: { ...info, points: { xy: Float32Array.from(x.data), label: Uint8Array.from(y.data), split: splitOf } } };
}
