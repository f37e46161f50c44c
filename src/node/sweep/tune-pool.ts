// Runs the tuner's trial segments on Node worker threads: the local sweep
// runner's tune (the browser uses tune.ts's in-thread `tune`). Each worker
// loads the data once from its spec and keeps it; the pool hands out segments as workers become
// free and collects them by request, so the schedule (and so the table) is
// exactly the one tune() computes in a single thread, for any worker count.
// Workers start through src/node/worker-start.ts (compiled or from sources).

import type { BackendName } from "../../backend/select.js";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startWorker } from "../worker-start.js";
import { InputError, RunError, checkNumber } from "../../core/errors.js";
import type { LoadOptions } from "../load.js";
import { trialCount, type SegmentRequest, type TrialSegment, type TuneExperiment } from "../../analysis/tune.js";
import { tuneSchedule, type TuneResult } from "../../analysis/tune-schedule.js";

/** A tuning experiment whose data each worker can load again: loadData(data.spec, data.options). */
export interface WorkerTuneExperiment extends TuneExperiment {
  readonly data: { readonly spec: string; readonly options: LoadOptions };
  /** Kernels each worker selects for its trials (default js). */
  readonly backend?: BackendName;
}

export interface WorkerTuneOptions {
  /** Worker threads; default os.availableParallelism(), never more than the runs. */
  readonly workers?: number;
  /** Called as each run (one trial on one seed) ends; pruned runs never end, so `done` may stop short of `total`. */
  readonly onRunDone?: (done: number, total: number, index: number, segment: TrialSegment) => void;
}

/** Messages to a worker. */
export type ToWorker =
  | { readonly type: "init"; readonly experiment: WorkerTuneExperiment; readonly drawSeed: number }
  | { readonly type: "run"; readonly id: number; readonly request: SegmentRequest };

/** Messages from a worker. */
export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "segment"; readonly id: number; readonly segment: TrialSegment }
  | { readonly type: "error"; readonly id: number; readonly error: { readonly name: string; readonly message: string } };

/** An error from a worker, rebuilt with its kind so the CLI maps it to the right exit code. */
function rebuild(error: { name: string; message: string }): Error {
  if (error.name === "InputError") return new InputError(error.message);
  if (error.name === "RunError" || error.name === "DivergenceError") return new RunError(error.message);
  return new Error(`tuning worker failed: ${error.name}: ${error.message}`);
}

class Pool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting = new Map<number, { resolve(s: TrialSegment): void; reject(e: Error): void }>();
  private readonly queue: { id: number; request: SegmentRequest }[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  static async start(size: number, experiment: WorkerTuneExperiment, drawSeed: number): Promise<Pool> {
    const pool = new Pool();
    await Promise.all(
      Array.from({ length: size }, () => {
        const worker = startWorker(import.meta.url, "tune-thread");
        pool.all.push(worker);
        return new Promise<void>((resolve, reject) => {
          const onMessage = (m: FromWorker) => {
            worker.off("error", reject);
            if (m.type === "ready") {
              pool.listen(worker);
              resolve();
            } else reject(m.type === "error" ? rebuild(m.error) : new Error(`tuning worker sent ${m.type} before it was ready`));
          };
          worker.once("message", onMessage);
          worker.once("error", reject);
          worker.postMessage({ type: "init", experiment, drawSeed } satisfies ToWorker);
        });
      }),
    ).catch(async (e: unknown) => {
      await pool.close();
      throw e;
    });
    return pool;
  }

  private listen(worker: Worker): void {
    worker.on("message", (m: FromWorker) => {
      if (m.type === "ready") return;
      const task = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.type === "segment") task?.resolve(m.segment);
      else task?.reject(rebuild(m.error));
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on("error", (e) => this.fail(e));
    worker.on("exit", (code) => {
      if (code !== 0) this.fail(new Error(`a tuning worker exited with code ${code}`));
    });
    this.idle.push(worker);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const task of this.waiting.values()) task.reject(e);
    this.waiting.clear();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { id, request } = this.queue.shift()!;
      const transfer = request.from ? request.from.params.map((p) => p.buffer as ArrayBuffer) : [];
      worker.postMessage({ type: "run", id, request } satisfies ToWorker, transfer);
    }
  }

  run(request: SegmentRequest): Promise<TrialSegment> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const done = new Promise<TrialSegment>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push({ id, request });
    this.dispatch();
    return done;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}

/**
 * The tuner on worker threads: the same result as tune(experiment, data,
 * seeds) with the data loaded by loadData(experiment.data.spec,
 * experiment.data.options), for any number of workers.
 */
export async function tuneInWorkers(experiment: WorkerTuneExperiment, seeds: number | readonly number[], options: WorkerTuneOptions = {}): Promise<TuneResult> {
  const workers = checkNumber("workers", options.workers ?? availableParallelism(), { min: 1, max: 256, integer: true });
  const list = typeof seeds === "number" ? [seeds] : seeds;
  const schedule = tuneSchedule(experiment, list);
  let step = schedule.next();
  if (step.done) return step.value;
  const total = trialCount(experiment) * list.length;
  const pool = await Pool.start(Math.min(workers, total), experiment, list[0]!);
  let finished = 0;
  try {
    while (!step.done) {
      const segments = await Promise.all(
        step.value.map(async (r) => {
          const segment = await pool.run(r);
          if (segment.result.finished) options.onRunDone?.(++finished, total, r.index, segment);
          return segment;
        }),
      );
      step = schedule.next(segments);
    }
    return step.value;
  } finally {
    await pool.close();
  }
}
