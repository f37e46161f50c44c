// Starts a worker thread from a module beside the caller, both from compiled
// JavaScript (dist/) and from TypeScript sources under vitest or tsx. Node 20
// cannot load a .ts worker by itself, and `execArgv: ["--import", "tsx"]` does
// not reach worker threads there, so from sources the worker first runs
// tsx-bootstrap.mjs, which registers tsx's loader and then imports the entry.

import { Worker } from "node:worker_threads";

/** A Worker running `./<name>.js` (or `.ts` from sources) next to `callerUrl` (pass import.meta.url). */
export function startWorker(callerUrl: string, name: string): Worker {
  if (!callerUrl.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, callerUrl));
  return new Worker(new URL("./tsx-bootstrap.mjs", import.meta.url), { workerData: { entry: new URL(`./${name}.ts`, callerUrl).href } });
}
