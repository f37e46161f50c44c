// The browser spawner outside a browser: when a thread count is possible (a
// cross-origin isolated context, with workers and shared memory), how many
// threads the default takes, and that a helper whose Web Worker fails never
// hangs or spoils a product: the calling thread computes every chunk itself,
// bit for bit the one-thread result, and the failure is only a warning.

import { afterEach, describe, expect, it, vi } from "vitest";
import { Rng } from "../core/rng.js";
import { createWasmBackend, threadsSupported } from "../backend/wasm.js";
import { crossOriginIsolatedHere, defaultWebThreads, webHelperSpawner, webThreadsSupported } from "./wasm-threads.js";

/** A stand-in for the browser's Worker whose script fails to load: it reports an error event and never runs. */
class FailingWorker {
  static started: FailingWorker[] = [];
  readonly url: string;
  readonly messages: unknown[] = [];
  terminated = false;
  prevented = 0;
  constructor(url: URL, readonly options: { type: string; name: string }) {
    this.url = url.href;
    FailingWorker.started.push(this);
  }
  postMessage(message: unknown): void {
    this.messages.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (event: { message: string; preventDefault(): void }) => void): void {
    if (type === "error") setTimeout(() => listener({ message: "script failed to load", preventDefault: () => void this.prevented++ }), 0);
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  FailingWorker.started = [];
});

describe("browser helper threads (dropout-lab/web)", () => {
  it("needs cross-origin isolation and Web Workers; defaults to min(cores, 4) threads there", () => {
    expect(crossOriginIsolatedHere()).toBe(false);
    expect(webThreadsSupported()).toBe(false);
    expect(defaultWebThreads()).toBe(1);
    vi.stubGlobal("crossOriginIsolated", true);
    vi.stubGlobal("navigator", { hardwareConcurrency: 16 });
    expect(defaultWebThreads()).toBe(4);
    vi.stubGlobal("navigator", { hardwareConcurrency: 2 });
    expect(defaultWebThreads()).toBe(2);
    expect(webThreadsSupported()).toBe(false);
    vi.stubGlobal("Worker", FailingWorker);
    expect(webThreadsSupported()).toBe(threadsSupported());
  });

  it.runIf(threadsSupported())("a helper that fails leaves its chunks to the calling thread, bit for bit", async () => {
    vi.stubGlobal("Worker", FailingWorker);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const one = createWasmBackend({ relaxed: false });
    const three = createWasmBackend({ threads: 3, spawn: webHelperSpawner, minSplit: 0, relaxed: false });
    expect(FailingWorker.started).toHaveLength(2);
    expect(FailingWorker.started[0]!.url).toMatch(/\/wasm-helper-worker\.js$/);
    expect(FailingWorker.started[0]!.options).toEqual({ type: "module", name: "dropout-lab wasm helper" });
    expect(FailingWorker.started.map((w) => (w.messages[0] as { index: number }).index)).toEqual([0, 1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toContain("wasm helper thread 0 failed: script failed to load");
    expect(FailingWorker.started.every((w) => w.prevented === 1)).toBe(true);

    const rng = Rng.fromSeed(5);
    const fill = (m: { data: Float32Array | Float64Array }) => m.data.forEach((_, i, d) => (d[i] = rng.normal()));
    const a = three.zeros(96, 200, "float32"), b = three.zeros(72, 200, "float32");
    fill(a);
    fill(b);
    const a1 = one.zeros(96, 200, "float32"), b1 = one.zeros(72, 200, "float32");
    a1.data.set(a.data);
    b1.data.set(b.data);
    const out = three.zeros(96, 72, "float32"), expected = one.zeros(96, 72, "float32");
    three.matmulNT(a, b, out);
    one.matmulNT(a1, b1, expected);
    expect(new Uint32Array(Float32Array.from(out.data).buffer)).toEqual(new Uint32Array(Float32Array.from(expected.data).buffer));
    expect(three.stats()).toMatchObject({ threads: 3, helpersStarted: 0, productsSplit: 1, helperChunks: 0 });
    three.close();
    expect(FailingWorker.started.every((w) => w.terminated)).toBe(true);
  });
});
