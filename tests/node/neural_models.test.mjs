// The exported ONNX models, run through onnxruntime-web in Node, must
// reproduce the per-slice Dice that training recorded in metrics.json for
// held-out validation slices (within 0.01).
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import {
  createEngineFromRepository, dice, readGrayPng, readMetrics, skipWithout, trainingFolder,
} from './neural_support.mjs';

const GRID_PIXELS = 256 * 256;
const THRESHOLD = 0.5;

function pngName(index) {
  return `${String(index).padStart(4, '0')}.png`;
}

test('onnx models reproduce recorded validation dice', async (t) => {
  if (skipWithout(t, trainingFolder)) return;
  const engine = await createEngineFromRepository();
  try {
    for (const [name, output] of [['lung', 'lung'], ['lesion', 'lesion']]) {
      const references = readMetrics(name).validation.reference_slices;
      assert.ok(references.length >= 4, `${name}: metrics.json lists too few reference slices`);

      for (const reference of references) {
        const file = pngName(reference.png_index);
        const ct = readGrayPng(path.join(trainingFolder, 'ct', file)).pixels;
        const lungs = readGrayPng(path.join(trainingFolder, 'lungs', file)).pixels;
        const truth = readGrayPng(path.join(trainingFolder, name === 'lung' ? 'lungs' : 'covid', file)).pixels;

        const input = Float32Array.from(ct, (value) => value / 255);
        const probability = (await engine.predict(input, 1))[output];
        assert.equal(probability.length, GRID_PIXELS);

        // As in training, infection counts only inside the reference lung.
        const predicted = (i) => probability[i] >= THRESHOLD && (name === 'lung' || lungs[i] > 127);
        const measured = dice(GRID_PIXELS, predicted, (i) => truth[i] > 127);
        assert.ok(Math.abs(measured - reference.dice) <= 0.01,
          `${name} slice ${file}: Dice ${measured.toFixed(4)} differs from recorded ${reference.dice.toFixed(4)}`);
      }
    }
  } finally {
    await engine.release();
  }
});
