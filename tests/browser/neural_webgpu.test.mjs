// The neural engine on WebGPU in the web app (headless Chromium). Chromium
// offers WebGPU on SwiftShader, a software adapter, so the WebGPU build of
// ONNX Runtime Web really runs here without a GPU. With ?webgpu=any the app
// must use it and give the numbers of the WASM provider in Node (GPU float
// arithmetic may differ in the last bits). With the default setting the app
// must not pick a software adapter, which is slower than the WASM provider.
//
// A WebGPU runtime that fails to load, or a GPU device lost after loading,
// must leave the WASM runtime working.
// One slice keeps the software adapter's run short. Needs build/site
// (scripts/build-web.sh), build/native, build/wasm-threads, /usr/bin/chromium
// and $LUNGLENS_DATA/covid-slices; skips without them.
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeNeuralInNode } from '../node/neural_support.mjs';
import { assertPagePrivate, copySite, dataRoot, missingPrerequisite, openApp, site, waitForResult } from './app_harness.mjs';

// A046441 shows extensive bilateral GGO and consolidation, so the lesion model's output matters.
const slice = path.join(dataRoot, 'covid-slices', 'A046441', 'axial', '19010101-23.dcm');
const GENERATED_AT = '2026-01-01T00:00:00Z';

function skipReason() {
  const missing = missingPrerequisite();
  if (missing) return missing;
  if (!fs.existsSync(path.join(site, 'models', 'lung.onnx'))) return `${site}/models/lung.onnx not found (run scripts/build-web.sh with models/ present)`;
  if (!fs.existsSync(path.join(site, 'vendor', 'onnxruntime-web', 'ort.webgpu.min.js'))) return `${site} has no WebGPU runtime (run scripts/build-web.sh)`;
  if (!fs.existsSync(slice)) return `real-data file ${slice} not found (set LUNGLENS_DATA)`;
  return null;
}

// Returns the neural report of `file` from the Node path (WASM provider).
async function nodeNeuralReport(file) {
  return analyzeNeuralInNode(file, (session, result) => {
    assert.equal(result.executionProvider, 'wasm');
    return JSON.parse(result.reportJson).neural;
  }, GENERATED_AT);
}

// Runs the app on `file` and returns {reply, neural, status}: the worker's reply without the masks, the report's neural part and the status line.
async function appNeural(app, file) {
  const { page } = app;
  await page.setInputFiles('#file-input', file);
  assert.equal(await waitForResult(page, 300000), 'ready');
  const reply = await page.evaluate(() => ({ ...window.lunglens.neural, lungs: null, lesions: null }));
  const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
  return { reply, neural: report.neural, status: await page.textContent('#neural-status') };
}

test('WebGPU run matches WASM provider', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  const node = await nodeNeuralReport(slice);
  assert.equal(node.status, 'complete');

  const app = await openApp({ isolation: true, neural: true, webGpu: true, query: '?webgpu=any' });
  try {
    const { reply, neural, status } = await appNeural(app, slice);
    assert.equal(reply.executionProvider, 'webgpu', `WebGPU not used: ${reply.webGpuNote}`);
    assert.equal(reply.webGpuNote, null);
    assert.match(status, /execution provider webgpu \(WebGPU\), \d+\.\d s for the series/);
    assert.equal(neural.status, 'complete');
    t.diagnostic(`WebGPU on SwiftShader: ${(reply.seconds.inference).toFixed(1)} s of inference for one slice`);

    // Probabilities near 0.5 may flip between providers, so volumes agree within 1 % and involvement within 1 point.
    for (const key of ['right_lung', 'left_lung', 'both_lungs']) {
      const gpu = neural.results[key];
      const cpu = node.results[key];
      const volume = gpu.volume.value, reference = cpu.volume.value;
      assert.ok(Math.abs(volume - reference) <= 0.01 * reference, `${key} volume ${volume} vs ${reference} mL`);
      const share = gpu.involvement.percent_of_lung.value, referenceShare = cpu.involvement.percent_of_lung.value;
      assert.ok(Math.abs(share - referenceShare) <= 1, `${key} involvement ${share} vs ${referenceShare} %`);
    }
    assert.ok(node.results.both_lungs.involvement.percent_of_lung.value >= 10, 'A046441 must be clearly affected');
    assertPagePrivate(app);

    // A lost GPU device (driver reset, GPU process crash) under the loaded
    // engine: the next analysis must run again on the WASM runtime and name the failure.
    const worker = app.page.workers().find((w) => w.url().endsWith('/app/analysis_worker.js'));
    assert.ok(worker, `analysis worker not found among ${app.page.workers().map((w) => w.url())}`);
    await worker.evaluate(async () => (await self.ort.env.webgpu.device).destroy());
    const afterLoss = await appNeural(app, slice);
    assert.equal(afterLoss.reply.executionProvider, 'wasm');
    assert.match(afterLoss.reply.webGpuNote, /^WebGPU failed during the analysis \(.+\), so the analysis ran again on the WASM runtime$/);
    assert.match(afterLoss.status, /execution provider wasm \(WebAssembly, \d+ threads?\).* WebGPU not used: WebGPU failed during the analysis/);
    assert.equal(afterLoss.neural.status, 'complete');
    for (const key of ['right_lung', 'left_lung', 'both_lungs']) {
      assert.equal(afterLoss.neural.results[key].volume.value, node.results[key].volume.value, `${key} volume after the loss`);
      assert.equal(afterLoss.neural.results[key].involvement.percent_of_lung.value,
        node.results[key].involvement.percent_of_lung.value, `${key} involvement after the loss`);
    }
    assert.match(afterLoss.reply.webGpuNote, /lost/i, 'the browser\'s reason is cut off');
    assert.deepEqual(app.foreignRequests, [], 'requests outside the page origin');
    t.diagnostic(`after the device loss: ${afterLoss.reply.webGpuNote}`);
  } finally {
    await app.close();
  }
});

