// The sweep runner on BullMQ over Redis: the coordinator side. It drives the
// same tuneSchedule as the local runner, but each segment request becomes a
// job with a deterministic id on the queue named by the sweep's content hash,
// and the checkpoint between rungs stays in the store (the schedule gets a
// handle holding only its epoch). Any number of `dropout-lab worker`
// processes train the jobs; the coordinator only adds jobs and reads back
// outcomes, so:
// - killed and started again with the same command, it finds the same queue,
//   re-adding a job is a no-op (BullMQ keeps the first job of an id), and
//   finished jobs are read back rather than redone;
// - a job that failed on an earlier run of the command is retried;
// - a job that fails all its attempts is reported with its reason once the
//   rest of its rung has finished (the table needs every run of a rung).

import { Job, Queue } from "bullmq";
import { InputError, RunError, show } from "../../core/errors.js";
import { trialCount, type CheckpointHandle, type SegmentRequest, type TrialSegment } from "../../analysis/tune.js";
import { tuneSchedule, type TuneResult } from "../../analysis/tune-schedule.js";
import type { ExperimentConfig } from "../../config/experiment.js";
import type { BackendName } from "../../backend/select.js";
import type { LoadedData } from "../load.js";
import type { ExperimentResult } from "../experiment.js";
import { connect, type RedisTarget } from "./redis.js";
import { setSweepState, startSweep } from "./registry.js";
import { canonicalJson, runsSweepName, tuneExperimentOf, tuneSweepName, type JobOutcome, type SweepJob, type TuneSweep } from "./spec.js";
import type { SweepProgress, SweepRunner, TuneOptions } from "./runner.js";

/** How often outcomes are read while jobs are pending (ms). */
const POLL_MS = 100;
/** Default attempts per job before it counts as failed (BullMQ retries errors; stalls are counted by the workers' maxStalledCount). */
export const DEFAULT_ATTEMPTS = 3;

interface PendingJob {
  readonly id: string;
  readonly data: SweepJob;
}

function segmentId(r: SegmentRequest<CheckpointHandle>): string {
  return `t${r.index}-s${r.seed}-e${r.until}`;
}

export interface QueueRunnerOptions {
  readonly target: RedisTarget;
  readonly attempts?: number;
  /** Kernels of experiment runs (tune sweeps carry their own). */
  readonly backend: BackendName;
}

