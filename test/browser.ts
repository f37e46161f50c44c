// What the browser tests share (the playground's, and the lab report's): Debian's Chromium driven by
// playwright-core against the built page (dist/web, built by the global
// setup) served by our own static server, pages opened with their console
// errors, page errors and requests to other hosts recorded, and the readings
// every test takes the way a person does: counters, the URL, boxes on screen.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "../src/node/serve.js";
import { ROOT } from "./helpers.js";

export const CHROMIUM = "/usr/bin/chromium";
export const DIST = join(ROOT, "dist", "web");
export const ARTIFACTS = join(ROOT, "test-artifacts");
const haveChromium = existsSync(CHROMIUM);
const requireBrowser = process.env.CI === "true";
/** Whether the browser tests run: Chromium is here, or CI demands it (and then its absence fails them). */
export const browserTests = haveChromium || requireBrowser;

if (!haveChromium && !requireBrowser) {
  console.warn(`skipping the playground's browser tests: ${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
}

export interface Playground {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Console errors, page errors and requests to other hosts, from every page opened. */
  readonly problems: string[];
  /** Opens the page with `hash` in a new context (a viewport, or a phone's settings), records its problems, and waits for the first frame. */
  open(hash?: string, context?: BrowserContextOptions): Promise<Page>;
  /** Like open, without waiting: for a test that watches the load itself. */
  openBare(hash?: string, context?: BrowserContextOptions, before?: (page: Page) => Promise<void>): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium, launched the one way this machine allows (no sandbox, no GPU, nothing fetched in the background). */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`CI=true needs ${CHROMIUM} for the browser tests; install it with: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

async function startPlayground(): Promise<Playground> {
  const browser = await launchChromium();
  const server = await startServer({ root: DIST, port: 0 });
  const problems: string[] = [];
  const openBare = async (hash = "", context: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }, before?: (page: Page) => Promise<void>) => {
    const page = await browser.newPage(context);
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => !r.url().startsWith(server.url) && !r.url().startsWith("data:") && !r.url().startsWith("blob:") && problems.push(`request to another host: ${r.url()}`));
    await before?.(page);
    await page.goto(`${server.url}${hash ? `#${hash}` : ""}`);
    return page;
  };
  return {
    server,
    browser,
    problems,
    openBare,
    async open(hash, context) {
      const page = await openBare(hash, context);
      await ready(page);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Starts the playground before the tests of the describe block it is called in and closes it after them. */
export function usePlayground(): Playground {
  let started: Playground | undefined;
  beforeAll(async () => {
    started = await startPlayground();
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
  const get = (): Playground => {
    if (!started) throw new Error("the playground has not started: call usePlayground() in a describe block");
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    get problems() {
      return get().problems;
    },
    open: (hash, context) => get().open(hash, context),
    openBare: (hash, context, before) => get().openBare(hash, context, before),
    close: () => get().close(),
  };
}

/** Waits until the first frame is drawn (the clean J at step 0 is shown). */
export async function ready(page: Page): Promise<void> {
  await page.locator('#status:not([data-clean-j0=""])[data-clean-j0]').waitFor({ state: "attached" });
}

export async function status(page: Page, name: string): Promise<string> {
  return (await page.locator("#status").getAttribute(`data-${name}`)) ?? "";
}

/** Presses "step" n times and waits until the page shows the step reached. */
export async function step(page: Page, n: number): Promise<void> {
  const target = Number(await status(page, "step")) + n;
  for (let i = 0; i < n; i++) await page.click("#step");
  await page.locator(`#status[data-step="${target}"]`).waitFor({ state: "attached" });
}

export function hashOf(page: Page): string {
  return new URL(page.url()).hash;
}

export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  width: number;
  height: number;
}

export async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not shown`);
  return { top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width, width: b.width, height: b.height };
}

/** How many pixels the page is wider than the window (positive: it scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  type Doc = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
  return page.evaluate(() => {
    const root = (globalThis as unknown as Doc).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
