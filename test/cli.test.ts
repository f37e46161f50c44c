// End-to-end tests of the CLI: the real bin as a child process.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliAsync, tempDir } from "./helpers.js";

/** A usage or input error: exit 2, one line on stderr, nothing on stdout, no stack trace. */
function expectUsageError(r: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(lines.length).toBeLessThanOrEqual(2);
}

describe("dropout-lab train", () => {
  it("prints exactly one JSON object with config, history, test and seconds", () => {
    const r = cli(["train", "--data", "circle", "--layers", "2,8,1", "--activation", "tanh", "--keep-probs", "1,0.8", "--epochs", "30", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.config.keepProbs).toEqual([1, 0.8]);
    // 350 training examples in batches of 64: 6 steps per epoch.
    expect(out.history.steps).toHaveLength(30 * 6);
    expect(out.history.steps[0]).toMatchObject({ step: 1, cost: expect.any(Number) });
    expect(out.history.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    const first = out.history.epochs[0], last = out.history.epochs[30];
    expect(last).toMatchObject({ cleanCost: expect.any(Number), trainAccuracy: expect.any(Number), devAccuracy: expect.any(Number) });
    expect(last.cleanCost).toBeLessThan(first.cleanCost / 2);
    // Chance on circle is 50% (the untrained network scores about that); 30 epochs learn the ring.
    expect(out.test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(out.data.test).toBe(75);
    expect(Number.isInteger(Math.round(out.test.accuracy * 75 * 1e6) / 1e6)).toBe(true);
    expect(typeof out.test.cost).toBe("number");
    expect(out.seconds).toBeGreaterThan(0);
    expect(r.stderr).toBe("");
  });

  it("refuses bad flags with one line naming the flag, the value and what is allowed (exit 2)", () => {
    expectUsageError(cli(["train", "--data", "circle", "--keep-probs", "1,0"]), /--keep-probs\[1\] must be a number in \(0, 1\], got 0/);
    expectUsageError(cli(["train", "--data", "circle", "--keep-probs", "1,1.5"]), /got 1.5/);
    expectUsageError(cli(["train", "--data", "circle", "--keep-probs", "1,abc"]), /--keep-probs must be a comma-separated list of numbers, got "1,abc"/);
    expectUsageError(cli(["train", "--data", "circle", "--layers", "2,1000000,1"]), /layers\[1\] must be an integer in \[1, 65536\], got 1000000/);
    expectUsageError(cli(["train", "--data", "circle", "--lr", "-1"]), /--lr must be a number in \(0, 10\], got -1/);
    expectUsageError(cli(["train", "--data", "nope"]), /data "nope" is not known; allowed: mnist/);
    expectUsageError(cli(["train", "--optimizer", "rmsprop"]), /--optimizer must be one of sgd, momentum, nesterov, adam; got "rmsprop"/);
    const unknown = cli(["train", "--bogus"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
  });

  it("trains, saves, and eval --load reproduces the test accuracy", () => {
    const dir = tempDir();
    const model = join(dir, "model.json");
    const t = cli(["train", "--data", "penguins", "--hidden", "8", "--epochs", "5", "--save", model, "--json"]);
    expect(t.status).toBe(0);
    const trained = JSON.parse(t.stdout);
    const e = cli(["eval", "--load", model, "--json"]);
    expect(e.status).toBe(0);
    const evaluated = JSON.parse(e.stdout);
    expect(evaluated.accuracy).toBe(trained.test.accuracy);
    expect(evaluated.cost).toBe(trained.test.cost);
    const p = cli(["predict", "--load", model, "--limit", "3", "--json"]);
    expect(p.status).toBe(0);
    const pred = JSON.parse(p.stdout);
    expect(pred.predictions).toHaveLength(3);
    expect(pred.classNames).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    for (const row of pred.predictions) expect(row.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("--out writes the history and a report with the noisy cost and clean J plots", () => {
    const dir = tempDir();
    const r = cli(["train", "--data", "xor", "--hidden", "8", "--keep-probs", "1,0.7", "--epochs", "3", "--out", dir]);
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, "history.json"), "utf8"));
    expect(saved.history.epochs).toHaveLength(4);
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
    expect(html).toContain("clean J");
  });

  it("refuses a tampered model file", () => {
    const dir = tempDir();
    const model = join(dir, "model.json");
    expect(cli(["train", "--data", "circle", "--epochs", "1", "--save", model]).status).toBe(0);
    const json = JSON.parse(readFileSync(model, "utf8"));
    json.params[0].data = (json.params[0].data[0] === "A" ? "B" : "A") + json.params[0].data.slice(1);
    writeFileSync(model, JSON.stringify(json));
    expectUsageError(cli(["eval", "--load", model]), /checksum mismatch/);
    writeFileSync(model, readFileSync(model, "utf8").slice(0, 100));
    expectUsageError(cli(["eval", "--load", model]), /is not valid JSON .*truncated/);
  });
});

describe("loader errors: one line, exit 2, no output file", () => {
  const idx = (magic: number, dims: number[], payload: number) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([header, Buffer.alloc(payload)]);
  };
  const fashionDir = (images: Buffer) => {
    const dir = tempDir("fm-");
    writeFileSync(join(dir, "train-images-idx3-ubyte"), images);
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), idx(0x801, [10], 10));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), idx(0x803, [10, 28, 28], 7840));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), idx(0x801, [10], 10));
    return dir;
  };
  const trainWith = (data: string, extra: string[] = []) => {
    const out = join(tempDir(), "model.json");
    const r = cli(["train", "--data", data, "--epochs", "1", "--save", out, ...extra]);
    expect(existsSync(out)).toBe(false);
    return r;
  };

  it("a truncated IDX file", () => {
    expectUsageError(trainWith(`fashion-mnist:${fashionDir(idx(0x803, [10, 28, 28], 5000))}`), /train-images-idx3-ubyte.*(truncated|length|bytes)/i);
  });
  it("a gzipped IDX file with the wrong magic number", () => {
    const dir = fashionDir(idx(0x803, [10, 28, 28], 7840));
    writeFileSync(join(dir, "train-images-idx3-ubyte"), gzipSync(idx(0x1234, [10, 28, 28], 7840)));
    expectUsageError(trainWith(`fashion-mnist:${dir}`), /magic/i);
  });
  it("a header claiming 10^9 images", () => {
    expectUsageError(trainWith(`fashion-mnist:${fashionDir(idx(0x803, [1_000_000_000, 28, 28], 100))}`), /1000000000|10\^9|header/i);
  });
  it("a missing directory says how to install the data", () => {
    expectUsageError(trainWith("fashion-mnist:/nonexistent/fm"), /apt-get install dataset-fashion-mnist/);
  });
  it("a ragged CSV", () => {
    const f = join(tempDir(), "t.csv");
    writeFileSync(f, "a,b,label\n1,2,x\n3,4\n5,6,y\n");
    expectUsageError(trainWith(`csv:${f}`, ["--label", "label"]), /line 3/);
  });
  it("a CSV without the label column", () => {
    const f = join(tempDir(), "t.csv");
    writeFileSync(f, "a,b,c\n1,2,x\n3,4,y\n");
    expectUsageError(trainWith(`csv:${f}`, ["--label", "species"]), /species/);
  });
  it("a non-numeric value in a numeric column", () => {
    const f = join(tempDir(), "t.csv");
    const rows = ["a,b,label", ...Array.from({ length: 30 }, (_, i) => `${i},${i * 2},${i % 2 ? "x" : "y"}`)];
    rows[7] = "6,twelve,y";
    writeFileSync(f, rows.join("\n") + "\n");
    expectUsageError(trainWith(`csv:${f}`, ["--label", "label"]), /twelve/);
  });
});

