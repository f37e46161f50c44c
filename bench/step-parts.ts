// The parts of a training step besides the matrix products, timed on their
// own per backend: drawing a dropout mask, applying it, and the momentum
// update of all of workload A's parameters; with A's measured step time from
// the same run, the share of a step each costs. The docs' claims about what
// dropout and the optimizer cost (docs/ARCHITECTURE.md) point here instead of
// carrying numbers of their own.

import { Network, Rng, type Backend, type NetworkSpec } from "../src/index.js";
import { backendThreads } from "./engine.js";
import { labelOf, num, pct, series, table, type PeerResult } from "./format.js";
import { median, secondsPerCall } from "./harness.js";
import type { WorkloadReport } from "./report.js";
import { WORKLOAD_A, type Timing } from "./workloads.js";

/** One hidden layer of A under dropout: a batch of 128 rows of 1024 units. */
const ROWS = WORKLOAD_A.batch, UNITS = WORKLOAD_A.layers[1];
/** Per step of A: one mask drawn per dropped layer, applied forward and backward. */
const DROPPED_LAYERS = WORKLOAD_A.keepProbs.filter((p) => p < 1).length;

export interface StepParts {
  readonly backend: string;
  readonly threads: number;
  /** Median milliseconds per call: one ROWS x UNITS mask drawn (keepProb 0.5), applied once, and one momentum update of every param of A. */
  readonly drawMs: number;
  readonly applyMs: number;
  readonly updateMs: number;
  /** Parameters the update touched (A's weights and biases). */
  readonly parameters: number;
}

const ms = (samples: number[]) => 1000 * median(samples);

export function benchStepParts(backend: Backend, timing: Timing): StepParts {
  const rng = Rng.fromSeed(5);
  const mask = new Uint8Array(ROWS * UNITS);
  const stream = rng.stream("dropout/1");
  const drawMs = ms(secondsPerCall(() => backend.dropoutMask(stream, 0.5, mask), timing));
  const x = backend.zeros(ROWS, UNITS, "float32"), out = backend.zeros(ROWS, UNITS, "float32");
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  const applyMs = ms(secondsPerCall(() => backend.applyMask(x, mask, 2, out), timing));
  const spec: NetworkSpec = { layers: WORKLOAD_A.layers, activation: "relu", keepProbs: WORKLOAD_A.keepProbs, loss: "softmax-cross-entropy" };
  const params = new Network(spec, rng.stream("init"), { backend }).params();
  for (const p of params) for (let i = 0; i < p.grad.data.length; i++) p.grad.data[i] = 0.01 * rng.normal();
  const velocity = params.map((p) => backend.stateVector(p.value.data.length));
  const step = { lr: WORKLOAD_A.lr, beta: WORKLOAD_A.momentum, nesterov: false, wd: 0 };
  const updateMs = ms(secondsPerCall(() => params.forEach((p, i) => backend.momentumStep(p.value, p.grad, velocity[i]!, step)), timing));
  const parameters = params.reduce((s, p) => s + p.value.data.length, 0);
  return { backend: backend.name, threads: backendThreads(backend), drawMs, applyMs, updateMs, parameters };
}

/** Milliseconds of one step of A with dropout on the same peer, from A's examples per second. */
function stepMsOfA(a: WorkloadReport | undefined, id: string): number | undefined {
  const perSecond = series(a?.ours[id], "dropout")?.median;
  return perSecond === undefined ? undefined : (1000 * WORKLOAD_A.batch) / perSecond;
}

/** The section's table: the parts' costs, and with A from the same run their shares of a step. */
export function tableStepParts(parts: Record<string, PeerResult>, a: WorkloadReport | undefined): string {
  const rows = Object.entries(parts).map(([id, r]) => {
    const p = r as PeerResult & Partial<StepParts>;
    if (p.skipped !== undefined || p.drawMs === undefined || p.applyMs === undefined || p.updateMs === undefined) return [labelOf(id, r), `skipped: ${p.skipped ?? "no result"}`, "", "", "", "", ""];
    const step = stepMsOfA(a, id);
    const dropout = DROPPED_LAYERS * (p.drawMs + 2 * p.applyMs);
    const share = (x: number) => (step === undefined ? "–" : pct(x / step));
    return [labelOf(id, r), `${num(p.drawMs * 1000)} µs`, `${num(p.applyMs * 1000)} µs`, `${num(p.updateMs)} ms`, step === undefined ? "–" : `${num(step)} ms`, share(dropout), share(p.updateMs)];
  });
  const head = [
    "backend",
    `draw a ${ROWS}x${UNITS} mask`,
    `apply it (x ⊙ m / keepProb)`,
    `momentum update, A's ${(WORKLOAD_A.layers.slice(1).reduce((s, n, l) => s + n * (WORKLOAD_A.layers[l]! + 1), 0) / 1e6).toFixed(2)}M parameters`,
    "a step of A with dropout",
    `dropout's part (${DROPPED_LAYERS} draws, ${2 * DROPPED_LAYERS} applies) ÷ step`,
    "update ÷ step",
  ];
  return table(head, rows);
}

export const STEP_PARTS_INTRO = `Each part timed alone (median of the repetitions); a step of A drops ${DROPPED_LAYERS} hidden layers of ${UNITS} units, so it draws ${DROPPED_LAYERS} masks and applies them forward and backward; the step time is A's examples/s with dropout for the same backend in this run.`;
