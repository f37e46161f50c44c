// TensorFlow.js (4.22) as a benchmark peer, on its cpu backend and its wasm
// backend (SIMD; its .wasm files come from node_modules, never the network),
// each written two ways: as a typical user does (tf.layers with
// tf.layers.dropout, model.fit) and as an expert does (hand-written forward
// and backward with tf.matMul, Bernoulli masks from tf.randomUniform,
// everything inside tf.tidy, momentum on tf.Variables). On the wasm backend
// only untransposed products run on XNNPACK (with transposeA or transposeB
// tfjs-wasm takes a plain kernel about 10x slower), so there the expert
// materializes transposes with tf.transpose; on cpu the flags cost nothing.

import { dirname } from "node:path";
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { dropoutShare, measure, type Runner, since } from "../harness.js";
import { WORKLOAD_A, WORKLOAD_B, readA, readB, scaledPixels, type Task } from "../workloads.js";

/** model.fit; hand-written with the fastest products; hand-written with tf.matMul's transpose flags. */
type Style = "fit" | "expert" | "flags";

async function useBackend(name: "cpu" | "wasm"): Promise<string[]> {
  if (name === "wasm") {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialize`);
  await tf.ready();
  if (name === "cpu") return ["plain JavaScript kernels"];
  const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
  const threads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
  return [`${simd ? "SIMD" : "no SIMD"}, ${threads ? "multithreaded" : "single-threaded (no wasm threads in Node)"}`];
}

/** One dense layer's parameters (weights inputs x units, as tfjs lays them out) and momentum velocities. */
interface DenseParams {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  readonly vw: tf.Variable;
  readonly vb: tf.Variable;
}

function denseParams(inputs: number, units: number, init: "he" | "glorot"): DenseParams {
  const w =
    init === "he"
      ? tf.randomNormal([inputs, units], 0, Math.sqrt(2 / inputs), "float32")
      : tf.randomUniform([inputs, units], -Math.sqrt(6 / (inputs + units)), Math.sqrt(6 / (inputs + units)), "float32");
  return { w: tf.variable(w), b: tf.variable(tf.zeros([units])), vw: tf.variable(tf.zeros([inputs, units])), vb: tf.variable(tf.zeros([units])) };
}

/** v ← β·v + g, w ← w − lr·v (the PyTorch convention, the same as tf.train.momentum and ours). */
function momentumStep(p: DenseParams, dw: tf.Tensor, db: tf.Tensor, lr: number, beta: number): void {
  p.vw.assign(tf.add(tf.mul(p.vw, beta), dw));
  p.vb.assign(tf.add(tf.mul(p.vb, beta), db));
  p.w.assign(tf.sub(p.w, tf.mul(p.vw, lr)));
  p.b.assign(tf.sub(p.b, tf.mul(p.vb, lr)));
}

/** Inverted-dropout mask m / keepProb with m ~ Bernoulli(keepProb). */
function scaledMask(shape: [number, number], keepProb: number): tf.Tensor {
  return tf.div(tf.cast(tf.less(tf.randomUniform(shape), keepProb), "float32"), keepProb);
}

/** a·b with a and/or b transposed: by tf.matMul's flags, or by materializing the transposes (fast on wasm, see the top of this file). */
function matMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean, materialize: boolean): tf.Tensor {
  if (!materialize) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

interface ExpertOptions {
  readonly activation: "relu" | "tanh";
  readonly keepProbs: readonly number[];
  readonly loss: "softmax" | "sigmoid";
  readonly lr: number;
  readonly beta: number;
  /** Transposed products through tf.transpose instead of the flags. */
  readonly materialize: boolean;
}

/** Hand-written training step for a relu/tanh MLP ending in a softmax or a sigmoid cross-entropy. */
function expertStep(layers: DenseParams[], x: tf.Tensor2D, y: tf.Tensor2D, o: ExpertOptions): void {
  tf.tidy(() => {
    const n = x.shape[0];
    const inputs: tf.Tensor[] = [];
    const outputs: tf.Tensor[] = [];
    const masks: (tf.Tensor | undefined)[] = [];
    let h: tf.Tensor = x;
    layers.forEach((p, l) => {
      const keep = o.keepProbs[l] ?? 1;
      const mask = keep < 1 ? scaledMask([n, h.shape[1]!], keep) : undefined;
      if (mask) h = tf.mul(h, mask);
      masks.push(mask);
      inputs.push(h);
      const z = tf.add(tf.matMul(h, p.w), p.b);
      h = l + 1 === layers.length ? z : o.activation === "relu" ? tf.relu(z) : tf.tanh(z);
      outputs.push(h);
    });
    const probs = o.loss === "softmax" ? tf.softmax(h) : tf.sigmoid(h);
    let g: tf.Tensor = tf.div(tf.sub(probs, y), n);
    for (let l = layers.length - 1; l >= 0; l--) {
      const p = layers[l]!, input = inputs[l]!;
      if (l + 1 < layers.length) {
        const out = outputs[l]!;
        const slope = o.activation === "relu" ? tf.step(out) : tf.sub(1, tf.square(out));
        g = tf.mul(g, slope);
      }
      const dw = matMul(input, g, true, false, o.materialize);
      const db = tf.sum(g, 0);
      if (l > 0) {
        g = matMul(g, p.w, false, true, o.materialize);
        const mask = masks[l];
        if (mask) g = tf.mul(g, mask);
      }
      momentumStep(p, dw, db, o.lr, o.beta);
    }
  });
}

function oneHot(labels: Uint8Array, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(labels), "int32"), classes).toFloat() as tf.Tensor2D);
}

function modelA(keepProbs: readonly number[]): tf.Sequential {
  const [, h1, h2, out] = WORKLOAD_A.layers;
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: h1, activation: "relu", kernelInitializer: "heNormal" }));
  if (keepProbs[1]! < 1) model.add(tf.layers.dropout({ rate: 1 - keepProbs[1]! }));
  model.add(tf.layers.dense({ units: h2, activation: "relu", kernelInitializer: "heNormal" }));
  if (keepProbs[2]! < 1) model.add(tf.layers.dropout({ rate: 1 - keepProbs[2]! }));
  model.add(tf.layers.dense({ units: out, activation: "softmax" }));
  model.compile({ optimizer: tf.train.momentum(WORKLOAD_A.lr, WORKLOAD_A.momentum), loss: "categoricalCrossentropy" });
  return model;
}

function runnerA(style: Style, materialize: boolean, keepProbs: readonly number[], x: tf.Tensor2D, y: tf.Tensor2D): Runner {
  const B = WORKLOAD_A.batch;
  if (style === "fit") {
    const model = modelA(keepProbs);
    let pool: { steps: number; x: tf.Tensor2D; y: tf.Tensor2D } | undefined;
    return {
      async run(steps) {
        if (pool?.steps !== steps) {
          pool?.x.dispose();
          pool?.y.dispose();
          pool = { steps, x: x.slice([0, 0], [steps * B, 784]), y: y.slice([0, 0], [steps * B, 10]) };
        }
        const start = performance.now();
        await model.fit(pool.x, pool.y, { batchSize: B, epochs: 1, shuffle: true, verbose: 0 });
        return since(start);
      },
    };
  }
  const [n0, n1, n2, n3] = WORKLOAD_A.layers;
  const layers = [denseParams(n0, n1, "he"), denseParams(n1, n2, "he"), denseParams(n2, n3, "glorot")];
  const batches = Array.from({ length: WORKLOAD_A.poolBatches }, (_, i) => [x.slice([i * B, 0], [B, 784]), y.slice([i * B, 0], [B, 10])] as const);
  const o: ExpertOptions = { activation: "relu", keepProbs, loss: "softmax", lr: WORKLOAD_A.lr, beta: WORKLOAD_A.momentum, materialize };
  return {
    async run(steps) {
      const start = performance.now();
      for (let s = 0; s < steps; s++) {
        const [bx, by] = batches[s % batches.length]!;
        expertStep(layers, bx, by, o);
      }
      await layers[0]!.w.data();
      return since(start);
    },
  };
}

function runnerB(style: Style, materialize: boolean, x: tf.Tensor2D, y: tf.Tensor2D): Runner {
  const [n0, n1, n2, n3] = WORKLOAD_B.layers;
  if (style === "fit") {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [n0], units: n1, activation: "tanh" }));
    model.add(tf.layers.dense({ units: n2, activation: "tanh" }));
    model.add(tf.layers.dense({ units: n3, activation: "sigmoid" }));
    model.compile({ optimizer: tf.train.momentum(WORKLOAD_B.lr, WORKLOAD_B.momentum), loss: "binaryCrossentropy" });
    return {
      async run(steps) {
        const start = performance.now();
        await model.fit(x, y, { batchSize: WORKLOAD_B.points, epochs: steps, shuffle: true, verbose: 0 });
        return since(start);
      },
    };
  }
  const layers = [denseParams(n0, n1, "glorot"), denseParams(n1, n2, "glorot"), denseParams(n2, n3, "glorot")];
  const o: ExpertOptions = { activation: "tanh", keepProbs: [1, 1, 1], loss: "sigmoid", lr: WORKLOAD_B.lr, beta: WORKLOAD_B.momentum, materialize };
  return {
    async run(steps) {
      const start = performance.now();
      for (let s = 0; s < steps; s++) expertStep(layers, x, y, o);
      await layers[0]!.w.data();
      return since(start);
    },
  };
}

/** variant: "<cpu|wasm>-<fit|expert|flags>". */
export async function runTfjs(variant: string, task: Task): Promise<unknown> {
  const [backend, style] = variant.split("-") as ["cpu" | "wasm", Style];
  if ((backend !== "cpu" && backend !== "wasm") || (style !== "fit" && style !== "expert" && style !== "flags")) throw new Error(`unknown tfjs variant ${variant}`);
  // the expert's fastest products: materialized transposes on wasm, the flags on cpu (where they cost nothing)
  const materialize = style === "expert" && backend === "wasm";
  const notes = await useBackend(backend);
  notes.push(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);
  if (style === "fit") notes.push("He init is tfjs's heNormal (truncated normal)");
  if (materialize) notes.push("transposed products as tf.matMul(tf.transpose(a), b): with the transpose flags tfjs-wasm leaves XNNPACK for a kernel about 10x slower (the -flags peer)");
  if (style === "flags") notes.push("transposed products with tf.matMul(a, b, transposeA, transposeB)");
  if (task.workload === "A") {
    const a = readA(task.dataDir);
    const x = tf.tensor2d(scaledPixels(a.pixels), [a.count, 784]);
    const y = oneHot(a.labels, 10);
    const r = await measure({ dropout: runnerA(style, materialize, WORKLOAD_A.keepProbs, x, y), noDropout: runnerA(style, materialize, [1, 1, 1], x, y) }, WORKLOAD_A.batch, task.timing, WORKLOAD_A.poolBatches);
    if (style === "fit") notes.push("model.fit over the repetition's minibatches (shuffle on), softmax output with categoricalCrossentropy");
    notes.push(`${tf.memory().numTensors} tensors alive at the end`);
    return { ...r, dropoutShare: dropoutShare(r.dropout, r.noDropout), notes };
  }
  if (task.workload === "B") {
    const b = readB(task.dataDir);
    const x = tf.tensor2d(b.x, [b.count, 2]);
    const y = tf.tensor2d(Float32Array.from(b.y), [b.count, 1]);
    const r = await measure({ steps: runnerB(style, materialize, x, y) }, 1, task.timing, WORKLOAD_B.maxSteps);
    if (style === "fit") notes.push("one model.fit call with epochs = steps (batch = all 256 points), sigmoid output with binaryCrossentropy");
    return { steps: r.steps, notes };
  }
  return { skipped: `workload ${task.workload} is not run for tfjs` };
}
