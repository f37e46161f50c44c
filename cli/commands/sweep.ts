// `dropout-lab sweep status` and `sweep export`: what a Redis queue's sweeps
// are doing (jobs waiting, running, done and failed, per worker, and a tune
// sweep's best run so far), and a sweep's finished jobs as one JSON object.

import { Command } from "commander";
import { exportSweep, parseRedisUrl, sweepStatus, type SweepStatus } from "../../src/node/index.js";
import { pct, printJson, table } from "../run.js";

function describe(s: SweepStatus): string {
  const head = `${s.name} (${s.kind}, ${s.state}, started ${s.created}): ${s.waiting} waiting, ${s.running} running, ${s.done} done, ${s.failed} failed`;
  const workers =
    s.workers.length === 0
      ? "  no workers yet\n"
      : table(
          ["worker", "running", "done", "connected"],
          s.workers.map((w) => [w.name, String(w.running), String(w.done), w.connected ? "yes" : "no"]),
        ).replace(/^/gm, "  ") + "\n";
  const best = s.best ? `  best so far: trial ${s.best.index} (keepProbs ${s.best.keepProbs.join("/")}) on seed ${s.best.seed}, dev ${pct(s.best.devAccuracy)} at epoch ${s.best.epochs}\n` : "";
  const failures = s.failures.map((f) => `  failed ${f.job}: ${f.reason}\n`).join("");
  return `${head}\n${workers}${best}${failures}`;
}

export function sweepCommand(): Command {
  const cmd = new Command("sweep").description("the sweeps on a Redis queue: status and export");
  cmd
    .command("status")
    .description("jobs waiting, running, done and failed per sweep and per worker, and the best run so far")
    .option("--queue <url>", "the Redis: redis://HOST:PORT[/DB] (default REDIS_URL)")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags: { queue?: string; json?: boolean }) => {
      const target = parseRedisUrl(flags.queue);
      const sweeps = await sweepStatus(target);
      if (flags.json) printJson({ redis: target.shown, sweeps });
      else process.stdout.write(sweeps.length === 0 ? `no sweeps on ${target.shown}\n` : sweeps.map(describe).join("\n"));
    });
  cmd
    .command("export")
    .description("a sweep's content and every finished job's inputs and outcome, as one JSON object on stdout")
    .requiredOption("--sweep <name>", "the sweep, as `sweep status` names it (dl-tune-... or dl-runs-...)")
    .option("--queue <url>", "the Redis: redis://HOST:PORT[/DB] (default REDIS_URL)")
    .action(async (flags: { queue?: string; sweep: string }) => {
      printJson(await exportSweep(parseRedisUrl(flags.queue), flags.sweep));
    });
  return cmd;
}
