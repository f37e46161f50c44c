// Measures the Redis queue against local threads (`npm run bench:sweep`):
// the queue's cost per trial on tiny trials (64 one-epoch trials, one worker
// each way), a 16-trial sweep on 1 and 2 worker processes, and the jobs per
// second one Redis carried. Starts its own redis-server on a free loopback
// port; runs the compiled CLI (npm run build first). Prints one JSON object.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { BIN, ROOT } from "../test/helpers.js";
import { startRedis } from "../test/redis-server.js";

const TINY = ["--data", "circle", "--size", "200", "--layers", "2,4,4,1", "--activation", "tanh", "--epochs", "1", "--trials", "63", "--seeds", "1", "--backend", "js"];
const SIXTEEN = ["--data", "circle", "--size", "2000", "--layers", "2,64,64,1", "--activation", "tanh", "--epochs", "20", "--patience", "100", "--trials", "15", "--seeds", "1", "--backend", "js"];

function seconds(args: readonly string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, "tune", ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tune ${args.join(" ")} failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const store = new Redis({ host: "127.0.0.1", port: redis.port });
  const workers: ChildProcess[] = [];
  const startWorkers = async (n: number) => {
    for (let i = 0; i < n; i++) workers.push(spawn(process.execPath, [BIN, "worker", "--queue", redis.url], { cwd: ROOT, stdio: "ignore" }));
    await new Promise((r) => setTimeout(r, 1500));
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((w) => new Promise((r) => (w.once("exit", r), w.kill("SIGTERM")))));
  };
  const queued = async (args: readonly string[], n: number) => {
    await store.flushdb();
    await startWorkers(n);
    const s = seconds([...args, "--queue", redis.url]);
    await stopWorkers();
    return s;
  };
  try {
    const tinyLocal = seconds([...TINY, "--workers", "1"]);
    const tinyQueue = await queued(TINY, 1);
    const tinyQueue2 = await queued(TINY, 2);
    const local1 = seconds([...SIXTEEN, "--workers", "1"]);
    const one = await queued(SIXTEEN, 1);
    const two = await queued(SIXTEEN, 2);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    process.stdout.write(
      JSON.stringify(
        {
          tiny: { trials: 64, localSeconds: round(tinyLocal), queueSeconds: round(tinyQueue), overheadMsPerTrial: round(((tinyQueue - tinyLocal) / 64) * 1000), queueTwoWorkersSeconds: round(tinyQueue2), jobsPerSecondTwoWorkers: round(64 / tinyQueue2) },
          sixteen: { trials: 16, localOneThreadSeconds: round(local1), oneWorkerSeconds: round(one), twoWorkersSeconds: round(two), ratio: round(two / one) },
        },
        null,
        2,
      ) + "\n",
    );
  } finally {
    await stopWorkers();
    store.disconnect();
    await redis.stop();
  }
}

await main();
