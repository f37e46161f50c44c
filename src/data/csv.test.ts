import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { isMissing, parseNumber, tableFromRecords, whereRow } from "./table.js";

describe("parseCsv", () => {
  it("reads quotes with escapes, commas and newlines inside, CRLF, and trims spaces", () => {
    const text = '\ufeffname , note,value\r\n"Smith, J." , "said ""hi""\r\nthen left",  1.5 \r\n\r\n plain ,"",2\r\n';
    const t = parseCsv(text, "t.csv");
    expect(t.columns).toEqual(["name", "note", "value"]);
    expect(t.rows).toEqual([
      ["Smith, J.", 'said "hi"\r\nthen left', "1.5"],
      ["plain", "", "2"],
    ]);
    expect(t.origin).toEqual([2, 5]);
    expect(whereRow(t, 1)).toBe("t.csv line 5");
  });

  it("accepts LF and lone CR line ends and a missing final newline", () => {
    expect(parseCsv("a,b\n1,2\n3,4", "x").rows).toEqual([["1", "2"], ["3", "4"]]);
    expect(parseCsv("a,b\r1,2\r3,4\r", "x").rows).toEqual([["1", "2"], ["3", "4"]]);
  });

  it("keeps spaces inside quotes", () => {
    expect(parseCsv('a\n"  x  "\n', "x").rows).toEqual([["  x  "]]);
  });

  it("rejects a ragged row, naming the line", () => {
    expect(() => parseCsv("a,b,c\n1,2,3\n4,5\n", "r.csv")).toThrow("r.csv line 3 has 2 fields, but the header (line 1) has 3 columns; every row needs exactly 3");
    expect(() => parseCsv('a,b\n"x\ny",1\n1,2,3\n', "r.csv")).toThrow(/r\.csv line 4 has 3 fields/);
  });

  it("rejects an unclosed quote and text after a closing quote", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', "q.csv")).toThrow('q.csv line 2: a quoted field opens here and is never closed');
    expect(() => parseCsv('a,b\n"x"y,1\n', "q.csv")).toThrow(/q\.csv line 2: unexpected "y" after a closing quote/);
  });

  it("rejects empty files, header-only files and duplicate columns; names empty header cells", () => {
    expect(() => parseCsv("\n\n", "e.csv")).toThrow(/e\.csv is empty/);
    expect(() => parseCsv("a,b\n", "h.csv")).toThrow(/h\.csv has a header but no data rows/);
    expect(() => parseCsv("a,a\n1,2\n", "d.csv")).toThrow(/names column "a" twice/);
    expect(parseCsv(",x\n1,2\n", "p.csv").columns).toEqual(["column 1", "x"]);
  });
});

describe("table cells", () => {
  it("parses plain decimal numbers only", () => {
    expect(["1", "-2.5", ".5", "3.", "1e3", "+4E-2"].map(parseNumber)).toEqual([1, -2.5, 0.5, 3, 1000, 0.04]);
    expect(["", "abc", "0x10", "Infinity", "1,000", "1 2", "NaN"].map(parseNumber)).toEqual(Array(7).fill(undefined));
  });

  it("knows the missing placeholders", () => {
    expect(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "."].every(isMissing)).toBe(true);
    expect(["0", "none", "n"].some(isMissing)).toBe(false);
  });

  it("builds a table from JSON records", () => {
    const t = tableFromRecords([{ a: 1, b: "x " }, { a: null, c: true }], "r.json");
    expect(t.columns).toEqual(["a", "b", "c"]);
    expect(t.rows).toEqual([["1", "x", ""], ["", "", "true"]]);
    expect(whereRow(t, 1)).toBe("r.json record 2");
    expect(() => tableFromRecords({ a: 1 }, "o.json")).toThrow(/o\.json must hold a JSON array/);
    expect(() => tableFromRecords([{ a: [1] }], "n.json")).toThrow(/n\.json record 1, column "a"/);
  });
});
