// One benchmark run: loads a DICOM folder with the lunglens WebAssembly module
// in Node and prints one JSON line with times and peak memory.
//
// Usage: node benchmarks/run_wasm_load.mjs --threads|--nothreads FOLDER
import { loadLunglens } from '../wasm/node_loader.mjs';
import { readIntoSession } from './read_into_session.mjs';

const [mode, folder] = process.argv.slice(2);
if (!['--threads', '--nothreads'].includes(mode) || !folder) {
  console.error('usage: node benchmarks/run_wasm_load.mjs --threads|--nothreads FOLDER');
  process.exit(2);
}
const threads = mode === '--threads';

const initStart = performance.now();
const lunglens = await loadLunglens({ threads });
const initSeconds = (performance.now() - initStart) / 1000;
const baselineRss = process.memoryUsage().rss;

const start = performance.now();
const session = new lunglens.Session();
const { files, inputBytes } = readIntoSession(session, folder);
const readDone = performance.now();
const scan = session.scan();
const scanDone = performance.now();
const loaded = session.loadSeries(0, undefined);
const loadDone = performance.now();
if (!loaded.ok) {
  console.error(JSON.stringify(loaded.diagnostics));
  process.exit(1);
}
const voxels = session.voxels();

console.log(JSON.stringify({
  engine: threads ? 'wasm-threads' : 'wasm-nothreads',
  threads: lunglens.threadCount(),
  files,
  series: scan.series.length,
  input_bytes: inputBytes,
  volume_bytes: voxels.byteLength + (session.paddingMask()?.byteLength ?? 0),
  init_s: initSeconds,
  read_s: (readDone - start) / 1000,
  scan_s: (scanDone - readDone) / 1000,
  decode_s: (loadDone - scanDone) / 1000,
  total_s: (loadDone - start) / 1000,
  baseline_rss_bytes: baselineRss,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
session.delete();
process.exit(0);
