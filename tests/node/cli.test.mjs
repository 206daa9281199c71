// The Node command-line tool (bin/lunglens.mjs) with both engines: exit
// codes, one-line failure reasons, the files it writes, and reports of the
// WebAssembly engine equal to those of the native one.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { wasmBuildFolder } from '../../wasm/node_loader.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'bin', 'lunglens.mjs');
const nativeCli = path.join(root, 'build', 'native', 'examples', 'cli', 'lunglens');
const writePhantom = path.join(root, 'build', 'native', 'examples', 'write_phantom');
const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(root, '..', 'shared', 'data');
const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');
const generatedAt = '2026-01-01T00:00:00Z';
const keyImageNames = ['key-axial-upper.png', 'key-axial-middle.png', 'key-axial-lower.png', 'key-coronal.png'];

const engines = [
  { name: 'wasm', available: fs.existsSync(path.join(wasmBuildFolder(true), 'lunglens-threads.js')), build: 'scripts/build.sh wasm' },
  { name: 'native', available: fs.existsSync(nativeCli), build: 'scripts/build.sh native' },
];

function run(args, env = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024,
  });
  const stderrLines = result.stderr.split('\n').filter((line) => line.length > 0);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lastLine: stderrLines.at(-1) ?? '' };
}

function scratchFolder(t) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-cli-'));
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  return folder;
}

// Writes a small phantom series (128 x 128 x 60) with write_phantom; returns its folder.
function writePhantomSeries(t) {
  const folder = path.join(scratchFolder(t), 'phantom');
  execFileSync(writePhantom, [folder, '--matrix', '128', '--spacing', '3', '--thickness', '5']);
  return folder;
}

function skipUnless(t, engine) {
  if (engine.available) return false;
  t.skip(`${engine.name} engine not built (run ${engine.build})`);
  return true;
}

// Checks the PNG signature, the CRC of every chunk, IHDR and the inflated size.
function checkPng(bytes, name) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}: signature`);
  const chunks = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const crc = bytes.readUInt32BE(at + 8 + length);
    if (zlib.crc32) assert.equal(zlib.crc32(bytes.subarray(at + 4, at + 8 + length)), crc, `${name}: CRC of ${type}`);
    chunks.push({ type, data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  assert.deepEqual(chunks.map((chunk) => chunk.type), ['IHDR', 'IDAT', 'IEND'], `${name}: chunks`);
  const header = chunks[0].data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  assert.ok(width >= 256, `${name}: width ${width}`);
  assert.ok(width <= 512, `${name}: width ${width}`);
  assert.ok(height > 100, `${name}: height ${height}`);
  assert.deepEqual([...header.subarray(8)], [8, 2, 0, 0, 0], `${name}: RGB, 8 bits, no interlace`);
  assert.equal(zlib.inflateSync(chunks[1].data).length, (width * 3 + 1) * height, `${name}: scanline bytes`);
}

// Checks the NIfTI-1 header of masks.nii and that its labels are in 0..5.
function checkMasks(bytes) {
  assert.equal(bytes.readInt32LE(0), 348, 'sizeof_hdr');
  assert.equal(bytes.toString('latin1', 344, 348), 'n+1\0', 'magic');
  assert.equal(bytes.readInt16LE(70), 2, 'datatype uint8');
  const dims = [1, 2, 3].map((n) => bytes.readInt16LE(40 + 2 * n));
  assert.equal(bytes.length, 352 + dims[0] * dims[1] * dims[2], 'file size from dim');
  const labels = new Set(bytes.subarray(352));
  for (const label of labels) assert.ok(label <= 5, `label ${label}`);
  for (const label of [1, 2]) assert.ok(labels.has(label), `lung label ${label} present`);
}

// Checks every output file of a successful run; returns the parsed report.
function checkOutputs(folder) {
  const report = JSON.parse(fs.readFileSync(path.join(folder, 'report.json'), 'utf8'));
  assert.equal(report.status, 'complete');
  assert.equal(report.generated_at, generatedAt);
  const html = fs.readFileSync(path.join(folder, 'report.html'), 'utf8');
  assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 4, 'four embedded key images');
  checkMasks(fs.readFileSync(path.join(folder, 'masks.nii')));
  for (const name of keyImageNames) checkPng(fs.readFileSync(path.join(folder, name)), name);
  return report;
}

test('cli without arguments is a usage error', () => {
  const result = run([]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^lunglens: missing command/);
  assert.match(result.stderr, /usage: lunglens analyze/);
});

test('cli rejects unknown options and values', () => {
  for (const args of [['analyze', '--frobnicate', 'x'], ['analyze', 'x', '--series', '-1'],
    ['analyze', 'x', '--engine', 'gpu'], ['analyze', '--sample', 'x'], ['analyze'], ['analyse', 'x'], ['analyze', 'x', '--out'], ['analyze', 'x', '--out', '--quiet']]) {
    const result = run(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^lunglens: /, args.join(' '));
  }
});

test('native cli help and option values', (t) => {
  if (!fs.existsSync(nativeCli)) return t.skip(`${nativeCli} not built (scripts/build.sh native)`);
  const help = spawnSync(nativeCli, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: lunglens analyze/);
  const quiet = spawnSync(nativeCli, ['analyze', 'x', '--out', '--quiet'], { encoding: 'utf8' });
  assert.equal(quiet.status, 2);
  assert.match(quiet.stderr, /^lunglens: --out needs a value, not the option --quiet\n/);
});

test('cli help and version', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--engine ENGINE/);
  assert.match(help.stdout, /auto \(default\): native when that binary is built/);
  const version = run(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout, `lunglens ${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
});