export async function openQueueRunner(options: QueueRunnerOptions): Promise<SweepRunner> {
  const redis = await connect(options.target);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const queues: Queue[] = [];
  const open = (name: string) => {
    const queue = new Queue(name, { connection: redis });
    queue.on("error", () => {});
    queues.push(queue);
    return queue;
  };

  /**
   * Adds the jobs (existing ids are kept, so a rerun finds its finished
   * ones), retries those an earlier run left failed, and waits until every
   * one has finished: outcomes in the order of `jobs`, or a RunError listing
   * the jobs that failed every attempt.
   */
  async function settle(queue: Queue, jobs: readonly PendingJob[], onOutcome: (i: number, o: JobOutcome) => void, onProgress?: (p: SweepProgress) => void): Promise<JobOutcome[]> {
    await queue.addBulk(
      jobs.map((j) => ({ name: j.data.kind, data: j.data, opts: { jobId: j.id, attempts, backoff: { type: "fixed", delay: 200 }, removeOnComplete: false, removeOnFail: false } })),
    );
    const outcomes: (JobOutcome | undefined)[] = new Array(jobs.length);
    const failures: string[] = [];
    const pending = new Set(jobs.map((_, i) => i));
    let first = true;
    let lastProgress = 0;
    while (pending.size > 0) {
      let states: { i: number; state: string; job: Job | undefined }[];
      try {
        states = await Promise.all([...pending].map(async (i) => ({ i, state: await queue.getJobState(jobs[i]!.id), job: await Job.fromId(queue, jobs[i]!.id) })));
      } catch {
        await sleep(5 * POLL_MS); // Redis unreachable for a moment (a restart): the connection reconnects by itself
        continue;
      }
      for (const { i, state, job } of states) {
        const expected = jobs[i]!;
        if (!job) continue;
        if (first && canonicalJson(job.data) !== canonicalJson(expected.data)) {
          throw new InputError(`queue ${show(queue.name)} holds another sweep's job ${show(expected.id)}; remove the queue's keys or use another database`);
        }
        if (state === "completed") {
          const o = job.returnvalue as JobOutcome;
          if (o?.kind !== expected.data.kind) throw new RunError(`job ${expected.id} of ${queue.name} finished with an outcome of kind ${show(o?.kind)}, expected ${expected.data.kind}`);
          outcomes[i] = o;
          pending.delete(i);
          onOutcome(i, o);
        } else if (state === "failed") {
          if (first) {
            await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
            continue;
          }
          failures.push(`${describeJob(expected.data)}: ${job.failedReason}`);
          pending.delete(i);
        }
      }
      first = false;
      if (onProgress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        const active = states.filter((s) => s.state === "active").length;
        const workers = await queue.getWorkersCount().catch(() => 0);
        onProgress({ sweep: queue.name, done: jobs.length - pending.size - failures.length, running: active, failed: failures.length, total: jobs.length, workers });
      }
      if (pending.size > 0) await sleep(POLL_MS);
    }
    if (failures.length > 0) {
      throw new RunError(
        `${failures.length} of ${jobs.length} jobs of sweep ${queue.name} failed: ${failures.slice(0, 3).join("; ")}${failures.length > 3 ? "; ..." : ""}. ` +
          "The finished ones are kept: run the same command again to retry the failed ones",
      );
    }
    return outcomes as JobOutcome[];
  }

  return {
    where: `queue on ${options.target.shown}`,

    async tune(sweep: TuneSweep, data: LoadedData, tuneOptions: TuneOptions = {}): Promise<TuneResult> {
      const name = tuneSweepName(sweep);
      await startSweep(redis, name, "tune", sweep, options.target.shown);
      const queue = open(name);
      const experiment = tuneExperimentOf(sweep, data.train);
      const schedule = tuneSchedule<CheckpointHandle>(experiment, sweep.seeds);
      const total = trialCount(experiment) * sweep.seeds.length;
      let finished = 0;
      let step = schedule.next();
      while (!step.done) {
        const requests = step.value;
        const jobs = requests.map((r) => ({ id: segmentId(r), data: { kind: "segment", sweep, index: r.index, seed: r.seed, until: r.until } as const }));
        const segmentOf = (o: JobOutcome): TrialSegment<CheckpointHandle> => {
          if (o.kind !== "segment") throw new RunError(`a tune job finished with a ${o.kind} outcome`);
          return { keepProbs: o.keepProbs, result: o.result, ...(o.checkpointEpoch !== undefined ? { checkpoint: { epoch: o.checkpointEpoch } } : {}) };
        };
        const outcomes = await settle(
          queue,
          jobs,
          (i, o) => {
            const segment = segmentOf(o);
            if (segment.result.finished) tuneOptions.onRunDone?.(++finished, total, requests[i]!.index, segment);
          },
          tuneOptions.onProgress,
        );
        step = schedule.next(outcomes.map(segmentOf));
      }
      await setSweepState(redis, name, "done");
      return step.value;
    },

    async runs(configs: readonly ExperimentConfig[], onDone?: (result: ExperimentResult) => void): Promise<readonly ExperimentResult[]> {
      if (configs.length === 0) return [];
      const name = runsSweepName(configs, options.backend);
      await startSweep(redis, name, "runs", { configs, backend: options.backend }, options.target.shown);
      const queue = open(name);
      const jobs = configs.map((config, i) => ({ id: `r${i}`, data: { kind: "run", config, backend: options.backend } as const }));
      const outcomes = await settle(queue, jobs, (_i, o) => {
        if (o.kind === "run") onDone?.(o.result);
      });
      await setSweepState(redis, name, "done");
      return outcomes.map((o) => {
        if (o.kind !== "run") throw new RunError(`a run job finished with a ${o.kind} outcome`);
        return o.result;
      });
    },

    async close(): Promise<void> {
      await Promise.all(queues.map((q) => q.close()));
      redis.disconnect();
    },
  };
}

function describeJob(job: SweepJob): string {
  return job.kind === "segment" ? `trial ${job.index} seed ${job.seed} (to epoch ${job.until})` : `the run of ${job.config.data} seed ${job.config.seed}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
