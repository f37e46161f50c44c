// The child-process entry of the benchmark: bench/run.ts starts one process per
// peer and workload (a fresh heap and JIT for each, so peers do not share
// garbage or warm-up) and reads the JSON result line this prints.
// Usage: node --import tsx bench/worker.ts '<Task as JSON>'

import { emitResult } from "./harness.js";
import type { Task } from "./workloads.js";

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? "{}") as Task;
  const [family, variant] = task.peer.split(/-(.*)/s) as [string, string | undefined];
  try {
    const ours = family === "ours" ? await import("./peers/ours.js") : undefined;
    const oursVariant = ours?.OURS_VARIANTS.find((v) => v === variant);
    if (ours && oursVariant) {
      await emitResult(await ours.runOurs(oursVariant, task));
    } else if (family === "tfjs") {
      const { runTfjs } = await import("./peers/tfjs.js");
      await emitResult(await runTfjs(variant ?? "", task));
    } else if (family === "convnetjs") {
      const { runConvnetjs } = await import("./peers/convnetjs.js");
      await emitResult(await runConvnetjs(task));
    } else {
      await emitResult({ skipped: `unknown peer ${task.peer}` });
    }
  } catch (e) {
    await emitResult({ skipped: (e as Error).message.split("\n")[0] });
  }
}

await main();
// helper threads (the two-thread wasm backend) and the BLAS's OpenMP threads would keep the process alive
process.exit(0);
