// Seeded synthetic data sets, small enough to train in a browser tab:
// - circle, xor, gauss, spiral: TensorFlow Playground's 2-D binary sets
//   (src/dataset.ts there), same geometry and noise model, points roughly in
//   [-6, 6]^2, with `noise` the playground's slider value / 100;
// - four-inputs: one strong, clean feature and three weaker, noisier backups
//   of the same latent signal (dropout makes a unit spread its weight over
//   the backups);
// - linear: y = X w_true + noise with features of different variances (the
//   dropout-as-adaptive-L2 demonstration), returning w_true.
// Every draw comes from the Rng passed in, never from a global generator.

import { checkNumber } from "../core/errors.js";
import { zeros } from "../core/matrix.js";
import { assertNever } from "../core/ops.js";
import type { Rng } from "../core/rng.js";
import { tensorDataset, type Dataset } from "./dataset.js";
import type { SyntheticName } from "./spec.js";

export const DEFAULT_SYNTHETIC_SIZE = 500;
export const DEFAULT_NOISE = 0.1;

/** Class 0 and class 1 of the binary sets (the playground's -1 and +1). */
export const BINARY_CLASS_NAMES: readonly string[] = ["negative", "positive"];

/** Standard deviations of the linear set's features and the true weights. */
export const LINEAR_FEATURE_SDS: readonly number[] = [0.5, 1, 2, 4];
export const LINEAR_TRUE_WEIGHTS: readonly number[] = [1, -1, 1, -1];

export interface SyntheticOptions {
  /** Number of examples, an integer >= 2. */
  readonly n: number;
  /** Noise level in [0, 1]; its meaning per set is documented on each generator. */
  readonly noise: number;
  readonly rng: Rng;
}

export interface SyntheticData {
  readonly data: Dataset;
  /** linear only: the weights w_true with y = X w_true + noise (no intercept). */
  readonly trueWeights?: number[];
  readonly notes: string[];
}

type Point = { x: number; y: number; label: 0 | 1 };

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.uniform();
}

/**
 * circle: class 1 inside radius 2.5, class 0 in the ring 3.5..5. The noise
 * shifts each point by uniform(-5, 5) * noise per axis when its label is
 * decided, so near the boundary labels flip, as in the playground.
 */
function circle(n: number, noise: number, rng: Rng): Point[] {
  const radius = 5;
  const points: Point[] = [];
  const gen = (count: number, rMin: number, rMax: number) => {
    for (let i = 0; i < count; i++) {
      const r = uniform(rng, rMin, rMax);
      const angle = uniform(rng, 0, 2 * Math.PI);
      const x = r * Math.sin(angle), y = r * Math.cos(angle);
      const nx = uniform(rng, -radius, radius) * noise, ny = uniform(rng, -radius, radius) * noise;
      points.push({ x, y, label: Math.hypot(x + nx, y + ny) < radius * 0.5 ? 1 : 0 });
    }
  };
  gen(Math.floor(n / 2), 0, radius * 0.5);
  gen(n - Math.floor(n / 2), radius * 0.7, radius);
  return points;
}

/** xor: uniform in [-5, 5]^2 pushed 0.3 away from the axes; class 1 where x * y >= 0 after a uniform(-5, 5) * noise shift. */
function xor(n: number, noise: number, rng: Rng): Point[] {
  const padding = 0.3;
  const points: Point[] = [];
  for (let i = 0; i < n; i++) {
    let x = uniform(rng, -5, 5);
    x += x > 0 ? padding : -padding;
    let y = uniform(rng, -5, 5);
    y += y > 0 ? padding : -padding;
    const nx = uniform(rng, -5, 5) * noise, ny = uniform(rng, -5, 5) * noise;
    points.push({ x, y, label: (x + nx) * (y + ny) >= 0 ? 1 : 0 });
  }
  return points;
}

/** gauss: two isotropic Gaussians at (2, 2) (class 1) and (-2, -2) (class 0), variance 0.5 + 7 * noise (0.5 at noise 0, 4 at 0.5). */
function gauss(n: number, noise: number, rng: Rng): Point[] {
  const sd = Math.sqrt(0.5 + 7 * noise);
  const points: Point[] = [];
  const gen = (count: number, c: number, label: 0 | 1) => {
    for (let i = 0; i < count; i++) points.push({ x: c + sd * rng.normal(), y: c + sd * rng.normal(), label });
  };
  gen(Math.floor(n / 2), 2, 1);
  gen(n - Math.floor(n / 2), -2, 0);
  return points;
}

/** spiral: two interleaved arms, r = 5 i / m, angle 1.75 * 2 pi * i / m (+ pi for class 0), each axis shifted by uniform(-1, 1) * noise. */
function spiral(n: number, noise: number, rng: Rng): Point[] {
  const points: Point[] = [];
  const gen = (count: number, deltaT: number, label: 0 | 1) => {
    for (let i = 0; i < count; i++) {
      const r = (i / count) * 5;
      const t = ((1.75 * i) / count) * 2 * Math.PI + deltaT;
      points.push({ x: r * Math.sin(t) + uniform(rng, -1, 1) * noise, y: r * Math.cos(t) + uniform(rng, -1, 1) * noise, label });
    }
  };
  gen(Math.floor(n / 2), 0, 1);
  gen(n - Math.floor(n / 2), Math.PI, 0);
  return points;
}

