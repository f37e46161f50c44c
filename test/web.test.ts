// The playground in a real browser: Debian's Chromium driven by playwright-core
// against the built page (dist/web) served by our own static server. The tests
// read the page the way a person does, from what it shows: counters, data
// attributes on the views, visible messages, the URL. Layout and access have
// their own files (web-layout, web-access); test/browser.ts holds the harness.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, browserTests, hashOf, ready, status, step, usePlayground } from "./browser.js";

describe.runIf(browserTests)("playground in Chromium", () => {
  const pg = usePlayground();
  const open = (hash?: string) => pg.open(hash);

  /** The diagram's count of dropped units is the number of units it lists, it says so in its text alternative, and it shows the step the counters show. */
  async function expectDroppedConsistent(page: Page): Promise<void> {
    // one snapshot of the diagram and the status, read together in the page (a frame may land between two reads);
    // the diagram redraws on the next frame (at most once a second under reduced motion): wait until it shows the last step
    const snapshot = () =>
      page.evaluate(() => {
        type El = { getAttribute(name: string): string | null };
        const doc = (globalThis as unknown as { document: { querySelector(sel: string): El } }).document;
        const d = doc.querySelector("#diagram"), st = doc.querySelector("#status");
        return { step: d.getAttribute("data-step"), count: d.getAttribute("data-dropped"), units: d.getAttribute("data-dropped-units") ?? "", label: d.getAttribute("aria-label") ?? "", statusStep: st.getAttribute("data-step") };
      });
    await expect.poll(async () => { const s = await snapshot(); return s.step === s.statusStep; }, { timeout: 5_000 }).toBe(true);
    const { count, units, label } = await snapshot();
    expect(count).toMatch(/^\d+$/);
    const listed = units.split("|").reduce((n, layer) => n + (layer.split(":")[1] ? layer.split(":")[1]!.split(",").length : 0), 0);
    expect(Number(count)).toBe(listed);
    expect(label).toContain(`${count} unit${count === "1" ? "" : "s"} dropped`);
  }

  it("trains: after 200 steps the clean J is below its value at step 0", async () => {
    const page = await open();
    await page.click("#play");
    await expect.poll(async () => Number(await status(page, "step")), { timeout: 30_000 }).toBeGreaterThanOrEqual(200);
    await page.click("#play");
    await page.locator('#status[data-playing="false"]').waitFor({ state: "attached" });
    const j0 = Number(await status(page, "clean-j0")), j = Number(await status(page, "clean-j"));
    expect(j0).toBeGreaterThan(0);
    expect(j).toBeLessThan(j0);
    await expectDroppedConsistent(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });
    await page.close();
  });

  it("a lower keepProb makes dropped units appear in the diagram, new ones every step", async () => {
    const page = await open("keep-probs=1,1,1");
    await step(page, 1);
    expect(await page.locator("#diagram").getAttribute("data-dropped")).toBe("0");
    const slider = page.locator("#keep-1");
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press("ArrowLeft");
    await expect.poll(() => hashOf(page)).toContain("keep-probs=1,0.5,1");
    const seen = new Set<string>();
    await page.locator('#status[data-step="0"]').waitFor({ state: "attached" });
    for (let i = 1; i <= 4; i++) {
      await step(page, 1);
      seen.add((await page.locator("#diagram").getAttribute("data-dropped-units")) ?? "");
      await expectDroppedConsistent(page);
    }
    const dropped = [...seen].filter((s) => /^0:\|1:\d/.test(s));
    expect(dropped.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(1);
    await page.close();
  });

  it("the URL holds the experiment: a reload gives the same settings", async () => {
    const page = await open();
    await page.click("label.dataset-choice:has-text('XOR')");
    await page.fill("#f-lr", "0.1");
    await page.press("#f-lr", "Enter");
    await page.selectOption("#f-activation", "relu");
    await page.fill("#f-hidden", "6,4");
    await page.press("#f-hidden", "Enter");
    await page.fill("#f-seed", "42");
    await page.press("#f-seed", "Enter");
    await expect.poll(() => hashOf(page)).toContain("seed=42");
    const hash = hashOf(page);
    expect(hash).toContain("data=xor");
    expect(hash).toContain("layers=2,6,4,1");
    expect(hash).toContain("lr=0.1");
    expect(hash).toContain("activation=relu");
    const cli = await page.locator("#cli-line").textContent();
    expect(cli).toContain("dropout-lab train --data xor");
    expect(cli).toContain("--layers 2,6,4,1");
    expect(cli).toContain("--seed 42");
    await page.reload();
    await ready(page);
    expect(hashOf(page)).toBe(hash);
    expect(await page.inputValue("#f-lr")).toBe("0.1");
    expect(await page.inputValue("#f-activation")).toBe("relu");
    expect(await page.inputValue("#f-hidden")).toBe("6,4");
    expect(await page.inputValue("#f-seed")).toBe("42");
    expect(await page.isChecked("input[name=data][value=xor]")).toBe(true);
    expect(await page.locator("#cli-line").textContent()).toBe(cli);
    await page.close();
  });

  it("the same seed gives the same run; another seed another one", async () => {
    const run = async (hash: string) => {
      const page = await open(hash);
      await step(page, 12);
      const out = [await status(page, "cost"), await status(page, "clean-j"), await page.locator("#diagram").getAttribute("data-dropped-units")];
      await page.close();
      return out;
    };
    const a = await run("seed=7"), b = await run("seed=7"), c = await run("seed=8");
    expect(a).toEqual(b);
    expect(a[0]).not.toBe(c[0]);
  });

  it("Check J passes on circle", async () => {
    const page = await open("size=500&train-fraction=0.7&data=circle&layers=2,8,8,1");
    await step(page, 5);
    await page.click("#check");
    await page.locator('#check-result[data-result="pass"], #check-result[data-result="fail"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#check-result").getAttribute("data-result")).toBe("pass");
    expect(await page.locator("#check-result").textContent()).toContain("PASS");
    expect(await page.locator("#check-panel").isVisible()).toBe(true);
    await page.close();
  });

  it("refuses bad input from the URL and the fields, keeping the last valid setting", async () => {
    const page = await open("keep-probs=0,0.5,0.5&lr=abc&layers=2,1000000,1&noise=2");
    const messages = page.locator("#messages .message");
    await expect.poll(() => messages.count()).toBeGreaterThanOrEqual(4);
    const text = (await messages.allTextContents()).join("\n");
    expect(text).toContain("keepProb of the input layer must be a number in (0, 1], got 0");
    expect(text).toContain('Learning rate must be a number, got "abc"; kept lr=0.1');
    expect(text).toContain("1000000");
    expect(text).toContain("Noise must be a number in [0, 1], got 2");
    expect(text).not.toMatch(/keep-probs\[|batchSize|\blr must/);
    expect(await page.isVisible("#messages .message")).toBe(true);
    expect(await page.inputValue("#f-lr")).toBe("0.1");
    expect(await page.inputValue("#f-hidden")).toBe("32,32");
    expect(await page.inputValue("#keep-text-0")).toBe("1");
    const hash = hashOf(page);
    expect(hash).toContain("keep-probs=1,0.5,0.5");

    const refused = async (selector: string, value: string, expected: string, kept: string) => {
      await page.fill(selector, value);
      await page.press(selector, "Enter");
      await expect.poll(async () => (await messages.allTextContents()).join("\n")).toContain(expected);
      expect(await page.inputValue(selector)).toBe(kept);
      expect(await page.getAttribute(selector, "aria-invalid")).toBe("true");
      expect(hashOf(page)).toBe(hash);
    };
    await refused("#keep-text-1", "1.5", "keepProb of hidden layer 1 must be a number in (0, 1], got 1.5", "0.5");
    await refused("#keep-text-0", "0", "keepProb of the input layer must be a number in (0, 1], got 0", "1");
    await refused("#keep-text-2", "half", 'keepProb of hidden layer 2 must be a number, got "half"', "0.5");
    await refused("#f-hidden", "1000000", "hidden layer 1 size must be an integer in [1, 256], got 1000000", "32,32");
    await refused("#f-lr", "fast", 'Learning rate must be a number, got "fast"; kept Learning rate 0.1', "0.1");
    await refused("#f-batch", "0", "Batch size must be an integer", "10");
    await page.close();
  });

  it("compare mode trains none, L2 and dropout side by side; MNIST loads from the bundle", async () => {
    const page = await open("compare=1");
    await step(page, 3);
    await expect.poll(() => page.locator("#compare-runs .compare-run").count()).toBe(3);
    expect(await page.locator("#compare-runs h3").allTextContents()).toEqual(["no regularization", "L2 λ=1", "dropout 1,0.5,0.5"]);
    await page.goto(`${pg.server.url}#data=mnist&layers=784,16,10&keep-probs=0.9,0.5`);
    await page.reload();
    await ready(page);
    await step(page, 2);
    expect(await page.locator("#digits .digit").count()).toBe(24);
    expect(Number(await page.locator("#diagram").getAttribute("data-dropped"))).toBeGreaterThan(0);
    await page.close();
  });

  it("chooses the backend: js by default, wasm, and wasm on several threads where the page is isolated; kept in the URL and the CLI line", async () => {
    const page = await open();
    const cli = () => page.locator("#cli-line").textContent();
    expect(await page.inputValue("#f-backend")).toBe("js");
    expect(await cli()).toMatch(/ --seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend js$/);
    expect(await page.locator("#backend-status").getAttribute("data-backend")).toBe("js");
    await page.selectOption("#f-backend", "wasm");
    await expect.poll(() => hashOf(page)).toContain("&backend=wasm");
    expect(await cli()).toMatch(/ --seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend wasm$/);
    expect(await page.locator("#cli-note").textContent()).toContain("--backend wasm");
    await page.locator('#backend-status[data-backend="wasm"][data-threads="1"]').waitFor({ state: "attached" });
    expect(await page.locator("#backend-status").textContent()).toMatch(/SIMD, 1 thread$/);

    const cores = await page.evaluate(() => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency);
    const threads = Math.min(cores, 4);
    if (threads >= 2) {
      // Offered once the worker reports that it can run them (the page is cross-origin isolated).
      await page.locator(`#f-backend option[value="wasm:${threads}"]`).waitFor({ state: "attached" });
      expect(await page.locator(`#f-backend option[value="wasm:${threads}"]`).textContent()).toBe(`wasm, ${threads} threads`);
      await page.selectOption("#f-backend", `wasm:${threads}`);
      await expect.poll(() => hashOf(page)).toContain(`&backend=wasm&threads=${threads}`);
      expect(await cli()).toMatch(/ --seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend wasm$/);
      await page.locator(`#backend-status[data-threads="${threads}"]`).waitFor({ state: "attached" });
      await page.reload();
      await ready(page);
      expect(await page.inputValue("#f-backend")).toBe(`wasm:${threads}`);
    }
    await page.selectOption("#f-backend", "js");
    await expect.poll(() => hashOf(page)).not.toContain("backend=");
    expect(hashOf(page)).not.toContain("threads=");
    expect(await cli()).toMatch(/ --seed 1 --dev-fraction 0.475 --test-fraction 0.475 --backend js$/);
    await page.locator('#backend-status[data-backend="js"]').waitFor({ state: "attached" });
    await page.close();
  });

  it("is cross-origin isolated: wasm on 2 threads splits large products in the worker, bit for bit the 1-thread run", async () => {
    const mnist = "data=mnist&layers=784,256,10&keep-probs=1,0.5&batch=100";
    const run = async (backend: string) => {
      const page = await open(`${mnist}&${backend}`);
      expect(await page.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated)).toBe(true);
      await step(page, 10);
      const shown = page.locator("#backend-status");
      const out = {
        result: [await status(page, "cost"), await status(page, "clean-j"), await page.locator("#diagram").getAttribute("data-dropped-units")],
        variant: await shown.getAttribute("data-variant"),
        threads: await shown.getAttribute("data-threads"),
        productsSplit: Number(await shown.getAttribute("data-products-split")),
        helperChunks: Number(await shown.getAttribute("data-helper-chunks")),
        text: await shown.textContent(),
      };
      await page.close();
      return out;
    };
    const two = await run("backend=wasm&threads=2");
    const one = await run("backend=wasm");
    expect(two.threads).toBe("2");
    expect(two.productsSplit).toBeGreaterThan(0);
    expect(two.helperChunks).toBeGreaterThan(0);
    expect(two.text).toContain("2 threads");
    expect(one).toMatchObject({ threads: "1", productsSplit: 0, helperChunks: 0 });
    expect(two.variant).toBe(one.variant);
    expect(two.result[1]).not.toBe("");
    expect(two.result).toEqual(one.result);
  });

  it("every control round-trips through the URL, view settings included, without restarting the run for a view change", async () => {
    const page = await open();
    await page.click("label.dataset-choice:has-text('Gauss')");
    const set = async (selector: string, value: string) => {
      await page.fill(selector, value);
      await page.press(selector, "Enter");
    };
    await page.locator("#f-noise").fill("0.25");
    await page.locator("#f-train-fraction").fill("0.3");
    await set("#f-size", "1000");
    await set("#f-hidden", "6,5");
    await set("#keep-text-1", "0.6");
    await page.selectOption("#f-optimizer", "momentum");
    await page.selectOption("#f-activation", "relu");
    await set("#f-lr", "0.05");
    await set("#f-batch", "16");
    await set("#f-l2", "0.5");
    await set("#f-max-norm", "3");
    await set("#f-epochs", "30");
    await set("#f-seed", "9");
    await page.check("#f-compare");
    await page.selectOption("#f-backend", "wasm");
    await expect.poll(() => hashOf(page)).toContain("backend=wasm");
    await step(page, 3);
    await page.check("#show-test");
    await page.check("#f-log-y");
    await page.selectOption("#f-uncertainty", "entropy");
    await page.check("#f-continue");
    await expect.poll(() => hashOf(page)).toContain("continue=1");
    // View settings redraw; they do not start the run again.
    expect(await status(page, "step")).toBe("3");
    const hash = hashOf(page);
    for (const part of ["data=gauss", "noise=0.25", "size=1000", "train-fraction=0.3", "layers=2,6,5,1", "keep-probs=1,0.6,", "optimizer=momentum", "activation=relu", "lr=0.05", "batch=16", "l2=0.5", "max-norm=3", "epochs=30", "seed=9", "compare=1", "backend=wasm", "test=1", "log-y=1", "uncertainty=entropy", "continue=1"]) {
      expect(hash).toContain(part);
    }
    // the slider, the URL and the CLI say the same noise
    expect(await page.locator("#noise-value").textContent()).toBe("0.25");
    expect(await page.locator("#cli-line").textContent()).toContain("--noise 0.25");
    // every control of the page was set above: a new one without a round trip here fails this
    const named = await page.locator("input[name], select[name]").evaluateAll((els) => [...new Set(els.map((e) => (e as unknown as { name: string }).name))].sort());
    expect(named).toEqual(["activation", "backend", "batch", "compare", "continue", "data", "epochs", "hidden", "l2", "log-y", "lr", "max-norm", "noise", "optimizer", "seed", "size", "test", "train-fraction", "uncertainty"]);
    await page.reload();
    await ready(page);
    expect(hashOf(page)).toBe(hash);
    const values: [string, string][] = [["#f-lr", "0.05"], ["#f-batch", "16"], ["#f-l2", "0.5"], ["#f-max-norm", "3"], ["#f-epochs", "30"], ["#f-seed", "9"], ["#f-hidden", "6,5"], ["#keep-text-1", "0.6"], ["#f-optimizer", "momentum"], ["#f-activation", "relu"], ["#f-backend", "wasm"], ["#f-uncertainty", "entropy"], ["#f-noise", "0.25"], ["#f-train-fraction", "0.3"], ["#f-size", "1000"]];
    for (const [selector, value] of values) expect([selector, await page.inputValue(selector)]).toEqual([selector, value]);
    for (const selector of ["#f-compare", "#show-test", "#f-log-y", "#f-continue", "input[name=data][value=gauss]"]) expect([selector, await page.isChecked(selector)]).toEqual([selector, true]);
    expect(await page.locator("#noise-value").textContent()).toBe("0.25");
    expect(await page.locator("#cost-chart").getAttribute("aria-label")).toContain("(log scale)");
    await page.close();
  });

  it("continue from these weights: new keepProbs and learning rate carry the run on, step count and J kept, the change marked", async () => {
    const page = await open("size=500&train-fraction=0.7&data=circle&layers=2,8,8,1&keep-probs=1,1,1&batch=10&continue=1");
    // 350 training examples in batches of 10: one epoch is 35 steps, after which the trainer can change settings.
    await step(page, 35);
    const j0 = await status(page, "clean-j0"), j35 = await status(page, "clean-j");
    expect(await page.locator("#diagram").getAttribute("data-dropped")).toBe("0");
    await page.fill("#keep-text-1", "0.5");
    await page.press("#keep-text-1", "Enter");
    await expect.poll(() => hashOf(page)).toContain("keep-probs=1,0.5,1");
    await expect.poll(() => page.locator("#run-state").textContent()).toContain("At step 35: keepProbs 1,1,1 → 1,0.5,1");
    expect(await status(page, "step")).toBe("35");
    expect(await status(page, "clean-j0")).toBe(j0);
    expect(await status(page, "clean-j")).toBe(j35);
    await page.fill("#f-lr", "0.05");
    await page.press("#f-lr", "Enter");
    await expect.poll(() => page.locator("#run-state").textContent()).toContain("learning rate 0.1 → 0.05");
    await step(page, 3);
    expect(await status(page, "step")).toBe("38");
    expect(await page.locator("#diagram").getAttribute("data-dropped-units")).toMatch(/^0:\|1:[\d,]*\|2:$/);
    expect(await page.locator("#cli-note").textContent()).toContain("changed its settings at step 35");
    // Without "continue", the same kind of change starts a fresh run.
    await page.uncheck("#f-continue");
    await page.fill("#keep-text-1", "0.8");
    await page.press("#keep-text-1", "Enter");
    await page.locator('#status[data-step="0"]').waitFor({ state: "attached" });
    expect(await page.locator("#run-state").textContent()).not.toContain("At step");
    await page.close();
  });

  it("a run that diverges stops and says so in words, at the step it failed", async () => {
    const page = await open("lr=10&optimizer=momentum&activation=relu&layers=2,64,64,64,1&keep-probs=1,0.5,0.5,1");
    await page.click("#play");
    const message = page.locator("#messages .message", { hasText: "diverged" });
    await message.waitFor({ timeout: 30_000 });
    const text = (await message.textContent()) ?? "";
    expect(text).toMatch(/^training diverged at step (\d+): the cost became NaN or infinite \(last finite cost [\d.e+]+\); lower the learning rate or check the data/);
    expect(text).not.toMatch(/\b(lr|batchSize|keep-probs|keepProbs\[)\b/);
    await page.locator('#status[data-playing="false"]').waitFor({ state: "attached" });
    // the counters show the last step that trained
    await expect.poll(async () => Number(await status(page, "step"))).toBe(Number(/step (\d+)/.exec(text)![1]) - 1);
    await page.close();
  });

  it("says so when a URL names a data set the page lacks, in the labels the page shows", async () => {
    const page = await open("data=moons&batch=0&noise=0.35");
    const text = async () => (await page.locator("#messages .message").allTextContents()).join("\n");
    await expect.poll(text).toContain('Data set must be one of circle, xor, gauss, spiral, four-inputs, mnist; got "moons"');
    expect(await text()).toContain("Batch size must be an integer");
    expect(await page.locator("#noise-value").textContent()).toBe("0.35");
    expect(hashOf(page)).toContain("noise=0.35");
    await page.close();
  });

  it("the uncertainty map's colours span the values it holds: the bar's top is the map's largest value", async () => {
    const page = await open("data=circle&layers=2,8,8,1&keep-probs=1,0.5,0.5");
    await step(page, 40);
    const max = Number(await page.locator("#uncertainty").getAttribute("data-max"));
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(0.5);
    expect(await page.locator("#uncertainty-range").textContent()).toContain(max < 0.01 ? max.toPrecision(2) : max.toFixed(3));
    await page.selectOption("#f-uncertainty", "entropy");
    await expect.poll(() => page.locator("#uncertainty").getAttribute("data-measure")).toBe("entropy");
    const h = Number(await page.locator("#uncertainty").getAttribute("data-max"));
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThanOrEqual(Math.log(2) + 1e-6);
    expect(await status(page, "step")).toBe("40");
    await page.close();
  });

  it("a run that ends says so and why; Check J explains its example cap and words the gradient check by its threshold", async () => {
    const page = await open("size=500&train-fraction=0.7&data=circle&layers=2,8,1&keep-probs=1,0.5&epochs=2&batch=50");
    await page.click("#play");
    await page.locator('#status[data-done="true"]').waitFor({ state: "attached", timeout: 30_000 });
    expect(await status(page, "epoch")).toBe("2");
    expect(await page.locator("#run-state").textContent()).toMatch(/^Ended at epoch 2 \(step 14\): the run reached its 2 epochs\./);
    await page.click("#check");
    await page.locator('#check-result[data-result="pass"], #check-result[data-result="fail"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#check-result").textContent()).toContain("300 of the 350 training examples (Check J uses at most 300");
    expect(await page.locator("#check-details").textContent()).toMatch(/largest relative error [\d.]+e-\d+: (the back-propagated and numerical gradients agree \(below 1e-7\)|they agree to about six digits)/);
    await page.close();
  });

  it("Compare says in one line what its runs show, from their numbers at the best dev epoch", async () => {
    const page = await open("size=500&train-fraction=0.7&data=circle&layers=2,8,8,1&keep-probs=1,0.5,0.5&epochs=4&compare=1");
    await page.click("#play");
    await page.locator('#status[data-done="true"]').waitFor({ state: "attached", timeout: 60_000 });
    const verdict = (await page.locator("#compare-verdict").textContent()) ?? "";
    const runs = page.locator("#compare-runs .compare-run");
    expect(await runs.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const acc = Number(await runs.nth(i).getAttribute("data-best-test-accuracy"));
      const epoch = await runs.nth(i).getAttribute("data-best-epoch");
      expect(epoch).toMatch(/^[1-4]$/);
      expect(verdict).toContain(`${(100 * acc).toFixed(1)}% (epoch ${epoch})`);
    }
    const contrast = "(dropout vs none [+−][\\d.]+ pts, within the test set's noise \\(±[\\d.]+ pts at 95% on 75 test points\\): no measurable difference|dropout (beats|trails) no regularization by [\\d.]+ pts, more than the test set's noise \\(±[\\d.]+ pts at 95% on 75 test points\\))";
    expect(verdict).toMatch(new RegExp(`^Test accuracy after 4 epochs: no regularization [\\d.]+%, L2 λ=1 [\\d.]+%, dropout 1,0.5,0.5 [\\d.]+%; ${contrast}\\. At each run's best dev epoch \\(what early stopping keeps\\): .*; ${contrast}\\.$`));
    const last = Number(await runs.nth(2).getAttribute("data-test-accuracy"));
    expect(verdict).toContain(`dropout 1,0.5,0.5 ${(100 * last).toFixed(1)}%;`);
    await page.close();
  });

  it("logged no console errors and fetched nothing from another host", () => {
    expect(pg.problems).toEqual([]);
  });
});
