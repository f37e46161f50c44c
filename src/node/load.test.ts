import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { toRows } from "../core/matrix.js";
import { materialize, type Dataset } from "../data/dataset.js";
import { encodeIdx } from "../data/idx.js";
import { loadData } from "./load.js";
import { DEFAULT_FASHION_DIR } from "../data/spec.js";

const tmp = mkdtempSync(join(tmpdir(), "dropout-lab-data-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sizes = (d: { train: Dataset; dev: Dataset; test: Dataset }) => [d.train.size, d.dev.size, d.test.size];

/** Writes a tiny Fashion-MNIST-like directory: 4x3 images, `gz` decides which files are gzipped. */
function fakeFashion(name: string, opts: { trainCount?: number; trainLabels?: number } = {}): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const images = (count: number, seed: number) => encodeIdx([count, 4, 3], Uint8Array.from({ length: count * 12 }, (_, i) => (i * seed) % 256));
  const labels = (count: number) => encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 10));
  const trainCount = opts.trainCount ?? 20;
  writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(images(trainCount, 7)));
  writeFileSync(join(dir, "train-labels-idx1-ubyte"), labels(opts.trainLabels ?? trainCount));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images(5, 3));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(labels(5)));
  return dir;
}

describe("loadData", () => {
  it("mnist: 10,000 real digits, 10 classes, pixels stored as bytes", () => {
    const d = loadData("mnist", { seed: 1 });
    expect(sizes(d)).toEqual([7000, 1500, 1500]);
    expect(d.info.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(d.train.features).toBe(784);
    expect(d.train.task).toMatchObject({ kind: "classification", classes: 10 });
    const { x, y } = materialize(d.test, "float64");
    const values = x.data;
    expect(values.every((v) => v >= 0 && v <= 1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-9)).toBe(true);
    expect(values.some((v) => v > 0 && v < 1)).toBe(true);
    expect(new Set(y.data).size).toBe(10);
    const again = loadData("mnist", { seed: 1 });
    expect(toRows(materialize(again.dev).y)).toEqual(toRows(materialize(d.dev).y));
  });

  it("penguins: 3 classes, 4 numeric and 2 one-hot columns (9 features), incomplete rows dropped", () => {
    const d = loadData("penguins", { seed: 1 });
    expect(d.info.classNames).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    expect(d.train.features).toBe(9);
    expect(d.info.featureNames).toEqual([
      "Island=Biscoe", "Island=Dream", "Island=Torgersen",
      "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)",
      "Sex=FEMALE", "Sex=MALE",
    ]);
    expect(d.info.droppedRows).toBe(11);
    expect(d.train.size + d.dev.size + d.test.size).toBe(333);
  });

  it("seattle-weather: the date column is left out as an identifier", () => {
    const d = loadData("seattle-weather", { seed: 2 });
    expect(d.info.classNames).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(d.info.featureNames).toEqual(["precipitation", "temp_max", "temp_min", "wind"]);
    expect(d.info.notes.some((n) => n.includes('left out column "date" (identifier-like'))).toBe(true);
  });

  it("csv:PATH needs a label column and reads any CSV", () => {
    const path = join(tmp, "t.csv");
    writeFileSync(path, "a,b,y\n" + Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? "u" : "v"},${i % 3}`).join("\r\n"));
    expect(() => loadData(`csv:${path}`, { seed: 1 })).toThrow(`${path}: option label must name the label column; the columns are "a", "b", "y"`);
    const d = loadData(`csv:${path}`, { seed: 1, label: "y", devFraction: 0.25, testFraction: 0.25 });
    expect(sizes(d)).toEqual([10, 5, 5]);
    expect(d.info.featureNames).toEqual(["a", "b=u", "b=v"]);
    expect(d.name).toBe(`csv:${path}`);
    expect(() => loadData(`csv:${join(tmp, "none.csv")}`, { seed: 1, label: "y" })).toThrow(/csv file ".*none\.csv" does not exist/);
  });

  it("fashion-mnist:DIR reads gzipped and raw IDX files, carving dev from train", () => {
    const dir = fakeFashion("fm");
    const d = loadData(`fashion-mnist:${dir}`, { seed: 1, devFraction: 0.25 });
    expect(sizes(d)).toEqual([15, 5, 5]);
    expect(d.train.features).toBe(12);
    const test = materialize(d.test, "float64");
    expect(Array.from(test.y.data)).toEqual([0, 1, 2, 3, 4]);
    expect(Math.round(test.x.data[1]! * 255)).toBe(3);
    expect(d.info.classNames?.[9]).toBe("Ankle boot");
  });

  it("reads a file at most to its limit: csv:/dev/zero is refused, not read for gigabytes", () => {
    expect(() => loadData("csv:/dev/zero", { seed: 1, label: "y" })).toThrow(/csv file "\/dev\/zero" is larger than that; the limit is 64 MiB/);
  });

  it("reads a CSV that is not UTF-8 as Latin-1 with a note, keeping every label distinct", () => {
    const path = join(tmp, "latin1.csv");
    const rows = ["x,drink", ...Array.from({ length: 30 }, (_, i) => `${i},${["café", "cafè", "tea"][i % 3]}`)];
    writeFileSync(path, Buffer.from(rows.join("\n") + "\n", "latin1"));
    const d = loadData(`csv:${path}`, { seed: 1, label: "drink" });
    expect(d.info.classNames).toEqual(["cafè", "café", "tea"]);
    expect(d.info.notes[0]).toBe(`${path} is not UTF-8 (line 2 holds byte 0xe9); read as Latin-1 (windows-1252), one character per byte`);
  });

  it("fashion-mnist:FILE says it is a file, not that it does not exist", () => {
    const file = join(tmp, "not-a-dir");
    writeFileSync(file, "x");
    expect(() => loadData(`fashion-mnist:${file}`, { seed: 1 })).toThrow(/fashion-mnist directory ".*not-a-dir" is a file; fashion-mnist:DIR needs the directory holding the four IDX files/);
  });

  it("fashion-mnist errors: missing directory, missing file, label count mismatch", () => {
    expect(() => loadData(`fashion-mnist:${join(tmp, "absent")}`, { seed: 1 })).toThrow(/does not exist; run "apt-get install dataset-fashion-mnist".*or pass fashion-mnist:DIR/);
    const partial = join(tmp, "partial");
    mkdirSync(partial);
    expect(() => loadData(`fashion-mnist:${partial}`, { seed: 1 })).toThrow(/has no train-images-idx3-ubyte\.gz or train-images-idx3-ubyte; run "apt-get install dataset-fashion-mnist"/);
    const dir = fakeFashion("mismatch", { trainLabels: 19 });
    expect(() => loadData(`fashion-mnist:${dir}`, { seed: 1 })).toThrow(/train-labels-idx1-ubyte has 19 labels but .*train-images-idx3-ubyte\.gz has 20 images/);
  });

  it("synthetic sets: seeded, with true weights for linear", () => {
    const a = loadData("linear", { seed: 4, size: 100, noise: 0.2 });
    expect(a.info.trueWeights).toEqual([1, -1, 1, -1]);
    expect(sizes(a)).toEqual([70, 15, 15]);
    const b = loadData("linear", { seed: 4, size: 100, noise: 0.2 });
    expect(toRows(materialize(b.train).x)).toEqual(toRows(materialize(a.train).x));
    const c = loadData("linear", { seed: 5, size: 100, noise: 0.2 });
    expect(toRows(materialize(c.train).x)).not.toEqual(toRows(materialize(a.train).x));
    expect(loadData("spiral", { seed: 1 }).info.classNames).toEqual(["negative", "positive"]);
  });

  it("refuses options that do not apply, naming them", () => {
    expect(() => loadData("mnist", { seed: 1, noise: 0.1 })).toThrow("option noise (0.1) applies only to the synthetic sets (circle, xor, gauss, spiral, four-inputs, linear), not to mnist");
    expect(() => loadData("spiral", { seed: 1, label: "y" })).toThrow(/option label \("y"\) applies only to tables/);
    expect(() => loadData("fashion-mnist", { seed: 1, testFraction: 0.1 })).toThrow(/option testFraction \(0\.1\) applies only to sets without a test file/);
    expect(() => loadData("circle", { seed: -1 })).toThrow(/seed must be a non-negative integer/);
    expect(() => loadData("nope", { seed: 1 })).toThrow(/data "nope" is not known/);
  });

  const fashionInstalled = existsSync(join(DEFAULT_FASHION_DIR, "train-images-idx3-ubyte.gz")) || existsSync(join(DEFAULT_FASHION_DIR, "train-images-idx3-ubyte"));
  it.skipIf(!fashionInstalled)(`fashion-mnist from ${DEFAULT_FASHION_DIR} (from "apt-get install dataset-fashion-mnist"; skipped when absent)`, () => {
    const d = loadData("fashion-mnist", { seed: 1 });
    expect(sizes(d)).toEqual([51000, 9000, 10000]);
    expect(d.train.features).toBe(784);
    expect(d.test.task).toMatchObject({ kind: "classification", classes: 10 });
    const { y } = materialize(d.test);
    const counts = new Array(10).fill(0);
    for (const v of y.data) counts[v]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });
});
