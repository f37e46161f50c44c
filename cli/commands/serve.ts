// `dropout-lab serve`: serves the built playground (dist/web) on 127.0.0.1 and
// prints its URL; runs until interrupted.

import { Command } from "commander";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/index.js";
import { startServer } from "../../src/node/index.js";
import { numberFlag } from "../parse.js";

/** dist/web, found from this module's place in dist/cli/commands (or cli/commands under tsx). */
function webRoot(): string {
  for (const rel of ["../../web/", "../../dist/web/"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`) && !existsSync(`${dir}main.ts`)) return dir;
  }
  throw new InputError("the playground is not built; run \"npm run build\" first");
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve the playground (dropout you can watch) on 127.0.0.1")
    .option("--port <n>", "TCP port (default 5173; 0 picks a free one)")
    .addHelpText("after", "\nExample:\n  $ dropout-lab serve --port 8080")
    .action(async (flags: { port?: string }) => {
      const port = flags.port === undefined ? 5173 : numberFlag("--port", flags.port, { min: 0, max: 65535, integer: true });
      const root = webRoot();
      const server = await startServer({ root, port });
      process.stdout.write(`playground: ${server.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
