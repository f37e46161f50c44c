// The README's Benchmark section is what bench/readme.ts renders from
// bench/results.json, to the byte, and so is bench/README-section.md: a number
// typed into that section by hand, or a results file committed without
// `npm run bench:readme`, fails here. Nothing is timed.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { README_BEGIN, README_END, readmeSection, renderReadmeSection, spliceReadme } from "../bench/readme.js";
import type { Results } from "../bench/report.js";

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), "utf8");

describe("the README's Benchmark section", () => {
  const rendered = renderReadmeSection(JSON.parse(read("bench/results.json")) as Results);

  it("is exactly what bench/readme.ts renders from bench/results.json", () => {
    expect(readmeSection(read("README.md"))).toBe(rendered);
    expect(read("bench/README-section.md")).toBe(rendered);
  });

  it("judges C's target met or not met only beside an interval over seeds", () => {
    const row = rendered.split("\n").find((line) => line.startsWith("| C: "))!;
    const [, measured, , verdict] = row.replace(/^\| | \|$/g, "").split(" | ");
    // bench/results.json from before C ran several seeds has one seed, which decides nothing
    if (!/\[.+\] over \d+ seeds/.test(measured!)) expect(verdict).not.toMatch(/^(met|not met)$/);
  });

  it("replaces only the text between the markers", () => {
    const readme = `# title\n\n${README_BEGIN}\nold text\n\n${README_END}\n\nafter\n`;
    const spliced = spliceReadme(readme, "new text\n");
    expect(spliced).toBe(`# title\n\n${README_BEGIN}\nnew text\n\n${README_END}\n\nafter\n`);
    expect(readmeSection(spliced)).toBe("new text\n");
    expect(() => readmeSection("# no markers\n")).toThrow(/bench:begin/);
  });
});