test('cli native engine missing binary', (t) => {
  const result = run(['analyze', '--sample', '--out', scratchFolder(t), '--engine', 'native'],
    { LUNGLENS_NATIVE_CLI: path.join(scratchFolder(t), 'no-such-binary') });
  assert.equal(result.status, 1);
  assert.match(result.lastLine, /^lunglens: the native CLI is not built/);
});

for (const engine of engines) {
  test(`cli ${engine.name} missing folder`, (t) => {
    if (skipUnless(t, engine)) return;
    const folder = scratchFolder(t);
    const missing = path.join(folder, 'no-such-folder');
    const result = run(['analyze', missing, '--out', path.join(folder, 'out'), '--engine', engine.name]);
    assert.equal(result.status, 1);
    assert.ok(result.stderr.includes(`error: ${missing}: not found`), result.stderr);
    assert.equal(result.lastLine, `lunglens: no readable files in ${missing} (empty folders?)`);
  });

  test(`cli ${engine.name} non-DICOM folder`, (t) => {
    if (skipUnless(t, engine)) return;
    const folder = scratchFolder(t);
    const input = path.join(folder, 'notes');
    fs.mkdirSync(path.join(input, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(input, 'a.txt'), 'not a DICOM file\n');
    fs.writeFileSync(path.join(input, 'sub', 'b.bin'), Buffer.alloc(300, 7));
    const result = run(['analyze', input, '--out', path.join(folder, 'out'), '--engine', engine.name]);
    assert.equal(result.status, 1);
    assert.equal(result.lastLine, 'lunglens: analysis failed: error [no_series] no image series found among 2 files');
    assert.ok(!fs.existsSync(path.join(folder, 'out', 'report.json')), 'no report without a series');
  });

  test(`cli ${engine.name} sample writes all outputs`, (t) => {
    if (skipUnless(t, engine)) return;
    const folder = scratchFolder(t);
    const result = run(['analyze', '--sample', '--out', folder, '--engine', engine.name, '--generated-at', generatedAt]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^lungs \d+\.\d mL \(right \d+\.\d, left \d+\.\d\), involvement \d+\.\d\d %, severity score \d+\/30\n/);
    assert.match(result.stdout, /wrote report\.json, report\.html, masks\.nii, key-axial-upper\.png/);

    // stderr is a pipe here, so progress comes as stage lines, not a bar.
    assert.match(result.stderr, /^lunglens: segmenting$/m);
    assert.match(result.stderr, /^lunglens: reporting$/m);
    assert.ok(!result.stderr.includes('\r'), 'no bar redraws on a pipe');
    const report = checkOutputs(folder);
    assert.ok(report.results.both_lungs.involvement.percent_of_lung.value > 0, 'the phantom has lesions');
  });

  test(`cli ${engine.name} quiet prints no progress`, (t) => {
    if (skipUnless(t, engine)) return;
    const folder = scratchFolder(t);
    const result = run(['analyze', '--sample', '--quiet', '--out', folder, '--engine', engine.name]);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /lunglens: (segmenting|reporting)/);
  });
}

