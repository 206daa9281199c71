// The neural methods of Session reject bad calls with errors that name the
// fault, and the engine rejects input of the wrong size, instead of reading
// past a buffer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadLunglens } from '../../wasm/node_loader.mjs';
import { createNeuralEngine } from '../../web/neural/neural_engine.mjs';
import { createEngineFromRepository, dataRoot, modelPath, skipWithout } from './neural_support.mjs';

const GRID_PIXELS = 256 * 256;
const sliceFolder = path.join(dataRoot, 'covid-slices', 'A046441', 'axial');

test('neural session rejects bad calls', async (t) => {
  if (skipWithout(t, sliceFolder)) return;
  const lunglens = await loadLunglens({ threads: true });
  const session = new lunglens.Session();
  try {
    assert.throws(() => session.neuralInput(0, 1), /no volume is loaded/);
    assert.throws(() => session.finishNeural(), /run analyze\(\) first/);

    const name = fs.readdirSync(sliceFolder).sort()[0];
    session.addFile(name, fs.readFileSync(path.join(sliceFolder, name)));
    session.analyze(-1, '2026-01-01T00:00:00Z', undefined);
    assert.equal(session.geometry().size[2], 1);

    const input = session.neuralInput(0, 1);
    assert.ok(input instanceof Float32Array);
    assert.equal(input.length, GRID_PIXELS);
    assert.ok(input.every((value) => value >= 0 && value <= 1));
    assert.throws(() => session.neuralInput(0, 2), /outside the 1 slices/);
    assert.throws(() => session.neuralInput(1, 1), /is empty/);

    const slice = new Float32Array(GRID_PIXELS);
    assert.throws(() => session.setNeuralOutput(0, slice, new Float32Array(10)), /same whole number/);
    assert.throws(() => session.setNeuralOutput(1, slice, slice), /within the 1 slices/);
    assert.throws(() => session.setNeuralOutput(-1, slice, slice), /from slice -1/);

    // All-zero probabilities: a valid call that finds no lung.
    session.setNeuralOutput(0, slice, slice);
    const result = session.finishNeural();
    assert.equal(result.ok, false);
    assert.equal(result.lungsFound, false);
    assert.ok(result.diagnostics.some((d) => d.code === 'no_lung_found'));
    assert.equal(JSON.parse(result.reportJson).neural.status, 'failed');
  } finally {
    session.delete();
  }
});

test('neural engine rejects wrong input size', async () => {
  const engine = await createEngineFromRepository();
  try {
    await assert.rejects(engine.predict(new Float32Array(100), 1), /expected 65536 input values/);
  } finally {
    await engine.release();
  }
});

test('corrupt model named in error', async () => {
  const ort = await import('onnxruntime-web');
  const lungModel = fs.readFileSync(modelPath('lung'));
  const corrupt = new Uint8Array(fs.readFileSync(modelPath('lesion')).subarray(0, 5000));
  await assert.rejects(createNeuralEngine({ ort, lungModel, lesionModel: corrupt, threads: 1 }), (error) => {
    assert.equal(error.model, 'lesion');
    return true;
  });
  await assert.rejects(createNeuralEngine({ ort, lungModel: corrupt, lesionModel: lungModel, threads: 1 }), (error) => {
    assert.equal(error.model, 'lung');
    return true;
  });
});
