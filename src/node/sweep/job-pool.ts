// A queue worker's job slots: one worker thread each (job-thread.ts), so the
// process's event loop stays free for BullMQ's lock renewals while trials
// train. A thread that dies fails its job and is replaced.

import type { Worker } from "node:worker_threads";
import { startWorker } from "../worker-start.js";
import type { ExperimentResult } from "../experiment.js";
import type { FromJobThread, SegmentDone, ToJobThread } from "./job-thread.js";

/** A job for a thread, without the id the pool gives it. */
export type ThreadJob = ToJobThread extends infer M ? (M extends { id: number } ? Omit<M, "id"> : never) : never;

/** Errors from a thread keep their kind's name, so the worker can tell bad input (no retry) from a crash. */
export class ThreadError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

interface Task {
  readonly job: ThreadJob;
  readonly onEpoch: (epoch: number, entry: string) => void;
  resolve(value: SegmentDone | ExperimentResult): void;
  reject(e: Error): void;
}

export class JobPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, { id: number; task: Task }>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, "job-thread");
    worker.on("message", (m: FromJobThread) => {
      const current = this.busy.get(worker);
      if (!current || current.id !== m.id) return;
      switch (m.type) {
        case "epoch":
          current.task.onEpoch(m.epoch, m.entry);
          return;
        case "segment":
          this.finish(worker, () => current.task.resolve(m.done));
          return;
        case "run":
          this.finish(worker, () => current.task.resolve(m.result));
          return;
        case "error":
          this.finish(worker, () => current.task.reject(new ThreadError(m.error.name, m.error.message)));
          return;
        default: {
          const never: never = m;
          throw new Error(`job-pool: unknown message ${String(never)}`);
        }
      }
    });
    const onDeath = (e: Error) => {
      const current = this.busy.get(worker);
      this.busy.delete(worker);
      current?.task.reject(e);
      if (!this.closed) {
        this.idle.push(this.spawn());
        this.dispatch();
      }
    };
    worker.on("error", onDeath);
    worker.on("exit", (code) => {
      if (code !== 0 && this.busy.has(worker)) onDeath(new Error(`a job thread exited with code ${code}`));
    });
    return worker;
  }

  private finish(worker: Worker, settle: () => void): void {
    this.busy.delete(worker);
    this.idle.push(worker);
    settle();
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      const id = this.nextId++;
      this.busy.set(worker, { id, task });
      worker.postMessage({ ...task.job, id } as ToJobThread);
    }
  }

  /** Runs a job on the next free thread; `onEpoch` hears each epoch's checkpoint entry of a tune segment. */
  run(job: ThreadJob, onEpoch: (epoch: number, entry: string) => void = () => {}): Promise<SegmentDone | ExperimentResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, onEpoch, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }
}
