// One benchmark run: the whole analysis (bytes -> report) of a DICOM folder
// with the lunglens WebAssembly module in Node. Prints one JSON line with the
// time per stage and peak memory.
//
// Usage: node benchmarks/run_wasm_analysis.mjs --threads|--nothreads FOLDER [--warm-up]
//   With --warm-up, lunglens.warmUp() runs before the timed analysis, as in the
//   web app's worker right after loading. Its time is reported as warm_up_s.
import { loadLunglens } from '../wasm/node_loader.mjs';
import { readIntoSession } from './read_into_session.mjs';

const [mode, folder, warmUpOption] = process.argv.slice(2);
if (!['--threads', '--nothreads'].includes(mode) || !folder || ![undefined, '--warm-up'].includes(warmUpOption)) {
  console.error('usage: node benchmarks/run_wasm_analysis.mjs --threads|--nothreads FOLDER [--warm-up]');
  process.exit(2);
}
const threads = mode === '--threads';
const lunglens = await loadLunglens({ threads });
const warmUpSeconds = warmUpOption ? lunglens.warmUp() : 0;

const start = performance.now();
const session = new lunglens.Session();
const { files, inputBytes } = readIntoSession(session, folder);
const readSeconds = (performance.now() - start) / 1000;
// End time of each segmentation step (step 0 is the start of the segmentation).
const segmentStepEnds = [];
const progress = (stage) => {
  if (stage === 'segmenting') segmentStepEnds.push(performance.now() / 1000);
  return true;
};
const result = session.analyze(-1, '2026-01-01T00:00:00Z', progress);
const totalSeconds = (performance.now() - start) / 1000;
if (!result.ok) {
  console.error(JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error')));
  process.exit(1);
}

const engine = `${threads ? 'wasm-threads' : 'wasm-nothreads'}${warmUpOption ? ' after warm-up' : ''}`;
const line = { engine, threads: lunglens.threadCount(), files, input_bytes: inputBytes, warm_up_s: warmUpSeconds, read_s: readSeconds };
for (const [stage, seconds] of Object.entries(result.timings)) line[`${stage}_s`] = seconds;
line.segment_steps_s = segmentStepEnds.slice(1).map((end, s) => Number((end - segmentStepEnds[s]).toFixed(4)));
line.total_s = totalSeconds;
line.peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify(line));
session.delete();
