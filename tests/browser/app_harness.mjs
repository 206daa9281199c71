// Shared set-up of the web app tests: serves build/site with web/serve.mjs,
// opens the app in headless Chromium and records console errors and every
// request that leaves the page's origin.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';
import { chromiumPath, launchBrowser } from './browser.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const site = path.join(root, 'build', 'site');
export const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(root, '..', 'shared', 'data');
export const nativeCli = path.join(root, 'build', 'native', 'examples', 'cli', 'lunglens');
export const outputFolder = path.join(root, 'build', 'test-output', 'browser');

// Returns a reason to skip, or null when the browser, the site and the CLI exist.
export function missingPrerequisite() {
  if (!fs.existsSync(chromiumPath)) return `${chromiumPath} not found (set LUNGLENS_CHROMIUM)`;
  if (!fs.existsSync(path.join(site, 'index.html'))) return `${site} not built (run scripts/build-web.sh)`;
  if (!fs.existsSync(nativeCli)) return `${nativeCli} not built (run scripts/build.sh native)`;
  return null;
}

// Starts a server and a browser page on the app; resolves once the engine
// has started. close() stops both. neural sets the page's "Also run the
// neural engine" option (stored in localStorage); it is off unless asked, so
// the reports match the native CLI's classical-only report. webGpu true
// offers WebGPU on a software adapter; query is appended to the page address.
export async function openApp({ isolation, neural = false, root: siteRoot = site, webGpu = false, query = '' }) {
  const server = await startServer({ root: siteRoot, port: 0, isolation });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser({ webGpu });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const consoleErrors = [];
  const foreignRequests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  await page.addInitScript((value) => localStorage.setItem('lunglens.neural', value), neural ? 'on' : 'off');
  await page.goto(`${origin}/${query}`);
  await page.waitForFunction(() => document.body.dataset.state !== 'starting', null, { timeout: 60000 });
  return {
    page,
    origin,
    consoleErrors,
    foreignRequests,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

// Asserts that the page logged no console errors and sent no request outside its origin.
export function assertPagePrivate(app) {
  assert.deepEqual(app.consoleErrors, [], 'console errors');
  assert.deepEqual(app.foreignRequests, [], 'requests outside the page origin');
}

// Waits until the app finished a load or analysis (ready, failed, idle or error).
export async function waitForResult(page, timeout = 180000) {
  await page.waitForFunction(() => ['ready', 'failed', 'idle', 'error'].includes(document.body.dataset.state), null, { timeout });
  return page.evaluate(() => document.body.dataset.state);
}

// Runs the native CLI analysis; returns the parsed report.json.
export function nativeReport(args) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-web-test-'));
  try {
    execFileSync(nativeCli, ['analyze', ...args, '--out', scratch, '--generated-at', '2026-01-01T00:00:00Z', '--quiet'], { stdio: 'pipe' });
    return JSON.parse(fs.readFileSync(path.join(scratch, 'report.json'), 'utf8'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// Returns the series the native CLI lists: [{modality, description, slices, uid}].
export function nativeSeries(folder) {
  const output = execFileSync(nativeCli, ['series', folder], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return output.trim().split('\n').map((line) => {
    const [, modality, description, slices, , , , uid] = line.split('\t');
    return { modality, description, slices: parseInt(slices, 10), uid };
  });
}

// Returns the report without the fields that differ between two runs of the
// same analysis: the generation time, and the StudyInstanceUID, which each
// writing of the phantom draws anew.
export function comparableReport(report) {
  const copy = structuredClone(report);
  delete copy.generated_at;
  delete copy.input.study_instance_uid;
  return copy;
}

// Counts the pixels of a canvas whose colour matches an overlay: for the
// right lung blue clearly above red and green, for the left lung green above
// red and blue.
export function countOverlayPixels(page, canvasId) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let right = 0;
    let left = 0;
    for (let p = 0; p < data.length; p += 4) {
      const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
      if (b - r > 40 && b - g > 20) right += 1;
      if (g - r > 30 && g - b > 20) left += 1;
    }
    return { right, left };
  }, canvasId);
}

export function saveScreenshot(page, name) {
  fs.mkdirSync(outputFolder, { recursive: true });
  const file = path.join(outputFolder, name);
  return page.screenshot({ path: file, fullPage: true }).then(() => file);
}

// Copies build/site into a new temporary folder named after `name` and returns its path, for tests that change the site's files.
export function copySite(name) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `lunglens-site-${name}-`));
  fs.cpSync(site, scratch, { recursive: true });
  return scratch;
}
