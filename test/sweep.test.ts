// Sweeps on a real Redis (Debian's redis-server, see redis-server.ts): the
// table of `tune --queue` with `dropout-lab worker` processes is bit for bit
// the local table, through a worker killed mid-trial, a coordinator killed and
// started again, and a Redis killed and restarted from its append-only file; a
// hostile job is refused with its reason while the others finish. Each test
// uses its own Redis database.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { cli, cliAsync, tempDir } from "./helpers.js";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.js";
import { exportSweep, openSweepRunner, parseRedisUrl, type JobOutcome } from "../src/node/index.js";
import type { ExperimentConfig } from "../src/toolkit.js";

const SMALL = ["--data", "circle", "--size", "300", "--layers", "2,16,16,1", "--activation", "tanh", "--backend", "js"];

/** The tune result without its wall-clock seconds. */
function table(stdout: string): string {
  const { seconds: _seconds, ...rest } = JSON.parse(stdout) as { seconds: number };
  return JSON.stringify(rest);
}

function local(args: readonly string[]): string {
  const r = cli(["tune", ...args, "--workers", "1", "--json"]);
  expect(r.stderr).toBe("");
  return table(r.stdout);
}

interface Started {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function start(args: readonly string[]): Started {
  const child = cliAsync(args);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => (child.exitCode === null ? err : `${out}\u0000${err}`), exited };
}

async function until(what: string, check: () => Promise<boolean> | boolean, seconds = 30): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const HAVE_REDIS = redisAvailable();

