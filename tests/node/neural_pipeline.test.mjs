// The whole neural pipeline in Node: the WebAssembly core (threads build)
// prepares the slices and post-processes, onnxruntime-web runs the models.
// On a scan without pneumonia the neural lung must match the classical lung
// and the predicted infection must stay small. On single COVID-19 slices the
// affected patient must stand out, and abdominal slices must give no lung.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadLunglens } from '../../wasm/node_loader.mjs';
import { addFolder, createEngineFromRepository, dataRoot, dice, skipWithout } from './neural_support.mjs';

const GENERATED_AT = '2026-01-01T00:00:00Z';
const lidc1 = path.join(dataRoot, 'ct', 'LIDC-IDRI-0001');
const covidSlices = path.join(dataRoot, 'covid-slices');

// Patients whose axial images lie below the lungs (upper abdomen).
const ABDOMINAL = new Set(['A027284', 'A058062', 'A062055']);
// Patients with mild or basal findings only.
const MILD = new Set(['A048383', 'A067967']);
const RIGHT_LUNG = 1;
const LEFT_LUNG = 2;

function isLung(label) {
  return label === RIGHT_LUNG || label === LEFT_LUNG;
}

function involvementPercent(report) {
  return report.neural.results.both_lungs.involvement.percent_of_lung.value;
}

test('neural pipeline on LIDC-IDRI-0001', async (t) => {
  if (skipWithout(t, lidc1)) return;
  const lunglens = await loadLunglens({ threads: true });
  const engine = await createEngineFromRepository();
  const session = new lunglens.Session();
  try {
    addFolder(session, lidc1);
    const classical = session.analyze(-1, GENERATED_AT, undefined);
    assert.ok(classical.ok, 'the classical analysis must succeed first');

    let lastDone = 0;
    const result = await engine.analyzeSession(session, { onProgress: (done) => { lastDone = done; } });
    assert.ok(result.ok, JSON.stringify(result.diagnostics));
    assert.equal(lastDone, session.geometry().size[2]);
    // Node has no WebGPU, so the sessions run on the WASM provider without a WebGPU failure.
    assert.equal(result.executionProvider, 'wasm');
    assert.equal(engine.executionProvider, 'wasm');
    assert.equal(engine.webGpuError, null);

    const report = JSON.parse(result.reportJson);
    assert.equal(report.method.segmentation.engine, 'classical');
    assert.equal(report.neural.engine, 'neural');
    assert.equal(report.neural.status, 'complete');
    assert.ok(result.reportHtml.includes('Neural engine'));

    const classicalLabels = session.lungLabels();
    const neuralLabels = session.neuralLungLabels();
    assert.equal(neuralLabels.length, classicalLabels.length);
    const lungDice = dice(neuralLabels.length, (i) => isLung(neuralLabels[i]), (i) => isLung(classicalLabels[i]));
    const rightDice = dice(neuralLabels.length, (i) => neuralLabels[i] === RIGHT_LUNG, (i) => classicalLabels[i] === RIGHT_LUNG);
    const leftDice = dice(neuralLabels.length, (i) => neuralLabels[i] === LEFT_LUNG, (i) => classicalLabels[i] === LEFT_LUNG);
    t.diagnostic(`lung Dice neural vs classical ${lungDice.toFixed(4)} (right ${rightDice.toFixed(4)}, left ${leftDice.toFixed(4)})`);
    t.diagnostic(`neural infection share ${involvementPercent(report)} %`);
    assert.ok(lungDice >= 0.9, `lung Dice ${lungDice}`);
    assert.ok(rightDice >= 0.85, `right lung Dice ${rightDice}`);
    assert.ok(leftDice >= 0.85, `left lung Dice ${leftDice}`);
    assert.ok(involvementPercent(report) < 2, `infection share ${involvementPercent(report)} % of the lung`);

    // A score above 0 made only of zone scores 1 carries the normal-level warning.
    const score = report.neural.results.both_lungs.severity_score.value;
    const normalLevel = report.neural.diagnostics.filter((d) => d.code === 'within_normal_level');
    t.diagnostic(`neural severity score ${score}/30`);
    if (score > 0) {
      assert.equal(normalLevel.length, 1);
      assert.equal(normalLevel[0].severity, 'warning');
      assert.match(normalLevel[0].message, new RegExp(`its score of ${score}/30 alone does not show pneumonia`));
    }
  } finally {
    session.delete();
    await engine.release();
  }
});

test('neural pipeline on covid slices', async (t) => {
  if (skipWithout(t, covidSlices)) return;
  const lunglens = await loadLunglens({ threads: true });
  const engine = await createEngineFromRepository();
  const session = new lunglens.Session();
  const shares = [];
  try {
    for (const patient of fs.readdirSync(covidSlices).sort()) {
      const folder = path.join(covidSlices, patient, 'axial');
      if (!fs.existsSync(folder)) continue;
      for (const name of fs.readdirSync(folder).sort()) {
        session.clearFiles();
        session.addFile(name, fs.readFileSync(path.join(folder, name)));
        session.analyze(-1, GENERATED_AT, undefined);
        const result = await engine.analyzeSession(session);
        if (ABDOMINAL.has(patient)) {
          assert.equal(result.lungsFound, false, `${patient}/${name}: abdominal slice must give no lung`);
          assert.ok(result.diagnostics.some((d) => d.code === 'no_lung_found'), `${patient}/${name}: no no_lung_found`);
          continue;
        }
        assert.ok(result.lungsFound, `${patient}/${name}: no lung found`);
        const report = JSON.parse(result.reportJson);
        const share = involvementPercent(report);
        if (patient === 'A046441')
          assert.ok(!report.neural.diagnostics.some((d) => d.code === 'within_normal_level'), `${name}: normal-level warning`);
        t.diagnostic(`${patient}/${name}: neural infection share ${share} %`);
        shares.push({ patient, name, share });
      }
    }
  } finally {
    session.delete();
    await engine.release();
  }

  // A046441 shows extensive bilateral GGO and consolidation in both exams,
  // and so does the current exam of A002304. The patients with mild or basal
  // findings have no reference share, so their images must only score lower.
  const clearlyAffected = (s) => s.patient === 'A046441' || (s.patient === 'A002304' && s.name === '19010112-135.dcm');
  const a046441 = shares.filter((s) => s.patient === 'A046441').map((s) => s.share);
  const affected = shares.filter(clearlyAffected).map((s) => s.share);
  const mild = shares.filter((s) => MILD.has(s.patient)).map((s) => s.share);
  assert.equal(affected.length, 3);
  assert.equal(mild.length, 4);
  assert.ok(Math.min(...a046441) >= 10, `A046441 shares ${a046441} % must be at least 10 %`);
  assert.ok(Math.min(...affected) > Math.max(...mild),
    `clearly affected shares ${affected} % must exceed the mild patients' ${mild} %`);
});
