// The neural engine in the web app (headless Chromium): after the classical
// analysis the worker runs both ONNX models with ONNX Runtime Web. The
// page's report must carry the same neural numbers as the Node path
// (tests/node/neural_support.mjs), and the neural overlays must be drawn. No
// request may leave the page's origin. A site without the models must still
// give the classical result, with a message naming the missing file.
//
// Needs build/site (scripts/build-web.sh), build/native, build/wasm-threads
// and /usr/bin/chromium; the LIDC-IDRI-0001 test skips when
// $LUNGLENS_DATA/ct/LIDC-IDRI-0001 is absent.
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNeuralInNode } from '../node/neural_support.mjs';
import {
  assertPagePrivate,
  comparableReport, copySite, countOverlayPixels, dataRoot, missingPrerequisite, nativeReport, openApp, saveScreenshot, site, waitForResult,
} from './app_harness.mjs';

const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');
const GENERATED_AT = '2026-01-01T00:00:00Z';

function skipReason({ folder, models = true } = {}) {
  const missing = missingPrerequisite();
  if (missing) return missing;
  if (models && !fs.existsSync(path.join(site, 'models', 'lung.onnx'))) return `${site}/models/lung.onnx not found (run scripts/build-web.sh with models/ present)`;
  if (folder && !fs.existsSync(folder)) return `real-data folder ${folder} not found (set LUNGLENS_DATA)`;
  return null;
}

// Runs the Node path of the neural engine on `folder`. Returns the report
// and label counts of the neural masks.
async function nodeNeural(folder) {
  return analyzeNeuralInNode(folder, (session, result) => ({
    report: JSON.parse(result.reportJson),
    lungCounts: labelCounts(session.neuralLungLabels()),
    lesionCounts: labelCounts(session.neuralLesionLabels()),
  }), GENERATED_AT);
}

function labelCounts(labels) {
  const counts = [0, 0, 0, 0];
  for (const label of labels) counts[label] += 1;
  return counts;
}

// Returns the value at a dotted path ("right_lung.zones.0.score") of `object`.
function valueAt(object, dottedPath) {
  return dottedPath.split('.').reduce((value, key) => value?.[key], object);
}

