// The page's side of the worker: it sends what a person asked for, tags every
// rebuild with a generation number so replies to an older configuration are
// dropped, and acknowledges each batch of frames once the page has drawn it,
// which paces training to the display.

import type { BackendInfo, CheckReport, DataInfo, FromWorker, RunFrame, ToWorker } from "./protocol.js";
import type { PageState } from "./state.js";

export interface ClientHandlers {
  data(info: DataInfo): void;
  /** Frames to record; `playing` is false once the worker stopped (finished or failed). */
  frames(frames: readonly RunFrame[], playing: boolean): void;
  /** The kernels the worker trains with (sent with every batch of frames). */
  backend(info: BackendInfo): void;
  check(report: CheckReport): void;
  error(message: string): void;
  /** Draw now; called once per animation frame while frames arrive. */
  render(): void;
}

export class WorkerClient {
  private readonly worker: Worker;
  private gen = 0;
  private pendingAck = false;

  constructor(private readonly on: ClientHandlers) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "dropout-lab trainer" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => on.error(`the training worker failed: ${e.message || "it could not start"}`);
  }

  private send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    if (msg.gen !== this.gen) return;
    switch (msg.type) {
      case "data":
        return this.on.data(msg.info);
      case "frames":
        this.on.frames(msg.frames, msg.playing);
        this.on.backend(msg.backend);
        if (!this.pendingAck) {
          this.pendingAck = true;
          requestAnimationFrame(() => {
            this.pendingAck = false;
            this.on.render();
            this.send({ type: "ack" });
          });
        }
        return;
      case "check":
        return this.on.check(msg.report);
      case "error":
        return this.on.error(msg.message);
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Rebuilds data and runs from `state`: the same state always gives the same run. */
  configure(state: PageState): void {
    this.gen++;
    this.send({ type: "configure", gen: this.gen, state });
  }

  play(): void {
    this.send({ type: "play" });
  }

  pause(): void {
    this.send({ type: "pause" });
  }

  step(): void {
    this.send({ type: "step" });
  }

  check(): void {
    this.send({ type: "check" });
  }

  /** Carries the runs on from their weights under `state` (see Run.adjust); replies keep the current generation. */
  continueRun(state: PageState): void {
    this.send({ type: "continue", state });
  }
}
