// The playground's layout in Chromium: it fits a phone without sideways
// scrolling, puts the output right under the run bar there, keeps still while
// it loads (cumulative layout shift, measured the way browsers report it) and
// while a person changes the backend.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, box, browserTests, horizontalOverflow, ready, step, usePlayground } from "./browser.js";

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const TABLET: BrowserContextOptions = { viewport: { width: 900, height: 1000 } };

/** Google's bound for a "good" cumulative layout shift. */
const GOOD_CLS = 0.1;

interface Shift {
  value: number;
  hadRecentInput: boolean;
  sources: string[];
}

/** Runs in the page before its own scripts: keeps every layout shift entry, buffered from the start of the document. */
function recordShifts(): void {
  type Node = { nodeType: number; nodeName: string; id?: string; className?: unknown };
  type Entry = { value: number; hadRecentInput: boolean; sources?: { node: Node | null; previousRect: { y: number }; currentRect: { y: number } }[] };
  type Observer = new (cb: (list: { getEntries(): Entry[] }) => void) => { observe(o: { type: string; buffered: boolean }): void };
  const g = globalThis as unknown as { PerformanceObserver: Observer; layoutShifts: Shift[] };
  g.layoutShifts = [];
  new g.PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const sources = (e.sources ?? []).map((s) => {
        const n = s.node;
        const name = !n ? "(removed)" : `${n.nodeName.toLowerCase()}${n.id ? `#${n.id}` : ""}${typeof n.className === "string" && n.className ? `.${n.className.split(" ").join(".")}` : ""}`;
        return `${name} y ${Math.round(s.previousRect.y)} -> ${Math.round(s.currentRect.y)}`;
      });
      g.layoutShifts.push({ value: e.value, hadRecentInput: e.hadRecentInput, sources });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

describe.runIf(browserTests)("playground layout in Chromium", () => {
  const pg = usePlayground();

  it("fits a narrow window without sideways scrolling", async () => {
    const page = await pg.open("", { viewport: { width: 420, height: 900 } });
    await step(page, 2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground-narrow.png"), fullPage: true });
    await page.close();
  });

  it("on a 390-px phone: no sideways overflow, chart and surfaces right after the run bar, the command wraps at spaces only", async () => {
    const page = await pg.open("", PHONE);
    await step(page, 2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const play = await box(page, "#play"), chart = await box(page, "#cost-chart"), surface = await box(page, "#surface");
    expect(chart.top).toBeGreaterThan(play.bottom);
    // Before every setting, the data and the network: the output is the first thing under the run bar.
    for (const later of ["#f-lr", "#dataset-choices", "#diagram", "#keep-0"]) expect((await box(page, later)).top).toBeGreaterThan(surface.bottom);
    expect(chart.top - play.bottom).toBeLessThan(300);
    // Every word of the CLI line sits on one line: a word split across lines has two client rects.
    const split = await page.evaluate(() => {
      type El = { textContent: string; getClientRects(): { length: number } };
      const words = (globalThis as unknown as { document: { querySelectorAll(s: string): El[] } }).document.querySelectorAll("#cli-line .w");
      return { words: words.length, split: Array.from(words).filter((w) => w.getClientRects().length !== 1).map((w) => w.textContent) };
    });
    expect(split.words).toBeGreaterThan(10);
    expect(split.split).toEqual([]);
    expect((await box(page, "#cli-line")).height).toBeGreaterThan(40);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground-phone.png"), fullPage: true });
    await page.close();
  });

  /**
   * Every layout shift while the page loads, its script held back until the
   * HTML has been painted (as on a slow network, where the page is seen
   * before its script runs), then 2 s for the worker's late news (the data,
   * the backend, messages) to land.
   */
  async function loadShifts(hash: string, context: BrowserContextOptions): Promise<Shift[]> {
    const page = await pg.openBare(hash, context, async (p: Page) => {
      await p.addInitScript(recordShifts);
      await p.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
        const painted = () => p.evaluate(() => (globalThis as unknown as { performance: { getEntriesByName(n: string): unknown[] } }).performance.getEntriesByName("first-contentful-paint").length);
        await expect.poll(painted, { timeout: 10_000 }).toBe(1);
        await route.continue();
      });
    });
    await ready(page);
    await page.locator("#backend-status[data-backend]").waitFor({ state: "attached" });
    await page.waitForTimeout(2_000);
    const shifts = await page.evaluate(() => (globalThis as unknown as { layoutShifts: Shift[] }).layoutShifts);
    await page.close();
    return shifts;
  }

  // The sum of all shifts bounds CLS (the worst 5-s window) from above. Nothing here is user input, so entries that
  // Chromium flags as following input count too: it takes the emulated phone's viewport change for input.
  const viewports: [string, BrowserContextOptions][] = [["a 390-px phone", PHONE], ["a desktop", DESKTOP], ["a 900-px tablet", TABLET]];
  it.each(viewports)("loads on %s with a cumulative layout shift under 0.1, refused URL settings included", async (_, context) => {
    for (const hash of ["", "lr=abc&batch=0&data=moons"]) {
      const shifts = await loadShifts(hash, context);
      const total = shifts.reduce((sum, s) => sum + s.value, 0);
      expect(total, `#${hash}: ${JSON.stringify(shifts, null, 1)}`).toBeLessThan(GOOD_CLS);
    }
  });

  it("choosing a backend moves nothing: the chart and the data keep their places for every option, wide, medium and phone", async () => {
    for (const context of [DESKTOP, { viewport: { width: 1024, height: 768 } }, PHONE]) {
      const page = await pg.open("", context);
      // The threaded options are offered once the worker says it can run them (the page is cross-origin isolated).
      await page.selectOption("#f-backend", "wasm");
      await page.locator('#backend-status[data-backend="wasm"]').waitFor({ state: "attached" });
      const cores = await page.evaluate(() => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency);
      if (cores >= 2) await page.locator(`#f-backend option[value="wasm:${Math.min(cores, 4)}"]`).waitFor({ state: "attached" });
      const options = await page.locator("#f-backend option").evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      expect(options.length).toBeGreaterThanOrEqual(2);
      const place = async (selector: string) => {
        const b = await box(page, selector);
        return `${selector} at ${b.left},${b.top} ${b.width}x${b.height}`;
      };
      const where = async () => [await place("#cost-chart"), await place("#dataset-choices"), await place("#backend-status")];
      await page.selectOption("#f-backend", "js");
      await page.locator('#backend-status[data-backend="js"]').waitFor({ state: "attached" });
      const before = await where();
      for (const value of [...options, "js"]) {
        await page.selectOption("#f-backend", value);
        const [backend, threads] = value.split(":");
        await page.locator(`#backend-status[data-backend="${backend}"]${threads ? `[data-threads="${threads}"]` : ""}`).waitFor({ state: "attached" });
        expect([value, await where()]).toEqual([value, before]);
      }
      await page.close();
    }
  });

  it("the cost chart's x axis runs to its last tick, and no tick label runs off the canvas, on a phone and a desktop", async () => {
    for (const context of [PHONE, DESKTOP]) {
      const page = await pg.open("", context);
      await step(page, 3);
      const { ticks, width } = await page.evaluate(() => {
        type Canvas = { dataset: { xTicks?: string }; getBoundingClientRect(): { width: number } };
        const c = (globalThis as unknown as { document: { querySelector(s: string): Canvas } }).document.querySelector("#cost-chart");
        return { ticks: c.dataset.xTicks ?? "", width: Math.round(c.getBoundingClientRect().width) };
      });
      const labels = ticks.split(";").map((t) => {
        const [text, left, right] = t.split(" ");
        return { text, left: Number(left), right: Number(right) };
      });
      // until a run passes 100 steps the axis shows 100 of them, and its last label is drawn whole
      expect(labels.map((l) => l.text)).toEqual(["0", "20", "40", "60", "80", "100"]);
      for (const l of labels) expect([l.text, l.left >= 0 && l.right <= width]).toEqual([l.text, true]);
      for (let i = 1; i < labels.length; i++) expect(labels[i]!.left).toBeGreaterThan(labels[i - 1]!.right);
      await page.close();
    }
  });

  it("logged no console errors and fetched nothing from another host", () => {
    expect(pg.problems).toEqual([]);
  });
});
