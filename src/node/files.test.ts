import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { checkOutputPaths, firstNonUtf8Byte, readFileBounded, readJsonFile, writeFileAtomic } from "./files.js";

const tmp = () => mkdtempSync(join(tmpdir(), "files-test-"));

function refused(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(InputError);
  expect(run).toThrow(message);
}

describe("bounded reads", () => {
  it("refuses an endless device after the limit, and a large file by its size", () => {
    refused(() => readFileBounded("/dev/zero", "--config", 1000), /--config "\/dev\/zero" is larger than that; the limit is 1000 bytes/);
    const f = join(tmp(), "big.json");
    writeFileSync(f, "x".repeat(5000));
    refused(() => readFileBounded(f, "--config", 4096), /--config ".*big\.json" is 4\.9 KiB; the limit is 4 KiB/);
    expect(readFileBounded(f, "--config", 5000)).toHaveLength(5000);
    refused(() => readFileBounded(tmp(), "--config", 5000), /is a directory, not a file/);
    refused(() => readFileBounded(join(tmp(), "none"), "--config", 5000), /--config ".*none" does not exist/);
  });

  it("reads JSON with a byte-order mark, and says a cut file looks truncated (a bad one does not)", () => {
    const dir = tmp();
    writeFileSync(join(dir, "bom.json"), "\ufeff" + JSON.stringify({ epochs: 3 }));
    expect(readJsonFile(join(dir, "bom.json"), "--config")).toEqual({ epochs: 3 });
    writeFileSync(join(dir, "cut.json"), '{"epochs": 3, "data": "mni');
    refused(() => readJsonFile(join(dir, "cut.json"), "--config"), /is not valid JSON .*; was it truncated\?$/);
    writeFileSync(join(dir, "bad.json"), '{"epochs": 3,, "data": "mnist"}');
    refused(() => readJsonFile(join(dir, "bad.json"), "--config"), /is not valid JSON \([^)]*\)$/);
    writeFileSync(join(dir, "latin.json"), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    refused(() => readJsonFile(join(dir, "latin.json"), "--config"), /is not UTF-8 text/);
  });

  it("finds the first byte that is not UTF-8", () => {
    expect(firstNonUtf8Byte(Buffer.from("café, 東京 🙂"))).toBe(-1);
    expect(firstNonUtf8Byte(Buffer.from([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe(5);
    expect(firstNonUtf8Byte(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstNonUtf8Byte(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong
  });
});

describe("checkOutputPaths", () => {
  it("names the flag for an empty path, a directory given as a file, a file given as a directory", () => {
    const dir = tmp();
    writeFileSync(join(dir, "f.txt"), "x");
    refused(() => checkOutputPaths([{ flag: "--save", path: "", kind: "file" }]), /--save needs a file path, got ""/);
    refused(() => checkOutputPaths([{ flag: "--save", path: dir, kind: "file" }]), /--save ".*" is a directory; give a file path/);
    refused(() => checkOutputPaths([{ flag: "--out", path: join(dir, "f.txt"), kind: "dir" }]), /--out ".*f\.txt" is a file; give a directory/);
    refused(() => checkOutputPaths([{ flag: "--save", path: join(dir, "f.txt", "m.json"), kind: "file" }]), /--save ".*" cannot be created: ".*f\.txt" is a file/);
    refused(() => checkOutputPaths([{ flag: "--save", path: "/dev/null", kind: "file" }]), /--save "\/dev\/null" is not a regular file/);
    refused(() => checkOutputPaths([{ flag: "--save", path: "/proc/version", kind: "file" }]), /--save "\/proc\/version" cannot be written: "\/proc" does not take new files/);
    mkdirSync(join(dir, "out", "index.html"), { recursive: true });
    refused(() => checkOutputPaths([{ flag: "--out", path: join(dir, "out"), kind: "dir", files: ["index.html"] }]), /index\.html there is not a regular file/);
  });

  it("refuses an output that is an input or another output, and creates nothing", () => {
    const dir = tmp();
    const csv = join(dir, "t.csv");
    writeFileSync(csv, "a,b\n1,2\n");
    refused(() => checkOutputPaths([{ flag: "--save", path: csv, kind: "file" }], [{ flag: "--data", path: csv }]), /--save ".*t\.csv" would overwrite the input --data ".*t\.csv"/);
    refused(
      () => checkOutputPaths([{ flag: "--save", path: join(dir, "o", "history.json"), kind: "file" }, { flag: "--out", path: join(dir, "o"), kind: "dir", files: ["history.json"] }]),
      /--out ".*o" would overwrite --save/,
    );
    checkOutputPaths([{ flag: "--save", path: join(dir, "new", "deeper", "m.json"), kind: "file" }, { flag: "--out", path: join(dir, "report"), kind: "dir" }]);
    expect(readdirSync(dir).sort()).toEqual(["t.csv"]);
  });
});

describe("writeFileAtomic", () => {
  it("removes the temporary file a killed writer left, and refuses paths it cannot replace", () => {
    const dir = tmp();
    const stale = join(dir, ".m.json.999999999.123.tmp");
    writeFileSync(stale, "half");
    const other = join(dir, ".other.json.999999999.123.tmp");
    writeFileSync(other, "half");
    writeFileAtomic(join(dir, "m.json"), "{}");
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
    // a FIFO stands for any device: rename() would replace it with a regular file
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    refused(() => writeFileAtomic(fifo, "x"), /cannot write ".*pipe": it is not a regular file/);
    expect(statSync(fifo).isFIFO()).toBe(true);
    writeFileSync(join(dir, "file"), "x");
    refused(() => writeFileAtomic(join(dir, "file", "m.json"), "x"), /cannot write ".*m\.json": a part of the path is not a directory/);
    expect(readdirSync(dir).sort()).toEqual([".other.json.999999999.123.tmp", "file", "m.json", "pipe"]);
  });
});
