// The playground's layout in Chromium: it fits a phone without sideways
// scrolling and puts the output right under the run bar there.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, box, browserTests, horizontalOverflow, startPlayground, step, type Playground } from "./browser.js";

describe.runIf(browserTests)("playground layout in Chromium", () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => {
    await pg?.close();
  });

  it("fits a narrow window without sideways scrolling", async () => {
    const page = await pg.open("", { viewport: { width: 420, height: 900 } });
    await step(page, 2);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground-narrow.png"), fullPage: true });
    await page.close();
  });

  it("on a 390-px phone: no sideways overflow, chart and surfaces right after the run bar, the command wraps at spaces only", async () => {
    const page = await pg.open("", { viewport: { width: 390, height: 844 } });
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

  it("logged no console errors and fetched nothing from another host", () => {
    expect(pg.problems).toEqual([]);
  });
});
