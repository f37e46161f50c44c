// The reproductions of issue 13 ("hostile files refused before they cost
// anything, resources bounded, state files that cannot lie"), each against
// the real bin: one line naming the value and what is allowed, exit 2 (a
// closed pipe: exit 0, quietly), and no file written.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, cli, tempDir } from "./helpers.js";

type Result = { status: number | null; stdout: string; stderr: string };

/** Exit 2, one line on stderr with the dropout-lab: prefix, nothing on stdout, no stack trace. */
function refused(r: Result, message: RegExp): void {
  expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^dropout-lab: error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe("");
  expect(r.status).toBe(2);
}

/** A random-stream tree 20,000 levels deep, as text (JSON.stringify would overflow this process's stack). */
const DEEP_RNG = '{"key":[1,2,3,4],"s":[1,2,3,4],"children":{"c":'.repeat(20000) + '{"key":[1,2,3,4],"s":[1,2,3,4],"children":{}}' + "}}".repeat(20000);

const edit = (file: string, change: (json: any) => void) => {
  const json = JSON.parse(readFileSync(file, "utf8"));
  change(json);
  writeFileSync(file, JSON.stringify(json).replace('"DEEP"', DEEP_RNG));
};

/** A 2-epoch circle run checkpointed in DIR/ck and saved as DIR/m.json, made once. */
function trainedRun(): { dir: string; ck: string; model: string } {
  const dir = tempDir("harden-");
  const r = cli(["train", "--data", "circle", "--epochs", "2", "--backend", "js", "--checkpoint", "ck", "--save", "m.json"], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  return { dir, ck: join(dir, "ck"), model: join(dir, "m.json") };
}

describe("tampered checkpoints are refused by name (items 1, 3)", () => {
  const run = trainedRun();
  const tampered = (name: string, change: (json: any) => void) => {
    const dir = join(run.dir, name);
    cpSync(run.ck, dir, { recursive: true });
    edit(join(dir, "checkpoint.json"), change);
    return cli(["train", "--resume", dir], { timeout: 30_000 });
  };

  it("an all-zero random state (it hung --resume at 100% CPU)", () => {
    refused(
      tampered("zero", (j) => {
        j.trainer.rng.children.shuffle.s = [0, 0, 0, 0];
        j.experiment.epochs = 3;
      }),
      /checkpoint\.json: trainer\.rng: random-stream state shuffle\.s is all zero/,
    );
  });

  it("an epoch outside the run, a step that is not a number, a cut or missing history, a deep rng tree, another version", () => {
    refused(tampered("neg", (j) => (j.trainer.epoch = -3)), /trainer\.epoch must be an integer in \[0, 1000000\], got -3/);
    refused(tampered("past", (j) => (j.trainer.epoch = 99)), /trainer\.epoch is 99, but the run has 2 epochs/);
    refused(tampered("fewer", (j) => (j.experiment.epochs = 1)), /trainer\.epoch is 2, but the run has 1 epochs/);
    refused(tampered("step", (j) => (j.trainer.step = "abc")), /trainer\.step must be an integer .*got "abc"/);
    refused(tampered("cut", (j) => j.trainer.history.epochs.splice(1, 1)), /trainer\.history\.epochs must hold one record per epoch, 0 to 2 \(3\), got 2 records/);
    refused(tampered("nohistory", (j) => delete j.trainer.history), /trainer\.history is missing/);
    refused(tampered("norng", (j) => delete j.trainer.rng), /trainer\.rng is missing/);
    refused(
      tampered("deep", (j) => (j.trainer.rng = "DEEP")),
      /nested deeper than 16 levels/,
    );
    refused(tampered("v2", (j) => (j.version = 2)), /checkpoint version 2 is not supported; this build reads version 1/);
    refused(tampered("net", (j) => (j.experiment.hidden = [16])), /the network \(2-128-1 relu.*\) is not the one its experiment builds on this data \(2-16-1 relu/);
  });
});

describe("state that must match what it claims (item 11)", () => {
  const run = trainedRun();

  it("--resume refuses experiment flags by name and applies --epochs with a note", () => {
    refused(cli(["train", "--resume", run.ck, "--lr", "0.3", "--data", "xor"]), /--resume continues the checkpointed experiment, so --lr, --data cannot be changed; only --epochs can/);
    const dir = join(run.dir, "longer");
    cpSync(run.ck, dir, { recursive: true });
    const r = cli(["train", "--resume", dir, "--epochs", "3", "--backend", "js", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("note: --epochs 3 replaces the checkpoint's 2: the run continues to epoch 3\n");
    expect(JSON.parse(r.stdout).history.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([0, 1, 2, 3]);
    refused(cli(["train", "--resume", dir, "--epochs", "2"]), /--epochs 2 is fewer than the 3 epochs the checkpoint has already trained/);
  });

  it("resuming on another backend says it will not be bit-identical", () => {
    const dir = join(run.dir, "other-backend");
    cpSync(run.ck, dir, { recursive: true });
    edit(join(dir, "checkpoint.json"), (j) => (j.backend = "wasm/relaxed"));
    const r = cli(["train", "--resume", dir, "--epochs", "3", "--backend", "js"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: the checkpoint was written on the wasm\/relaxed backend and resumes on js: the result will not be bit-identical/);
  });

  it("a model's checksum covers its experiment, whose data path is stored absolute", () => {
    const csvDir = tempDir("harden-csv-");
    const rows = ["x,y", ...Array.from({ length: 60 }, (_, i) => `${i % 13},${i % 2 ? "a" : "b"}`)];
    writeFileSync(join(csvDir, "t.csv"), rows.join("\n"));
    expect(cli(["train", "--data", "csv:t.csv", "--label", "y", "--epochs", "1", "--save", "m.json"], { cwd: csvDir }).status).toBe(0);
    const saved = JSON.parse(readFileSync(join(csvDir, "m.json"), "utf8"));
    expect(saved.experiment.data).toBe(`csv:${join(csvDir, "t.csv")}`);
    expect(cli(["eval", "--load", join(csvDir, "m.json")]).status).toBe(0); // from another directory
    const model = join(run.dir, "seed.json");
    cpSync(run.model, model);
    edit(model, (j) => (j.experiment.seed = 5));
    refused(cli(["eval", "--load", model]), /seed\.json: experiment checksum mismatch: the experiment \(seed, data, split\) was changed after the model was saved/);
  });

  it("two runs cannot write one --checkpoint DIR; a lock left by a killed run is taken over", () => {
    const dir = join(run.dir, "locked");
    mkdirSync(dir);
    writeFileSync(join(dir, "checkpoint.lock"), `${process.pid}\n`); // this test runner: alive
    refused(cli(["train", "--data", "circle", "--epochs", "1", "--checkpoint", dir]), new RegExp(`--checkpoint ".*locked" is in use by another run \\(process ${process.pid}\\)`));
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(join(dir, "checkpoint.lock"), `${gone}\n`);
    expect(cli(["train", "--data", "circle", "--epochs", "1", "--checkpoint", dir]).status).toBe(0);
    expect(readdirSync(dir)).toEqual(["checkpoint.json"]);
  });
});

describe("sizes and resources (items 2, 4, 5, 6)", () => {
  it("a 404-byte model claiming a huge network is refused before allocating it", () => {
    const { model } = trainedRun();
    edit(model, (j) => {
      j.spec.layers = [65536, 30000, 10];
      j.spec.keepProbs = [1, 1];
      j.params = [];
    });
    refused(cli(["eval", "--load", model, "--backend", "js"]), /m\.json: spec: layers 65536,30000,10 make a network of 1966410010 parameters; at most 33554432 \(2\^25\) are allowed/);
  });

  it("layer sizes beyond the parameter limit name the flag", () => {
    refused(cli(["train", "--data", "circle", "--hidden", "65536,65536"]), /--hidden 65536,65536 make at least 4295032832 parameters; at most 33554432 \(2\^25\) are allowed/);
    refused(cli(["train", "--data", "mnist", "--hidden", "30000,30000", "--backend", "js"]), /--hidden 30000,30000 make at least 900030000 parameters/);
    refused(cli(["train", "--data", "mnist", "--hidden", "45000", "--backend", "js"]), /hidden \(--hidden\) 45000 on data of 784 inputs and 10 outputs make a network of 35775010 parameters/);
  });

  it("reads stop at the documented limit: --config /dev/zero, csv:/dev/zero", () => {
    refused(cli(["train", "--config", "/dev/zero"]), /--config "\/dev\/zero" is larger than that; the limit is 1 MiB/);
    refused(cli(["train", "--data", "csv:/dev/zero", "--label", "y"]), /csv file "\/dev\/zero" is larger than that; the limit is 64 MiB/);
  });

  it("--workers is at most the number of cores", () => {
    refused(cli(["tune", "--data", "circle", "--workers", "64"]), /--workers must be an integer in \[1, \d+\], got 64: each worker holds its own copy of the data/);
    refused(cli(["lab", "--workers", "65"]), /--workers must be an integer in \[0, \d+\], got 65/);
  });
});

describe("output paths are checked before the first step (item 9)", () => {
  it("names the flag, and writes nothing", () => {
    const dir = tempDir("harden-out-");
    mkdirSync(join(dir, "d"));
    writeFileSync(join(dir, "f"), "x");
    const rows = ["a,y", ...Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? "x" : "z"}`)];
    writeFileSync(join(dir, "t.csv"), rows.join("\n") + "\n");
    const train = (...args: string[]) => cli(["train", "--data", "circle", "--epochs", "1", ...args], { cwd: dir });
    refused(train("--save", "d"), /--save "d" is a directory; give a file path/);
    refused(train("--save", ""), /--save needs a file path, got ""/);
    refused(train("--save", "/proc/version"), /--save "\/proc\/version" cannot be written/);
    refused(train("--out", "f"), /--out "f" is a file; give a directory/);
    refused(train("--checkpoint", "f"), /--checkpoint "f" is a file; give a directory/);
    refused(cli(["lab", "--quick", "--out", "f"], { cwd: dir }), /--out "f" is a file; give a directory/);
    refused(cli(["train", "--data", "csv:t.csv", "--label", "y", "--epochs", "1", "--save", "t.csv"], { cwd: dir }), /--save "t\.csv" would overwrite the input --data "t\.csv"/);
    expect(readFileSync(join(dir, "t.csv"), "utf8")).toBe(rows.join("\n") + "\n");
    expect(readdirSync(dir).sort()).toEqual(["d", "f", "t.csv"]);
    expect(readdirSync(join(dir, "d"))).toEqual([]);
  });
});

describe("stdout that cannot be written (item 8)", () => {
  const shell = (command: string) => spawnSync("bash", ["-c", command], { cwd: ROOT, encoding: "utf8" });

  it("a reader that closes the pipe ends the run quietly with exit 0", () => {
    const r = shell(`node ${BIN} train --help | head -1; echo "exit=\${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe("Usage: dropout-lab train [options]\nexit=0\n");
    expect(r.stderr).toBe("");
    const big = shell(`node ${BIN} train --data circle --size 2000 --epochs 3 --json | head -c 100 > /dev/null; echo "exit=\${PIPESTATUS[0]}"`);
    expect(big.stdout).toBe("exit=0\n");
    expect(big.stderr).toBe("");
  });

  it("a full device is one line naming it, exit 2", () => {
    const r = shell(`node ${BIN} train --data circle --epochs 1 > /dev/full; echo "exit=$?"`);
    expect(r.stderr).toBe("dropout-lab: error: cannot write to standard output (/dev/full): no space left on device (ENOSPC)\n");
    expect(r.stdout).toBe("exit=2\n");
  });
});

describe("text that is not UTF-8, and the small things (items 10, 12)", () => {
  it("a Latin-1 CSV keeps café and cafè apart, with a note", () => {
    const dir = tempDir("harden-latin1-");
    const rows = ["x,drink", ...Array.from({ length: 60 }, (_, i) => `${i % 7},${["café", "cafè", "tea"][i % 3]}`)];
    writeFileSync(join(dir, "d.csv"), Buffer.from(rows.join("\n") + "\n", "latin1"));
    const r = cli(["train", "--data", `csv:${join(dir, "d.csv")}`, "--label", "drink", "--epochs", "1", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).network.layers.at(-1)).toBe(3);
    expect(r.stderr).toMatch(/note: .*d\.csv is not UTF-8 \(line 2 holds byte 0xe9\); read as Latin-1/);
  });

  it("an empty test split, a config with both layers and hidden, a BOM, commander's errors, tune's fields, fashion-mnist:FILE, long values", () => {
    const dir = tempDir("harden-small-");
    const r = cli(["train", "--data", "circle", "--epochs", "1", "--test-fraction", "0"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/test: none \(the test split is empty\)/);
    expect(r.stdout).not.toMatch(/NaN/);
    writeFileSync(join(dir, "both.json"), JSON.stringify({ layers: [2, 4, 1], hidden: [3] }));
    refused(cli(["train", "--config", join(dir, "both.json"), "--data", "circle"]), /--config ".*both\.json": give either layers \(all sizes\) or hidden \(hidden sizes only\), not both/);
    writeFileSync(join(dir, "bom.json"), "\ufeff" + JSON.stringify({ data: "circle", epochs: 1 }));
    expect(cli(["train", "--config", join(dir, "bom.json")]).status).toBe(0);
    refused(cli(["train", "--bogus"]), /^dropout-lab: error: unknown option '--bogus' \(see dropout-lab train --help\)$/m);
    refused(cli(["tune", "--data", "circle", "--grid", "0,0.5", "--epochs", "2", "--workers", "1"]), /--grid\[0\] must be a number in \(0, 1\], got 0/);
    refused(cli(["tune", "--data", "circle", "--rungs", "5", "--epochs", "2", "--workers", "1"]), /--rungs\[0\] must be an integer in \[1, 1\], got 5/);
    refused(cli(["train", "--data", "fashion-mnist:/etc/passwd"]), /fashion-mnist directory "\/etc\/passwd" is a file/);
    const long = cli(["train", "--data", "x".repeat(100_000)]);
    refused(long, /data "x{77}\.\.\." \(100000 characters\) is not known/);
    expect(long.stderr.length).toBeLessThan(400);
  });
});

describe("the checkpoint lock and temporary files", () => {
  it("a finished run leaves only its outputs behind", () => {
    const { dir } = trainedRun();
    expect(readdirSync(join(dir, "ck"))).toEqual(["checkpoint.json"]);
    expect(existsSync(join(dir, "m.json"))).toBe(true);
  });
});