function pointsDataset(points: Point[]): Dataset {
  const x = zeros(points.length, 2), y = zeros(points.length, 1);
  points.forEach((p, i) => {
    x.data[2 * i] = p.x;
    x.data[2 * i + 1] = p.y;
    y.data[i] = p.label;
  });
  return tensorDataset(x, y, { kind: "classification", classes: 2, classNames: BINARY_CLASS_NAMES }, ["x1", "x2"]);
}

/** Standard deviation of the noise in four-inputs' labels (see fourInputs). */
export const FOUR_INPUTS_LABEL_NOISE = 0.5;

/**
 * four-inputs: a latent t ~ N(0, 1). Feature "strong" = t + noise * e0;
 * "backup1..3" = t + (0.5 + 3 * noise) * e_k; the class is 1 when
 * t + FOUR_INPUTS_LABEL_NOISE * e_y > 0, all e ~ N(0, 1) independent. Each
 * backup alone is weaker, together they carry much of the signal. The label
 * is a noisy reading of t, as real labels are: if it were exactly t > 0, the
 * strong feature alone would decide every example, the unit would grow
 * confident, and any penalty that scales with its uncertainty (dropout's does)
 * would fade, so nothing could show weights spreading.
 */
function fourInputs(n: number, noise: number, rng: Rng): Dataset {
  const x = zeros(n, 4), y = zeros(n, 1);
  const backupSd = 0.5 + 3 * noise;
  for (let i = 0; i < n; i++) {
    const t = rng.normal();
    x.data[4 * i] = t + noise * rng.normal();
    for (let k = 1; k < 4; k++) x.data[4 * i + k] = t + backupSd * rng.normal();
    y.data[i] = t + FOUR_INPUTS_LABEL_NOISE * rng.normal() > 0 ? 1 : 0;
  }
  return tensorDataset(x, y, { kind: "classification", classes: 2, classNames: BINARY_CLASS_NAMES }, ["strong", "backup1", "backup2", "backup3"]);
}

/**
 * linear: x_j ~ N(0, LINEAR_FEATURE_SDS[j]^2) independently and
 * y = sum_j w_j x_j + e, w = LINEAR_TRUE_WEIGHTS, e ~ N(0, (noise * s)^2)
 * with s = sqrt(sum_j w_j^2 sd_j^2) the signal's standard deviation.
 * Features are deliberately left unstandardized.
 */
function linear(n: number, noise: number, rng: Rng): Dataset {
  const d = LINEAR_FEATURE_SDS.length;
  const x = zeros(n, d), y = zeros(n, 1);
  const signalSd = Math.sqrt(LINEAR_TRUE_WEIGHTS.reduce((s, w, j) => s + (w * LINEAR_FEATURE_SDS[j]!) ** 2, 0));
  for (let i = 0; i < n; i++) {
    let target = 0;
    for (let j = 0; j < d; j++) {
      const v = LINEAR_FEATURE_SDS[j]! * rng.normal();
      x.data[i * d + j] = v;
      target += LINEAR_TRUE_WEIGHTS[j]! * v;
    }
    y.data[i] = target + noise * signalSd * rng.normal();
  }
  const names = LINEAR_FEATURE_SDS.map((_, j) => `x${j + 1}`);
  return tensorDataset(x, y, { kind: "regression", outputs: 1 }, names);
}

/** Generates the synthetic set `name` with n examples; the same rng state gives the same data. */
export function synthetic(name: SyntheticName, options: SyntheticOptions): SyntheticData {
  const n = checkNumber("size", options.n, { min: 2, max: 10_000_000, integer: true });
  const noise = checkNumber("noise", options.noise, { min: 0, max: 1 });
  const rng = options.rng;
  switch (name) {
    case "circle":
      return { data: pointsDataset(circle(n, noise, rng)), notes: [] };
    case "xor":
      return { data: pointsDataset(xor(n, noise, rng)), notes: [] };
    case "gauss":
      return { data: pointsDataset(gauss(n, noise, rng)), notes: [] };
    case "spiral":
      return { data: pointsDataset(spiral(n, noise, rng)), notes: [] };
    case "four-inputs":
      return {
        data: fourInputs(n, noise, rng),
        notes: [`four-inputs: "strong" has noise sd ${noise}, the three backups ${0.5 + 3 * noise}, all around one latent signal`],
      };
    case "linear":
      return {
        data: linear(n, noise, rng),
        trueWeights: [...LINEAR_TRUE_WEIGHTS],
        notes: [`linear: feature standard deviations ${LINEAR_FEATURE_SDS.join(", ")} (left unstandardized), true weights ${LINEAR_TRUE_WEIGHTS.join(", ")}`],
      };
    default:
      return assertNever(name);
  }
}
