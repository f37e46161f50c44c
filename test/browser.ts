// Debian's Chromium for the browser tests, launched the one way this machine
// allows (no sandbox, no GPU, nothing fetched in the background). Under
// CI=true a missing browser is an error; elsewhere the browser tests skip
// with the command that installs it.

import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
export const requireBrowser = process.env.CI === "true";
export const INSTALL_HINT = `install it with: apt-get install -y chromium`;

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`CI=true needs ${CHROMIUM} for the browser tests; ${INSTALL_HINT}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** How many pixels the page scrolls sideways (0 or less: it fits). */
export async function horizontalOverflow(page: Page): Promise<number> {
  type Doc = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
  return page.evaluate(() => {
    const root = (globalThis as unknown as Doc).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
