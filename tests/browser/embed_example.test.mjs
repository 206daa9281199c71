// The embed example (examples/embed/index.html) in Chromium: picked DICOM
// files of the phantom give the same total severity score as the native CLI,
// with no request beyond the page's own files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';
import { chromiumPath, launchBrowser, watchPage } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const writePhantom = path.join(root, 'build', 'native', 'examples', 'write_phantom');
const nativeCli = path.join(root, 'build', 'native', 'examples', 'cli', 'lunglens');
const nothreadsModule = path.join(root, 'build', 'wasm-nothreads', 'wasm', 'lunglens-nothreads.js');

test('embed example prints the native score', async (t) => {
  for (const required of [chromiumPath, writePhantom, nativeCli, nothreadsModule]) {
    if (!fs.existsSync(required)) return t.skip(`${required} not found (build with scripts/build.sh)`);
  }

  // A small phantom series, so the single-threaded analysis stays short.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-embed-'));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const series = path.join(scratch, 'series');
  execFileSync(writePhantom, [series, '--matrix', '128', '--spacing', '3', '--thickness', '5']);
  const dicomFiles = fs.readdirSync(series).filter((name) => name.endsWith('.dcm')).map((name) => path.join(series, name));
  const native = execFileSync(nativeCli, ['analyze', ...dicomFiles, '--quiet', '--out', path.join(scratch, 'out')], { encoding: 'utf8' });
  const nativeScore = native.match(/severity score (\d+)\/30/)[1];

  const server = await startServer({ root, port: 0, isolation: false });
  let browser;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const origin = `http://127.0.0.1:${server.address().port}`;
    const { foreignRequests, consoleErrors } = watchPage(page, origin);

    await page.goto(`${origin}/examples/embed/index.html`);
    await page.waitForFunction(() => document.getElementById('output').textContent === 'Ready.');
    await page.setInputFiles('#files', dicomFiles);
    await page.waitForFunction(() => /score|failed/.test(document.getElementById('output').textContent), null,
      { timeout: 120000 });
    const output = await page.textContent('#output');
    assert.equal(output, `Total severity score: ${nativeScore} / 30`);
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser?.close();
    server.close();
  }
});
