// `--backend js|wasm|auto`: which kernel implementation trains the network.

import type { Command } from "commander";
import { InputError, jsBackend, type Backend } from "../src/index.js";

export const BACKEND_NAMES = ["auto", "js", "wasm"] as const;

export function addBackendFlag(cmd: Command): Command {
  return cmd.option("--backend <name>", "kernels: auto (the fastest available), js or wasm (default auto)");
}

/** The backend a flag names; undefined keeps the network's default. */
export async function backendFromFlag(name: string | undefined): Promise<Backend | undefined> {
  switch (name ?? "auto") {
    case "auto":
    case "js":
      return jsBackend;
    case "wasm":
      throw new InputError("--backend wasm is not available in this build; use js");
    default:
      throw new InputError(`--backend must be one of ${BACKEND_NAMES.join(", ")}; got ${JSON.stringify(name)}`);
  }
}
