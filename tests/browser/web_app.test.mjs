// End-to-end tests of the web app in headless Chromium: real CT series go in
// through the file inputs, and the report, overlays, exports and messages
// are checked against the native engine. Every test also checks that the
// page logged no console error and made no request outside its own origin.
//
// Needs build/site (scripts/build-web.sh), build/native (the CLI) and
// /usr/bin/chromium; real-data tests skip when $LUNGLENS_DATA is absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import dcmjs from 'dcmjs';
import { zipSync } from 'fflate';
import {
  assertPagePrivate,
  comparableReport, countOverlayPixels, dataRoot, missingPrerequisite, nativeReport, nativeSeries, openApp,
  outputFolder, saveScreenshot, waitForResult,
} from './app_harness.mjs';

const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');
const covidSlices = path.join(dataRoot, 'covid-slices');

function skipReason(folder) {
  const missing = missingPrerequisite();
  if (missing) return missing;
  if (folder && !fs.existsSync(folder)) return `real-data folder ${folder} not found (set LUNGLENS_DATA)`;
  return null;
}

// Returns the value at a dotted path ("right_lung.zones.0.score") of `object`.
function valueAt(object, dottedPath) {
  return dottedPath.split('.').reduce((value, key) => value?.[key], object);
}

// Checks every number the report panel shows against the native report.
async function assertShownNumbersEqual(page, native) {
  const cells = await page.$$eval('#report [data-quantity]', (nodes) => nodes.map((n) => ({ path: n.dataset.quantity, value: JSON.parse(n.dataset.value) })));
  assert.ok(cells.length > 30, `only ${cells.length} numbers shown`);
  for (const cell of cells) {
    const expected = cell.path.startsWith('input.') ? valueAt(native, cell.path).value : valueAt(native.results, cell.path).value;
    assert.deepEqual(cell.value, expected, `shown ${cell.path}`);
  }
}

