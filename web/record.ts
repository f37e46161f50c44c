// What the page remembers of each run: the frames arrive with only what is
// new (the steps and epochs since the previous frame), so the page appends
// them here and the charts draw from these records.

import type { EpochPoint, RunFrame } from "./protocol.js";

export class RunRecord {
  /** Noisy minibatch cost of step i + 1 at index i. */
  private buffer = new Float32Array(1024);
  private count = 0;
  readonly epochs: EpochPoint[] = [];
  last: RunFrame | undefined;

  get steps(): number {
    return this.count;
  }

  get costs(): Float32Array {
    return this.buffer.subarray(0, this.count);
  }

  add(frame: RunFrame): void {
    if (this.count + frame.costs.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(2 * this.buffer.length, this.count + frame.costs.length));
      grown.set(this.costs);
      this.buffer = grown;
    }
    this.buffer.set(frame.costs, this.count);
    this.count += frame.costs.length;
    this.epochs.push(...frame.epochs);
    this.last = frame;
  }

  /** The latest clean evaluation (epoch 0 before training). */
  get latest(): EpochPoint | undefined {
    return this.epochs[this.epochs.length - 1];
  }
}
