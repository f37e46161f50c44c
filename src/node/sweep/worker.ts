// `dropout-lab worker`: takes sweep jobs from a Redis, on any machine that has
// the data. It watches the store's list of sweeps and runs a BullMQ Worker on
// every running sweep's queue; each job is validated (spec.ts: untrusted
// input, refused without retries and with the reason on the failed job), then
// trained on a job thread (job-pool.ts). A tune segment reads the trial's last
// checkpoint from the store and writes one after every epoch, so a job taken
// over from a dead worker (BullMQ's stalled-job check: its lock was not
// renewed for lockDuration) continues from there, bit for bit.

import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { connect, type RedisTarget } from "./redis.js";
import { listSweeps } from "./registry.js";
import { validateJob, type JobOutcome, type SweepJob } from "./spec.js";
import { JobPool, ThreadError } from "./job-pool.js";
import { checkpointKey, readCheckpoint, writeCheckpoint } from "./checkpoints.js";
import type { SegmentDone } from "./job-thread.js";
import type { ExperimentResult } from "../experiment.js";

export interface SweepWorkerOptions {
  readonly target: RedisTarget;
  /** Jobs trained at once (one thread each). */
  readonly concurrency: number;
  /** The directory file data (csv:PATH, fashion-mnist:DIR) must lie under; without it only bundled and synthetic data run. */
  readonly dataRoot?: string;
  /** A job's lock lasts this long without renewal; a dead worker's job is taken back after about 1 to 2 times this. */
  readonly stallSeconds: number;
  /** Times a job may be taken back from dead workers before it fails. */
  readonly maxStalls?: number;
  /** Jobs that train for more epochs are refused (default DEFAULT_MAX_JOB_EPOCHS). */
  readonly maxEpochs?: number;
  readonly log: (line: string) => void;
}

export interface RunningWorker {
  /** host:pid, as `sweep status` shows it. */
  readonly name: string;
  close(): Promise<void>;
}

/** How often the list of sweeps is read (ms). */
const WATCH_MS = 500;
/** Errors of these kinds are deterministic: a retry would fail the same way. */
const FINAL_ERRORS = new Set(["InputError", "RunError", "DivergenceError"]);

function describe(job: SweepJob): string {
  return job.kind === "segment" ? `trial ${job.index} seed ${job.seed} to epoch ${job.until}` : `run of ${job.config.data} seed ${job.config.seed}`;
}

export async function startSweepWorker(options: SweepWorkerOptions): Promise<RunningWorker> {
  const redis = await connect(options.target);
  const name = `${hostname()}:${process.pid}`;
  const pool = new JobPool(options.concurrency);
  const attached = new Map<string, Worker>();
  const { log } = options;

  const handle = async (queue: string, job: Job): Promise<JobOutcome> => {
    let parsed: SweepJob;
    try {
      parsed = validateJob(job.data, queue, options.dataRoot, options.maxEpochs);
    } catch (e) {
      log(`${name}: refused job ${job.id} of ${queue}: ${(e as Error).message}`);
      throw new UnrecoverableError(`refused: ${(e as Error).message}`);
    }
    log(`${name}: started ${describe(parsed)} (${queue}, job ${job.id}, attempt ${job.attemptsMade + 1})`);
    try {
      if (parsed.kind === "run") {
        const result = (await pool.run({ type: "run", config: parsed.config, backend: parsed.backend })) as ExperimentResult;
        return { kind: "run", result, worker: name };
      }
      const key = checkpointKey(queue, parsed.index, parsed.seed);
      const stored = await readCheckpoint(redis, key);
      let writes = Promise.resolve();
      const onEpoch = (epoch: number, entry: string) => {
        writes = writes.then(async () => {
          await writeCheckpoint(redis, key, epoch, entry);
          await job.updateProgress({ worker: name, epoch });
        });
      };
      const { sweep: _sweep, kind: _kind, ...where } = parsed;
      const done = (await pool.run({ type: "segment", ...where, sweep: parsed.sweep, ...(stored !== undefined ? { stored } : {}) }, onEpoch)) as SegmentDone;
      await writes;
      log(`${name}: finished ${describe(parsed)}${done.resumedFrom > 0 ? ` (resumed from epoch ${done.resumedFrom})` : ""}`);
      return { kind: "segment", ...done, worker: name };
    } catch (e) {
      log(`${name}: ${describe(parsed)} failed: ${(e as Error).message}`);
      if (e instanceof ThreadError && FINAL_ERRORS.has(e.kind)) throw new UnrecoverableError(`${e.kind}: ${e.message}`);
      throw e;
    }
  };

  const attach = (queue: string) => {
    const worker = new Worker(queue, (job) => handle(queue, job), {
      connection: { ...options.target.options, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(100 * times, 1000) },
      concurrency: options.concurrency,
      lockDuration: options.stallSeconds * 1000,
      stalledInterval: options.stallSeconds * 1000,
      maxStalledCount: options.maxStalls ?? 2,
      drainDelay: 1,
      name,
    });
    worker.on("error", (e) => log(`${name}: ${queue}: ${e.message}`));
    attached.set(queue, worker);
    log(`${name}: taking jobs from ${queue}`);
  };

  const watch = async () => {
    const running = new Set((await listSweeps(redis)).filter((s) => s.state === "running").map((s) => s.name));
    for (const queue of running) if (!attached.has(queue)) attach(queue);
    for (const [queue, worker] of attached) {
      if (running.has(queue)) continue;
      attached.delete(queue);
      await worker.close();
    }
  };
  await watch();
  let watching = Promise.resolve();
  const timer = setInterval(() => {
    watching = watching.then(watch).catch((e: unknown) => log(`${name}: reading the list of sweeps: ${(e as Error).message}`));
  }, WATCH_MS);

  return {
    name,
    async close() {
      clearInterval(timer);
      await watching;
      await Promise.all([...attached.values()].map((w) => w.close()));
      await pool.close();
      redis.disconnect();
    },
  };
}
