// Neural engine timing in Node (WebAssembly threads build + onnxruntime-web
// WASM backend): per-slice inference time and the whole series, beside the
// classical engine's Session.analyze time measured in the same process. Also
// measures the matrix-multiply peak of onnxruntime-web on this machine and
// states how far the models run from it.
//
// Usage: node benchmarks/neural_benchmark.mjs [FOLDER] [--repeat N] [--threads N]
// FOLDER defaults to $LUNGLENS_DATA/ct/LIDC-IDRI-0002.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBenchmarkArguments, repositoryRoot } from './benchmark_arguments.mjs';
import { readIntoSession } from './read_into_session.mjs';
import { loadLunglens } from '../wasm/node_loader.mjs';
import { createNeuralEngine } from '../web/neural/neural_engine.mjs';

const args = process.argv.slice(2);
const threadsAt = args.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(args.splice(threadsAt, 2)[1]) : 2;
if (!Number.isInteger(threads) || threads < 1) {
  console.error('neural_benchmark: --threads expects a positive integer');
  process.exit(2);
}
const { folder, repeat } = parseBenchmarkArguments('neural_benchmark', args);

const ort = await import('onnxruntime-web');
const readModel = (name) => fs.readFileSync(path.join(repositoryRoot, 'models', name, `${name}.onnx`));
const flopsOf = (name) =>
  JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'models', name, 'metrics.json'), 'utf8')).flops_per_slice;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = () => performance.now() / 1000;

// Peak: a 1024 x 1024 float32 MatMul (2 x 1024^3 FLOPs) in the same runtime and thread count.
async function measureMatmulPeak() {
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(fs.readFileSync(path.join(repositoryRoot, 'benchmarks', 'neural_matmul.onnx')));
  const size = 1024;
  const values = Float32Array.from({ length: size * size }, (_, i) => ((i * 7919) % 1000) / 1000);
  const feeds = { a: new ort.Tensor('float32', values, [size, size]), b: new ort.Tensor('float32', values, [size, size]) };
  await session.run(feeds);
  const times = [];
  for (let run = 0; run < 5; run++) {
    const start = seconds();
    await session.run(feeds);
    times.push(seconds() - start);
  }
  await session.release();
  return (2 * size ** 3) / Math.min(...times);
}

const lunglens = await loadLunglens({ threads: true });
lunglens.setThreadCount(threads);
let start = seconds();
const engine = await createNeuralEngine({ ort, lungModel: readModel('lung'), lesionModel: readModel('lesion'), threads });
const engineSeconds = seconds() - start;

const runs = [];
for (let run = 0; run < repeat; run++) {
  const session = new lunglens.Session();
  readIntoSession(session, folder);
  start = seconds();
  const classical = session.analyze(-1, '2026-01-01T00:00:00Z', undefined);
  const classicalSeconds = seconds() - start;
  if (!classical.ok) {
    console.error(`neural_benchmark: classical analysis failed: ${JSON.stringify(classical.diagnostics)}`);
    process.exit(1);
  }
  const slices = session.geometry().size[2];
  start = seconds();
  const neural = await engine.analyzeSession(session);
  const neuralSeconds = seconds() - start;
  if (!neural.ok) {
    console.error(`neural_benchmark: neural analysis failed: ${JSON.stringify(neural.diagnostics)}`);
    process.exit(1);
  }
  runs.push({ slices, classicalSeconds, neuralSeconds, ...neural.seconds });
  session.delete();
}
await engine.release();
const peakFlops = await measureMatmulPeak();

const slices = runs[0].slices;
const inference = median(runs.map((r) => r.inference));
const neuralTotal = median(runs.map((r) => r.neuralSeconds));
const classicalTotal = median(runs.map((r) => r.classicalSeconds));
const flopsPerSlice = flopsOf('lung') + flopsOf('lesion');
const achievedFlops = (flopsPerSlice * slices) / inference;

console.log(`Folder: ${path.basename(folder)} (${slices} slices), ${repeat} run(s), median times.`);
console.log(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} logical cores, Node ${process.version}, ` +
  `onnxruntime-web ${ort.env.versions?.web ?? 'unknown'} (${engine.executionProvider}, ${threads} threads).`);
console.log('');
console.log('| step | time (s) |');
console.log('|---|---|');
console.log(`| classical engine: Session.analyze (decode, segment, quantify, report) | ${classicalTotal.toFixed(2)} |`);
console.log(`| neural engine: preprocessing in the core (resample, window, CLAHE) | ${median(runs.map((r) => r.preprocess)).toFixed(2)} |`);
console.log(`| neural engine: inference, both models | ${inference.toFixed(2)} |`);
console.log(`| neural engine: post-processing and quantification in the core | ${median(runs.map((r) => r.postprocess)).toFixed(2)} |`);
console.log(`| neural engine: whole series (after decoding) | ${neuralTotal.toFixed(2)} |`);
console.log('');
console.log(`Inference per slice (both models): ${(1000 * inference / slices).toFixed(1)} ms`);
console.log(`Model start-up (two InferenceSession.create, not counted above): ${engineSeconds.toFixed(2)} s`);
console.log(`Neural whole series / classical analysis: ${(neuralTotal / classicalTotal).toFixed(2)}`);
console.log(`Neural whole series: ${neuralTotal.toFixed(1)} s (target < 60 s)`);
console.log(`FLOPs per slice: ${(flopsPerSlice / 1e9).toFixed(3)} GFLOP (lung ${(flopsOf('lung') / 1e9).toFixed(3)}, lesion ${(flopsOf('lesion') / 1e9).toFixed(3)})`);
console.log(`Achieved in inference: ${(achievedFlops / 1e9).toFixed(1)} GFLOP/s; ` +
  `peak (1024^3 MatMul, same runtime): ${(peakFlops / 1e9).toFixed(1)} GFLOP/s; ratio ${(achievedFlops / peakFlops).toFixed(2)}`);
