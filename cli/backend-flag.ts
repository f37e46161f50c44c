// `--backend auto|js|wasm|native`: which kernel implementation trains the
// network. "native" (the machine's BLAS) falls back to wasm where it cannot
// load, with a one-line note on stderr; the help says what auto runs here.

import type { Command } from "commander";
import { BACKEND_NAMES, chooseBackend, parseBackendName, type Backend, type BackendChoice, type BackendName } from "../src/index.js";

/** What "auto" runs on this machine and why, for a command's help (loads the BLAS, so only computed when help is shown). */
export function autoHelp(): string {
  try {
    return `\n--backend auto here: ${chooseBackend("auto").reason}`;
  } catch (error) {
    return `\n--backend auto here: unavailable (${(error as Error).message})`;
  }
}

export function addBackendFlag(cmd: Command): Command {
  return cmd
    .option("--backend <name>", `kernels: ${BACKEND_NAMES.join(", ")} (default auto: native where the machine's BLAS loads, else WebAssembly SIMD)`)
    .addHelpText("after", autoHelp);
}

export function backendNameFromFlag(name: string | undefined): BackendName {
  return parseBackendName(name ?? "auto");
}

/** The backend --backend names and why; prints the one-line note when native was asked for and cannot run. */
export function backendChoiceFromFlag(name: string | undefined): BackendChoice {
  const choice = chooseBackend(backendNameFromFlag(name));
  if (choice.note !== undefined) process.stderr.write(`note: ${choice.note}\n`);
  return choice;
}

export function backendFromFlag(name: string | undefined): Backend {
  return backendChoiceFromFlag(name).backend;
}
