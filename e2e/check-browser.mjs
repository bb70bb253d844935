// Says plainly what to install when no browser is available, instead of Playwright's download hint.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

const debian = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const playwrightCache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(homedir(), ".cache", "ms-playwright");
const hasPlaywrightChromium =
  existsSync(playwrightCache) && readdirSync(playwrightCache).some((d) => d.startsWith("chromium"));
if (!existsSync(debian) && !hasPlaywrightChromium) {
  console.error(
    `No Chromium found at ${debian}. Install Debian's: sudo apt-get install -y chromium — or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
  );
  process.exit(1);
}
