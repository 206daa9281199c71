// The bindings and modules behind the web app's sample and exports, in Node:
// Session.addSample, Session.masksNifti and the DICOM SEG builder, checked
// against the voxel counts of the report of the same analysis.
import test from 'node:test';
import assert from 'node:assert/strict';
import dcmjs from 'dcmjs';
import { loadLunglens } from '../../wasm/node_loader.mjs';
import { buildDicomSeg } from '../../web/app/dicom_seg.mjs';

const generatedAt = '2026-01-01T00:00:00Z';

// Analyses the sample phantom once; returns the session, report and copies of the labels.
async function analyseSample() {
  const lunglens = await loadLunglens({ threads: false });
  const session = new lunglens.Session();
  const added = session.addSample();
  const result = session.analyze(-1, generatedAt, undefined);
  return {
    lunglens,
    session,
    added,
    result,
    report: JSON.parse(result.reportJson),
    geometry: session.geometry(),
    lungs: session.lungLabels().slice(),
    lesions: session.lesionLabels().slice(),
  };
}

const samplePromise = analyseSample();

function countLabels(bytes) {
  const counts = new Array(256).fill(0);
  for (const value of bytes) counts[value] += 1;
  return counts;
}

test('addSample adds the phantom as a CT series', async () => {
  const { lunglens, added, result, report } = await samplePromise;
  assert.equal(added, 120);
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  assert.equal(report.input.series_description, 'lunglens synthetic chest phantom');
  assert.equal(report.input.slice_count.value, 120);

  // Each sample gets its own UIDs.
  const other = new lunglens.Session();
  try {
    other.addSample();
    const otherUid = other.scan().series[0].seriesInstanceUid;
    assert.notEqual(otherUid, report.input.series_instance_uid);
    assert.match(otherUid, /^2\.25\.[1-9]\d{34}\.2$/);
  } finally {
    other.delete();
  }
});

test('masksNifti labels match the report', async () => {
  const { session, report, geometry } = await samplePromise;
  const bytes = session.masksNifti();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getInt32(0, true), 348);
  assert.equal(view.getInt16(40, true), 3);
  assert.deepEqual([view.getInt16(42, true), view.getInt16(44, true), view.getInt16(46, true)], geometry.size);
  assert.equal(view.getInt16(70, true), 2);
  assert.equal(view.getFloat32(108, true), 352);
  assert.equal(bytes.length, 352 + geometry.size[0] * geometry.size[1] * geometry.size[2]);

  const counts = countLabels(bytes.subarray(352));
  const results = report.results;
  assert.equal(counts[1] + counts[2] + counts[4] + counts[5], results.both_lungs.voxel_count.value);
  assert.equal(counts[3], results.airway.voxel_count.value);
  assert.equal(counts[4], results.both_lungs.ground_glass.voxel_count.value);
  assert.equal(counts[5], results.both_lungs.consolidation.voxel_count.value);
  assert.ok(counts[4] > 0, 'the phantom has GGO');
});

test('masksNifti is null before an analysis', async () => {
  const { lunglens } = await samplePromise;
  const session = new lunglens.Session();
  try {
    assert.equal(session.masksNifti(), null);
  } finally {
    session.delete();
  }
});

// Returns the number of set bits of frame `frame` (rows x columns pixels) of BINARY pixel data.
function frameBitCount(pixelData, frame, pixels) {
  let count = 0;
  for (let bit = frame * pixels; bit < (frame + 1) * pixels; ++bit) count += (pixelData[bit >> 3] >> (bit & 7)) & 1;
  return count;
}

test('DICOM SEG segments match the report', async () => {
  const { session, report, geometry, lungs, lesions } = await samplePromise;
  const metadata = JSON.parse(session.metadataJson(0));
  const seg = buildDicomSeg(dcmjs, { metadata, volume: { geometry, lungs, lesions }, softwareVersion: 'lunglens test' });

  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(seg.bytes).dict);
  assert.equal(dataset.SOPClassUID, '1.2.840.10008.5.1.4.1.1.66.4');
  assert.equal(dataset.Modality, 'SEG');
  assert.equal(dataset.SegmentationType, 'BINARY');
  assert.equal(dataset.NumberOfFrames, seg.frameCount);
  assert.equal(dataset.SegmentSequence.length, 4);
  assert.equal(dataset.PatientName[0].Alphabetic, 'PHANTOM^CHEST');
  assert.equal(dataset.ReferencedSeriesSequence[0].SeriesInstanceUID, report.input.series_instance_uid);
  assert.equal(dataset.ReferencedSeriesSequence[0].ReferencedInstanceSequence.length, 120);

  // Voxels per segment, from the packed bits, against the report.
  const pixelData = new Uint8Array(dataset.PixelData[0] ?? dataset.PixelData);
  const pixels = geometry.size[0] * geometry.size[1];
  const perSegment = [0, 0, 0, 0, 0];
  dataset.PerFrameFunctionalGroupsSequence.forEach((frame, f) => {
    perSegment[frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber] += frameBitCount(pixelData, f, pixels);
  });
  const results = report.results;
  assert.equal(perSegment[1], results.right_lung.voxel_count.value);
  assert.equal(perSegment[2], results.left_lung.voxel_count.value);
  assert.equal(perSegment[3], results.both_lungs.ground_glass.voxel_count.value);
  assert.equal(perSegment[4], results.both_lungs.consolidation.voxel_count.value);

  // Each frame references the source slice at its own position.
  const byUid = new Map(metadata.map((json) => {
    const instance = dcmjs.data.DicomMetaDictionary.naturalizeDataset(json);
    return [instance.SOPInstanceUID, instance.ImagePositionPatient];
  }));
  for (const frame of dataset.PerFrameFunctionalGroupsSequence) {
    const source = frame.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID;
    assert.deepEqual(frame.PlanePositionSequence[0].ImagePositionPatient.map(Number), byUid.get(source).map(Number));
  }
});

test('DICOM SEG rejects empty masks', async () => {
  const { session, geometry, lungs } = await samplePromise;
  const metadata = JSON.parse(session.metadataJson(0));
  const empty = new Uint8Array(lungs.length);
  assert.throws(() => buildDicomSeg(dcmjs, { metadata, volume: { geometry, lungs: empty, lesions: null }, softwareVersion: 'test' }), /masks are empty/);
});

test('DICOM SEG rejects a mismatched series', async () => {
  const { session, geometry, lungs, lesions } = await samplePromise;
  const metadata = JSON.parse(session.metadataJson(0)).slice(0, 100);
  assert.throws(() => buildDicomSeg(dcmjs, { metadata, volume: { geometry, lungs, lesions }, softwareVersion: 'test' }), /no source image found for slice/);
});
