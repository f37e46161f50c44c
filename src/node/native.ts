// The native backend's Node part: loads the addon that scripts/build-native.mjs
// compiled at install (native/build/dropout_blas.node), has it open the
// machine's BLAS with dlopen, and offers the result to selectBackend, so that
// "native" and "auto" use it. Nothing here is required: without a compiler at
// install, or without a BLAS on the machine, loading gives a one-line reason
// and the backends fall back to wasm. The machine's OPENBLAS_* environment is
// left as it is (on some processors OPENBLAS_CORETYPE is set because older
// OpenBLAS builds compute wrong results otherwise); the description says
// which kernel runs.
//
// Environment: DROPOUT_LAB_BLAS (a BLAS library path or name: the only one
// tried), DROPOUT_LAB_NATIVE_ADDON (the addon file, for a build elsewhere).

import { existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { setNativePlatform } from "../backend/select.js";
import type { NativeBlas } from "../backend/native.js";
import { defaultWasmThreads } from "./wasm-threads.js";

/** What the addon says about the library it opened (null where the library lacks the function). */
interface AddonInfo {
  readonly path: string;
  readonly config: string | null;
  readonly corename: string | null;
  readonly parallel: string | null;
  readonly threadControl: boolean;
}

/** The addon's exports (native/blas.c). */
interface Addon extends Pick<NativeBlas, "sgemm" | "dgemm" | "sgd" | "momentum" | "adam"> {
  open(path: string): string | undefined;
  info(): AddonInfo | undefined;
}

export interface NativeLoadOptions {
  /** The addon file (default: DROPOUT_LAB_NATIVE_ADDON, else this package's native/build/dropout_blas.node). */
  readonly addon?: string;
  /** The BLAS to open, a path or a name dlopen finds (default: DROPOUT_LAB_BLAS, else the first of blasCandidates() that opens). */
  readonly blas?: string;
}

/** The addon where the build script puts it, seen from src/node/ (sources) and from dist/src/node/ (compiled). */
function builtAddon(): string | undefined {
  return ["../../native/build/dropout_blas.node", "../../../native/build/dropout_blas.node"]
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((path) => existsSync(path));
}

/** Libraries with cblas_sgemm that are worth the trip, most likely first: OpenBLAS (Debian, Fedora, Homebrew) and Accelerate. */
export function blasCandidates(): string[] {
  if (process.platform === "darwin") {
    return ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib"];
  }
  const multiarch = `/usr/lib/${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`;
  return [
    "libopenblas.so.0",
    `${multiarch}/openblas-openmp/libopenblas.so.0`,
    `${multiarch}/openblas-pthread/libopenblas.so.0`,
    "libopenblaso.so.0",
    "libopenblasp.so.0",
    "libopenblas.so",
  ];
}

/** One line for the library: "OpenBLAS 0.3.21 (Haswell kernels, openmp) from /usr/lib/...". */
function describe(info: AddonInfo): string {
  let path = info.path;
  try {
    path = realpathSync(info.path);
  } catch {
    // a name dlopen resolved but the file system does not show: keep it
  }
  const version = info.config?.split(" ").slice(0, 2).join(" ") ?? "a BLAS";
  const traits = [info.corename && `${info.corename} kernels`, info.parallel].filter(Boolean).join(", ");
  return `${version}${traits ? ` (${traits})` : ""} from ${path}`;
}

/** The first line of an error's message. */
const firstLine = (error: unknown): string => String((error as Error)?.message ?? error).split("\n")[0]!;

/**
 * Loads the addon and opens a BLAS with it: the library, or the one-line
 * reason why not (no addon built, the addon failing to load, no library
 * found). Each call tries again; processBlas keeps the first answer.
 */
export function loadNativeBlas(options: NativeLoadOptions = {}): NativeBlas | string {
  const addonPath = options.addon ?? process.env["DROPOUT_LAB_NATIVE_ADDON"] ?? builtAddon();
  if (addonPath === undefined) return "its addon is not built (native/build/dropout_blas.node is missing: npm run build:native needs a C compiler)";
  if (!existsSync(addonPath)) return `its addon ${addonPath} does not exist`;
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)(addonPath) as Addon;
  } catch (error) {
    return `its addon ${addonPath} failed to load: ${firstLine(error)}`;
  }
  const missing = ["open", "info", "sgemm", "dgemm", "sgd", "momentum", "adam"].filter((name) => typeof (addon as unknown as Record<string, unknown>)?.[name] !== "function");
  if (missing.length > 0) return `its addon ${addonPath} is not this version of dropout-lab's (it lacks ${missing.join(", ")}: npm run build:native)`;
  const asked = options.blas ?? process.env["DROPOUT_LAB_BLAS"];
  const candidates = asked !== undefined && asked !== "" ? [asked] : blasCandidates();
  let reason = "";
  for (const candidate of candidates) {
    const failure = addon.open(candidate);
    if (failure === undefined) {
      const info = addon.info()!;
      const { sgemm, dgemm, sgd, momentum, adam } = addon;
      return { description: describe(info), threadControl: info.threadControl, sgemm, dgemm, sgd, momentum, adam };
    }
    reason = failure;
  }
  if (candidates.length === 1) return `the BLAS ${candidates[0]} could not be opened: ${reason}`;
  return `no BLAS library found (tried ${candidates.join(", ")}; install OpenBLAS, e.g. Debian's libopenblas0-openmp, or set DROPOUT_LAB_BLAS)`;
}

let loaded: NativeBlas | string | undefined;

/** The BLAS for this process, loaded on first use (then the same answer). */
export function processBlas(): NativeBlas | string {
  loaded ??= loadNativeBlas();
  return loaded;
}

setNativePlatform({ load: processBlas, threads: defaultWasmThreads() });
