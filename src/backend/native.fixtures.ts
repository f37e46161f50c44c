// Shared fixtures of the native backend's tests: the machine's BLAS as this
// process loads it, and whether its absence is a skip or a failure. Under CI
// (.ci/run installs a compiler and OpenBLAS) a missing addon or library fails
// the suite; elsewhere the tests skip and say why in one line.

import type { NativeBlas } from "./native.js";
import { processBlas } from "../node/native.js";

/** The BLAS, or the one-line reason there is none. */
export const loaded: NativeBlas | string = processBlas();
export const blas: NativeBlas | undefined = typeof loaded === "string" ? undefined : loaded;
/** True under CI: the native backend must be there. */
export const required = ["1", "true"].includes((process.env["CI"] ?? "").toLowerCase());

if (blas === undefined && !required) console.warn(`native backend tests skipped: ${loaded}`);
