// Architectural rules that a test can hold: the engine compiles without DOM or
// Node globals (so it runs in a browser bundle), and nothing in src/ draws
// randomness outside the seeded streams.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe("boundaries", () => {
  it("the engine type-checks with neither DOM nor Node types (tsconfig.engine.json)", () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.engine.json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("no source file under src/ calls Math.random", () => {
    const offenders = files(join(ROOT, "src"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .filter((f) => /Math\.random\s*\(/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the main entry is the engine: the toolkit, the schema and the report are in dropout-lab/toolkit, thread plumbing in neither", async () => {
    const engine = await import("../src/index.js");
    const toolkit = await import("../src/toolkit.js");
    const source = readFileSync(join(ROOT, "src", "index.ts"), "utf8");
    expect(source.match(/from "\.\/(analysis|config|report|node|web)\//g) ?? []).toEqual([]);
    expect(Object.keys(engine).filter((k) => k in toolkit)).toEqual([]);
    for (const internal of ["runHelper", "setThreadPlatform", "setNativePlatform"]) expect(internal in engine || internal in toolkit).toBe(false);
    for (const name of ["Network", "Dropout", "Trainer", "startRun", "Rng", "selectBackend", "synthetic"]) expect(name in engine).toBe(true);
    for (const name of ["advise", "ADVISOR_CONSTANTS", "tune", "diagnose", "interval", "validateExperiment", "renderReportHtml"]) expect(name in toolkit).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, { import: string }> };
    expect(pkg.exports["."]!.import).toBe("./dist/src/index.js");
    expect(pkg.exports["./toolkit"]!.import).toBe("./dist/src/toolkit.js");
  });
});
