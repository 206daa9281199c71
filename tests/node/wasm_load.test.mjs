// The WebAssembly module in Node: it must load real CT series to exactly the
// volume the native build produces, survive hostile files, report per-file
// errors, and export metadata that dcmjs reads.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import dcmjs from 'dcmjs';
import { loadLunglens } from '../../wasm/node_loader.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(root, '..', 'shared', 'data');
const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');
const nativeCli = path.join(root, 'build', 'native', 'examples', 'cli', 'lunglens');

function skipWithoutData(t, folder) {
  if (fs.existsSync(folder)) return false;
  t.skip(`real-data folder ${folder} not found (set LUNGLENS_DATA)`);
  return true;
}

function addFolder(session, folder) {
  const names = fs.readdirSync(folder).sort();
  for (const name of names) session.addFile(name, fs.readFileSync(path.join(folder, name)));
  return names.length;
}

function sha256(view) {
  return crypto.createHash('sha256').update(Buffer.from(view.buffer, view.byteOffset, view.byteLength)).digest('hex');
}

// Loads LIDC-IDRI-0001 natively through the CLI; returns the voxel hash and geometry.
function loadNative(folder) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-native-'));
  try {
    const rawPath = path.join(scratch, 'volume.raw');
    const geometryPath = path.join(scratch, 'geometry.json');
    execFileSync(nativeCli, ['load', folder, '--raw', rawPath, '--geometry', geometryPath], { stdio: 'pipe' });
    const raw = fs.readFileSync(rawPath);
    return {
      hash: crypto.createHash('sha256').update(raw).digest('hex'),
      bytes: raw.length,
      geometry: JSON.parse(fs.readFileSync(geometryPath, 'utf8')),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

for (const threads of [true, false]) {
  const variant = threads ? 'threads' : 'no threads';

  test(`wasm (${variant}) loads LIDC-IDRI-0001 bit-identical to native`, async (t) => {
    if (skipWithoutData(t, lidc1)) return;
    const lunglens = await loadLunglens({ threads });
    assert.equal(lunglens.hasThreads(), threads);
    const session = new lunglens.Session();
    try {
      assert.equal(addFolder(session, lidc1), 133);
      const scan = session.scan();
      assert.equal(scan.series.length, 1);
      assert.equal(scan.series[0].slices, 133);

      let progressCalls = 0;
      const loaded = session.loadSeries(0, (done, total) => {
        progressCalls += 1;
        assert.ok(done <= total);
        return true;
      });
      assert.ok(loaded.ok, JSON.stringify(loaded.diagnostics));
      assert.ok(progressCalls >= 1);

      const geometry = session.geometry();
      assert.deepEqual(geometry.size, [512, 512, 133]);
      assert.ok(Math.abs(geometry.spacingMm[0] - 0.703125) < 1e-6);
      assert.ok(Math.abs(geometry.spacingMm[2] - 2.5) < 1e-3);

      const native = loadNative(lidc1);
      const voxels = session.voxels();
      assert.equal(session.voxelType(), native.geometry.voxel_type);
      assert.equal(voxels.byteLength, native.bytes);
      assert.equal(sha256(voxels), native.hash);
      assert.deepEqual(geometry.size, native.geometry.size);
      for (let a = 0; a < 3; ++a) {
        assert.equal(geometry.spacingMm[a], native.geometry.spacing_mm[a]);
        assert.equal(geometry.originMm[a], native.geometry.origin_mm[a]);
      }
    } finally {
      session.delete();
    }
  });

  test(`wasm (${variant}) keeps the series when one file is corrupt`, async (t) => {
    if (skipWithoutData(t, lidc1)) return;
    const lunglens = await loadLunglens({ threads });
    const session = new lunglens.Session();
    try {
      const names = fs.readdirSync(lidc1).sort().slice(0, 10);
      for (const name of names) {
        const bytes = fs.readFileSync(path.join(lidc1, name));
        // Truncate the fifth file inside its pixel data.
        session.addFile(name, name === names[4] ? bytes.subarray(0, bytes.length - 5000) : bytes);
      }
      session.addFile('notes.txt', new TextEncoder().encode('not a DICOM file'));
      const scan = session.scan();
      assert.ok(scan.diagnostics.some((d) => d.file === 'notes.txt' && d.severity === 'error'));
      const loaded = session.loadSeries(0, undefined);
      assert.ok(loaded.ok);
      const errors = [...scan.diagnostics, ...loaded.diagnostics].filter((d) => d.severity === 'error');
      assert.ok(errors.some((d) => d.file === names[4]), JSON.stringify(errors));
      // The ten files are scattered over the series, so the grid keeps their gaps as missing slices.
      assert.equal(scan.series[0].slices, 10);
      assert.ok(session.geometry().size[2] >= 10, `grid of ${session.geometry().size[2]} slices`);
    } finally {
      session.delete();
    }
  });
}

test('wasm survives hostile decoder files', async (t) => {
  const folder = path.join(dataRoot, 'decoder');
  if (skipWithoutData(t, folder)) return;
  const lunglens = await loadLunglens({ threads: true });
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(folder);
  let volumes = 0;
  for (const file of files) {
    const session = new lunglens.Session();
    try {
      session.addFile(path.relative(folder, file), fs.readFileSync(file));
      const scan = session.scan();
      for (let s = 0; s < scan.series.length; ++s) {
        const loaded = session.loadSeries(s, undefined);
        if (loaded.ok) volumes += 1;
        else assert.ok(loaded.diagnostics.some((d) => d.severity === 'error'), `${file}: failed without an error`);
      }
    } finally {
      session.delete();
    }
  }
  assert.ok(volumes >= 20, `only ${volumes} volumes decoded`);
});

test('metadata JSON reads with dcmjs', async (t) => {
  if (skipWithoutData(t, lidc1)) return;
  const lunglens = await loadLunglens({ threads: false });
  const session = new lunglens.Session();
  try {
    const names = fs.readdirSync(lidc1).sort().slice(0, 3);
    for (const name of names) session.addFile(name, fs.readFileSync(path.join(lidc1, name)));
    session.scan();
    const instances = JSON.parse(session.metadataJson(0));
    assert.equal(instances.length, 3);
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(instances[0]);
    assert.equal(dataset.Modality, 'CT');
    assert.equal(dataset.Rows, 512);
    assert.equal(dataset.ImagePositionPatient.length, 3);
    assert.ok(dataset.SeriesInstanceUID.startsWith('1.3.6.1.4.1.14519'));
    assert.equal(dataset.PixelData, undefined);
  } finally {
    session.delete();
  }
});

test('wasm and native reports on LIDC-IDRI-0001 are identical', async (t) => {
  if (skipWithoutData(t, lidc1)) return;
  const generatedAt = '2026-01-01T00:00:00Z';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-report-'));
  let nativeReport;
  try {
    execFileSync(nativeCli, ['analyze', lidc1, '--out', scratch, '--quiet', '--generated-at', generatedAt], { stdio: 'pipe' });
    nativeReport = fs.readFileSync(path.join(scratch, 'report.json'), 'utf8');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  for (const threads of [true, false]) {
    const lunglens = await loadLunglens({ threads });
    const session = new lunglens.Session();
    try {
      addFolder(session, lidc1);
      const stages = new Set();
      const result = session.analyze(-1, generatedAt, (stage) => {
        stages.add(stage);
        return true;
      });
      assert.ok(result.ok, JSON.stringify(result.diagnostics));
      assert.deepEqual([...stages].sort(), ['decoding', 'quantifying', 'reporting', 'scanning', 'segmenting']);
      const report = JSON.parse(result.reportJson);
      assert.equal(report.status, 'complete');
      assert.equal(result.reportJson, nativeReport, `report differs from native (threads: ${threads})`);
      const lungs = session.lungLabels();
      assert.equal(lungs.length, 512 * 512 * 133);
    } finally {
      session.delete();
    }
  }
});

test('wasm rejects invalid arguments with TypeError', async () => {
  const lunglens = await loadLunglens({ threads: false });
  const session = new lunglens.Session();
  try {
    assert.throws(() => session.addFile('text.dcm', 'not bytes'), TypeError);
    assert.throws(() => session.addFile('array.dcm', [1, 2, 3]), TypeError);
    for (const index of [1.5, Number.NaN, 'abc', 2 ** 40, -2]) {
      assert.throws(() => session.loadSeries(index, undefined), TypeError, `loadSeries(${index})`);
    }
    const outOfRange = session.loadSeries(0, undefined);
    assert.equal(outOfRange.ok, false);
    assert.equal(outOfRange.diagnostics[0].code, 'invalid_argument');
    assert.equal(session.addFile('empty.dcm', new Uint8Array(0)), 0);
  } finally {
    session.delete();
  }
});
