// One training run of the playground, built by the engine's run builder as
// the CLI builds it (src/train/run.ts: weights from stream "init", shuffling
// and masks from stream "train" of the seed), driven an epoch at a time by the engine's
// Trainer. To show single minibatch steps, an epoch run while stepping keeps a
// snapshot per step (weights and the masks that step drew) and the run replays
// them one by one; playing shows each epoch's end with its last step's masks.
// The trained network runs on the backend the page chose; the copy the views
// probe stays on the plain kernels. "Continue from these weights" rebuilds the
// network and trainer with new keepProbs, L2, learning rate, max-norm or
// epochs from the current weights and the trainer's snapshot, so the step
// count, optimizer state, random streams and history carry on.

import {
  Network,
  Rng,
  Trainer,
  evaluate,
  startRun,
  type Backend,
  type Evaluation,
} from "../../src/index.js";
import { trainOptionsOf } from "../../src/toolkit.js";
import type { EpochPoint, RunFrame, SettingChange } from "../protocol.js";
import { networkSpecOf, toConfig, type PageState } from "../state.js";
import type { PageDataSet } from "./data.js";
import { digitPredictions, gridInputs, surface, layerSpreads, type Grid } from "./probe.js";

/** Dense layers with up to this many inputs and units send their weights for the diagram's edges. */
const MAX_DRAWN_WIDTH = 64;
/** Grid cells per side of the decision surface and of the MC-dropout uncertainty map. */
const GRID = 50;
const MC_GRID = 25;

interface StepSnapshot {
  readonly step: number;
  readonly masks: (Uint8Array | null)[];
  readonly weights: Float32Array[];
}

export interface FrameOptions {
  /** Add MC-dropout uncertainty (only the displayed run needs it). */
  readonly mc: boolean;
}

export class Run {
  /** The network and trainer of the current settings (replaced when the run continues with new ones). */
  network: Network;
  trainer: Trainer;
  /** A copy of the network the views evaluate, so they never touch the trained one's buffers or masks. */
  private probe: Network;
  private readonly grids: { readonly surface: Grid; readonly mc: Grid } | undefined;
  private pending: StepSnapshot[] = [];
  private shown: StepSnapshot | undefined;
  private masks: (Uint8Array | null)[];
  private readonly tests: Evaluation[] = [];
  private sentSteps = 0;
  private sentEpochs = 0;
  /** Settings changed mid-run, at the step from which they apply. */
  private readonly changes: SettingChange[] = [];

  constructor(
    readonly label: string,
    public state: PageState,
    private readonly data: PageDataSet,
    private readonly backend: Backend,
  ) {
    const spec = networkSpecOf(state);
    ({ network: this.network, trainer: this.trainer } = startRun(spec, { train: data.train, dev: data.dev }, trainOptionsOf(toConfig(state)), state.seed, { backend }));
    this.probe = new Network(spec, Rng.fromSeed(state.seed).stream("probe"));
    this.masks = this.network.dropout.map(() => null);
    this.tests.push(evaluate(this.network, data.test));
    const extent = data.info.extent;
    this.grids = data.info.features === 2 ? { surface: gridInputs(GRID, extent), mc: gridInputs(MC_GRID, extent) } : undefined;
  }

  get done(): boolean {
    return this.trainer.done && this.pending.length === 0;
  }

  /**
   * Carries on under `state`, which differs from the current settings only in
   * keepProbs, L2, learning rate, max-norm or epochs: the weights, optimizer
   * state, random streams, history and step count are kept. Steps still
   * waiting to be replayed are skipped (the trainer is at the end of their epoch).
   */
  adjust(state: PageState): void {
    const text = describeChange(this.state, state);
    if (!text) return;
    const weights = this.network.params().map((p) => Float32Array.from(p.value.data));
    const snapshot = this.trainer.snapshot();
    const spec = networkSpecOf(state);
    ({ network: this.network, trainer: this.trainer } = startRun(spec, { train: this.data.train, dev: this.data.dev }, trainOptionsOf(toConfig(state)), state.seed, {
      backend: this.backend,
      weights,
      resume: snapshot,
    }));
    this.probe = new Network(spec, Rng.fromSeed(state.seed).stream("probe"));
    this.state = state;
    this.pending = [];
    this.shown = undefined;
    this.changes.push({ step: this.trainer.step, text });
  }

  /** Shows the next minibatch step (training a new epoch when the replay runs out). */
  stepOnce(): void {
    if (this.pending.length === 0) {
      if (this.trainer.done) return;
      this.pending = this.epoch(true);
    }
    this.shown = this.pending.shift();
  }

