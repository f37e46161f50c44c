// A real Redis for the sweep tests: Debian's redis-server on a free loopback
// port, in its own temporary directory, with the append-only file fsynced on
// every write (so a killed server loses nothing it acknowledged). Without
// redis-server the tests skip with a message, except under CI=true, where
// they fail: CI installs it (.ci/run).

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { tempDir } from "./helpers.js";

export const REDIS_SERVER = "redis-server";

/** True when redis-server runs here; under CI its absence is an error, not a skip. */
export function redisAvailable(): boolean {
  const found = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" }).status === 0;
  if (!found && process.env.CI === "true") throw new Error("redis-server is not installed; CI must install it (apt-get install redis-server, see .ci/run)");
  if (!found) process.stderr.write("sweep tests skipped: redis-server is not installed (apt-get install redis-server)\n");
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: no shutdown save; only the append-only file survives. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir("dropout-lab-redis-");
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child!.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) resolve();
      });
      child!.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  };
  const halt = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill(signal);
    });
  };
  await launch();
  return { url: `redis://127.0.0.1:${port}`, port, kill: () => halt("SIGKILL"), restart: launch, stop: () => halt("SIGTERM") };
}
