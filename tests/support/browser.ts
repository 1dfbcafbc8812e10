/**
 * A real headless Chromium for the web page's tests, driven by
 * puppeteer-core over a pipe (no debugging port). Tests skip themselves
 * where no Chromium is installed (`apt-get install -y chromium`).
 *
 * @module
 */

import puppeteer, { type Browser } from "puppeteer-core";

/** Where Debian's package (and most Linux distributions) put the browser. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The browser to use, or null when none is installed. */
export const CHROMIUM_PATH: string | null = CANDIDATES.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}) ?? null;

/** Why browser tests are skipped here, for their names; empty when they run. */
export const NO_BROWSER_NOTE = CHROMIUM_PATH === null
  ? " (SKIPPED: no Chromium; install it with `apt-get install -y chromium`)"
  : "";

/**
 * Runs `body` with a fresh headless Chromium and closes it (and removes its
 * profile) afterwards, also when `body` throws.
 *
 * @param body The test.
 * @param extraArgs More Chromium flags (for example one that trusts a test certificate).
 */
export async function withBrowser(
  body: (browser: Browser) => Promise<void>,
  extraArgs: readonly string[] = [],
): Promise<void> {
  if (CHROMIUM_PATH === null) throw new Error("no Chromium installed");
  // A profile under /tmp: the test task grants write access there and nowhere else.
  const profile = await Deno.makeTempDir({ dir: "/tmp", prefix: "chat-browser-test-" });
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      // No sandbox: CI runs as root, where Chromium's sandbox refuses to start.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        ...extraArgs,
      ],
      pipe: true,
      userDataDir: profile,
      env: { HOME: profile, PATH: "/usr/bin:/bin" },
      headless: true,
    });
    await body(browser);
  } finally {
    await browser?.close().catch(() => {});
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}
