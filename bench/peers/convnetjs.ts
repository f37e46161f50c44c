// ConvNetJS (0.3) as a benchmark peer: the classic pure-JavaScript library,
// which trains one example at a time (Trainer.train per example, the update
// after batch_size of them) on Float64Array volumes. Its dropout is not
// inverted (nothing is scaled in training, outputs are scaled at test time)
// and draws from Math.random; speed-wise it does the same work per unit.

import convnetjs from "convnetjs";
import { Rng } from "../../src/index.js";
import { dropoutShare, measure, type Runner, since } from "../harness.js";
import { WORKLOAD_A, WORKLOAD_B, readA, readB, scaledPixels, type Task } from "../workloads.js";

/** Rewrites every fully connected layer's weights: He normal before relu units, Glorot uniform elsewhere (as ours). */
function initLike(net: convnetjs.Net, hiddenInit: "he" | "glorot", rng: Rng): void {
  const fc = net.layers.filter((l) => l.layer_type === "fc");
  fc.forEach((layer, i) => {
    const fanIn = layer.num_inputs, fanOut = layer.out_depth;
    const he = hiddenInit === "he" && i + 1 < fc.length;
    const a = Math.sqrt(6 / (fanIn + fanOut)), sd = Math.sqrt(2 / fanIn);
    for (const filter of layer.filters) {
      for (let j = 0; j < filter.w.length; j++) filter.w[j] = he ? rng.normal() * sd : (2 * rng.uniform() - 1) * a;
    }
    layer.biases.w.fill(0);
  });
}

function runner(net: convnetjs.Net, batch: number, examples: (i: number) => [convnetjs.Vol, number], lr: number, momentum: number): Runner {
  const trainer = new convnetjs.Trainer(net, { method: "sgd", learning_rate: lr, momentum, batch_size: batch, l2_decay: 0 });
  let next = 0;
  return {
    run(steps) {
      const start = performance.now();
      for (let s = 0; s < steps * batch; s++) {
        const [x, y] = examples(next++);
        trainer.train(x, y);
      }
      return since(start);
    },
  };
}

function netA(keepProbs: readonly number[], rng: Rng): convnetjs.Net {
  const [, h1, h2, out] = WORKLOAD_A.layers;
  const defs: convnetjs.LayerDef[] = [{ type: "input", out_sx: 1, out_sy: 1, out_depth: 784 }];
  defs.push({ type: "fc", num_neurons: h1, activation: "relu", bias_pref: 0 });
  if (keepProbs[1]! < 1) defs.push({ type: "dropout", drop_prob: 1 - keepProbs[1]! });
  defs.push({ type: "fc", num_neurons: h2, activation: "relu", bias_pref: 0 });
  if (keepProbs[2]! < 1) defs.push({ type: "dropout", drop_prob: 1 - keepProbs[2]! });
  defs.push({ type: "softmax", num_classes: out });
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  initLike(net, "he", rng);
  return net;
}

export async function runConvnetjs(task: Task): Promise<unknown> {
  const rng = Rng.fromSeed(1);
  if (task.workload === "A") {
    const a = readA(task.dataDir);
    const pixels = scaledPixels(a.pixels);
    const vols = new Map<number, convnetjs.Vol>();
    const example = (i: number): [convnetjs.Vol, number] => {
      const k = i % a.count;
      let v = vols.get(k);
      if (!v) {
        v = new convnetjs.Vol(1, 1, 784, 0);
        for (let j = 0; j < 784; j++) v.w[j] = pixels[k * 784 + j]!;
        vols.set(k, v);
      }
      return [v, a.labels[k]!];
    };
    const { lr, momentum, batch } = WORKLOAD_A;
    const r = await measure(
      {
        dropout: runner(netA(WORKLOAD_A.keepProbs, rng), batch, example, lr, momentum),
        noDropout: runner(netA([1, 1, 1], rng), batch, example, lr, momentum),
      },
      batch,
      task.timing,
      WORKLOAD_A.poolBatches,
    );
    return {
      ...r,
      dropoutShare: dropoutShare(r.dropout, r.noDropout),
      notes: ["one example at a time in float64 (no batched matrix products); non-inverted dropout from Math.random"],
    };
  }
  if (task.workload === "B") {
    const b = readB(task.dataDir);
    const vols = Array.from({ length: b.count }, (_, i) => {
      const v = new convnetjs.Vol(1, 1, 2, 0);
      v.w[0] = b.x[2 * i]!;
      v.w[1] = b.x[2 * i + 1]!;
      return v;
    });
    const [, h1, h2] = WORKLOAD_B.layers;
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: "input", out_sx: 1, out_sy: 1, out_depth: 2 },
      { type: "fc", num_neurons: h1, activation: "tanh" },
      { type: "fc", num_neurons: h2, activation: "tanh" },
      { type: "softmax", num_classes: 2 },
    ]);
    initLike(net, "glorot", rng);
    const r = await measure(
      { steps: runner(net, b.count, (i) => [vols[i % b.count]!, b.y[i % b.count]!], WORKLOAD_B.lr, WORKLOAD_B.momentum) },
      1,
      task.timing,
      WORKLOAD_B.maxSteps,
    );
    return { steps: r.steps, notes: ["no 1-unit sigmoid cross-entropy output in ConvNetJS: a 2-class softmax (8-2 output layer) stands in"] };
  }
  return { skipped: `workload ${task.workload} is not run for convnetjs` };
}