async function downloadBytes(page, buttonId) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${buttonId}`)]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

test('app analyses LIDC-IDRI-0001 with threads like native', async (t) => {
  const reason = skipReason(lidc1);
  if (reason) return t.skip(reason);
  const native = nativeReport([lidc1]);
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    const engine = await page.evaluate(() => window.lunglens.engine);
    assert.equal(engine.variant, 'threads');
    assert.equal(engine.hasThreads, true);
    assert.ok(engine.threadCount >= 1);
    assert.match(await page.textContent('#engine-status'), /with threads \(\d+ threads/);

    await page.setInputFiles('#folder-input', lidc1);
    assert.equal(await waitForResult(page), 'ready');
    const reportJson = await page.evaluate(() => window.lunglens.analysis.reportJson);
    assert.deepEqual(comparableReport(JSON.parse(reportJson)), comparableReport(native));
    await assertShownNumbersEqual(page, native);
    assert.equal(await page.$$eval('#series-table tbody tr', (rows) => rows.length), 1);
    assert.match(await page.textContent('#patient-line'), /LIDC-IDRI-0001/);

    // Overlays: the central axial slice shows both lungs; unticking them removes the colours.
    await page.waitForTimeout(200);
    const shown = await countOverlayPixels(page, 'view-axial');
    assert.ok(shown.right > 2000, `right lung overlay pixels: ${shown.right}`);
    assert.ok(shown.left > 2000, `left lung overlay pixels: ${shown.left}`);
    const screenshot = await saveScreenshot(page, 'lidc1-threads.png');
    assert.ok(fs.statSync(screenshot).size > 10000);
    await page.uncheck('#overlay-rightLung');
    await page.uncheck('#overlay-leftLung');
    await page.waitForTimeout(200);
    const hidden = await countOverlayPixels(page, 'view-axial');
    assert.ok(hidden.right < 50, `right lung overlay pixels after hiding: ${hidden.right}`);
    assert.ok(hidden.left < 50, `left lung overlay pixels after hiding: ${hidden.left}`);

    // Cursor read-out, keyboard slice change and window preset.
    const box = await page.locator('#view-axial').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    assert.match(await page.textContent('#cursor-readout'), /-?\d+ HU .*x -?\d+\.\d, y -?\d+\.\d, z -?\d+\.\d mm/);
    const before = await page.evaluate(() => window.lunglens.viewer.cursor[2]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => window.lunglens.viewer.cursor[2]), before + 1);
    await page.keyboard.press('2');
    assert.equal(await page.textContent('#window-value'), 'W350 / L40');

    // Dragging right widens the window; a click moves the crosshair, which
    // sets the coronal and sagittal slices; Ctrl+wheel zooms.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5 + 50, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    assert.equal(await page.textContent('#window-value'), 'W550 / L40');
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
    const cursor = await page.evaluate(() => window.lunglens.viewer.cursor);
    assert.ok(cursor[0] < 200, `crosshair column ${cursor[0]}`);
    assert.ok(cursor[1] > 300, `crosshair row ${cursor[1]}`);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    assert.ok(await page.evaluate(() => window.lunglens.viewer.views[0].zoom) > 1);

    // Exports: the JSON report, the NIfTI masks and the DICOM SEG.
    const json = await downloadBytes(page, 'export-json');
    assert.equal(json.bytes.toString('utf8'), reportJson);
    const nifti = await downloadBytes(page, 'export-nifti');
    assert.equal(nifti.bytes.length, 352 + 512 * 512 * 133);
    assert.equal(nifti.bytes.toString('latin1', 344, 347), 'n+1');
    const labelCounts = new Array(6).fill(0);
    for (const label of nifti.bytes.subarray(352)) labelCounts[label] += 1;
    assert.equal(labelCounts[1] + labelCounts[2] + labelCounts[4] + labelCounts[5], native.results.both_lungs.voxel_count.value);
    assert.equal(labelCounts[3], native.results.airway.voxel_count.value);
    const seg = await downloadBytes(page, 'export-seg');
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(seg.bytes.buffer.slice(seg.bytes.byteOffset, seg.bytes.byteOffset + seg.bytes.length)).dict);
    assert.equal(dataset.SOPClassUID, '1.2.840.10008.5.1.4.1.1.66.4');
    assert.equal(dataset.ReferencedSeriesSequence[0].SeriesInstanceUID, native.input.series_instance_uid);
    assert.equal(dataset.PatientID, 'LIDC-IDRI-0001');
    assert.ok(dataset.NumberOfFrames > 100, `SEG frames: ${dataset.NumberOfFrames}`);

    // Cancel during decoding: on an isolated page the shared flag stops the
    // core and the worker keeps its files.
    await page.click('#analyze-button');
    await page.waitForFunction(() => Number(document.getElementById('progress-decoding').value) > 2, null, { timeout: 60000 });
    await page.click('#cancel-button');
    await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });
    assert.match(await page.textContent('#input-messages'), /Analysis cancelled/);
    assert.equal(await page.isHidden('#report-section'), true);
    assert.equal(await page.evaluate(() => window.lunglens.analysis.diagnostics.some((d) => d.code === 'cancelled')), true);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('app without COOP/COEP uses no-threads build', async (t) => {
  const reason = skipReason(lidc1);
  if (reason) return t.skip(reason);
  const native = nativeReport([lidc1]);
  const app = await openApp({ isolation: false });
  try {
    const { page } = app;
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    const engine = await page.evaluate(() => window.lunglens.engine);
    assert.equal(engine.variant, 'nothreads');
    assert.equal(engine.hasThreads, false);
    assert.match(await page.textContent('#engine-status'), /without threads/);

    await page.setInputFiles('#folder-input', lidc1);
    assert.equal(await waitForResult(page), 'ready');
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.deepEqual(comparableReport(report), comparableReport(native));
    await saveScreenshot(page, 'lidc1-nothreads.png');

    // Cancel during decoding: the worker is terminated, restarted with the
    // same files, and a new analysis completes with the same numbers.
    await page.click('#analyze-button');
    await page.waitForFunction(() => Number(document.getElementById('progress-decoding').value) > 5, null, { timeout: 60000 });
    await page.click('#cancel-button');
    await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });
    assert.match(await page.textContent('#input-messages'), /Analysis cancelled/);
    await page.waitForFunction(() => window.lunglens.engine && document.getElementById('analyze-button').disabled === false);
    await page.click('#analyze-button');
    assert.equal(await waitForResult(page), 'ready');
    const again = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.deepEqual(again.results, native.results);

    // The sample button beside the loaded study (133 slices, more than the
    // sample's 120, so the core's own choice would be the study) analyses
    // the sample.
    await page.click('#sample-button');
    assert.equal(await waitForResult(page), 'ready');
    const sample = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(sample.input.series_description, 'lunglens synthetic chest phantom');
    assert.equal(await page.textContent('#patient-line'), 'Patient PHANTOM, CHEST, ID LUNGLENS-PHANTOM');
    const firstParameter = await page.$$eval('table.parameters tbody tr:first-child td', (cells) => cells.map((cell) => cell.textContent));
    assert.deepEqual(firstParameter, ['body_threshold', 'tissue above this value forms the body outline', '-500 HU']);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('app lists the mixed covid-slices series', async (t) => {
  const reason = skipReason(covidSlices);
  if (reason) return t.skip(reason);
  const expected = nativeSeries(covidSlices);
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.setInputFiles('#folder-input', covidSlices);
    await waitForResult(page);
    const rows = await page.$$eval('#series-table tbody tr', (nodes) => nodes.map((row) => ({
      uid: row.dataset.seriesUid,
      description: row.cells[1].textContent,
      slices: Number(row.querySelector('.slices').textContent),
    })));
    assert.equal(rows.length, expected.length);
    const byUid = (a, b) => a.uid.localeCompare(b.uid);
    assert.deepEqual(rows.sort(byUid), expected.map(({ uid, description, slices }) => ({ uid, description, slices })).sort(byUid));
    const analysed = await page.$$eval('#series-table tbody tr.analysed', (nodes) => nodes.map((row) => Number(row.dataset.seriesIndex)));
    assert.equal(analysed.length, 1);

    // Another series picked by hand is analysed instead.
    const other = analysed[0] === 0 ? 1 : 0;
    await page.check(`#series-table tbody tr[data-series-index="${other}"] input`);
    await page.click('#analyze-button');
    await waitForResult(page);
    assert.equal(await page.evaluate(() => window.lunglens.analysis.seriesIndex), other);
    const nowAnalysed = await page.$$eval('#series-table tbody tr.analysed', (nodes) => nodes.map((row) => Number(row.dataset.seriesIndex)));
    assert.deepEqual(nowAnalysed, [other]);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('app names non-DICOM files in its errors', async (t) => {
  const reason = skipReason(null);
  if (reason) return t.skip(reason);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-web-test-'));
  const notes = path.join(scratch, 'notes.txt');
  fs.writeFileSync(notes, 'these are notes, not a CT image\n'.repeat(20));
  const brokenZip = path.join(scratch, 'broken.zip');
  fs.writeFileSync(brokenZip, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.setInputFiles('#file-input', [notes, brokenZip]);
    assert.equal(await waitForResult(page), 'idle');
    const message = await page.textContent('#input-messages');
    assert.match(message, /notes\.txt: not a DICOM file/);
    assert.match(message, /broken\.zip: the \.zip archive could not be read/);
    assert.match(message, /No CT image series was found among the 2 file/);
    assert.equal(await page.isHidden('#series-section'), true);
    assertPagePrivate(app);
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('sample button analyses phantom like CLI', async (t) => {
  const reason = skipReason(null);
  if (reason) return t.skip(reason);
  const native = nativeReport(['--sample']);
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.click('#sample-button');
    assert.equal(await waitForResult(page), 'ready');
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    // The sample's UIDs are random for each run; everything else matches.
    assert.notEqual(report.input.series_instance_uid, native.input.series_instance_uid);
    for (const copy of [report, native]) delete copy.input.series_instance_uid;
    assert.deepEqual(comparableReport(report), comparableReport(native));
    assert.match(await page.textContent('#patient-line'), /PHANTOM, CHEST/);
    const shown = await countOverlayPixels(page, 'view-axial');
    assert.ok(shown.right > 1000, `right lung overlay pixels: ${shown.right}`);
    assert.ok(shown.left > 1000, `left lung overlay pixels: ${shown.left}`);
    await saveScreenshot(page, 'sample.png');

    // The printed report fits one A4 page and carries the three key images.
    await page.evaluate(() => {
      window.print = () => {};
    });
    await page.click('#export-print');
    assert.equal(await page.$$eval('#print-images img', (images) => images.length), 3);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.mkdirSync(outputFolder, { recursive: true });
    fs.writeFileSync(path.join(outputFolder, 'sample-report.pdf'), pdf);
    const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    assert.equal(pageCount, 1);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('zip archive loads like its files', async (t) => {
  const reason = skipReason(lidc1);
  if (reason) return t.skip(reason);
  const names = fs.readdirSync(lidc1).sort().slice(50, 62);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-web-test-'));
  const archive = path.join(scratch, 'slices.zip');
  fs.writeFileSync(archive, zipSync(Object.fromEntries(names.map((name) => [`ct/${name}`, fs.readFileSync(path.join(lidc1, name))]))));
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.setInputFiles('#file-input', archive);
    await waitForResult(page);
    const scan = await page.evaluate(() => window.lunglens.scan);
    assert.equal(scan.series.length, 1);
    assert.equal(scan.series[0].slices, 12);
    assert.equal(await page.textContent('#series-table tbody .slices'), '12');
    assertPagePrivate(app);
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('new input replaces loaded study', async (t) => {
  const slice = path.join(covidSlices, 'A046441', 'axial', '19010101-23.dcm');
  const reason = skipReason(lidc1) ?? (fs.existsSync(slice) ? null : `real-data file ${slice} not found (set LUNGLENS_DATA)`);
  if (reason) return t.skip(reason);
  const names = fs.readdirSync(lidc1).sort().slice(60, 72);
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.setInputFiles('#file-input', names.map((name) => path.join(lidc1, name)));
    assert.equal(await waitForResult(page), 'ready');
    assert.match(await page.textContent('#patient-line'), /LIDC-IDRI-0001/);

    // A later choice is analysed on its own, not added to the 12 LIDC slices.
    await page.setInputFiles('#file-input', slice);
    assert.equal(await waitForResult(page), 'ready');
    const scan = await page.evaluate(() => window.lunglens.scan);
    assert.equal(scan.series.length, 1);
    assert.equal(scan.series[0].slices, 1);
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(report.input.slice_count.value, 1);
    assert.doesNotMatch(await page.textContent('#patient-line'), /LIDC-IDRI-0001/);
    assert.equal(await page.$$eval('#series-table tbody tr', (rows) => rows.length), 1);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('dropped files load like chosen ones', async (t) => {
  const reason = skipReason(lidc1);
  if (reason) return t.skip(reason);
  const names = fs.readdirSync(lidc1).sort().slice(70, 76);
  const files = names.map((name) => ({ name, base64: fs.readFileSync(path.join(lidc1, name)).toString('base64') }));
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    // A script-made DataTransfer has no file system entries, so this covers
    // the plain-file path of a drop; folder drops need a real drag.
    await page.evaluate((input) => {
      const transfer = new DataTransfer();
      for (const file of input) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: 'application/dicom' }));
      }
      document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files);
    await waitForResult(page);
    const scan = await page.evaluate(() => window.lunglens.scan);
    assert.equal(scan.series.length, 1);
    assert.equal(scan.series[0].slices, 6);
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('app runs offline after first load', async (t) => {
  const reason = skipReason(null);
  if (reason) return t.skip(reason);
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    // ready resolves once the service worker is active, after its install
    // cached every file of site-files.json.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    assert.equal(await page.evaluate(() => window.lunglens.engine.variant), 'threads');
    await page.click('#sample-button');
    assert.equal(await waitForResult(page), 'ready');
    assertPagePrivate(app);
  } finally {
    await app.close();
  }
});

test('truncated slice gives a partial report', async (t) => {
  const reason = skipReason(lidc1);
  if (reason) return t.skip(reason);
  const names = fs.readdirSync(lidc1).sort().slice(50, 62);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-web-test-'));
  for (const name of names) {
    const bytes = fs.readFileSync(path.join(lidc1, name));
    // The fifth file loses the end of its pixel data.
    fs.writeFileSync(path.join(scratch, name), name === names[4] ? bytes.subarray(0, bytes.length - 5000) : bytes);
  }
  const app = await openApp({ isolation: true });
  try {
    const { page } = app;
    await page.setInputFiles('#folder-input', scratch);
    await waitForResult(page);
    const report = JSON.parse(await page.evaluate(() => window.lunglens.analysis.reportJson));
    assert.equal(report.status, 'partial');
    const text = await page.textContent('#report');
    assert.match(text, /Partial report/);
    assert.ok(text.includes(names[4]), `the report panel names ${names[4]}`);

    assertPagePrivate(app);
  } finally {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
