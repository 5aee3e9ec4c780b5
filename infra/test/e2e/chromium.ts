// Debian's headless Chromium for the suite's browser journeys, driven by puppeteer-core (nothing
// downloads a browser of its own).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'mocha';
import puppeteer, { type Browser } from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As root Chromium needs --no-sandbox; the rest keeps it from calling out of this closed machine.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  browser: Browser;
  /** Closes the browser and removes its throwaway profile. */
  close(): Promise<void>;
}

/** Starts Chromium with a throwaway profile; where it is not installed, skips the suite (CI must have it). */
export async function launchChromium(suite: Context): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    // CI installs Chromium (.ci/run); a developer without it is told why this journey did not run.
    if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
    console.warn(`    (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
    suite.skip();
  }
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'escalable-chromium-'));
  const browser = await puppeteer
    .launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, userDataDir: profileDir })
    .catch(async (error: unknown) => {
      await rm(profileDir, { recursive: true, force: true });
      throw error;
    });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
