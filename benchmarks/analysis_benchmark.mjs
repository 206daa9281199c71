// Analysis benchmark: bytes -> report (decode, segment, quantify) natively and
// as WebAssembly in Node (threads and no threads), in one run, each engine in
// its own process. Then the scaling check: the native analysis of the
// synthetic phantom at two grid sizes (8x the voxels), to show that no stage
// grows worse than linearly with the voxel count.
//
// Usage: node benchmarks/analysis_benchmark.mjs [FOLDER] [--repeat N]
//   FOLDER defaults to $LUNGLENS_DATA/ct/LIDC-IDRI-0002.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBenchmarkArguments, repositoryRoot } from './benchmark_arguments.mjs';

const root = repositoryRoot;
const { folder, repeat } = parseBenchmarkArguments('analysis_benchmark');

const build = path.join(root, 'build', 'native', 'examples');
const nativeCli = path.join(build, 'cli', 'lunglens');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lunglens-bench-'));

function runJson(command, commandArgs) {
  const output = execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').filter((l) => l.startsWith('{')).pop());
}

function nativeRun(input) {
  return runJson(nativeCli, ['analyze', input, '--out', path.join(scratch, 'out'), '--quiet', '--timing']);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const stages = ['read_s', 'scanning_s', 'decoding_s', 'segmenting_s', 'quantifying_s', 'reporting_s', 'total_s'];

function summarise(runs) {
  const summary = {};
  for (const key of stages) summary[key] = median(runs.map((r) => r[key] ?? 0));
  summary.peak_rss_bytes = Math.max(...runs.map((r) => r.peak_rss_bytes));
  summary.warm_up_s = median(runs.map((r) => r.warm_up_s ?? 0));
  const stepCount = Math.min(...runs.map((r) => (r.segment_steps_s ?? []).length));
  summary.segment_steps_s = Array.from({ length: stepCount }, (_, s) => median(runs.map((r) => r.segment_steps_s[s])));
  return summary;
}

try {
  const engines = {
    native: () => nativeRun(folder),
    'wasm-threads': () => runJson(process.execPath, [path.join(root, 'benchmarks', 'run_wasm_analysis.mjs'), '--threads', folder]),
    'wasm-threads after warm-up': () =>
      runJson(process.execPath, [path.join(root, 'benchmarks', 'run_wasm_analysis.mjs'), '--threads', folder, '--warm-up']),
    'wasm-nothreads': () => runJson(process.execPath, [path.join(root, 'benchmarks', 'run_wasm_analysis.mjs'), '--nothreads', folder]),
  };
  const results = {};
  for (const [name, run] of Object.entries(engines)) {
    const runs = [];
    for (let r = 0; r < repeat; ++r) runs.push(run());
    results[name] = summarise(runs);
    process.stderr.write(`${name}: ${JSON.stringify(results[name])}\n`);
  }

  const lines = [];
  lines.push(`Folder: ${path.basename(folder)}, ${repeat} runs each, median times in seconds.`);
  lines.push(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} logical cores, Node ${process.version}.`);
  lines.push('');
  lines.push('| engine | read | scan | decode | segment | quantify | report | total | vs native | peak RSS (MiB) |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, r] of Object.entries(results)) {
    const cells = stages.map((key) => r[key].toFixed(3));
    lines.push(`| ${name} | ${cells.join(' | ')} | ${(r.total_s / results.native.total_s).toFixed(2)}x | ${(r.peak_rss_bytes / 1048576).toFixed(0)} |`);
  }
  lines.push('');
  lines.push(`WASM (threads) total: ${results['wasm-threads'].total_s.toFixed(2)} s (target < 5 s), ${(results['wasm-threads'].total_s / results.native.total_s).toFixed(2)}x native (target <= 1.5).`);
  const warmed = results['wasm-threads after warm-up'];
  lines.push(`WASM (threads) after the ${warmed.warm_up_s.toFixed(2)} s warm-up that the web app runs at load: ` +
    `${warmed.total_s.toFixed(2)} s, ${(warmed.total_s / results.native.total_s).toFixed(2)}x native.`);

  // The segmentation steps as core/segment/lung_segmenter.h numbers them in its progress reports.
  const stepNames = ['body outline, HU check', 'air and dense lung', 'lung candidates', 'airways', 'right/left split',
    'pleura', 'lesions'];
  lines.push('');
  lines.push('Segmentation steps (median seconds):');
  lines.push('');
  lines.push(`| step | ${Object.keys(results).join(' | ')} |`);
  lines.push(`|---|${Object.keys(results).map(() => '---').join('|')}|`);
  stepNames.forEach((name, s) => {
    const cells = Object.values(results).map((r) => (r.segment_steps_s[s] ?? NaN).toFixed(3));
    lines.push(`| ${s + 1}. ${name} | ${cells.join(' | ')} |`);
  });

  // Scaling: the phantom at 256x256x120 and 512x512x240 voxels (8x).
  const small = path.join(scratch, 'small');
  const large = path.join(scratch, 'large');
  execFileSync(path.join(build, 'write_phantom'), [small, '--matrix', '256', '--spacing', '1.5', '--thickness', '2.5'], { stdio: 'ignore' });
  execFileSync(path.join(build, 'write_phantom'), [large, '--matrix', '512', '--spacing', '0.75', '--thickness', '1.25'], { stdio: 'ignore' });
  const smallRun = summarise([nativeRun(small), nativeRun(small), nativeRun(small)]);
  const largeRun = summarise([nativeRun(large), nativeRun(large), nativeRun(large)]);
  lines.push('');
  lines.push('Scaling, native, synthetic phantom 256x256x120 -> 512x512x240 (8x voxels); a ratio near 8 is linear:');
  lines.push('');
  lines.push('| stage | 256x256x120 (s) | 512x512x240 (s) | ratio |');
  lines.push('|---|---|---|---|');
  for (const key of ['decoding_s', 'segmenting_s', 'quantifying_s']) {
    lines.push(`| ${key.replace('_s', '')} | ${smallRun[key].toFixed(3)} | ${largeRun[key].toFixed(3)} | ${(largeRun[key] / smallRun[key]).toFixed(1)} |`);
  }
  console.log(lines.join('\n'));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
