// Worker bootstrap used only from TypeScript sources (vitest, tsx): registers
// tsx's loader in this thread, then imports the real entry (worker-start.ts).
// tsx is a development dependency; compiled builds never load this file.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
