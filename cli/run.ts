// How every command ends: usage and input errors become one line on stderr and
// exit code 2, failures of the run exit 1, and nothing prints a stack trace
// unless DROPOUT_LAB_DEBUG is set. --json output is exactly one object on stdout.

import { CommanderError } from "commander";
import { InputError, RunError } from "../src/index.js";

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function reportError(e: unknown): number {
  const debug = Boolean(process.env.DROPOUT_LAB_DEBUG);
  if (e instanceof CommanderError) {
    // commander already printed its message ("error: unknown option ...")
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof InputError) {
    process.stderr.write(`dropout-lab: error: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  if (e instanceof ExitError) {
    if (e.message) process.stderr.write(`dropout-lab: ${e.message}\n`);
    return e.code;
  }
  if (e instanceof RunError) {
    process.stderr.write(`dropout-lab: failed: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  const err = e as Error;
  process.stderr.write(`dropout-lab: internal error: ${err?.message ?? String(e)} (set DROPOUT_LAB_DEBUG=1 for details)\n`);
  if (debug) process.stderr.write(`${err?.stack}\n`);
  return 1;
}

/** Prints exactly one JSON object on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** A plain aligned table for terminals: numeric columns right-aligned, text left-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => i > 0 && rows.every((r) => /^[-+]?[\d.,]*\d[\d.,]*(%| pts| s)?$|^-$/.test(r[i] ?? "")));
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function pct(x: number | undefined): string {
  return x === undefined ? "-" : `${(100 * x).toFixed(2)}%`;
}

/** Logs to stderr (so stdout stays machine-readable under --json). */
export function log(message: string): void {
  process.stderr.write(message + "\n");
}
