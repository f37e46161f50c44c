// Compiles the package once before the suite, so the CLI tests run the real
// bin (bin/dropout-lab.js -> dist/) against the current sources. Type errors
// are reported by the type check, not here: tsc still emits, and the CLI
// tests then say what is wrong at run time.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) process.stderr.write(`global setup: tsc -p tsconfig.build.json reported:\n${r.stdout}${r.stderr}\n`);
}