describe("train with early stopping, the recipe and several seeds", () => {
  it("stops at convergence, restores the best epoch and measures test on those weights", () => {
    const r = cli(["train", "--data", "circle", "--size", "300", "--hidden", "32,32", "--epochs", "200", "--patience", "3", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const stop = out.history.stop;
    expect(stop.reason).toBe("patience");
    expect(stop.restored).toBe(true);
    const last = out.history.epochs.at(-1);
    expect(last.epoch).toBe(stop.bestEpoch + 3);
    expect(out.history.epochs[stop.bestEpoch].devAccuracy).toBe(stop.bestValue);
    const text = cli(["train", "--data", "circle", "--size", "300", "--hidden", "32,32", "--epochs", "200", "--patience", "3"]);
    expect(text.stdout).toMatch(new RegExp(`stopped: dev-accuracy did not improve for 3 epochs; weights restored from the best epoch ${stop.bestEpoch}`));
    expect(text.stdout).toContain(`(best epoch ${stop.bestEpoch}'s weights)`);
  });

  it("--recipe advised sets the recipe's fields, except those given by their own flags", () => {
    const r = cli(["train", "--data", "circle", "--size", "200", "--hidden", "32,32", "--recipe", "advised", "--epochs", "5", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.config).toMatchObject({ keepProbs: [1, 0.9, 0.8], epochs: 5, patience: 10, maxNorm: 3, optimizer: { kind: "momentum", beta: 0.9 } });
    expect(out.recipe.map((c: { flag: string }) => c.flag)).toEqual(["--keep-probs", "--epochs", "--patience", "--max-norm", "--lr"]);
    const over = JSON.parse(cli(["train", "--data", "circle", "--size", "200", "--hidden", "32,32", "--recipe", "advised", "--epochs", "3", "--max-norm", "5", "--momentum", "0.8", "--json"]).stdout);
    expect(over.config).toMatchObject({ maxNorm: 5, optimizer: { beta: 0.8 }, patience: 10 });
    expectUsageError(cli(["train", "--data", "circle", "--recipe", "fancy"]), /--recipe must be one of advised; got "fancy"/);
    expectUsageError(cli(["train", "--data", "circle", "--recipe", "advised", "--max-norm", "0"]), /--max-norm must be a number > 0, got 0/);
  });

  it("--seeds trains each seed (in parallel) and summarizes them with 95% intervals; the same as training each seed alone", () => {
    const base = ["train", "--data", "xor", "--size", "200", "--hidden", "16", "--epochs", "6"];
    const r = cli([...base, "--seeds", "3", "--seed", "4", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.seeds).toEqual([4, 5, 6]);
    expect(out.runs.map((x: { seed: number }) => x.seed)).toEqual([4, 5, 6]);
    const alone = JSON.parse(cli([...base, "--seed", "5", "--json"]).stdout);
    expect(out.runs[1].test).toBe(alone.test.accuracy);
    const tests = out.runs.map((x: { test: number }) => x.test);
    expect(out.summary.test.mean).toBeCloseTo(tests.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    expect(out.summary.test.low).toBeLessThanOrEqual(out.summary.test.mean);
    expectUsageError(cli([...base, "--seeds", "2", "--save", "m.json"]), /--save writes one run; it cannot be combined with --seeds/);
    expectUsageError(cli([...base, "--seeds", "101"]), /--seeds must be a count in \[1, 100\]/);
  });
});

describe("checkpoint and resume", () => {
  it.each([
    ["a fixed budget", ["--epochs", "4"]],
    ["early stopping (its best weights and counters are in the checkpoint)", ["--epochs", "6", "--patience", "2", "--monitor", "dev-loss"]],
  ])("with %s, a run killed (SIGKILL) after its second checkpoint resumes to weights bit-identical to an uninterrupted run", async (_name, extra) => {
    const dir = tempDir();
    const args = ["train", "--data", "mnist", "--layers", "784,64,10", "--keep-probs", "0.9,0.5", ...extra, "--batch", "32", "--optimizer", "adam", "--lr", "0.001", "--seed", "3"];
    const full = join(dir, "full.json");
    expect(cli([...args, "--save", full]).status).toBe(0);

    const ckpt = join(dir, "ckpt");
    const child = cliAsync([...args, "--checkpoint", ckpt]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    const file = join(ckpt, "checkpoint.json");
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (existsSync(file)) {
        const epoch = JSON.parse(readFileSync(file, "utf8")).trainer.epoch;
        if (epoch >= 2) break;
      }
      if (child.exitCode !== null) throw new Error("training finished before it could be killed");
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const killedAt = JSON.parse(readFileSync(file, "utf8")).trainer.epoch;
    expect(killedAt).toBeLessThan(Number(extra[1]));

    const resumed = join(dir, "resumed.json");
    const r = cli(["train", "--resume", ckpt, "--save", resumed]);
    expect(r.status).toBe(0);
    const a = JSON.parse(readFileSync(full, "utf8"));
    const b = JSON.parse(readFileSync(resumed, "utf8"));
    expect(b.params.map((p: { data: string }) => p.data)).toEqual(a.params.map((p: { data: string }) => p.data));
    expect(b.checksum).toBe(a.checksum);
  }, 180_000);
});

describe("terminal output", () => {
  it("advise fits 100 columns when stdout is not a terminal, wrapping reasons at spaces only", () => {
    const r = cli(["advise", "--layers", "784,512,512,10"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    // Every word of every reason survives whole: the wrapped text, joined again, is the JSON's reason.
    const json = JSON.parse(cli(["advise", "--layers", "784,512,512,10", "--json"]).stdout);
    const reasonColumn = lines[0]!.indexOf("reason");
    const keepLine = lines.indexOf("--keep-probs 0.9,0.5,0.5");
    expect(keepLine).toBeGreaterThan(2 + 3);
    const reasons = lines.slice(2, keepLine).reduce<string[]>((acc, line) => {
      const cell = line.slice(reasonColumn);
      if (line.slice(0, reasonColumn).trim() === "") acc[acc.length - 1] += ` ${cell}`;
      else acc.push(cell);
      return acc;
    }, []);
    expect(reasons).toEqual(json.layers.map((l: { reason: string }) => l.reason));
    // The recipe's lines wrap too: each change starts with its flag, its continuation lines are indented under it.
    const recipe = lines.slice(keepLine + 1).filter((l) => l.startsWith("  "));
    expect(recipe.filter((l) => /^ {2}--\S+ \S+ -> /.test(l)).length).toBe(json.recipe.length - 1);
    expect(recipe.some((l) => l.startsWith("    "))).toBe(true);
  });

  it("the top-level --help names lab and serve and gives runnable examples", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}lab +runs every experiment/m);
    expect(r.stdout).toMatch(/^ {2}serve +serves the playground/m);
    const examples = r.stdout.split("\n").filter((l) => l.trim().startsWith("$ dropout-lab "));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const commands = new Set(examples.map((l) => l.trim().split(" ")[2]));
    for (const c of ["lab", "serve", "train", "advise"]) expect(commands).toContain(c);
  });
});

describe("dropout-lab serve", () => {
  it("serves the built playground on 127.0.0.1 and prints the URL", async () => {
    const child = cliAsync(["serve", "--port", "0"]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const m = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(await res.text()).toMatch(/playground/i);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