test('software adapter keeps WASM provider', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  const app = await openApp({ isolation: true, neural: true, webGpu: true });
  try {
    const { reply, neural, status } = await appNeural(app, slice);
    assert.equal(reply.executionProvider, 'wasm');
    assert.match(reply.webGpuNote, /software/);
    assert.match(status, /execution provider wasm \(WebAssembly, \d+ threads?\).* WebGPU not used: the only WebGPU adapter is a software one/);
    assert.equal(neural.status, 'complete');
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('broken WebGPU runtime falls back', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  // The WebGPU runtime's script loads, but its WebAssembly (fetched when the sessions are created) is missing.
  const scratch = copySite('without-webgpu-wasm');
  fs.rmSync(path.join(scratch, 'vendor', 'onnxruntime-web', 'ort-wasm-simd-threaded.asyncify.wasm'));
  const app = await openApp({ isolation: true, neural: true, webGpu: true, query: '?webgpu=any', root: scratch });
  try {
    const { reply, neural, status } = await appNeural(app, slice);
    assert.equal(reply.executionProvider, 'wasm');
    assert.ok(reply.webGpuNote, 'the reason WebGPU was not used is missing');
    assert.match(status, /execution provider wasm \(WebAssembly, \d+ threads?\).* WebGPU not used: /);
    assert.equal(neural.status, 'complete');

    // The only console errors are the browser's note on the 404 response and the runtime's own log of its failed WebAssembly.
    const expected = /404|wasm streaming compile failed|falling back to ArrayBuffer instantiation|failed to asynchronously prepare wasm|Aborted\(CompileError/;
    assert.deepEqual(app.consoleErrors.filter((text) => !expected.test(text)), [], 'console errors other than the missing file');
    assert.deepEqual(app.foreignRequests, [], 'requests outside the page origin');
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

// Returns the site paths of the WebGPU runtime files in the service worker's cache.
async function cachedWebGpuRuntime(page) {
  return page.evaluate(async () => {
    const cache = await caches.open((await caches.keys()).find((name) => name.startsWith('lunglens-')));
    const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
    return paths.filter((p) => p.includes('webgpu') || p.includes('asyncify')).sort();
  });
}

// Opens the app on `root`, waits until the service worker controls the page, and runs `slice`.
async function controlledAppNeural(root) {
  const app = await openApp({ isolation: true, neural: true, webGpu: true, query: '?webgpu=any', root });
  await app.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await app.page.reload();
  await app.page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });
  assert.equal(await app.page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  return { app, ...(await appNeural(app, slice)) };
}

test('WebGPU runtime cached on use', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  const { app, reply } = await controlledAppNeural(site);
  try {
    assert.equal(reply.executionProvider, 'webgpu', `WebGPU not used: ${reply.webGpuNote}`);
    assert.deepEqual(await cachedWebGpuRuntime(app.page), [
      '/vendor/onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs',
      '/vendor/onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm',
      '/vendor/onnxruntime-web/ort.webgpu.min.js',
    ]);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('other-build WebGPU runtime rejected', async (t) => {
  const reason = skipReason();
  if (reason) return t.skip(reason);
  // The server has a WebGPU runtime script that differs from the one the service worker's build lists.
  const scratch = copySite('other-webgpu-build');
  fs.appendFileSync(path.join(scratch, 'vendor', 'onnxruntime-web', 'ort.webgpu.min.js'), '\n// another build\n');
  const { app, reply, neural, status } = await controlledAppNeural(scratch);
  try {
    assert.equal(reply.executionProvider, 'wasm');
    assert.match(reply.webGpuNote, /ort\.webgpu\.min\.js/);
    assert.match(status, /WebGPU not used: /);
    assert.equal(neural.status, 'complete');
    assert.deepEqual(await cachedWebGpuRuntime(app.page), []);

    // The only console error is the browser's note on the 409 response.
    assert.deepEqual(app.consoleErrors.filter((text) => !/409/.test(text)), [], 'console errors other than the rejected file');
    assert.deepEqual(app.foreignRequests, [], 'requests outside the page origin');
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