describe.skipIf(!HAVE_REDIS)("sweeps on a Redis queue", () => {
  let redis: TestRedis;
  const children: ChildProcess[] = [];
  const store = (db: number) => new Redis({ port: redis.port, host: "127.0.0.1", db, maxRetriesPerRequest: null, lazyConnect: false });
  const worker = (db: number, extra: readonly string[] = []) => {
    const w = start(["worker", "--queue", `${redis.url}/${db}`, "--stall-seconds", "1", ...extra]);
    children.push(w.child);
    return w;
  };
  const coordinator = (db: number, args: readonly string[]) => {
    const c = start(["tune", ...args, "--queue", `${redis.url}/${db}`, "--json"]);
    children.push(c.child);
    return c;
  };
  const finished = async (c: Started) => {
    const code = await c.exited;
    const [stdout, stderr] = c.output().split("\u0000");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    return table(stdout!);
  };
  /** The one sweep in database `db` and its completed jobs' ids. */
  const completed = async (db: number) => {
    const r = store(db);
    const [name] = await r.zrange("dropout-lab:sweeps", 0, -1);
    const ids = name ? await r.zrange(`bull:${name}:completed`, 0, -1) : [];
    const finishedOn = await Promise.all(ids.map((id) => r.hget(`bull:${name}:${id}`, "finishedOn")));
    r.disconnect();
    return { name, ids, finishedOn };
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => (c.once("exit", r), c.kill("SIGKILL"))) : null)));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("gives the local table bit for bit with two workers, pruning rungs included", async () => {
    const args = [...SMALL, "--grid", "0.5,0.7,1", "--seeds", "2", "--epochs", "6", "--rungs", "2,4"];
    worker(1);
    worker(1);
    expect(await finished(coordinator(1, args))).toBe(local(args));
    const status = cli(["sweep", "status", "--queue", `${redis.url}/1`, "--json"]);
    const sweeps = JSON.parse(status.stdout).sweeps as { state: string; done: number; failed: number; best: unknown }[];
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]).toMatchObject({ state: "done", failed: 0 });
    expect(sweeps[0]!.done).toBeGreaterThan(8);
    expect(sweeps[0]!.best).toBeDefined();
  });

  it("takes a trial over from a worker killed mid-trial and continues it from its last checkpoint", async () => {
    const args = ["--data", "circle", "--size", "3000", "--layers", "2,128,128,1", "--activation", "tanh", "--backend", "js", "--grid", "1", "--seeds", "1", "--epochs", "8", "--patience", "100", "--batch", "16"];
    const first = worker(2);
    const c = coordinator(2, args);
    const r = store(2);
    let key: string | undefined;
    await until("a checkpoint past epoch 1", async () => {
      key = (await r.keys("dropout-lab:ckpt:*"))[0];
      return key !== undefined && Number(await r.hget(key, "epoch")) >= 2;
    });
    first.child.kill("SIGKILL");
    worker(2);
    const queued = await finished(c);
    const { name } = await completed(2);
    const outcomes = (await exportSweep(parseRedisUrl(`${redis.url}/2`), name!)).jobs.map((j) => j.outcome as Extract<JobOutcome, { kind: "segment" }>);
    expect(outcomes.some((o) => o.resumedFrom >= 2)).toBe(true);
    r.disconnect();
    expect(queued).toBe(local(args));
  });

  it("resumes when the coordinator is killed and started again, reading finished trials back", async () => {
    const args = [...SMALL, "--grid", "0.5,0.6,0.7,0.8,0.9,1", "--seeds", "2", "--epochs", "5", "--batch", "8"];
    worker(3);
    const first = coordinator(3, args);
    await until("three finished jobs", async () => (await completed(3)).ids.length >= 3);
    first.child.kill("SIGKILL");
    const before = await completed(3);
    expect(await finished(coordinator(3, args))).toBe(local(args));
    const after = await completed(3);
    expect(after.ids.length).toBe(14);
    for (const [i, id] of before.ids.entries()) expect(after.finishedOn[after.ids.indexOf(id)]).toBe(before.finishedOn[i]);
  });

  it("loses nothing finished when Redis is killed and restarted from its append-only file", async () => {
    const args = [...SMALL, "--grid", "0.5,0.6,0.7,0.8,0.9,1", "--seeds", "2", "--epochs", "5", "--batch", "8", "--seed", "7"];
    worker(4);
    const c = coordinator(4, args);
    await until("two finished jobs", async () => (await completed(4)).ids.length >= 2);
    const before = await completed(4);
    await redis.kill();
    await redis.restart();
    const after = await completed(4);
    expect(after.ids).toEqual(expect.arrayContaining(before.ids));
    expect(await finished(c)).toBe(local(args));
  });

  it("refuses a hostile job with its reason on the failed job while the others finish", async () => {
    const root = tempDir();
    writeFileSync(join(root, "ok.csv"), "x,y\n" + Array.from({ length: 60 }, (_, i) => `${i / 60},${i % 2}`).join("\n") + "\n");
    worker(5, ["--data-root", root]);
    const base: ExperimentConfig = { data: "xor", size: 100, hidden: [4], activation: "tanh", optimizer: { kind: "sgd" }, lr: 0.1, batchSize: 16, epochs: 2, l2: 0, seed: 1 };
    const { size: _size, ...fileBase } = base;
    const configs: ExperimentConfig[] = [base, { ...fileBase, data: `csv:${join(root, "ok.csv")}`, label: "y" }, { ...fileBase, data: "csv:/etc/passwd", label: "root" }];
    const runner = await openSweepRunner({ queue: `${redis.url}/5`, backend: "js", attempts: 2 });
    try {
      await expect(runner.runs(configs)).rejects.toThrow(/1 of 3 jobs .* failed: the run of csv:\/etc\/passwd seed 1: refused: data "csv:\/etc\/passwd" is outside this worker's --data-root/);
    } finally {
      await runner.close();
    }
    const status = JSON.parse(cli(["sweep", "status", "--queue", `${redis.url}/5`, "--json"]).stdout).sweeps[0];
    expect(status).toMatchObject({ done: 2, failed: 1 });
    expect(status.failures[0].reason).toMatch(/outside this worker's --data-root/);
  });

  it("refuses a queue holding another sweep's jobs: one line, exit 2", async () => {
    const args = [...SMALL, "--grid", "1", "--seeds", "1", "--epochs", "2"];
    worker(6);
    await finished(coordinator(6, args));
    const r = store(6);
    const [name] = await r.zrange("dropout-lab:sweeps", 0, -1);
    await r.hset(`dropout-lab:sweep:${name}`, "content", "{}");
    r.disconnect();
    const again = cli(["tune", ...args, "--queue", `${redis.url}/6`]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^dropout-lab: error: queue "dl-tune-[0-9a-f]{16}" on redis:\/\/127\.0\.0\.1:\d+\/6 holds another sweep's jobs; .*\n$/);
  });
});

describe("sweep commands given bad input", () => {
  it("answer one line and exit 2, quickly, for a malformed or unreachable Redis or --concurrency 0", () => {
    const cases: [string[], RegExp][] = [
      [["tune", ...SMALL, "--queue", "http://127.0.0.1:6379"], /--queue "http:\/\/127\.0\.0\.1:6379" must start with redis:\/\/ or rediss:\/\//],
      [["tune", ...SMALL, "--queue", "redis://user:s3cret@127.0.0.1:6379/99"], /the database must be an integer in \[0, 15\], got "99"/],
      [["sweep", "status", "--queue", "redis://127.0.0.1:1"], /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/],
      [["worker", "--queue", "redis://127.0.0.1:1", "--concurrency", "0"], /--concurrency must be an integer in \[1, 256\], got 0/],
      [["worker", "--queue", "redis://127.0.0.1:1", "--max-epochs", "0"], /--max-epochs must be an integer in \[1, 1000000\], got 0/],
      [["worker", "--queue", "redis://:s3cret@127.0.0.1:1"], /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, { timeout: 10_000 });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toContain("s3cret");
    }
  });
});
