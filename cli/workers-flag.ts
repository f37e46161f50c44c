// --workers: worker threads for independent runs. More threads than cores
// only oversubscribe them (and each holds its own copy of the data), so the
// count is capped at the number of cores.

import { availableParallelism } from "node:os";
import { numberFlag } from "./parse.js";

/** The worker count: the flag's value in [1, cores], or the number of cores. */
export function workersFlag(text: string | undefined): number {
  const cores = availableParallelism();
  return text === undefined ? cores : numberFlag("--workers", text, { min: 1, max: cores, integer: true });
}
