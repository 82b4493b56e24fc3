/**
 * Starts Debian's Chromium headless through playwright-core (never a browser playwright downloads).
 * Flags: the ones that work on this project's machines; SwiftShader makes WebGL (3D surfaces) render
 * without a GPU. When Chromium is missing: apt-get install as root on Debian, else one line saying how.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { aptInstall } from './jupyter';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Path of a Chromium binary, installing Debian's package as root when missing. */
export function ensureChromium(): string {
  const candidates = [process.env.DLOPT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && fs.existsSync('/etc/debian_version') && aptInstall(['chromium'], 'Chromium is missing') && fs.existsSync('/usr/bin/chromium')) {
    return '/usr/bin/chromium';
  }
  console.error('[dl-optimization] Chromium is missing; install it with: sudo apt-get install -y chromium (or set DLOPT_CHROMIUM=/path/to/chrome)');
  process.exit(1);
}

/** Launches headless Chromium with the course's flags. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_FLAGS });
}

/** A page as a test opens it: the page, its console and page errors, and every URL it requested. */
export interface RecordedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

/** A new 1280×900 page that records console errors, page errors and every request URL from the start. */
export async function recordingPage(browser: Browser): Promise<RecordedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests };
}
