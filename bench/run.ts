// `npm run bench`: the engine's throughput with and without dropout.
// Timing lives here and never in a pass/fail test.

import os from "node:os";
import { benchEngine } from "./engine.js";

const result = benchEngine();
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, Node ${process.version}`);
console.log(`784-256-256-10 relu, batch 128, momentum SGD, backend ${result.backend}`);
console.log(`  keepProbs 1/0.5/0.5: ${fmt(result.examplesPerSecond.dropout)} examples/s`);
console.log(`  no dropout:          ${fmt(result.examplesPerSecond.noDropout)} examples/s`);
console.log(`  dropout's share of the step time: ${(100 * result.dropoutShare).toFixed(1)}% (target: under 15%)`);
