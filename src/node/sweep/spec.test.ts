import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentConfig } from "../../config/experiment.js";
import { parseRedisUrl } from "./redis.js";
import { DEFAULT_MAX_JOB_EPOCHS, MAX_JOB_CHARS, canonicalJson, tuneSweepName, validateJob, type TuneSweep } from "./spec.js";

const CONFIG: ExperimentConfig = { data: "circle", size: 200, hidden: [8], activation: "tanh", optimizer: { kind: "sgd" }, lr: 0.1, batchSize: 16, epochs: 4, l2: 0, seed: 1 };
const SWEEP: TuneSweep = { config: CONFIG, rungs: [2], backend: "js", seeds: [1, 2] };
const QUEUE = tuneSweepName(SWEEP);
const segment = (over: Record<string, unknown> = {}) => ({ kind: "segment", sweep: SWEEP, index: 1, seed: 2, until: 2, ...over });

describe("a sweep job, as untrusted input", () => {
  it("names a sweep by its content, whatever the order of its fields", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe('{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}');
    expect(tuneSweepName({ seeds: [1, 2], backend: "js", rungs: [2], config: CONFIG })).toBe(QUEUE);
    expect(tuneSweepName({ ...SWEEP, seeds: [1, 3] })).not.toBe(QUEUE);
    expect(QUEUE).toMatch(/^dl-tune-[0-9a-f]{16}$/);
  });

  it("accepts its own sweep's segments and refuses anything else, naming the field", () => {
    expect(validateJob(segment(), QUEUE, undefined)).toMatchObject({ kind: "segment", index: 1, seed: 2, until: 2 });
    expect(() => validateJob(segment(), "dl-tune-0000000000000000", undefined)).toThrow(/carries the sweep "dl-tune-[0-9a-f]+"; a queue runs only its own sweep's jobs/);
    expect(() => validateJob(segment({ seed: 3 }), QUEUE, undefined)).toThrow(/seed 3 is not one of its sweep's seeds/);
    expect(() => validateJob(segment({ until: 3 }), QUEUE, undefined)).toThrow(/until 3 is not one of its sweep's rungs \[2,4\]/);
    expect(() => validateJob({ kind: "shell", command: "rm -rf /" }, QUEUE, undefined)).toThrow(/kind must be "segment" or "run", got "shell"/);
    expect(() => validateJob("run", QUEUE, undefined)).toThrow(/a job must be a JSON object/);
    expect(() => validateJob({ kind: "run", config: { ...CONFIG, lr: -1 }, backend: "js" }, QUEUE, undefined)).toThrow(/lr must be/);
    expect(() => validateJob({ kind: "run", config: { ...CONFIG, evil: 1 }, backend: "js" }, QUEUE, undefined)).toThrow(/unknown field "evil"/);
    expect(() => validateJob({ kind: "run", config: CONFIG, backend: "gpu" }, QUEUE, undefined)).toThrow(/backend must be one of auto, js, wasm, native, got "gpu"/);
    expect(() => validateJob({ kind: "run", config: { ...CONFIG, size: 5e6 }, backend: "js" }, QUEUE, undefined)).toThrow(/at most 1000000 synthetic examples/);
    expect(() => validateJob({ kind: "run", config: { ...CONFIG, label: "x".repeat(MAX_JOB_CHARS) }, backend: "js" }, QUEUE, undefined)).toThrow(/characters of JSON; at most/);
    // a job asking for more epochs than the worker takes: refused by default, taken by a worker that allows them
    const long = { kind: "run", config: { ...CONFIG, epochs: DEFAULT_MAX_JOB_EPOCHS + 1 }, backend: "js" };
    expect(() => validateJob(long, QUEUE, undefined)).toThrow(new RegExp(`trains up to ${DEFAULT_MAX_JOB_EPOCHS + 1} epochs; this worker takes at most ${DEFAULT_MAX_JOB_EPOCHS} \\(--max-epochs\\)`));
    expect(validateJob(long, QUEUE, undefined, DEFAULT_MAX_JOB_EPOCHS + 1).kind).toBe("run");
    const longSweep = { ...SWEEP, config: { ...CONFIG, epochs: 50 } };
    expect(() => validateJob({ ...segment(), sweep: longSweep }, tuneSweepName(longSweep), undefined, 49)).toThrow(/trains up to 50 epochs; this worker takes at most 49/);
  });

  it("confines file data to the worker's data root, symbolic links followed", () => {
    const root = mkdtempSync(join(tmpdir(), "dropout-lab-root-"));
    mkdirSync(join(root, "d"));
    writeFileSync(join(root, "d", "t.csv"), "x,y\n1,0\n");
    symlinkSync("/etc/passwd", join(root, "d", "escape.csv"));
    const run = (data: string) => ({ kind: "run", config: { ...CONFIG, size: undefined, data, label: "y" }, backend: "js" });
    expect(validateJob(run(`csv:${join(root, "d", "t.csv")}`), QUEUE, root).kind).toBe("run");
    expect(validateJob(run("csv:d/t.csv"), QUEUE, root).kind).toBe("run");
    expect(() => validateJob(run("csv:/etc/passwd"), QUEUE, root)).toThrow(/outside this worker's --data-root/);
    expect(() => validateJob(run(`csv:${root}/d/../../etc/passwd`), QUEUE, root)).toThrow(/outside this worker's --data-root/);
    expect(() => validateJob(run(`csv:${join(root, "d", "escape.csv")}`), QUEUE, root)).toThrow(/outside this worker's --data-root/);
    expect(() => validateJob(run("fashion-mnist"), QUEUE, root)).toThrow(/outside this worker's --data-root/);
    expect(() => validateJob(run(`csv:${join(root, "d", "t.csv")}`), QUEUE, undefined)).toThrow(/reads files, and this worker has no --data-root/);
  });
});

describe("the queue URL", () => {
  it("takes host, port, database and credentials, and never shows the credentials", () => {
    const t = parseRedisUrl("redis://me:p%40ss@10.0.0.5:6380/3");
    expect(t.options).toMatchObject({ host: "10.0.0.5", port: 6380, db: 3, username: "me", password: "p@ss" });
    expect(t.shown).toBe("redis://10.0.0.5:6380/3");
    expect(parseRedisUrl(undefined, { REDIS_URL: "redis://:pw@h" }).options).toMatchObject({ host: "h", port: 6379, db: 0, password: "pw" });
    expect(() => parseRedisUrl(undefined, {})).toThrow(/--queue needs a URL/);
    expect(() => parseRedisUrl("redis://u:pw@h:1/x")).toThrow(/^--queue "redis:\/\/h:1\/x": the database must be an integer/);
    expect(() => parseRedisUrl("not a url :pw@")).toThrow(/is not a URL/);
    expect(() => parseRedisUrl("redis://h/1?password=x")).toThrow(/no \?query/);
  });
});
