// The playground for people who use a keyboard, a finger or a screen reader,
// in Chromium: the advisor's reason opens from the keyboard, controls are
// touch targets of at least 24 px, and the canvases say what they show.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTests, startPlayground, status, step, type Playground } from "./browser.js";

describe.runIf(browserTests)("playground access in Chromium", () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await startPlayground();
  }, 120_000);
  afterAll(async () => {
    await pg?.close();
  });

  it("the advisor's reason opens from the keyboard", async () => {
    const page = await pg.open();
    const reason = page.locator("#advice-1 p");
    expect(await reason.isVisible()).toBe(false);
    await page.focus("#keep-1");
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }).document.activeElement?.closest("#advice-1 summary") != null);
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => reason.isVisible()).toBe(true);
    expect(await reason.textContent()).toMatch(/^layer 1 \(\d+ units\) is fed by W1/);
    await page.close();
  });

  it("controls are touch targets of at least 24 px, and the canvases describe what they show", async () => {
    const page = await pg.open("compare=1");
    await step(page, 2);
    const small = await page.evaluate(() => {
      type R = { width: number; height: number };
      type E = { id: string; className: string; type?: string; tagName: string; getBoundingClientRect(): R; closest(s: string): E | null; offsetParent: unknown };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): E[] }; getComputedStyle(e: E): { opacity: string } });
      const out: string[] = [];
      for (const e of doc.document.querySelectorAll("button, input, select, summary")) {
        if (!e.offsetParent || doc.getComputedStyle(e).opacity === "0") continue;
        const target = e.type === "checkbox" ? (e.closest("label") ?? e) : e;
        const r = target.getBoundingClientRect();
        const wide = e.tagName === "BUTTON" || e.type === "checkbox" ? r.width >= 24 : true;
        if (r.height < 24 || !wide) out.push(`${e.tagName}#${e.id}.${e.className} ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
      }
      return out;
    });
    expect(small).toEqual([]);
    const label = (await page.locator("#cost-chart").getAttribute("aria-label")) ?? "";
    expect(label).toContain("Cost over 2 steps");
    expect(label).toContain(`clean J ${Number(await status(page, "clean-j")).toPrecision(3)}`);
    expect(await page.locator("#surface").getAttribute("aria-label")).toMatch(/^Decision surface.*\d+ training points/);
    expect(await page.locator("#uncertainty").getAttribute("aria-label")).toMatch(/from 0 \(white\) to [\d.]+ \(purple\), highest near x1 = /);
    await page.close();
  });


  it("logged no console errors and fetched nothing from another host", () => {
    expect(pg.problems).toEqual([]);
  });
});
