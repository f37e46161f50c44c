// Turns a History into plot rows: the noisy minibatch cost of every step and
// the clean J of every epoch on one epoch axis, and accuracy per epoch.

import type { History } from "../train/history.js";
import type { LinePoint } from "./plots.js";

/** Most points drawn per noisy series; longer runs are sampled at an even stride. */
const MAX_POINTS = 2000;

export function costCurves(history: History, label: string): LinePoint[] {
  const perEpoch = Math.max(1, history.steps.filter((s) => s.epoch === 1).length);
  const stride = Math.max(1, Math.ceil(history.steps.length / MAX_POINTS));
  const noisy = history.steps.filter((_, i) => i % stride === 0).map((s) => ({ x: s.step / perEpoch, y: s.cost, series: `noisy cost${label}` }));
  const clean = history.epochs.map((e) => ({ x: e.epoch, y: e.cleanCost, series: `clean J${label}` }));
  return [...noisy, ...clean];
}

export function accuracyCurves(history: History, label: string): LinePoint[] {
  const out: LinePoint[] = [];
  for (const e of history.epochs) {
    if (e.trainAccuracy !== undefined) out.push({ x: e.epoch, y: e.trainAccuracy, series: `train${label}` });
    if (e.devAccuracy !== undefined) out.push({ x: e.epoch, y: e.devAccuracy, series: `dev${label}` });
  }
  return out;
}
