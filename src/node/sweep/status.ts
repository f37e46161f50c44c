// What the store knows about its sweeps, for `dropout-lab sweep status` and
// `sweep export`: per sweep its jobs by state, per worker what it runs and has
// finished, the failures with their reasons, and a tune sweep's best run so
// far; and every finished job's outcome, for export.

import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { InputError, show } from "../../core/errors.js";
import { connect, type RedisTarget } from "./redis.js";
import { listSweeps, type SweepRecord } from "./registry.js";
import type { JobOutcome, SweepJob } from "./spec.js";

/** Jobs read per state for the status (the counts are exact; per-worker tallies cover these). */
const READ_LIMIT = 10_000;

export interface SweepStatus {
  readonly name: string;
  readonly kind: SweepRecord["kind"];
  readonly state: SweepRecord["state"];
  readonly created: string;
  readonly waiting: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  /** Per worker (host:pid): jobs running now and jobs finished; `connected` when it holds a connection to the queue now. */
  readonly workers: readonly { readonly name: string; readonly running: number; readonly done: number; readonly connected: boolean }[];
  readonly failures: readonly { readonly job: string; readonly reason: string }[];
  /** Tune: the finished segment with the highest dev accuracy. */
  readonly best?: { readonly index: number; readonly seed: number; readonly epochs: number; readonly keepProbs: readonly number[]; readonly devAccuracy: number };
}

async function withStore<T>(target: RedisTarget, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connect(target);
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function statusOf(redis: Redis, record: SweepRecord): Promise<SweepStatus> {
  const queue = new Queue(record.name, { connection: redis });
  try {
    const counts = await queue.getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed");
    const [completed, active, failed, connected] = await Promise.all([
      queue.getCompleted(0, READ_LIMIT - 1) as Promise<Job<SweepJob, JobOutcome>[]>,
      queue.getActive(0, READ_LIMIT - 1) as Promise<Job<SweepJob, JobOutcome>[]>,
      queue.getFailed(0, 99) as Promise<Job<SweepJob, JobOutcome>[]>,
      queue.getWorkers(),
    ]);
    const workers = new Map<string, { running: number; done: number; connected: boolean }>();
    const tally = (name: unknown) => {
      const key = typeof name === "string" ? name : "unknown";
      if (!workers.has(key)) workers.set(key, { running: 0, done: 0, connected: false });
      return workers.get(key)!;
    };
    for (const w of connected) if (typeof w.name === "string" && w.name !== "") tally(w.name).connected = true;
    for (const job of completed) tally(job.returnvalue?.worker).done++;
    for (const job of active) tally((job.progress as { worker?: unknown } | undefined)?.worker).running++;
    let best: SweepStatus["best"];
    for (const job of completed) {
      const o = job.returnvalue;
      if (o?.kind !== "segment" || job.data.kind !== "segment") continue;
      if (!best || o.result.devAccuracy > best.devAccuracy) {
        best = { index: job.data.index, seed: job.data.seed, epochs: o.result.epochs, keepProbs: o.keepProbs, devAccuracy: o.result.devAccuracy };
      }
    }
    return {
      name: record.name,
      kind: record.kind,
      state: record.state,
      created: new Date(record.created).toISOString(),
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      running: counts.active ?? 0,
      done: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      workers: [...workers].map(([name, w]) => ({ name, ...w })),
      failures: failed.map((j) => ({ job: String(j.id), reason: j.failedReason })),
      ...(best ? { best } : {}),
    };
  } finally {
    await queue.close();
  }
}

/** The status of every sweep in the store, oldest first. */
export function sweepStatus(target: RedisTarget): Promise<SweepStatus[]> {
  return withStore(target, async (redis) => Promise.all((await listSweeps(redis)).map((r) => statusOf(redis, r))));
}

/** A sweep's content and every finished job (its inputs and outcome), for export as one JSON object. */
export function exportSweep(target: RedisTarget, name: string): Promise<{ sweep: string; kind: string; content: unknown; jobs: { id: string; job: unknown; outcome: JobOutcome }[] }> {
  return withStore(target, async (redis) => {
    const record = (await listSweeps(redis)).find((r) => r.name === name);
    if (!record) throw new InputError(`--sweep ${show(name)} is not in the store at ${target.shown}; \`dropout-lab sweep status\` lists its sweeps`);
    const queue = new Queue(name, { connection: redis });
    try {
      const completed = (await queue.getCompleted(0, -1)) as Job<SweepJob, JobOutcome>[];
      const jobs = completed
        .map((j) => {
          const { sweep: _sweep, ...job } = j.data as SweepJob & { sweep?: unknown };
          return { id: String(j.id), job, outcome: j.returnvalue };
        })
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { sweep: name, kind: record.kind, content: JSON.parse(record.content) as unknown, jobs };
    } finally {
      await queue.close();
    }
  });
}