test('cli series out of range', (t) => {
  if (skipUnless(t, engines[1])) return;
  const series = writePhantomSeries(t);
  for (const engine of engines) {
    if (!engine.available) continue;
    const result = run(['analyze', series, '--series', '3', '--out', scratchFolder(t), '--engine', engine.name]);
    assert.equal(result.status, 1, engine.name);
    assert.equal(result.lastLine, 'lunglens: analysis failed: error [no_series] series index 3 is out of range: 1 series found (0 to 0)', engine.name);
  }
});

test('cli progress bar on a terminal', (t) => {
  if (skipUnless(t, engines[0])) return;
  if (!fs.existsSync('/usr/bin/script')) return t.skip('/usr/bin/script (util-linux) not found');
  const folder = scratchFolder(t);
  const command = [process.execPath, cli, 'analyze', '--sample', '--engine', 'wasm', '--out', folder].join(' ');
  const output = execFileSync('/usr/bin/script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
  assert.match(output, /\rsegmenting {3}\[#{30}\] 7\/7/);
  assert.doesNotMatch(output, /lunglens: segmenting/);
});

// Analyses `input` with both engines and checks that the report, masks and
// key images are the same, byte for byte.
function checkEnginesAgree(t, input) {
  const outputs = engines.map((engine) => {
    const folder = scratchFolder(t);
    const result = run(['analyze', input, '--quiet', '--out', folder, '--engine', engine.name, '--generated-at', generatedAt]);
    assert.equal(result.status, 0, result.stderr);
    return folder;
  });
  const [wasmReport, nativeReport] = outputs.map((folder) => checkOutputs(folder));
  assert.deepEqual(wasmReport, nativeReport);
  for (const name of ['report.html', 'masks.nii', ...keyImageNames]) {
    assert.ok(fs.readFileSync(path.join(outputs[0], name)).equals(fs.readFileSync(path.join(outputs[1], name))), name);
  }
}

test('cli phantom folder reports equal across engines', (t) => {
  if (skipUnless(t, engines[0]) || skipUnless(t, engines[1])) return;
  checkEnginesAgree(t, writePhantomSeries(t));
});

test('cli sample reports equal across engines', (t) => {
  if (skipUnless(t, engines[0]) || skipUnless(t, engines[1])) return;
  const reports = engines.map((engine) => {
    const folder = scratchFolder(t);
    const result = run(['analyze', '--sample', '--quiet', '--out', folder, '--engine', engine.name, '--generated-at', generatedAt]);
    assert.equal(result.status, 0, result.stderr);
    return fs.readFileSync(path.join(folder, 'report.json'), 'utf8');
  });
  // The native engine reads the phantom back from DICOM files with random
  // UIDs, the wasm engine analyses the volume itself: the numbers agree.
  const [wasmReport, nativeReport] = reports.map((text) => JSON.parse(text));
  assert.deepEqual(wasmReport.results, nativeReport.results);
  assert.deepEqual(wasmReport.method, nativeReport.method);
  assert.deepEqual(wasmReport.input.spacing, nativeReport.input.spacing);
});

test('cli LIDC-IDRI-0001 reports equal across engines', (t) => {
  if (!fs.existsSync(lidc1)) {
    t.skip(`real-data folder ${lidc1} not found (set LUNGLENS_DATA)`);
    return;
  }
  if (skipUnless(t, engines[0]) || skipUnless(t, engines[1])) return;
  checkEnginesAgree(t, lidc1);
});
