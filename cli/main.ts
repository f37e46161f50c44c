#!/usr/bin/env node
// The dropout-lab command line. Each command lives in its own module under
// cli/commands; this file only registers them and maps errors to exit codes.

import { Command, CommanderError } from "commander";
import { evalCommand } from "./commands/eval.js";
import { labCommand } from "./commands/lab.js";
import { predictCommand } from "./commands/predict.js";
import { trainCommand } from "./commands/train.js";
import { spreadCommand } from "./commands/spread.js";
import { ridgeCommand } from "./commands/ridge.js";
import { adviseCommand } from "./commands/advise.js";
import { tuneCommand } from "./commands/tune.js";
import { checkCommand } from "./commands/check.js";
import { diagnoseCommand } from "./commands/diagnose.js";
import { studyCommand } from "./commands/study.js";
import { varianceCommand } from "./commands/variance.js";
import { serveCommand } from "./commands/serve.js";
import { workerCommand } from "./commands/worker.js";
import { sweepCommand } from "./commands/sweep.js";
import { handleStdoutErrors, oneLine, reportError } from "./run.js";

const COMMANDS: (() => Command)[] = [
  trainCommand,
  evalCommand,
  predictCommand,
  labCommand,
  spreadCommand,
  ridgeCommand,
  adviseCommand,
  tuneCommand,
  checkCommand,
  diagnoseCommand,
  studyCommand,
  varianceCommand,
  serveCommand,
  workerCommand,
  sweepCommand,
];

/** What the top-level --help ends with: where to start, and a few complete commands. */
const HELP_AFTER = `
Start here:
  lab     runs every experiment on bundled data and writes the lab report
          (lab-report/index.html; \`npm start\` runs it)
  serve   serves the playground, where you watch dropout train a network

Examples:
  Every experiment, small and fast:
    $ dropout-lab lab --quick
  The playground on http://127.0.0.1:5173:
    $ dropout-lab serve
  Train with dropout on a 2-D set and print the epoch table:
    $ dropout-lab train --data circle --layers 2,16,16,1 --activation tanh --keep-probs 1,0.5,0.5 --epochs 50
  A keepProb per layer, with reasons:
    $ dropout-lab advise --layers 784,512,512,10
  Is dropout needed on this data?
    $ dropout-lab diagnose --data mnist --hidden 256,256

Every command has --help with its flags and examples.`;

export function buildProgram(): Command {
  const program = new Command("dropout-lab")
    .description("Train neural networks with inverted dropout, measure why it works, and tune it per layer.")
    .version("0.1.0")
    .addHelpText("after", HELP_AFTER);
  for (const make of COMMANDS) program.addCommand(make());
  // commander's usage errors as one line, like every other error: "dropout-lab: error: ... (see ... --help)"
  const oneLineErrors = (cmd: Command, name: string) =>
    cmd.configureOutput({ outputError: (str, write) => write(`dropout-lab: ${oneLine(str.trim())} (see ${name} --help)\n`) });
  oneLineErrors(program.exitOverride(), "dropout-lab");
  const withSubcommands = (cmds: readonly Command[], prefix: string): [Command, string][] =>
    cmds.flatMap((c) => [[c, `${prefix} ${c.name()}`] as [Command, string], ...withSubcommands(c.commands, `${prefix} ${c.name()}`)]);
  for (const [cmd, name] of withSubcommands(program.commands, "dropout-lab")) oneLineErrors(cmd.exitOverride(), name);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError && (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")) return 0;
    return reportError(e);
  }
}

handleStdoutErrors();
process.exitCode = await main(process.argv.slice(2));
