import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's Chromium, which `.ci/run` installs when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where each run leaves its screenshots (gitignored); `docs/images` gets them when SWITCHYARD_UPDATE_SCREENSHOTS=1. */
const ARTIFACTS = join(root, 'test-artifacts', 'ui');
const DOCS_IMAGES = join(root, 'docs', 'images');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Builds ui/dist when it is missing or older than the dashboard's sources, so the browser tests see the current UI. */
export function buildDashboardIfStale(): void {
  const built = join(root, 'ui', 'dist', 'index.html');
  const sources = Math.max(newestChange(join(root, 'ui', 'src')), newestChange(join(root, 'ui', 'index.html')), newestChange(join(root, 'ui', 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'ui/vite.config.ts'], { cwd: root, stdio: 'inherit' });
}

/** Headless Chromium with the flags a container needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Saves a full-page screenshot as a test artefact, and into docs/images when asked to refresh the README's. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (process.env.SWITCHYARD_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_IMAGES, { recursive: true });
    await page.screenshot({ path: join(DOCS_IMAGES, `dashboard-${name}.png`), fullPage: false });
  }
}
