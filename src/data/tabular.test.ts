import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { parseCsv } from "./csv.js";
import { MAX_CATEGORIES, tabularData } from "./tabular.js";
import { toRows } from "../core/matrix.js";
import { materialize, type Dataset } from "./dataset.js";

function gatherAll(data: Dataset): { x: number[][]; y: number[][] } {
  const { x, y } = materialize(data, "float64");
  return { x: toRows(x), y: toRows(y) };
}

function columnMean(rows: number[][], j: number): number {
  return rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
}

const colors = ["red", "green", "blue"];

/** 100 rows: an id column, a categorical color, a numeric size, a numeric weight, a 3-class label. */
function sampleCsv(edit?: (row: string[], i: number) => void): string {
  const lines = ["id,color,size,weight,kind"];
  for (let i = 0; i < 100; i++) {
    const row = [`p${String(i).padStart(3, "0")}`, colors[i % 3]!, String(10 + ((i * 7) % 13)), String(((i * 31) % 17) / 4), ["b", "a", "c"][i % 3]!];
    edit?.(row, i);
    lines.push(row.join(","));
  }
  return lines.join("\n");
}

const load = (text: string, opts: Partial<Parameters<typeof tabularData>[1]> = {}) =>
  tabularData(parseCsv(text, "s.csv"), { label: "kind", rng: Rng.fromSeed(3), ...opts });

