// One benchmark run of the peer decoder: @itk-wasm/dicom's
// readImageDicomFileSeriesNode on a DICOM folder. Prints one JSON line.
//
// Usage: node benchmarks/run_itk_load.mjs FOLDER
import fs from 'node:fs';
import path from 'node:path';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node benchmarks/run_itk_load.mjs FOLDER');
  process.exit(2);
}

const initStart = performance.now();
const { readImageDicomFileSeriesNode } = await import('@itk-wasm/dicom');
const initSeconds = (performance.now() - initStart) / 1000;
const baselineRss = process.memoryUsage().rss;

const files = fs.readdirSync(folder).sort().map((name) => path.join(folder, name));
let inputBytes = 0;
for (const file of files) inputBytes += fs.statSync(file).size;

const start = performance.now();
const { outputImage } = await readImageDicomFileSeriesNode({ inputImages: files, singleSortedSeries: false });
const done = performance.now();

console.log(JSON.stringify({
  engine: 'itk-wasm',
  files: files.length,
  input_bytes: inputBytes,
  volume_bytes: outputImage.data.byteLength,
  voxel_type: outputImage.imageType.componentType,
  size: outputImage.size,
  init_s: initSeconds,
  total_s: (done - start) / 1000,
  baseline_rss_bytes: baselineRss,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
}));
process.exit(0);