  /** Trains one epoch (skipping any steps still waiting to be replayed) and shows its end. */
  playEpoch(): void {
    this.pending = [];
    this.shown = undefined;
    if (!this.trainer.done) this.epoch(false);
  }

  private epoch(keep: boolean): StepSnapshot[] {
    const snapshots: StepSnapshot[] = [];
    this.trainer.runEpoch({
      onStep: (p) => {
        this.masks = this.network.dropout.map((d) => {
          const m = d.lastMask();
          return m ? m.data.slice(0, m.cols) : null;
        });
        if (keep) snapshots.push({ step: p.step, masks: this.masks, weights: this.network.params().map((q) => Float32Array.from(q.value.data)) });
      },
      onEpoch: () => this.tests.push(evaluate(this.network, this.data.test)),
    });
    return snapshots;
  }

  /** The network as of the step shown by the last frame, and that step (what "Check J" checks). */
  shownNetwork(): { network: Network; step: number } {
    return { network: this.probe, step: this.shown?.step ?? this.trainer.step };
  }

  /** The frame of the step shown now; records already sent in earlier frames are left out. */
  frame(options: FrameOptions): RunFrame {
    const probeParams = this.probe.params();
    const source = this.shown?.weights ?? this.network.params().map((p) => p.value.data);
    source.forEach((w, i) => probeParams[i]!.value.data.set(w));
    const step = this.shown?.step ?? this.trainer.step;
    const { steps, epochs } = this.trainer.history;
    const costs = Float32Array.from(steps.slice(this.sentSteps, step), (r) => r.cost);
    this.sentSteps = step;
    const points: EpochPoint[] = [];
    while (this.sentEpochs < epochs.length && epochs[this.sentEpochs]!.step <= step) {
      const e = epochs[this.sentEpochs]!, t = this.tests[this.sentEpochs]!;
      points.push({
        epoch: e.epoch,
        step: e.step,
        cleanCost: e.cleanCost,
        ...(e.trainAccuracy === undefined ? {} : { trainAccuracy: e.trainAccuracy }),
        ...(e.devLoss === undefined ? {} : { devLoss: e.devLoss }),
        ...(e.devAccuracy === undefined ? {} : { devAccuracy: e.devAccuracy }),
        testLoss: t.loss,
        ...(t.accuracy === undefined ? {} : { testAccuracy: t.accuracy }),
      });
      this.sentEpochs++;
    }
    const mcRng = options.mc ? Rng.fromSeed(this.state.seed).stream("mc") : undefined;
    const views = this.views(mcRng);
    return {
      label: this.label,
      changes: [...this.changes],
      keepProbs: this.network.spec.keepProbs,
      l2: this.state.l2,
      step,
      epoch: epochs[this.sentEpochs - 1]?.epoch ?? 0,
      done: this.done,
      costs,
      epochs: points,
      masks: this.shown?.masks ?? (step === 0 ? this.masks.map(() => null) : this.masks),
      weights: this.probe.dense.map((d) => (d.inputs <= MAX_DRAWN_WIDTH && d.units <= MAX_DRAWN_WIDTH ? Float32Array.from(d.weight.value.data) : null)),
      spread: layerSpreads(this.probe),
      ...views,
    };
  }

  private views(mcRng: Rng | undefined): Pick<RunFrame, "surface" | "digits"> {
    if (this.grids) return { surface: surface(this.probe, this.grids.surface, mcRng ? { rng: mcRng, grid: this.grids.mc } : undefined) };
    if (this.data.digits) return { digits: digitPredictions(this.probe, this.data.digits, mcRng) };
    return {};
  }
}

/** What changed between two settings of a run, as the page labels it ("keepProbs 1,1,1 → 1,0.5,0.5; L2 λ 0 → 1"); "" when nothing did. */
export function describeChange(a: PageState, b: PageState): string {
  const items: [string, string, string][] = [
    ["keepProbs", a.keepProbs.join(","), b.keepProbs.join(",")],
    ["L2 λ", String(a.l2), String(b.l2)],
    ["learning rate", String(a.lr), String(b.lr)],
    ["max-norm", String(a.maxNorm ?? "off"), String(b.maxNorm ?? "off")],
    ["epochs", String(a.epochs), String(b.epochs)],
  ];
  return items
    .filter(([, x, y]) => x !== y)
    .map(([name, x, y]) => `${name} ${x} → ${y}`)
    .join("; ");
}
