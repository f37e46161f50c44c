// `--backend auto|js|wasm`: which kernel implementation trains the network.

import type { Command } from "commander";
import { BACKEND_NAMES, parseBackendName, selectBackend, type Backend, type BackendName } from "../src/index.js";

export function addBackendFlag(cmd: Command): Command {
  return cmd.option("--backend <name>", `kernels: ${BACKEND_NAMES.join(", ")} (default auto: WebAssembly SIMD where available)`);
}

export function backendNameFromFlag(name: string | undefined): BackendName {
  return parseBackendName(name ?? "auto");
}

export function backendFromFlag(name: string | undefined): Backend {
  return selectBackend(backendNameFromFlag(name));
}
