import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/browsers); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `describe` when Chromium is installed, else a skip with the reason printed once. */
export function describeWithChromium(what: string): jest.Describe {
  if (fs.existsSync(CHROMIUM)) return describe;
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the ${what} browser test: no Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (or run .ci/browsers).`,
  );
  return describe.skip;
}

/** Headless Chromium with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Where a browser test keeps its screenshots (gitignored). */
export function artifactsDir(name: string): string {
  const dir = path.join(__dirname, '..', '..', 'test-artifacts', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