test('neural engine in page matches Node on LIDC-IDRI-0001', async (t) => {
  const reason = skipReason({ folder: lidc1 });
  if (reason) return t.skip(reason);
  const native = nativeReport([lidc1]);
  const node = await nodeNeural(lidc1);
  assert.equal(node.report.neural.status, 'complete');

  const app = await openApp({ isolation: true, neural: true });
  try {
    const { page } = app;
    assert.equal(await page.isChecked('#neural-enabled'), true);
    await page.setInputFiles('#folder-input', lidc1);
    assert.equal(await waitForResult(page, 300000), 'ready');

    // The report carries the classical part unchanged and the neural part of the Node path.
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    const { neural, ...classical } = comparableReport(report);
    assert.deepEqual(classical, comparableReport(native));
    assert.equal(neural.engine, 'neural');
    assert.equal(neural.status, 'complete');
    for (const key of ['right_lung', 'left_lung', 'both_lungs']) {
      assert.deepEqual(neural.results[key].volume, node.report.neural.results[key].volume, `${key} volume`);
      assert.deepEqual(neural.results[key].ground_glass.percent_of_lung, node.report.neural.results[key].ground_glass.percent_of_lung, `${key} GGO %`);
      assert.deepEqual(neural.results[key].consolidation.percent_of_lung, node.report.neural.results[key].consolidation.percent_of_lung, `${key} consolidation %`);
      assert.deepEqual(neural.results[key].involvement.percent_of_lung, node.report.neural.results[key].involvement.percent_of_lung, `${key} involvement %`);
    }
    assert.deepEqual(neural, node.report.neural);

    const reply = await page.evaluate(() => {
      const { lungs, lesions, ...rest } = window.lunglens.neural;
      const count = (labels) => { const c = [0, 0, 0, 0]; for (const l of labels) c[l] += 1; return c; };
      return { ...rest, lungCounts: count(lungs), lesionCounts: count(lesions) };
    });
    assert.deepEqual(reply.lungCounts, node.lungCounts);
    assert.deepEqual(reply.lesionCounts, node.lesionCounts);
    assert.equal(reply.executionProvider, 'wasm');
    assert.ok(reply.threads >= 1);
    const seconds = reply.seconds.preprocess + reply.seconds.inference + reply.seconds.postprocess;
    t.diagnostic(`browser neural engine: ${seconds.toFixed(1)} s (inference ${reply.seconds.inference.toFixed(1)} s, ` +
      `${reply.threads} threads), runtime and models loaded in ${reply.loadSeconds.toFixed(1)} s`);
    assert.match(await page.textContent('#neural-status'), /execution provider wasm \(WebAssembly, \d+ threads?\), \d+\.\d s for the series/);
    assert.equal(await page.textContent('.stage[data-stage="neural"] .count'), '133 / 133');

    // Every neural number shown is the report's; the side-by-side table names both engines.
    const cells = await page.$$eval('#report [data-quantity^="neural."]', (nodes) => nodes.map((n) => ({ path: n.dataset.quantity, value: JSON.parse(n.dataset.value) })));
    assert.ok(cells.length > 30, `only ${cells.length} neural numbers shown`);
    for (const cell of cells) assert.deepEqual(cell.value, valueAt(neural.results, cell.path.slice('neural.'.length)).value, `shown ${cell.path}`);
    const comparisonHead = await page.$$eval('.engine-comparison thead th', (nodes) => nodes.map((n) => n.textContent));
    assert.deepEqual(comparisonHead, ['', 'Classical engine', 'Neural engine']);

    // Overlays: switching to the neural masks draws them on the central axial slice.
    await page.selectOption('#overlay-engine', 'neural');
    await page.waitForTimeout(200);
    const overlayPixels = await countOverlayPixels(page, 'view-axial');
    assert.ok(overlayPixels.right > 2000, `neural right lung overlay pixels: ${overlayPixels.right}`);
    assert.ok(overlayPixels.left > 2000, `neural left lung overlay pixels: ${overlayPixels.left}`);
    const drawn = await page.evaluate(() => window.lunglens.viewer.volume.lungs === window.lunglens.neural.lungs);
    assert.equal(drawn, true, 'the viewer draws the neural labels');
    await saveScreenshot(page, 'lidc1-neural.png');
    await page.selectOption('#overlay-engine', 'classical');
    assert.equal(await page.evaluate(() => window.lunglens.viewer.volume.lungs === window.lunglens.volume.lungs), true);
    await page.waitForTimeout(200);
    const classicalPixels = await countOverlayPixels(page, 'view-axial');
    assert.notDeepEqual(classicalPixels, overlayPixels, 'the classical and neural overlays draw different masks');

    // Cancel during neural inference: the classical result stays.
    await page.click('#analyze-button');
    await page.waitForFunction(() => Number(document.getElementById('progress-neural').value) > 4, null, { timeout: 120000 });
    await page.click('#cancel-button');
    assert.equal(await waitForResult(page), 'ready');
    assert.match(await page.textContent('#neural-status'), /Neural engine: cancelled/);
    const afterCancel = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(afterCancel.neural, undefined);
    assert.deepEqual(afterCancel.results, native.results);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('neural engine runs without isolation', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  const app = await openApp({ isolation: false, neural: true });
  try {
    const { page } = app;
    await page.click('#sample-button');
    assert.equal(await waitForResult(page, 300000), 'ready');
    const reply = await page.evaluate(() => ({ ...window.lunglens.neural, lungs: null, lesions: null }));
    assert.equal(reply.threads, 1);
    assert.equal(reply.executionProvider, 'wasm');
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(report.neural.engine, 'neural');
    assert.ok(['complete', 'failed'].includes(report.neural.status));
    t.diagnostic(`sample phantom, one thread: neural status ${report.neural.status}, ` +
      `${(reply.seconds.preprocess + reply.seconds.inference + reply.seconds.postprocess).toFixed(1)} s`);

    // Cancel without the shared flag: the worker reads the message between
    // model runs and keeps its files and classical result.
    await page.click('#analyze-button');
    await page.waitForFunction(() => Number(document.getElementById('progress-neural').value) >= 4, null, { timeout: 120000 });
    await page.click('#cancel-button');
    assert.equal(await waitForResult(page), 'ready');
    assert.match(await page.textContent('#neural-status'), /Neural engine: cancelled/);
    assert.equal(await page.evaluate(() => window.lunglens.neural.cancelled), true);
    const total = await page.evaluate(() => Number(document.getElementById('progress-neural').max));
    const done = await page.evaluate(() => Number(document.getElementById('progress-neural').value));
    assert.ok(done < total, `cancelled after ${done} of ${total} slices`);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('app without models runs classical only', async (t) => {
  const reason = skipReason({ models: false });
  if (reason) return t.skip(reason);
  const scratch = copySite('without-models');
  fs.rmSync(path.join(scratch, 'models'), { recursive: true, force: true });
  const app = await openApp({ isolation: true, neural: true, root: scratch });
  try {
    const { page } = app;
    await page.click('#sample-button');
    assert.equal(await waitForResult(page, 300000), 'ready');
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(report.neural, undefined);
    assert.equal(report.status, 'complete');
    assert.equal(await page.isVisible('#report-section'), true);
    const message = await page.textContent('#input-messages');
    assert.match(message, /The neural engine did not run: models\/(lung|lesion)\.onnx: the model could not be downloaded \(HTTP 404/);
    assert.match(message, /The classical results below stand/);
    assert.equal(await page.isDisabled('#overlay-engine option[value="neural"]'), true);

    // The only console errors are the browser's own notes on the two 404 responses.
    const unexpected = app.consoleErrors.filter((text) => !/404/.test(text));
    assert.deepEqual(unexpected, [], 'console errors other than the missing models');
    assert.deepEqual(app.foreignRequests, [], 'requests outside the page origin');
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('neural engine runs offline after first load', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  const app = await openApp({ isolation: true, neural: true });
  try {
    const { page } = app;
    // ready resolves once the service worker is active, after its install
    // cached every file of site-files.json, the runtime and models included.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((name) => name.startsWith('lunglens-')));
      const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
      return paths.filter((p) => p.startsWith('/models/') || p.startsWith('/vendor/onnxruntime-web/')).sort();
    });
    assert.deepEqual(cached.filter((p) => p.endsWith('.onnx') || p.endsWith('.wasm') || p.endsWith('.js') || p.endsWith('.mjs')), [
      '/models/lesion.onnx', '/models/lung.onnx',
      '/vendor/onnxruntime-web/ort-wasm-simd-threaded.mjs', '/vendor/onnxruntime-web/ort-wasm-simd-threaded.wasm',
      '/vendor/onnxruntime-web/ort.wasm.min.js',
    ]);

    await page.context().setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });
    await page.click('#sample-button');
    assert.equal(await waitForResult(page, 300000), 'ready');
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(report.neural.engine, 'neural');
    assert.equal(await page.evaluate(() => window.lunglens.neural.executionProvider), 'wasm');
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});
