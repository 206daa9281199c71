// Measures how the exported models transfer to real DICOM through the full
// neural pipeline (WebAssembly core + onnxruntime-web) and writes
// models/transfer_metrics.json for the model cards:
// - LIDC-IDRI-0001 and -0002 (no pneumonia): Dice of the neural lung against
//   the classical engine's lung, per side, and the predicted infection share;
// - covid-slices: infection share per axial image, lung found or not.
// Usage: node models/measure_transfer.mjs   (needs build/wasm-threads)
import fs from 'node:fs';
import path from 'node:path';
import { loadLunglens } from '../wasm/node_loader.mjs';
import { addFolder, createEngineFromRepository, dataRoot, dice, root } from '../tests/node/neural_support.mjs';

const GENERATED_AT = '2026-01-01T00:00:00Z';
const isLung = (label) => label === 1 || label === 2;

function neuralNumbers(result) {
  const report = JSON.parse(result.reportJson);
  const both = report.neural.results?.both_lungs;
  return {
    lungs_found: result.lungsFound,
    lung_volume_ml: both?.volume.value ?? null,
    infection_percent_of_lung: both?.involvement.percent_of_lung.value ?? null,
    ggo_percent_of_lung: both?.ground_glass.percent_of_lung.value ?? null,
    consolidation_percent_of_lung: both?.consolidation.percent_of_lung.value ?? null,
  };
}

const lunglens = await loadLunglens({ threads: true });
const engine = await createEngineFromRepository();
const transfer = { series: [], covid_slices: [] };

for (const name of ['LIDC-IDRI-0001', 'LIDC-IDRI-0002']) {
  const session = new lunglens.Session();
  addFolder(session, path.join(dataRoot, 'ct', name));
  session.analyze(-1, GENERATED_AT, undefined);
  const result = await engine.analyzeSession(session);
  const classical = session.lungLabels();
  const neural = session.neuralLungLabels();
  transfer.series.push({
    series: name,
    lung_dice_vs_classical: dice(neural.length, (i) => isLung(neural[i]), (i) => isLung(classical[i])),
    right_lung_dice_vs_classical: dice(neural.length, (i) => neural[i] === 1, (i) => classical[i] === 1),
    left_lung_dice_vs_classical: dice(neural.length, (i) => neural[i] === 2, (i) => classical[i] === 2),
    classical_lung_volume_ml: JSON.parse(result.reportJson).results.both_lungs.volume.value,
    ...neuralNumbers(result),
    seconds: result.seconds,
  });
  console.log(JSON.stringify(transfer.series.at(-1)));
  session.delete();
}

const covidFolder = path.join(dataRoot, 'covid-slices');
for (const patient of fs.readdirSync(covidFolder).sort()) {
  const folder = path.join(covidFolder, patient, 'axial');
  if (!fs.existsSync(folder)) continue;
  for (const file of fs.readdirSync(folder).sort()) {
    const session = new lunglens.Session();
    session.addFile(file, fs.readFileSync(path.join(folder, file)));
    session.analyze(-1, GENERATED_AT, undefined);
    const result = await engine.analyzeSession(session);
    transfer.covid_slices.push({ image: `${patient}/axial/${file}`, ...neuralNumbers(result) });
    console.log(JSON.stringify(transfer.covid_slices.at(-1)));
    session.delete();
  }
}
await engine.release();

transfer.measured_at = new Date().toISOString();
fs.writeFileSync(path.join(root, 'models', 'transfer_metrics.json'), `${JSON.stringify(transfer, null, 2)}\n`);
