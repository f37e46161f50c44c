// Compiles the package once before the suite, so the CLI tests run the real
// bin (bin/dropout-lab.js -> dist/) against the current sources. Type errors
// are reported by the type check, not here: tsc still emits, and the CLI
// tests then say what is wrong at run time. It also builds the playground
// (dist/web) for the browser tests (where they run: see test/browser.ts) when
// a source is newer than the built page, here and only here, so browser test
// files running side by side never build it at once.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserTests } from "./browser.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Newest modification time of the files under `dir` (node_modules and tests left out). */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.endsWith(".test.ts")) continue;
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** Builds the page unless dist/web is newer than every source it comes from. */
async function buildPage(): Promise<void> {
  const index = join(ROOT, "dist", "web", "index.html");
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(newest(join(ROOT, "web")), newest(join(ROOT, "src")))) return;
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "web", "vite.config.ts"), logLevel: "warn" });
}

export default async function setup(): Promise<void> {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) process.stderr.write(`global setup: tsc -p tsconfig.build.json reported:\n${r.stdout}${r.stderr}\n`);
  if (browserTests) await buildPage();
}