describe("tabularData", () => {
  it("encodes numeric and categorical columns, drops the identifier column with a note, lists sorted class names", () => {
    const d = load(sampleCsv());
    expect(d.featureNames).toEqual(["color=blue", "color=green", "color=red", "size", "weight"]);
    expect(d.classNames).toEqual(["a", "b", "c"]);
    expect(d.notes.some((n) => /left out column "id" \(identifier-like: 100 distinct values in 100 rows\)/.test(n))).toBe(true);
    expect(d.train.features).toBe(5);
    expect(d.train.size + d.dev.size + d.test.size).toBe(100);
    expect([d.dev.size, d.test.size]).toEqual([15, 15]);
    const { x, y } = gatherAll(d.train);
    // One-hot: exactly one 1 among the three color columns of every row.
    for (const row of x) expect(row.slice(0, 3).sort()).toEqual([0, 0, 1]);
    expect(new Set(y.map((r) => r[0]))).toEqual(new Set([0, 1, 2]));
  });

  it("standardizes with the training split's statistics only", () => {
    const d = load(sampleCsv());
    const train = gatherAll(d.train).x, dev = gatherAll(d.dev).x;
    for (const j of [3, 4]) {
      expect(columnMean(train, j)).toBeCloseTo(0, 6);
      const sd = Math.sqrt(columnMean(train.map((r) => [r[j]! ** 2]), 0));
      expect(sd).toBeCloseTo(1, 5);
      expect(Math.abs(columnMean(dev, j))).toBeGreaterThan(1e-6);
    }
  });

  it("is deterministic per seed and differs across seeds", () => {
    const a = gatherAll(load(sampleCsv()).dev), b = gatherAll(load(sampleCsv()).dev);
    const c = gatherAll(load(sampleCsv(), { rng: Rng.fromSeed(4) }).dev);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("drops and counts rows with missing values", () => {
    const d = load(
      sampleCsv((row, i) => {
        if (i === 5) row[2] = "NA";
        if (i === 6) row[3] = "";
        if (i === 7) row[4] = "null";
        if (i === 8) row[0] = "NaN"; // the identifier column is left out, so this row stays
      }),
    );
    expect(d.droppedRows).toBe(3);
    expect(d.train.size + d.dev.size + d.test.size).toBe(97);
    expect(d.notes).toContain("s.csv: dropped 3 of 100 rows with missing values (size: 1, weight: 1, kind: 1)");
  });

  it("names row, column and value of a non-numeric cell in a numeric column", () => {
    expect(() => load(sampleCsv((row, i) => i === 41 && (row[2] = "twelve")))).toThrow(
      's.csv line 43, column "size": value "twelve" is not a number, but 99 of the column\'s 100 values are, so it is numeric; fix it, mark it missing (empty or NA), or list the column in ignore',
    );
  });

  it("treats a mostly-text column with a few numbers as categorical", () => {
    const d = load(sampleCsv((row, i) => i < 10 && (row[1] = "7")));
    expect(d.featureNames.filter((f) => f.startsWith("color="))).toEqual(["color=7", "color=blue", "color=green", "color=red"]);
  });

  it("lists the columns when the label column is missing", () => {
    expect(() => load(sampleCsv(), { label: "species" })).toThrow('s.csv has no label column "species"; the columns are "id", "color", "size", "weight", "kind"');
    expect(() => load(sampleCsv(), { ignore: ["nope"] })).toThrow(/s\.csv has no ignored column "nope"/);
    expect(() => load(sampleCsv(), { ignore: ["kind"] })).toThrow(/is the label and cannot be ignored/);
  });

  it("leaves out ignored columns with a note", () => {
    const d = load(sampleCsv(), { ignore: ["weight"] });
    expect(d.featureNames).toEqual(["color=blue", "color=green", "color=red", "size"]);
    expect(d.notes).toContain('s.csv: left out column "weight" (listed in ignore)');
  });

  it("one-hot widths follow the training categories; an unseen category encodes as zeros with a note", () => {
    // "purple" appears once: the split decides whether training sees it.
    const text = sampleCsv((row, i) => i === 50 && (row[1] = "purple"));
    const runs = Array.from({ length: 10 }, (_, seed) => load(text, { rng: Rng.fromSeed(seed) }));
    const width = (names: string[]) => names.filter((f) => f.startsWith("color=")).length;
    const seen = runs.find((d) => d.featureNames.includes("color=purple"))!;
    const unseen = runs.find((d) => !d.featureNames.includes("color=purple"))!;
    expect(width(seen.featureNames)).toBe(4);
    expect(seen.train.features).toBe(6);
    expect(width(unseen.featureNames)).toBe(3);
    expect(unseen.notes.some((n) => /column "color": 1 dev\/test rows have categories not seen in training \("purple"\); encoded as all zeros/.test(n))).toBe(true);
    const heldOut = [...gatherAll(unseen.dev).x, ...gatherAll(unseen.test).x];
    expect(heldOut.filter((r) => r.slice(0, 3).every((v) => v === 0)).length).toBe(1);
  });

  it("centres a constant column without dividing by zero and notes it", () => {
    const d = load(sampleCsv((row) => (row[3] = "2.5")));
    expect(d.notes.some((n) => /column "weight" is constant \(2\.5\) in the training split; centred, not scaled/.test(n))).toBe(true);
    const x = gatherAll(d.train).x;
    expect(x.every((r) => r[4] === 0)).toBe(true);
  });

  it("leaves out a column with no values", () => {
    const d = load(sampleCsv((row) => (row[3] = "")));
    expect(d.droppedRows).toBe(0);
    expect(d.notes).toContain('s.csv: left out column "weight" (no values)');
  });

  it("sorts numeric class names by value and supports regression on a numeric label", () => {
    const text = "x,y\n" + Array.from({ length: 30 }, (_, i) => `${i},${[10, 2, 1][i % 3]}`).join("\n");
    const table = parseCsv(text, "n.csv");
    expect(tabularData(table, { label: "y", rng: Rng.fromSeed(1) }).classNames).toEqual(["1", "2", "10"]);
    const r = tabularData(table, { label: "y", task: "regression", rng: Rng.fromSeed(1) });
    expect(r.classNames).toBeUndefined();
    expect(r.train.task).toEqual({ kind: "regression", outputs: 1 });
    expect(new Set(gatherAll(r.train).y.map((v) => v[0]))).toEqual(new Set([1, 2, 10]));
    expect(() => tabularData(parseCsv("x,y\n1,a\n2,b\n", "t.csv"), { label: "y", task: "regression", rng: Rng.fromSeed(1) })).toThrow(
      /t\.csv line 2, label column "y": value "a" is not a number; regression needs a numeric label/,
    );
  });

  it("asks for a task choice when a numeric label has many values, and refuses a single class", () => {
    const many = "x,y\n" + Array.from({ length: 40 }, (_, i) => `${i},${i * 1.5}`).join("\n");
    expect(() => tabularData(parseCsv(many, "m.csv"), { label: "y", rng: Rng.fromSeed(1) })).toThrow(/numeric with 40 distinct values; choose task "regression"/);
    expect(tabularData(parseCsv(many, "m.csv"), { label: "y", task: "classification", rng: Rng.fromSeed(1) }).classNames).toHaveLength(40);
    expect(() => tabularData(parseCsv("x,y\n1,a\n2,a\n", "o.csv"), { label: "y", rng: Rng.fromSeed(1) })).toThrow(/single class "a"/);
  });

  describe("identifier columns, wide categories and long notes", () => {
    /** 400 cars: a name on almost every row (300 distinct), a 3-valued origin, a numeric weight. */
    const cars = () => {
      const lines = ["name,origin,weight,fast"];
      for (let i = 0; i < 400; i++) lines.push(`car ${i % 300},${["usa", "japan", "europe"][i % 3]},${1000 + ((i * 37) % 900)},${i % 2 ? "yes" : "no"}`);
      return lines.join("\n");
    };

    it("leaves out a text column distinct on most rows, with one note; keepIdColumns keeps it", () => {
      const d = tabularData(parseCsv(cars(), "cars.csv"), { label: "fast", rng: Rng.fromSeed(1) });
      expect(d.featureNames).toEqual(["origin=europe", "origin=japan", "origin=usa", "weight"]);
      expect(d.notes).toContain('cars.csv: left out column "name" (identifier-like: 300 distinct values in 400 rows); --keep-id-columns keeps it');
      const kept = tabularData(parseCsv(cars(), "cars.csv"), { label: "fast", rng: Rng.fromSeed(1), keepIdColumns: true });
      expect(kept.featureNames.filter((f) => f.startsWith("name=")).length).toBeGreaterThan(200);
      const unseen = kept.notes.find((n) => n.includes("not seen in training"))!;
      expect(unseen).toMatch(/^cars\.csv: column "name": \d+ dev\/test rows have categories not seen in training \("car \d+", "car \d+", "car \d+", "car \d+", "car \d+" and \d+ more\); encoded as all zeros$/);
    });

    it("caps a column's one-hot width at its most frequent training categories", () => {
      const lines = ["code,x,y"];
      for (let i = 0; i < 1200; i++) lines.push(`c${i < 600 ? i % 10 : i % 400},${i % 7},${i % 2}`);
      const d = tabularData(parseCsv(lines.join("\n"), "wide.csv"), { label: "y", rng: Rng.fromSeed(1) });
      expect(d.featureNames.filter((f) => f.startsWith("code="))).toHaveLength(MAX_CATEGORIES);
      for (let k = 0; k < 10; k++) expect(d.featureNames).toContain(`code=c${k}`); // the most frequent are kept
      const m = d.notes.map((n) => /^wide\.csv: column "code" has (\d+) categories in training; one-hot keeps the 256 most frequent, the other (\d+) encode as all zeros$/.exec(n)).find(Boolean)!;
      expect(Number(m[1]) - Number(m[2])).toBe(256);
      expect(Number(m[1])).toBeGreaterThan(300);
    });

    it("refuses 70,000 columns before any note, and lists many constant columns in one note", () => {
      const header = Array.from({ length: 70001 }, (_, j) => `c${j}`).join(",");
      const row = Array.from({ length: 70001 }, (_, j) => String(j % 2)).join(",");
      expect(() => tabularData(parseCsv(`${header}\n${row}\n${row}\n`, "w.csv"), { label: "c0", rng: Rng.fromSeed(1) })).toThrow(
        /^w\.csv has 70001 columns; at most 65537 \(features and a label\) are allowed$/,
      );
      const cols = Array.from({ length: 40 }, (_, j) => `k${j}`);
      const lines = [["y", "x", ...cols].join(",")];
      for (let i = 0; i < 30; i++) lines.push([i % 2, i, ...cols.map(() => "1")].join(","));
      const d = tabularData(parseCsv(lines.join("\n"), "c.csv"), { label: "y", rng: Rng.fromSeed(1) });
      const constant = d.notes.filter((n) => n.includes("constant"));
      expect(constant).toEqual(['c.csv: 40 columns are constant in the training split ("k0", "k1", "k2", "k3", "k4" and 35 more); centred, not scaled']);
    });
  });
});
