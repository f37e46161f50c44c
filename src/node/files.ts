// Node-only file helpers for the CLI: atomic writes (a temporary file in the
// same directory, then rename, so a crash leaves the old file or the new one,
// never half of one) and JSON reads whose errors name the file.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { InputError } from "../core/errors.js";

/** Writes `content` to `path` atomically, creating parent directories. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value) + "\n");
}

/** Reads and parses a JSON file; a missing or malformed file is an InputError naming it. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${what} ${JSON.stringify(path)} cannot be read (${code === "ENOENT" ? "no such file" : code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} ${JSON.stringify(path)} is not valid JSON (${(e as Error).message}); was it truncated?`);
  }
}
