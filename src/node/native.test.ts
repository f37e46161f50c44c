// The native backend's loading and its fallback: a missing addon or BLAS gives
// a one-line reason, selectBackend then runs wasm ("native" with a one-line
// note, "auto" silently but with the reason in chooseBackend), the CLI prints
// that note and trains anyway; and the addon loads in a worker thread too.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { chooseBackend, selectBackend, setNativePlatform } from "../backend/select.js";
import type { NativeBackend } from "../backend/native.js";
import { blas } from "../backend/native.fixtures.js";
import { BIN, ROOT } from "../../test/helpers.js";
import { blasCandidates, loadNativeBlas, processBlas } from "./native.js";
import { defaultWasmThreads } from "./wasm-threads.js";

const oneLine = (text: string) => expect(text.trim().split("\n")).toHaveLength(1);

describe("native backend: loading", () => {
  it("says in one line that a BLAS path does not exist", () => {
    const reason = loadNativeBlas({ blas: "/nonexistent/libopenblas.so.0" });
    expect(reason).toBeTypeOf("string");
    oneLine(reason as string);
    // with the addon built the BLAS is what fails, else the addon
    expect(reason).toMatch(blas ? /^the BLAS \/nonexistent\/libopenblas\.so\.0 could not be opened: / : /addon/);
  });

  it("says in one line that the addon does not exist", () => {
    expect(loadNativeBlas({ addon: "/nonexistent/dropout_blas.node" })).toBe("its addon /nonexistent/dropout_blas.node does not exist");
  });

  it("says in one line that a file is no addon, or not this one", () => {
    const reason = loadNativeBlas({ addon: join(ROOT, "native", "blas.c") });
    expect(reason).toMatch(/^its addon .*blas\.c failed to load: /);
    oneLine(reason as string);
    const json = join(ROOT, "package.json");
    expect(loadNativeBlas({ addon: json })).toBe(`its addon ${json} is not this version of dropout-lab's (it lacks open, info, sgemm, dgemm, sgd, momentum, adam: npm run build:native)`);
  });

  it.skipIf(blas === undefined)("describes the library it opened: version, kernel, threading, path", () => {
    expect(blas!.description).toMatch(/ from \//);
    expect(processBlas()).toBe(processBlas());
  });
});

describe("selectBackend with and without a BLAS", () => {
  afterEach(() => setNativePlatform({ load: processBlas, threads: defaultWasmThreads() }));

  it("falls back to wasm when the BLAS is missing: a note for native, the reason for auto", () => {
    setNativePlatform({ load: () => "the BLAS /nonexistent could not be opened: no such file", threads: 2 });
    const native = chooseBackend("native", { threads: 1 });
    expect(native.backend.name).toBe("wasm");
    expect(native.note).toBe("native backend unavailable: the BLAS /nonexistent could not be opened: no such file; running on wasm");
    const auto = chooseBackend("auto", { threads: 1 });
    expect(auto.backend).toBe(native.backend);
    expect(auto.note).toBeUndefined();
    expect(auto.reason).toMatch(/^wasm: WebAssembly SIMD .* \(native unavailable: the BLAS \/nonexistent could not be opened: no such file\)$/);
    setNativePlatform(undefined);
    expect(chooseBackend("native", { threads: 1 }).note).toMatch(/^native backend unavailable: it needs Node with the dropout-lab\/node entry imported/);
  });

  it.skipIf(blas === undefined)("prefers native for auto where the BLAS loaded, one backend per thread count", () => {
    const auto = chooseBackend("auto");
    expect(auto.backend.name).toBe("native");
    expect(auto.reason).toMatch(/^native: .* \(auto prefers native where a BLAS loaded\)$/);
    expect((auto.backend as NativeBackend).threads).toBe(defaultWasmThreads());
    expect(selectBackend("native")).toBe(auto.backend);
    expect((selectBackend("native", { threads: 1 }) as NativeBackend).threads).toBe(1);
    expect(selectBackend("native", { threads: 1 })).toBe(selectBackend("auto", { threads: 1 }));
    expect(() => selectBackend("native", { threads: 0 })).toThrow(/threads must be an integer from 1 to 64; got 0/);
  });
});

describe("the CLI without a BLAS", () => {
  const train = (env: Record<string, string>) =>
    spawnSync(process.execPath, [BIN, "train", "--backend", "native", "--data", "circle", "--layers", "2,4,1", "--epochs", "1", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ...env },
      timeout: 60_000,
    });

  it("trains on wasm and says why in one line when DROPOUT_LAB_BLAS names a missing library", () => {
    const r = train({ DROPOUT_LAB_BLAS: "/nonexistent/libopenblas.so.0" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).history.epochs.length).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/^note: native backend unavailable: .*; running on wasm\n$/);
  });

  it("trains on wasm and says why in one line when the addon is missing", () => {
    const r = train({ DROPOUT_LAB_NATIVE_ADDON: "/nonexistent/dropout_blas.node" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("note: native backend unavailable: its addon /nonexistent/dropout_blas.node does not exist; running on wasm\n");
  });
});

describe.skipIf(blas === undefined)("the addon in a worker thread", () => {
  it("reopens the process's BLAS by the name it was found under and multiplies there", async () => {
    const path = join(ROOT, "native", "build", "dropout_blas.node");
    const code = `
      const { parentPort } = require("node:worker_threads");
      const addon = require(${JSON.stringify(path)});
      let failed;
      for (const name of ${JSON.stringify(process.env["DROPOUT_LAB_BLAS"] ? [process.env["DROPOUT_LAB_BLAS"]] : blasCandidates())}) if ((failed = addon.open(name)) === undefined) break;
      const c = new Float32Array(1);
      if (failed === undefined) addon.sgemm(0, 1, 1, 2, new Float32Array([1, 2]), new Float32Array([3, 4]), c, 1);
      parentPort.postMessage({ failed, c: c[0] });`;
    const answer = await new Promise((resolve, reject) => {
      const worker = new Worker(code, { eval: true });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(answer).toEqual({ failed: undefined, c: 11 });
  });
});
