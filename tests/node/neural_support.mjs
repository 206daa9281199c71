// Helpers of the neural-engine Node tests: paths, a grayscale PNG reader for
// the training triplets, Dice, engine creation from the committed models and
// a whole neural analysis in the WebAssembly core.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createNeuralEngine } from '../../web/neural/neural_engine.mjs';
import { loadLunglens } from '../../wasm/node_loader.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(root, '..', 'shared', 'data');
export const trainingFolder = path.join(dataRoot, 'training', 'covid-ct-seg-png256');

export function modelPath(name) {
  return path.join(root, 'models', name, `${name}.onnx`);
}

export function readMetrics(name) {
  return JSON.parse(fs.readFileSync(path.join(root, 'models', name, 'metrics.json'), 'utf8'));
}

// Returns true (after marking the test skipped) when `folder` is missing.
export function skipWithout(t, folder) {
  if (fs.existsSync(folder)) return false;
  t.skip(`${folder} not found (set LUNGLENS_DATA)`);
  return true;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// Decodes an 8-bit grayscale, non-interlaced PNG (the format of the training
// triplets). Returns {width, height, pixels: Uint8Array}; throws for other formats.
export function readGrayPng(file) {
  const bytes = fs.readFileSync(file);
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature) throw new Error(`${file}: not a PNG file`);

  let width = 0;
  let height = 0;
  const data = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [bitDepth, colorType, , , interlace] = body.subarray(8, 13);
      if (bitDepth !== 8 || colorType !== 0 || interlace !== 0)
        throw new Error(`${file}: only 8-bit grayscale non-interlaced PNG is supported`);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }

  const raw = zlib.inflateSync(Buffer.concat(data));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    const line = raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1));
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? pixels[y * width + x - 1] : 0;
      const up = y > 0 ? pixels[(y - 1) * width + x] : 0;
      const upLeft = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`${file}: invalid PNG filter ${filter} in row ${y}`);
      pixels[y * width + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

// Dice of two masks given as predicates over indices 0..length-1.
export function dice(length, inFirst, inSecond) {
  let both = 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    const a = inFirst(i);
    const b = inSecond(i);
    if (a && b) both++;
    total += (a ? 1 : 0) + (b ? 1 : 0);
  }
  return total === 0 ? 1 : (2 * both) / total;
}

export async function createEngineFromRepository({ threads = 2 } = {}) {
  const ort = await import('onnxruntime-web');
  return createNeuralEngine({
    ort,
    lungModel: fs.readFileSync(modelPath('lung')),
    lesionModel: fs.readFileSync(modelPath('lesion')),
    threads,
  });
}

export function addFolder(session, folder) {
  const names = fs.readdirSync(folder).sort();
  for (const name of names) session.addFile(name, fs.readFileSync(path.join(folder, name)));
  return names.length;
}

// Runs the classical and then the neural analysis of `input` (a DICOM file,
// or a folder whose files are all added) in the WebAssembly core with
// threads and the repository's models on the WASM provider. Returns
// inspect(session, result), called before the session and engine are freed.
export async function analyzeNeuralInNode(input, inspect, generatedAt) {
  const lunglens = await loadLunglens({ threads: true });
  const engine = await createEngineFromRepository({ threads: 2 });
  const session = new lunglens.Session();
  try {
    if (fs.statSync(input).isDirectory()) addFolder(session, input);
    else session.addFile(path.basename(input), fs.readFileSync(input));
    session.analyze(-1, generatedAt, undefined);
    return inspect(session, await engine.analyzeSession(session));
  } finally {
    session.delete();
    await engine.release();
  }
}
