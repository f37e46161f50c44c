import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { loadData, readUciFile } from "../node/load.js";
import { UCI_FORMATS, UCI_NAMES, parseUci } from "./uci.js";

const dir = join(import.meta.dirname, "..", "..", "data", "uci");
const text = (file: string) => (file.endsWith(".gz") ? gunzipSync(readFileSync(join(dir, file))) : readFileSync(join(dir, file))).toString("utf8");

describe("the UCI data sets", () => {
  it("loads each shipped file with the size, features and classes UCI documents", () => {
    const expected = { digits: [1797, 64, 10], "breast-cancer": [569, 30, 2], wine: [178, 13, 3] } as const;
    for (const name of UCI_NAMES) {
      const { data } = readUciFile(name, join(dir, UCI_FORMATS[name].file));
      const [rows, features, classes] = expected[name];
      expect([data.size, data.features]).toEqual([rows, features]);
      expect(data.task).toMatchObject({ kind: "classification", classes });
    }
  });

  it("reads the digits' first row as 64 pixel counts / 16 and its label", () => {
    const { data } = parseUci("digits", text("digits.csv.gz"), "digits");
    const x = zeros(1, 64), y = zeros(1, 1);
    data.gather([0], x, y);
    const first = text("digits.csv.gz").split("\n")[0]!.split(",").map(Number);
    expect(Array.from(x.data)).toEqual(first.slice(0, 64).map((v) => Math.fround(v / 16)));
    expect(y.data[0]).toBe(first[64]);
  });

  it("splits with the seed and standardizes the tables with the training split's statistics", () => {
    const a = loadData("wine", { seed: 3 }), b = loadData("wine", { seed: 3 });
    expect([a.train.size, a.dev.size, a.test.size]).toEqual([124, 27, 27]);
    const rows = (d: typeof a.train) => {
      const x = zeros(d.size, d.features), y = zeros(d.size, 1);
      d.gather(Int32Array.from({ length: d.size }, (_, i) => i), x, y);
      return x;
    };
    expect(Array.from(rows(a.train).data)).toEqual(Array.from(rows(b.train).data));
    const x = rows(a.train);
    for (let j = 0; j < 13; j++) {
      let m = 0;
      for (let i = 0; i < x.rows; i++) m += x.data[i * 13 + j]!;
      expect(Math.abs(m / x.rows)).toBeLessThan(1e-5);
    }
    expect(loadData("wine", { seed: 4 }).train.size).toBe(124);
    expect(loadData("digits", { seed: 1, trainSize: 100 }).train.size).toBe(100);
    expect(() => loadData("digits", { seed: 1, trainSize: 5000 })).toThrow(/train size must be an integer in \[1, 1257\], got 5000/);
  });

  it("refuses a missing file, a wrong header, a short row, a bad number and a bad class, naming the line", () => {
    const tmp = mkdtempSync(join(tmpdir(), "uci-"));
    expect(() => readUciFile("wine", join(tmp, "nope.csv"))).toThrow(InputError);
    const wine = text("wine_data.csv");
    let files = 0;
    const write = (content: string | Buffer) => {
      const path = join(tmp, `w${files++}.csv`);
      writeFileSync(path, content);
      return path;
    };
    expect(() => readUciFile("wine", write(wine.replace(/^178,13/, "178,14")))).toThrow(/line 1 must be "178,13,class_0,class_1,class_2"/);
    const lines = wine.split("\n");
    const row = (i: number, v: string) => write([...lines.slice(0, i), v, ...lines.slice(i + 1)].join("\n"));
    expect(() => readUciFile("wine", row(5, "1,2,3"))).toThrow(/line 6 has 3 values, expected 14/);
    expect(() => readUciFile("wine", row(5, lines[5]!.replace(/^[^,]+/, "abc")))).toThrow(/line 6, column 1: "abc" is not a number/);
    expect(() => readUciFile("wine", row(5, lines[5]!.replace(/,\d+$/, ",7")))).toThrow(/line 6: the class "7" must be an integer in \[0, 2\]/);
    expect(() => readUciFile("wine", write(lines.slice(0, 100).join("\n")))).toThrow(/wine has 178 rows of data, the file has 99/);
    expect(() => readUciFile("digits", write(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x67, 0x61, 0x72, 0x62])))).toThrow(/cannot be decompressed/);
  });
});
