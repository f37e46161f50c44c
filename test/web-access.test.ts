// The playground for people who use a keyboard, a finger, a screen reader or
// ask for less motion, in Chromium: the advisor's reason opens from the
// keyboard, controls are touch targets of at least 24 px, every canvas says
// what it shows, and under prefers-reduced-motion the diagram's dropped units
// stop flickering while it trains (without it, they change every frame).

import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTests, status, step, usePlayground } from "./browser.js";

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

type Doc = { document: { querySelectorAll(s: string): El[]; activeElement: El | null }; getComputedStyle(e: El): { opacity: string } };
type El = {
  id: string;
  className: string;
  type?: string;
  tagName: string;
  offsetParent: unknown;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  closest(s: string): El | null;
};

describe.runIf(browserTests)("playground access in Chromium", () => {
  const pg = usePlayground();

  it("the advisor's reason opens from the keyboard", async () => {
    const page = await pg.open();
    const reason = page.locator("#advice-1 p");
    expect(await reason.isVisible()).toBe(false);
    await page.focus("#keep-1");
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.closest("#advice-1 summary") != null);
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => reason.isVisible()).toBe(true);
    expect(await reason.textContent()).toMatch(/^layer 1 \(\d+ units\) is fed by W1/);
    await page.close();
  });

  /** Shown controls smaller than 24 px (a checkbox counts with its label, which clicks it too; text fields by height only). */
  function smallTargets(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const g = globalThis as unknown as Doc;
      const out: string[] = [];
      for (const e of g.document.querySelectorAll("button, input, select, summary")) {
        if (!e.offsetParent || g.getComputedStyle(e).opacity === "0") continue;
        const target = e.type === "checkbox" ? (e.closest("label") ?? e) : e;
        const r = target.getBoundingClientRect();
        const wide = e.tagName === "BUTTON" || e.type === "checkbox" ? r.width >= 24 : true;
        if (r.height < 24 || !wide) out.push(`${e.tagName}#${e.id}.${e.className} ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
      }
      return out;
    });
  }

  it("controls are touch targets of at least 24 px, on a desktop and a phone, messages' buttons included", async () => {
    for (const context of [DESKTOP, PHONE]) {
      const page = await pg.open("compare=1&batch=0", context);
      await step(page, 2);
      expect(await page.locator("#messages button").count()).toBeGreaterThan(0);
      expect(await page.locator(".unit-buttons button").count()).toBeGreaterThan(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.close();
    }
  });

  /** Shown canvases that neither say what they show (role img and a label of a few words) nor are hidden from assistive tech as decoration. */
  function unlabelledCanvases(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const g = globalThis as unknown as Doc;
      const out: string[] = [];
      for (const c of g.document.querySelectorAll("canvas")) {
        if (!c.offsetParent || c.closest("[aria-hidden=true]")) continue;
        const label = c.getAttribute("aria-label") ?? "";
        if (c.getAttribute("role") !== "img" || label.split(" ").length < 3) out.push(`canvas#${c.id}.${c.className} in ${c.closest("[id]")?.id}: role ${c.getAttribute("role")}, label ${JSON.stringify(label)}`);
      }
      return out;
    });
  }

  it("every canvas says what it shows: what was dropped, the costs now, the surfaces, the compared runs, weight shares, digits", async () => {
    const page = await pg.open("compare=1");
    await step(page, 2);
    await page.click("#check");
    await page.locator('#check-result[data-result="pass"], #check-result[data-result="fail"]').waitFor({ timeout: 30_000 });
    expect(await unlabelledCanvases(page)).toEqual([]);
    const label = (await page.locator("#cost-chart").getAttribute("aria-label")) ?? "";
    expect(label).toContain("Cost over 2 steps");
    expect(label).toContain(`clean J ${Number(await status(page, "clean-j")).toPrecision(3)}`);
    expect(await page.locator("#diagram").getAttribute("aria-label")).toMatch(/^Network 2-32-32-1; step 2: \d+ units? dropped/);
    expect(await page.locator("#surface").getAttribute("aria-label")).toMatch(/^Decision surface.*\d+ training points/);
    expect(await page.locator("#uncertainty").getAttribute("aria-label")).toMatch(/from 0 \(white\) to [\d.]+ \(purple\), highest near x1 = /);
    expect(await page.locator("#compare-runs canvas").first().getAttribute("aria-label")).toMatch(/^Decision surface/);
    await page.close();

    const shares = await pg.open("data=four-inputs&layers=4,3,1&keep-probs=0.8,1");
    await step(shares, 2);
    expect(await unlabelledCanvases(shares)).toEqual([]);
    expect(await shares.locator("#surface").getAttribute("aria-label")).toMatch(/^How each first-layer unit splits \|w\| over its 4 inputs: unit 1: .*\d+%.*\(eff [\d.]+\); unit 2: .*; unit 3: .*\.$/);
    await shares.close();

    const digits = await pg.open("data=mnist&layers=784,16,10&keep-probs=0.9,0.5");
    await step(digits, 1);
    expect(await unlabelledCanvases(digits)).toEqual([]);
    expect(await digits.locator("#digits canvas").first().getAttribute("aria-label")).toMatch(/^digit \d, predicted \d/);
    await digits.close();
  });

  /**
   * Plays for `ms` and counts, while it plays, how many different steps the
   * diagram showed (each redraw shows that step's dropped units) and how many
   * the step counter showed.
   */
  async function diagramRedraws(page: Page, ms: number): Promise<{ diagram: number; counter: number }> {
    await page.evaluate(() => {
      type Watched = { getAttribute(n: string): string | null };
      type MO = new (cb: () => void) => { observe(target: Watched, o: { attributes: boolean; attributeFilter: string[] }): void };
      const g = globalThis as unknown as { MutationObserver: MO; document: { querySelector(s: string): Watched }; seen: { diagram: string[]; counter: string[] } };
      const seen = (g.seen = { diagram: [] as string[], counter: [] as string[] });
      for (const [key, selector] of [["diagram", "#diagram"], ["counter", "#status"]] as const) {
        const target = g.document.querySelector(selector);
        new g.MutationObserver(() => {
          const s = target.getAttribute("data-step") ?? "";
          if (seen[key].at(-1) !== s) seen[key].push(s);
        }).observe(target, { attributes: true, attributeFilter: ["data-step"] });
      }
    });
    await page.click("#play");
    await page.waitForTimeout(ms);
    const seen = await page.evaluate(() => (globalThis as unknown as { seen: { diagram: string[]; counter: string[] } }).seen);
    await page.click("#play");
    return { diagram: seen.diagram.length, counter: seen.counter.length };
  }

  const WATCH_MS = 3_000;
  /** Redraws allowed under reduced motion in WATCH_MS: one a second, one at the start, one to spare. */
  const REDUCED_MAX = WATCH_MS / 1000 + 2;

  it("under prefers-reduced-motion the diagram redraws at most about once a second while training, and shows the last step on pause", async () => {
    const page = await pg.open("", { ...DESKTOP, reducedMotion: "reduce" });
    const { diagram, counter } = await diagramRedraws(page, WATCH_MS);
    // the run went on (the counter moved many times) while the diagram stayed still between its once-a-second redraws
    expect(counter).toBeGreaterThan(2 * REDUCED_MAX);
    expect(diagram).toBeLessThanOrEqual(REDUCED_MAX);
    await page.locator('#status[data-playing="false"]').waitFor({ state: "attached" });
    await expect.poll(async () => (await page.locator("#diagram").getAttribute("data-step")) === (await status(page, "step"))).toBe(true);
    await page.close();
  });

  it("without a motion preference the diagram shows every frame's dropped units while training", async () => {
    const page = await pg.open("", DESKTOP);
    const { diagram, counter } = await diagramRedraws(page, WATCH_MS);
    expect(diagram).toBeGreaterThan(2 * REDUCED_MAX);
    expect(diagram).toBeGreaterThanOrEqual(counter - 1);
    await page.close();
  });

  it("logged no console errors and fetched nothing from another host", () => {
    expect(pg.problems).toEqual([]);
  });
});
