// `dropout-lab worker`: trains the jobs of every running sweep on a Redis
// (tune trials started with `tune --queue`, experiment runs of the advice
// benchmark), on this machine, until stopped with Ctrl-C or SIGTERM (which
// lets running jobs finish). Any number of workers on any number of machines
// may serve one Redis; a worker that dies mid-trial loses nothing but the
// current epoch (another worker takes the trial over from its last checkpoint).

import { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../src/index.js";
import { DEFAULT_MAX_JOB_EPOCHS, parseRedisUrl, startSweepWorker } from "../../src/node/index.js";
import { numberFlag } from "../parse.js";
import { log } from "../run.js";

interface WorkerFlags {
  queue?: string;
  concurrency?: string;
  dataRoot?: string;
  stallSeconds?: string;
  maxEpochs?: string;
}

export function workerCommand(): Command {
  return new Command("worker")
    .description("train the jobs of the sweeps on a Redis queue (tune --queue), on this machine, until stopped")
    .option("--queue <url>", "the Redis: redis://[USER:PASSWORD@]HOST:PORT[/DB] (default REDIS_URL)")
    .option("--concurrency <n>", "jobs trained at once, one thread each (default 1)")
    .option("--data-root <dir>", "jobs may read data files (csv:PATH, fashion-mnist:DIR) only under this directory; without it, only bundled and synthetic data")
    .option("--max-epochs <n>", `refuse jobs that train for more epochs than this (default ${DEFAULT_MAX_JOB_EPOCHS})`)
    .option("--stall-seconds <s>", "a job whose worker has not renewed its lock for this long is taken over by another worker (default 30)")
    .addHelpText(
      "after",
      `
Example (two terminals; Redis on 127.0.0.1:6379):
  $ dropout-lab worker --queue redis://127.0.0.1:6379 --concurrency 2
  $ dropout-lab tune --data circle --layers 2,16,16,1 --seeds 3 --queue redis://127.0.0.1:6379`,
    )
    .action(async (flags: WorkerFlags) => {
      const target = parseRedisUrl(flags.queue);
      const concurrency = flags.concurrency === undefined ? 1 : numberFlag("--concurrency", flags.concurrency, { min: 1, max: 256, integer: true });
      const stallSeconds = flags.stallSeconds === undefined ? 30 : numberFlag("--stall-seconds", flags.stallSeconds, { min: 1, max: 3600, integer: true });
      const maxEpochs = flags.maxEpochs === undefined ? DEFAULT_MAX_JOB_EPOCHS : numberFlag("--max-epochs", flags.maxEpochs, { min: 1, max: 1e6, integer: true });
      let dataRoot: string | undefined;
      if (flags.dataRoot !== undefined) {
        dataRoot = resolve(flags.dataRoot);
        if (!existsSync(dataRoot) || !statSync(dataRoot).isDirectory()) throw new InputError(`--data-root ${flags.dataRoot} is not a directory`);
      }
      const worker = await startSweepWorker({ target, concurrency, stallSeconds, maxEpochs, ...(dataRoot ? { dataRoot } : {}), log });
      log(`worker ${worker.name}: serving ${target.shown} with ${concurrency} slot${concurrency === 1 ? "" : "s"}${dataRoot ? `, data under ${dataRoot}` : ""}; Ctrl-C stops`);
      await new Promise<void>((done) => {
        const stop = () => {
          log(`worker ${worker.name}: stopping after the running jobs`);
          void worker.close().then(done);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
