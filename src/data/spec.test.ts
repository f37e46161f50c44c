import { describe, expect, it } from "vitest";
import { DEFAULT_FASHION_DIR, SYNTHETIC_NAMES, formatDataSpec, parseDataSpec } from "./spec.js";

describe("data specs", () => {
  it("parses every form and formats back to the same text", () => {
    const texts = ["mnist", "fashion-mnist", "fashion-mnist:/data/fm", "penguins", "seattle-weather", "csv:C:\\x\\t.csv", ...SYNTHETIC_NAMES];
    for (const t of texts) expect(formatDataSpec(parseDataSpec(t))).toBe(t);
    expect(parseDataSpec("fashion-mnist")).toEqual({ name: "fashion-mnist", dir: DEFAULT_FASHION_DIR });
    expect(parseDataSpec(" csv:a:b.csv ")).toEqual({ name: "csv", path: "a:b.csv" });
    expect(parseDataSpec("four-inputs")).toEqual({ name: "four-inputs" });
  });

  it("rejects unknown names listing the allowed ones", () => {
    expect(() => parseDataSpec("cifar")).toThrow(
      'data "cifar" is not known; allowed: mnist, fashion-mnist[:DIR], penguins, seattle-weather, digits, breast-cancer, wine, csv:PATH, circle, xor, gauss, spiral, four-inputs, linear',
    );
  });

  it("rejects missing and unexpected arguments", () => {
    expect(() => parseDataSpec("csv")).toThrow(/csv needs a file path/);
    expect(() => parseDataSpec("csv:")).toThrow(/csv needs a file path/);
    expect(() => parseDataSpec("mnist:x")).toThrow(/mnist takes no ":" argument/);
    expect(() => parseDataSpec("fashion-mnist:")).toThrow(/directory after "fashion-mnist:" is empty/);
  });
});
