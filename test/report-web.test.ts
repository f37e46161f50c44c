// The lab's report as a reader sees it, in Chromium: a `lab --quick` run of
// the sections with line plots (linear and log axes), bar charts, tables and
// commands, opened from disk on a desktop and on a 390-px phone.

import { pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTests, horizontalOverflow, launchChromium } from "./browser.js";
import { cli, tempDir } from "./helpers.js";

describe.runIf(browserTests)("the lab report in Chromium", () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const dir = tempDir();
    const r = cli(["lab", "--quick", "--only", "spread,ridge,check,mc", "--out", dir, "--json"], { timeout: 300_000 });
    expect(r.status).toBe(0);
    url = pathToFileURL(join(dir, "index.html")).href;
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url);
    return page;
  }

  it("every plot is an image with a name a screen reader reads, and fills its card's width on a desktop", async () => {
    const page = await open(1280);
    const plots = await page.evaluate(() => {
      type R = { width: number; height: number };
      type El = { getBoundingClientRect(): R; getAttribute(n: string): string | null; firstElementChild: { tagName: string; textContent: string } | null; closest(s: string): El; querySelectorAll(s: string): El[] };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): El[] } }).document;
      return Array.from(doc.querySelectorAll("figure svg")).map((svg) => {
        const section = svg.closest("section").getBoundingClientRect().width;
        const texts = Array.from(svg.querySelectorAll("text")).map((t) => t.getBoundingClientRect().height).filter((h) => h > 0);
        return {
          role: svg.getAttribute("role"),
          label: svg.getAttribute("aria-label") ?? "",
          title: svg.firstElementChild?.tagName === "title" ? svg.firstElementChild.textContent : "",
          share: svg.getBoundingClientRect().width / section,
          smallestText: Math.min(...texts),
        };
      });
    });
    expect(plots.length).toBeGreaterThanOrEqual(5);
    for (const p of plots) {
      expect(p.role).toBe("img");
      expect(p.label.length).toBeGreaterThan(10);
      expect(p.title).toBe(p.label);
      // the plot spans the card (less its padding), not half of it
      expect(p.share).toBeGreaterThan(0.85);
      // the smallest label is drawn at least 11 px tall
      expect(p.smallestText).toBeGreaterThanOrEqual(11);
    }
    await page.close();
  });

  it("on a 390-px phone: no sideways scrolling (wide tables scroll inside their box), and commands wrap between words only", async () => {
    const page = await open(390);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const words = await page.evaluate(() => {
      type El = { textContent: string; getClientRects(): { length: number } };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): El[] } }).document;
      const all = Array.from(doc.querySelectorAll("pre .w"));
      return { count: all.length, split: all.filter((w) => w.getClientRects().length !== 1).map((w) => w.textContent) };
    });
    expect(words.count).toBeGreaterThan(20);
    expect(words.split).toEqual([]);
    await page.close();
  });
});
