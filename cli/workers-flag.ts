// --workers for commands that run independent trainings: the flag's value
// (checked by parse.ts's workersFlag: at most the cores, since each worker
// holds its own copy of the data), or the number of cores when not given.

import { availableParallelism } from "node:os";
import { workersFlag } from "./parse.js";

export function workerCount(text: string | undefined): number {
  return text === undefined ? availableParallelism() : workersFlag(text, 1);
}
