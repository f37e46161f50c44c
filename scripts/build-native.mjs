// Compiles the native backend's addon (native/blas.c) into
// native/build/dropout_blas.node with the system C compiler and Node's own
// headers: nothing is downloaded, nothing links against a BLAS (the addon
// opens one at run time). Run by `prepare` (npm install) and by
// `npm run build:native`. Where there is no compiler or no headers it says so
// in one line and exits 0: everything else then runs on the wasm backend.
//
// Environment: CC (default cc), NODE_API_HEADERS (a directory holding
// node_api.h, else Node's own include/node, /usr/include/node, or the npm
// package node-api-headers where installed).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "native", "blas.c");
const target = join(root, "native", "build", "dropout_blas.node");

/** Directories that may hold node_api.h, in order of preference. */
function headerCandidates() {
  const list = [];
  if (process.env.NODE_API_HEADERS) list.push(process.env.NODE_API_HEADERS);
  list.push(join(dirname(process.execPath), "..", "include", "node"), "/usr/include/node", "/usr/local/include/node");
  try {
    list.push(createRequire(import.meta.url)("node-api-headers").include_dir);
  } catch {
    // the package is optional
  }
  return list;
}

/** Ends the build without failing the install: one line on stderr. */
function skip(reason) {
  process.stderr.write(`native backend: not built (${reason}); the wasm backend runs instead\n`);
  process.exit(0);
}

const headers = headerCandidates().find((dir) => existsSync(join(dir, "node_api.h")));
if (headers === undefined) skip("no Node-API headers found: set NODE_API_HEADERS or install the npm package node-api-headers");
const cc = process.env.CC || "cc";
const probe = spawnSync(cc, ["--version"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) skip(`no C compiler: ${cc} ${probe.error ? `could not start (${probe.error.code})` : `exited with ${probe.status}`}`);

mkdirSync(dirname(target), { recursive: true });
const temporary = `${target}.${process.pid}.tmp`;
// macOS resolves Node-API symbols from the node binary at load time, as Linux does by default.
const platformFlags = process.platform === "darwin" ? ["-undefined", "dynamic_lookup"] : ["-ldl", "-lpthread", "-lm"];
// No fused multiply-add anywhere: the optimizer updates must round as the plain TypeScript rules do.
const args = ["-O3", "-std=c11", "-D_GNU_SOURCE", "-ffp-contract=off", "-fPIC", "-shared", "-Wall", "-Wextra", "-Wno-unknown-pragmas", "-I", headers, source, "-o", temporary];
// With OpenMP (libgomp, the runtime of Debian's libopenblas0-openmp) large updates share the BLAS's threads; without it they run on one.
let build = spawnSync(cc, [...args, "-fopenmp", ...platformFlags], { encoding: "utf8" });
const openmp = build.status === 0;
if (!openmp) build = spawnSync(cc, [...args, ...platformFlags], { encoding: "utf8" });
if (build.status !== 0) {
  rmSync(temporary, { force: true });
  const first = `${build.stderr ?? ""}`.split("\n").find((line) => /error/i.test(line)) ?? `exit code ${build.status}`;
  skip(`${cc} failed: ${first.trim()}`);
}
renameSync(temporary, target);
process.stderr.write(`native backend: built ${target.slice(root.length + 1)}${openmp ? " with OpenMP" : " without OpenMP (optimizer updates on one thread)"}\n`);
