// Loading benchmark: DICOM folder -> HU volume, natively, as WebAssembly in
// Node (threads and no threads) and with a peer decoder (@itk-wasm/dicom), in
// one run. Each engine runs in its own process so that peak memory is its own.
// Prints a Markdown table with medians over the repetitions and the ratios.
//
// Usage: node benchmarks/load_benchmark.mjs [FOLDER] [--repeat N]
//   FOLDER defaults to $LUNGLENS_DATA/ct/LIDC-IDRI-0002 (LUNGLENS_DATA
//   defaults to ../shared/data beside the repository).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseBenchmarkArguments, repositoryRoot } from './benchmark_arguments.mjs';

const root = repositoryRoot;
const { folder, repeat } = parseBenchmarkArguments('load_benchmark');

const nativeCli = path.join(root, 'build', 'native', 'examples', 'cli', 'lunglens');
const engines = [
  { name: 'native', command: nativeCli, args: ['load', folder, '--timing'] },
  { name: 'wasm-threads', command: process.execPath, args: [path.join(root, 'benchmarks', 'run_wasm_load.mjs'), '--threads', folder] },
  { name: 'wasm-nothreads', command: process.execPath, args: [path.join(root, 'benchmarks', 'run_wasm_load.mjs'), '--nothreads', folder] },
  { name: 'itk-wasm', command: process.execPath, args: [path.join(root, 'benchmarks', 'run_itk_load.mjs'), folder] },
];

function runOnce(engine) {
  const output = execFileSync(engine.command, engine.args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  const line = output.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return JSON.parse(line);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const results = {};
for (const engine of engines) {
  const runs = [];
  for (let r = 0; r < repeat; ++r) runs.push(runOnce(engine));
  results[engine.name] = {
    total_s: median(runs.map((run) => run.total_s)),
    peak_rss_bytes: Math.max(...runs.map((run) => run.peak_rss_bytes)),
    baseline_rss_bytes: runs[0].baseline_rss_bytes ?? 0,
    input_bytes: runs[0].input_bytes,
    volume_bytes: runs[0].volume_bytes,
    init_s: runs[0].init_s ?? 0,
    threads: runs[0].threads,
  };
  process.stderr.write(`${engine.name}: ${JSON.stringify(results[engine.name])}\n`);
}

const mib = (bytes) => (bytes / 1048576).toFixed(0);
const native = results.native;
const threads = results['wasm-threads'];
const target = (r) => r.volume_bytes + 2 * r.input_bytes;

const lines = [];
lines.push(`Folder: ${path.basename(folder)} (${native.input_bytes} input bytes), ${repeat} runs each, median time.`);
lines.push(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} logical cores, ${mib(os.totalmem())} MiB, Node ${process.version}.`);
lines.push('');
lines.push('| engine | load time (s) | vs native | peak RSS (MiB) | RSS above start-up (MiB) | target: volume + 2x input (MiB) |');
lines.push('|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  const above = r.peak_rss_bytes - r.baseline_rss_bytes;
  lines.push(`| ${name} | ${r.total_s.toFixed(3)} | ${(r.total_s / native.total_s).toFixed(2)}x | ${mib(r.peak_rss_bytes)} | ${mib(above)} | ${mib(target(r))} |`);
}
lines.push('');
lines.push(`WASM (threads) / native time: ${(threads.total_s / native.total_s).toFixed(2)} (target <= 1.5)`);
lines.push(`itk-wasm / WASM (threads) time: ${(results['itk-wasm'].total_s / threads.total_s).toFixed(2)} (target > 1)`);
lines.push(`WASM (threads) RSS above start-up / (volume + 2x input): ${((threads.peak_rss_bytes - threads.baseline_rss_bytes) / target(threads)).toFixed(2)} (target <= 1)`);
lines.push(`Start-up (module instantiation, not in load time): wasm-threads ${threads.init_s.toFixed(3)} s, wasm-nothreads ${results['wasm-nothreads'].init_s.toFixed(3)} s, itk-wasm import ${results['itk-wasm'].init_s.toFixed(3)} s.`);
console.log(lines.join('\n'));
