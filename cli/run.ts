// How every command ends: usage and input errors become one line on stderr and
// exit code 2, failures of the run exit 1, and nothing prints a stack trace
// unless DROPOUT_LAB_DEBUG is set. --json output is exactly one object on stdout.

import { CommanderError } from "commander";
import { readlinkSync } from "node:fs";
import { InputError, RunError } from "../src/index.js";

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Longest message printed whole: a value echoed in a message is never a 10 MB line. */
const MAX_MESSAGE_CHARS = 1000;

/** One line: newlines folded, a long message cut with its length. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, " ");
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 3)}... (${flat.length} characters)` : flat;
}

export function reportError(e: unknown): number {
  const debug = Boolean(process.env.DROPOUT_LAB_DEBUG);
  if (e instanceof CommanderError) {
    // commander already printed its message (one line, see main.ts)
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof InputError) {
    process.stderr.write(`dropout-lab: error: ${oneLine(e.message)}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  if (e instanceof ExitError) {
    if (e.message) process.stderr.write(`dropout-lab: ${e.message}\n`);
    return e.code;
  }
  if (e instanceof RunError) {
    process.stderr.write(`dropout-lab: failed: ${oneLine(e.message)}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  const err = e as Error;
  process.stderr.write(`dropout-lab: internal error: ${oneLine(err?.message ?? String(e))} (set DROPOUT_LAB_DEBUG=1 for details)\n`);
  if (debug) process.stderr.write(`${err?.stack}\n`);
  return 1;
}

/**
 * What a failed write to stdout means: a reader that closed the pipe
 * (`| head`) ends the run quietly with exit 0; a full or broken device is one
 * line naming where stdout goes, exit 2. Installed once by main.ts.
 */
export function handleStdoutErrors(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    let target = "standard output";
    try {
      target = `standard output (${readlinkSync("/proc/self/fd/1")})`;
    } catch {
      // no /proc here: say only "standard output"
    }
    process.stderr.write(`dropout-lab: error: cannot write to ${target}: ${e.code === "ENOSPC" ? "no space left on device (ENOSPC)" : (e.code ?? e.message)}\n`);
    process.exit(2);
  });
  process.stderr.on("error", () => {
    // nowhere left to report to
  });
}

/** Prints exactly one JSON object on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Columns a table may use: the terminal's width, or 100 when stdout is not a terminal (a pipe, a file). */
export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 100;
}

/**
 * Splits `text` into lines of at most `width` characters, breaking only at
 * spaces; a single word longer than `width` keeps a line of its own, whole.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/ +/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [""];
}

const GAP = "  ";
/** The narrowest a wrapped column is made, so a reason never shrinks to a word per line. */
const MIN_WRAPPED = 24;

/**
 * A plain aligned table for terminals: numeric columns right-aligned, text
 * left-aligned. When the table is wider than `width` (default: the
 * terminal's), the widest text column is wrapped at spaces to fit, its
 * continuation lines indented under it, so no line breaks inside a word.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[], width = terminalWidth()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => i > 0 && rows.every((r) => /^[-+]?[\d.,]*\d[\d.,]*(%| pts| s)?$|^-$/.test(r[i] ?? "")));
  const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  let wrapped = -1;
  if (total > width) {
    widths.forEach((w, i) => {
      if (!numeric[i] && (wrapped < 0 || w > widths[wrapped]!)) wrapped = i;
    });
    if (wrapped >= 0) {
      const longestWord = Math.max(...[header[wrapped]!, ...rows.map((r) => r[wrapped] ?? "")].flatMap((c) => c.split(" ").map((w) => w.length)));
      widths[wrapped] = Math.max(longestWord, Math.min(widths[wrapped]!, MIN_WRAPPED), widths[wrapped]! - (total - width));
    }
  }
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(GAP).trimEnd();
  const block = (cells: readonly string[]): string[] => {
    if (wrapped < 0) return [line(cells)];
    const parts = wrapWords(cells[wrapped] ?? "", widths[wrapped]!);
    return parts.map((part, k) => line(cells.map((c, i) => (i === wrapped ? part : k === 0 ? c : ""))));
  };
  return [...block(header), widths.map((w) => "-".repeat(w)).join(GAP), ...rows.flatMap(block)].join("\n");
}

export function pct(x: number | undefined): string {
  return x === undefined ? "-" : `${(100 * x).toFixed(2)}%`;
}

/** Logs to stderr (so stdout stays machine-readable under --json). */
export function log(message: string): void {
  process.stderr.write(message + "\n");
}
