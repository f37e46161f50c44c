// The README's Benchmark section: rendered from a full run's results (every
// number and every word that judges one comes from them), written to
// bench/README-section.md and spliced into README.md between two marker
// comments, so the README never carries benchmark numbers typed by hand.
// test/bench-readme.test.ts checks that README.md holds exactly what this
// renders from bench/results.json.
//
//   npm run bench:readme    # again from bench/results.json (a full `npm run bench` does it itself)

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeFileAtomic } from "../src/node/index.js";
import { pct, ratio, series } from "./format.js";
import { QUIET_LOAD } from "./machine.js";
import { renderMarkdown, type Results } from "./report.js";
import { targetsParagraph } from "./targets.js";
import { SECTIONS, WORKLOAD_C } from "./workloads.js";

export const README_BEGIN = "<!-- bench:begin (generated from bench/results.json by `npm run bench:readme`: edit bench/readme.ts, not this text) -->";
export const README_END = "<!-- bench:end -->";

const INTRO = `\`npm run bench\` trains the same networks the same way (same sizes, initialization family, momentum SGD with the same learning rate, same batch) in dropout-lab (its js backend, its WebAssembly SIMD backend on one thread and, for A, on two, and its native backend: the machine's OpenBLAS through the addon, its BLAS on one thread and, for A and C, on two, under the machine's OPENBLAS_* environment as PyTorch runs) and in its peers, one after another in one invocation, each in its own process: TensorFlow.js 4.22 (cpu and wasm backends, both as \`model.fit\` with \`tf.layers.dropout\` and as a hand-written forward/backward inside \`tf.tidy\`), ConvNetJS, and PyTorch on the CPU (Debian's \`python3-torch\` with OpenBLAS, 1 and 2 threads; skipped with a note when missing). A ratio above 1 means dropout-lab is faster; ratios compare like with like: a one-thread peer against dropout-lab's fastest one-thread backend, PyTorch with 2 threads against dropout-lab's fastest two-thread backend (where one ran). C trains to ${(100 * WORKLOAD_C.targetAccuracy).toFixed(0)}% once per seed (${WORKLOAD_C.seeds.length} seeds) and reports means with 95% intervals over them. Besides the workloads, the engine's own check trains a smaller network on every backend (wasm and native on 1 and 2 threads), the parts of a step time the mask draw, the mask apply and the optimizer's update alone, and the matrix-product ceiling sets the products' GFLOPS beside NumPy's. Numbers from a shared 2-core machine are noisy: compare ratios within one run. A full run measures again, at the end of A and of B, every peer during whose run other processes kept more than ${QUIET_LOAD} cores busy, and keeps the calmer attempt (both are in \`bench/results.json\`).`;

function commands(results: Results): string {
  const full = results.mode === "full" ? `, ${Math.round(results.wallSeconds / 60)} minutes in the run below` : "";
  return [
    "```sh",
    `npm run bench                   # everything${full}; writes bench/results.json and this section`,
    "npm run bench -- --quick        # shorter repetitions, no tfjs-cpu in A, C on one seed capped at one epoch",
    `npm run bench -- --only A,B     # a subset of ${SECTIONS.join(", ")}`,
    "npm run bench -- --peers ours-wasm,torch-1   # a subset of the peers",
    "npm run bench:readme            # this section again from bench/results.json",
    "```",
  ].join("\n");
}

const MATCHING = "Where the peers cannot match exactly: ConvNetJS trains one example at a time in float64, has no one-unit sigmoid output (B uses a two-class softmax) and does not invert its dropout; tfjs's `heNormal` draws from a truncated normal; in A the peers get their images as floats while dropout-lab scales bytes per batch (in C both dropout-lab and PyTorch scale bytes per batch). dropout-lab's times leave out the clean-J pass its Trainer runs after every epoch (B with it is in `bench/results.json`).";

/** "Reading the numbers", with this run's numbers where a sentence rests on one. */
function reading(results: Results): string {
  const a = results.workloads.A;
  const median = (id: string) => series(a?.peers[id] ?? a?.ours[id], "dropout")?.median;
  const transposed = median("tfjs-wasm-expert"), flags = median("tfjs-wasm-flags");
  const flagsCost = transposed !== undefined && flags !== undefined ? ` (on A in this run the hand-written version with the flags is ${ratio(transposed / flags)} slower than the one without)` : "";
  const jsShare = (a?.dropoutShare as Record<string, number> | undefined)?.["ours-js"];
  const js = jsShare === undefined ? "" : jsShare < 0
    ? ` dropout-lab's js backend skips zero entries in its products, so dropout's zeros make it faster (a dropout share of ${pct(jsShare)} on A).`
    : ` dropout-lab's js backend skips zero entries in its products, which offsets part of dropout's cost (a dropout share of ${pct(jsShare)} on A).`;
  return `Reading the numbers: tfjs-wasm sends products with \`transposeA\`/\`transposeB\` to a plain kernel instead of its XNNPACK path${flagsCost}, so its fast hand-written version materializes transposes with \`tf.transpose\` (the flags version is listed too).${js} Two threads on 2 cores (PyTorch's and dropout-lab's) stall whenever another process holds a core (each parallel region waits for the preempted thread): on a busy machine compare the one-thread rows, and look at the others' load column.`;
}

/** bench/README-section.md: the README's Benchmark section, from a full run. */
export function renderReadmeSection(results: Results): string {
  const targets = targetsParagraph(results);
  return ["## Benchmark", "", INTRO, "", commands(results), "", renderMarkdown(results, { notes: false }), "", MATCHING, "", reading(results), ...(targets ? ["", targets] : []), ""].join("\n");
}

/**
 * The section in the README: the text from the line after the begin marker to
 * the blank line before the end marker (the blank line keeps the marker out of
 * the section's last paragraph); throws where the markers are missing.
 */
export function readmeSection(readme: string): string {
  const [from, to] = sectionBounds(readme);
  return readme.slice(from, to);
}

function sectionBounds(readme: string): [number, number] {
  const begin = readme.indexOf(`${README_BEGIN}\n`), end = readme.indexOf(`\n${README_END}`);
  if (begin < 0 || end < begin) throw new Error(`README.md needs the lines ${README_BEGIN} and ${README_END}, in that order`);
  return [begin + README_BEGIN.length + 1, end];
}

/** `readme` with the section between its markers replaced by `section`. */
export function spliceReadme(readme: string, section: string): string {
  const [from, to] = sectionBounds(readme);
  return readme.slice(0, from) + section + readme.slice(to);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Writes bench/README-section.md from `results` and splices it into README.md. */
export function writeReadme(results: Results): void {
  const section = renderReadmeSection(results);
  writeFileAtomic(join(root, "bench", "README-section.md"), section);
  const readmePath = join(root, "README.md");
  writeFileAtomic(readmePath, spliceReadme(readFileSync(readmePath, "utf8"), section));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeReadme(JSON.parse(readFileSync(join(root, "bench", "results.json"), "utf8")) as Results);
  process.stdout.write("wrote bench/README-section.md and the Benchmark section of README.md from bench/results.json\n");
}
