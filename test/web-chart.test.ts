// The playground's charts as a reader sees them, in Chromium: the cost chart
// names its y axis and lists the noisy band's mean line in its legend, the
// log-y toggle gives a log axis with at least two ticks, values above the drawn range
// are counted as clamped and said so, and Check J's plot of the clean J is fitted
// to its values instead of starting at 0, so its fall is visible.

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserTests, step, usePlayground } from "./browser.js";

async function axis(page: Page, selector: string): Promise<{ title: string; scale: string; ticks: number[]; legend: string[]; clamped: number }> {
  const c = page.locator(selector);
  const [title, scale, ticks, legend, clamped] = await Promise.all(["y-title", "y-scale", "y-ticks", "legend", "clamped"].map((n) => c.getAttribute(`data-${n}`)));
  return { title: title ?? "", scale: scale ?? "", ticks: (ticks ?? "").split(";").filter(Boolean).map(Number), legend: (legend ?? "").split("|").filter(Boolean), clamped: Number(clamped) };
}

describe.runIf(browserTests)("playground charts in Chromium", () => {
  const pg = usePlayground();

  it("the cost chart titles its y axis and lists the noisy band and its mean line beside the clean J; log-y gives a log axis with two ticks or more", async () => {
    const page = await pg.open("keep-probs=1,0.5,0.5");
    await step(page, 3);
    const linear = await axis(page, "#cost-chart");
    expect(linear.title).toBe("cost");
    expect(linear.scale).toBe("linear");
    expect(linear.ticks[0]).toBe(0);
    expect(linear.legend.some((l) => /band: min–max, line: mean/.test(l))).toBe(true);
    expect(linear.legend.some((l) => /clean J/.test(l))).toBe(true);
    await page.check("#f-log-y");
    await step(page, 1);
    const log = await axis(page, "#cost-chart");
    expect(log.title).toBe("cost (log)");
    expect(log.scale).toBe("log");
    // at least two ticks, rising, all positive (a log axis has no 0), however narrow the range
    expect(log.ticks.length).toBeGreaterThanOrEqual(2);
    log.ticks.forEach((v, i) => expect(v).toBeGreaterThan(i === 0 ? 0 : log.ticks[i - 1]!));
    await page.close();
  });

  it("batch-1 steps under dropout spike past the drawn range: the clamped columns are counted and the chart's label says so", async () => {
    const page = await pg.open("data=gauss&noise=0.5&keep-probs=1,0.5,0.5&batch=1");
    await step(page, 30);
    const chart = await axis(page, "#cost-chart");
    expect(chart.clamped).toBeGreaterThanOrEqual(1);
    expect(await page.locator("#cost-chart").getAttribute("aria-label")).toMatch(new RegExp(`; ${chart.clamped} columns? of values above the axis are drawn at the top edge, marked red\\.$`));
    await page.close();
  });

  it("Check J's clean-J plot is fitted to its values, so its fall fills the height", async () => {
    const page = await pg.open("size=500&train-fraction=0.7&data=circle&layers=2,8,8,1");
    await step(page, 3);
    await page.click("#check");
    await page.locator('#check-result[data-result="pass"], #check-result[data-result="fail"]').waitFor({ timeout: 30_000 });
    const monotone = await axis(page, "#check-chart");
    expect(monotone.title).toBe("clean J");
    expect(monotone.ticks[0]).toBeGreaterThan(0);
    await page.close();
  });
});
