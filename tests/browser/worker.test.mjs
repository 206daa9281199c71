// The WebAssembly module inside a Web Worker in Chromium: the threaded build on
// a cross-origin isolated page, the single-threaded build otherwise, with the
// same voxels from both.
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';
import { chromiumPath, launchBrowser, watchPage } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(root, '..', 'shared', 'data');
const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');

async function runInWorker(isolation, files) {
  const server = await startServer({ root, port: 0, isolation });
  let browser;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const origin = `http://127.0.0.1:${server.address().port}`;
    const { foreignRequests, consoleErrors } = watchPage(page, origin);
    await page.goto(`${origin}/tests/browser/fixtures/worker.html`);
    const isolated = await page.evaluate(() => self.crossOriginIsolated);
    const reply = await page.evaluate((input) => window.runWorker(input), files);
    return { isolated, reply, foreignRequests, consoleErrors };
  } finally {
    await browser?.close();
    server.close();
  }
}

test('worker decodes with threads when isolated and without otherwise', async (t) => {
  if (!fs.existsSync(chromiumPath)) return t.skip(`${chromiumPath} not found`);
  if (!fs.existsSync(lidc1)) return t.skip(`real-data folder ${lidc1} not found (set LUNGLENS_DATA)`);

  const names = fs.readdirSync(lidc1).sort().slice(60, 66);
  const files = names.map((name) => ({ name, bytes: [...fs.readFileSync(path.join(lidc1, name))] }));

  const isolated = await runInWorker(true, files);
  assert.equal(isolated.isolated, true);
  assert.ok(isolated.reply.ok, JSON.stringify(isolated));
  assert.equal(isolated.reply.variant, 'threads');
  assert.equal(isolated.reply.hasThreads, true);
  assert.ok(isolated.reply.threadCount >= 1);
  // Six files scattered over the series: the grid keeps their gaps as missing slices.
  assert.deepEqual(isolated.reply.size.slice(0, 2), [512, 512]);
  assert.ok(isolated.reply.size[2] >= 6, `grid of ${isolated.reply.size[2]} slices`);
  assert.deepEqual(isolated.foreignRequests, []);
  assert.deepEqual(isolated.consoleErrors, []);

  const plain = await runInWorker(false, files);
  assert.equal(plain.isolated, false);
  assert.ok(plain.reply.ok, JSON.stringify(plain.reply));
  assert.equal(plain.reply.variant, 'nothreads');
  assert.equal(plain.reply.hasThreads, false);
  assert.equal(plain.reply.voxelSum, isolated.reply.voxelSum);
  assert.deepEqual(plain.foreignRequests, []);
  assert.deepEqual(plain.consoleErrors, []);
});
