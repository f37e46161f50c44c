// `dropout-lab study`: the advice benchmark. Runs (or resumes) the study of
// src/node/study-plan.ts on the worker pool, prints the table and writes
// DIR/index.html and DIR/results.json; finished runs are kept in DIR/runs so
// a killed study continues where it stopped, with the same table.

import { Command } from "commander";
import { join, resolve } from "node:path";
import { checkOutputPaths, openSweepRunner, runStudy, writeFileAtomic } from "../../src/node/index.js";
import { addBackendFlag, backendNameFromFlag } from "../backend-flag.js";
import { printJson, table } from "../run.js";
import { renderStudyReport, studyHeadline } from "../study-report.js";
import { workerCount } from "../workers-flag.js";

interface StudyFlags {
  quick?: boolean;
  out?: string;
  workers?: string;
  backend?: string;
  json?: boolean;
  queue?: string | true;
}

const pts = (x: number | null) => (x === null ? "-" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(2)}`);

export function studyCommand(): Command {
  const cmd = new Command("study").description("the advice benchmark: the advisor's recipe and diagnose against real searches on 9 real data sets, at convergence over seeds");
  addBackendFlag(cmd);
  return cmd
    .option("--quick", "small networks, 2 seeds and short caps on every data set (a few minutes)")
    .option("--out <dir>", "report directory: index.html, results.json and runs/ (the resume store) (default study-report)")
    .option("--workers <n>", "worker threads (default: the number of cores)")
    .option("--queue [url]", "run the trainings as jobs on Redis, redis://HOST:PORT[/DB] (default REDIS_URL), for `dropout-lab worker` processes on any machine")
    .option("--json", "print one JSON object on stdout")
    .addHelpText("after", "\nA killed study resumes: run the same command again; finished runs are read back from DIR/runs.\n\nExamples:\n  $ dropout-lab study --quick\n  $ dropout-lab study --out study-report")
    .action(async (flags: StudyFlags) => {
      const outDir = resolve(flags.out ?? (flags.quick ? "study-report-quick" : "study-report"));
      checkOutputPaths([{ flag: "--out", path: outDir, kind: "dir", files: ["index.html", "results.json"] }], []);
      const workers = workerCount(flags.workers);
      const tty = process.stderr.isTTY;
      const started = performance.now();
      const backend = backendNameFromFlag(flags.backend);
      const sweep = await openSweepRunner({ ...(flags.queue !== undefined ? { queue: flags.queue === true ? "" : flags.queue } : { workers }), backend });
      if (tty) process.stderr.write(`study: on ${sweep.where}\n`);
      const result = await runStudy({
        quick: Boolean(flags.quick),
        outDir,
        workers,
        backend,
        runner: sweep.runs,
        onProgress: (done, total, cached) => {
          if (!tty) return;
          const elapsed = (performance.now() - started) / 1000;
          process.stderr.write(`\r\x1b[2Kstudy: ${done}/${total} runs${cached ? " (read back)" : ""}, ${elapsed.toFixed(0)} s`);
        },
      }).finally(() => sweep.close());
      if (tty) process.stderr.write("\r\x1b[2K");
      const command = `dropout-lab study${flags.quick ? " --quick" : ""}`;
      writeFileAtomic(join(outDir, "index.html"), await renderStudyReport(result, command));
      if (flags.json) {
        const { plan: _plan, ...rest } = result;
        printJson({ report: join(outDir, "index.html"), ...rest });
        return;
      }
      process.stdout.write(
        table(
          ["data", "network", "none", "advised", "searched", "L2", "regret", "dropout effect", "diagnose", "agrees"],
          result.rows.map((r) => [
            r.data,
            `${r.network} ${r.layers.join("-")}`,
            `${(100 * r.arms.none.mean).toFixed(2)}%`,
            `${(100 * r.arms.advised.mean).toFixed(2)}%`,
            `${(100 * r.arms.searched.mean).toFixed(2)}%`,
            `${(100 * r.arms.l2.mean).toFixed(2)}%`,
            `${pts(r.regret.mean)} [${pts(r.regret.low)}, ${pts(r.regret.high)}]`,
            `${pts(r.dropoutEffect.mean)} [${pts(r.dropoutEffect.low)}, ${pts(r.dropoutEffect.high)}]`,
            `${r.diagnose.verdict}/${r.diagnose.useDropout ? "dropout" : "none"}`,
            r.diagnose.agrees === null ? "inconclusive" : r.diagnose.agrees ? "agree" : "disagree",
          ]),
        ) + "\n",
      );
      process.stdout.write(`${studyHeadline(result)}\n`);
      process.stdout.write(`report: ${join(outDir, "index.html")} (${result.runs.total} runs, ${result.runs.cached} read back; ${result.seconds.toFixed(0)} s)\n`);
    });
}
