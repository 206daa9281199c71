// Builds a DICOM Segmentation object (SEG IOD, BINARY, one frame per segment
// and source slice that contains it) from the lunglens label volumes, so a
// PACS or viewer can overlay the lungs and lesions on the source CT series.
//
// The caller passes dcmjs (the package, in the browser the vendored UMD or ES
// build), so this module runs unchanged in the page and in Node tests.
//
// Segments: 1 right lung, 2 left lung (each including its lesions), 3 GGO,
// 4 consolidation. Segments overlap (a GGO voxel is also a lung voxel), which
// BINARY segmentations allow.

const segClassUid = '1.2.840.10008.5.1.4.1.1.66.4';
const explicitLittleEndian = '1.2.840.10008.1.2.1';

// Tag numbers for the DimensionIndexSequence (AT values).
const referencedSegmentNumberTag = 0x0062000b;
const segmentIdentificationSequenceTag = 0x0062000a;
const imagePositionPatientTag = 0x00200032;
const planePositionSequenceTag = 0x00209113;

const code = (CodeValue, CodingSchemeDesignator, CodeMeaning) => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });
const anatomicalStructure = code('91723000', 'SCT', 'Anatomical Structure');
const abnormalStructure = code('49755003', 'SCT', 'Morphologically Abnormal Structure');

// CIELab display colours (DICOM scaled 0..65535) close to the viewer's overlay colours.
export const segmentDefinitions = [
  { number: 1, label: 'Right lung', category: anatomicalStructure, type: code('3341006', 'SCT', 'Right lung'), lab: [35000, 44000, 21000], matches: (lung) => lung === 1 },
  { number: 2, label: 'Left lung', category: anatomicalStructure, type: code('44029006', 'SCT', 'Left lung'), lab: [51000, 15000, 47000], matches: (lung) => lung === 2 },
  { number: 3, label: 'Ground-glass opacity', category: abnormalStructure, type: code('112120', 'DCM', 'Ground glass opacity'), lab: [58000, 32000, 55000], matches: (lung, lesion) => lesion === 1 },
  { number: 4, label: 'Consolidation', category: abnormalStructure, type: code('95436008', 'SCT', 'Lung consolidation'), lab: [35000, 50000, 45000], matches: (lung, lesion) => lesion === 2 },
];

function dot(a, b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function dicomDateTime(date) {
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return {
    date: `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`,
    time: `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`,
  };
}

// Returns the source instances (naturalized) indexed by slice k of the
// volume, found by projecting each ImagePositionPatient on the slice axis.
// Throws when a slice has no instance or the series is multi-frame.
function instancesBySlice(instances, geometry) {
  const [nx, ny, nz] = geometry.size;
  const normal = geometry.axes[2];
  const step = geometry.spacingMm[2];
  const bySlice = new Array(nz).fill(null);
  for (const instance of instances) {
    if (Number(instance.NumberOfFrames ?? 1) > 1) {
      throw new Error('DICOM SEG export supports single-frame source images only; this series is multi-frame');
    }
    if (Number(instance.Rows) !== ny || Number(instance.Columns) !== nx) {
      throw new Error(`source image ${instance.SOPInstanceUID} is ${instance.Columns}x${instance.Rows}, the volume ${nx}x${ny}`);
    }
    const offset = instance.ImagePositionPatient.map((value, c) => value - geometry.originMm[c]);
    const k = Math.round(dot(offset, normal) / (step * dot(normal, normal)));
    if (k >= 0 && k < nz) bySlice[k] = instance;
  }
  const missing = bySlice.indexOf(null);
  if (missing >= 0) throw new Error(`no source image found for slice ${missing + 1} of ${nz}`);
  return bySlice;
}

// Returns the patient, study and frame-of-reference attributes a SEG copies
// from its source.
function copiedAttributes(source) {
  const names = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyInstanceUID', 'StudyDate',
    'StudyTime', 'StudyID', 'AccessionNumber', 'ReferringPhysicianName', 'FrameOfReferenceUID', 'SpecificCharacterSet'];
  const copied = {};
  for (const name of names) copied[name] = source[name] ?? '';
  return copied;
}

// Builds the SEG. metadata: DICOM JSON array of the source series
// (Session.metadataJson). volume: {geometry, lungs, lesions}. Returns
// {bytes: ArrayBuffer (Part 10 file), frameCount, segments: [{number, label, frames}]}.
export function buildDicomSeg(dcmjs, { metadata, volume, softwareVersion, now = new Date() }) {
  const { DicomMetaDictionary } = dcmjs.data;
  const instances = metadata.map((json) => DicomMetaDictionary.naturalizeDataset(json));
  if (instances.length === 0) throw new Error('no source metadata: the series has no instances');
  const geometry = volume.geometry;
  const [nx, ny, nz] = geometry.size;
  const bySlice = instancesBySlice(instances, geometry);
  const first = bySlice[0];
  const sliceVoxels = nx * ny;

  // Frames: every (segment, slice) pair where the segment has a voxel.
  const frames = [];
  const segmentSummaries = [];
  for (const segment of segmentDefinitions) {
    let frameCount = 0;
    for (let k = 0; k < nz; ++k) {
      const offset = k * sliceVoxels;
      let present = false;
      for (let v = 0; v < sliceVoxels && !present; ++v) {
        present = segment.matches(volume.lungs[offset + v], volume.lesions ? volume.lesions[offset + v] : 0);
      }
      if (!present) continue;
      frames.push({ segment, k });
      frameCount += 1;
    }
    segmentSummaries.push({ number: segment.number, label: segment.label, frames: frameCount });
  }
  if (frames.length === 0) throw new Error('the masks are empty: there is nothing to export');

  // BINARY pixel data: one bit per pixel, frames back to back, least
  // significant bit first.
  const pixelData = new Uint8Array(Math.ceil((frames.length * sliceVoxels) / 8));
  frames.forEach(({ segment, k }, f) => {
    const offset = k * sliceVoxels;
    const bitBase = f * sliceVoxels;
    for (let v = 0; v < sliceVoxels; ++v) {
      if (!segment.matches(volume.lungs[offset + v], volume.lesions ? volume.lesions[offset + v] : 0)) continue;
      const bit = bitBase + v;
      pixelData[bit >> 3] |= 1 << (bit & 7);
    }
  });

  const dimensionUid = DicomMetaDictionary.uid();
  const { date, time } = dicomDateTime(now);
  const sourceSeriesUid = first.SeriesInstanceUID;
  const derivationCode = code('113076', 'DCM', 'Segmentation');
  const purposeCode = code('121322', 'DCM', 'Source image for image processing operation');

  const dataset = {
    ...copiedAttributes(first),
    SOPClassUID: segClassUid,
    SOPInstanceUID: DicomMetaDictionary.uid(),
    Modality: 'SEG',
    SeriesInstanceUID: DicomMetaDictionary.uid(),
    SeriesNumber: 300,
    SeriesDescription: 'lunglens lungs and lesions',
    SeriesDate: date,
    SeriesTime: time,
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: 'LUNGLENS',
    ContentDescription: 'Lungs, ground-glass opacity and consolidation',
    ContentCreatorName: '',
    Manufacturer: 'lunglens',
    ManufacturerModelName: 'lunglens',
    SoftwareVersions: softwareVersion,
    DeviceSerialNumber: '1',
    ImageType: ['DERIVED', 'PRIMARY'],
    SegmentationType: 'BINARY',
    SegmentsOverlap: 'YES',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    NumberOfFrames: frames.length,
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionUid }],
    DimensionIndexSequence: [
      { DimensionOrganizationUID: dimensionUid, DimensionIndexPointer: referencedSegmentNumberTag, FunctionalGroupPointer: segmentIdentificationSequenceTag, DimensionDescriptionLabel: 'ReferencedSegmentNumber' },
      { DimensionOrganizationUID: dimensionUid, DimensionIndexPointer: imagePositionPatientTag, FunctionalGroupPointer: planePositionSequenceTag, DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    ReferencedSeriesSequence: [{
      SeriesInstanceUID: sourceSeriesUid,
      ReferencedInstanceSequence: bySlice.map((instance) => ({ ReferencedSOPClassUID: instance.SOPClassUID, ReferencedSOPInstanceUID: instance.SOPInstanceUID })),
    }],
    SegmentSequence: segmentDefinitions.map((segment) => ({
      SegmentNumber: segment.number,
      SegmentLabel: segment.label,
      SegmentAlgorithmType: 'AUTOMATIC',
      SegmentAlgorithmName: 'lunglens',
      SegmentedPropertyCategoryCodeSequence: [segment.category],
      SegmentedPropertyTypeCodeSequence: [segment.type],
      RecommendedDisplayCIELabValue: segment.lab,
    })),
    SharedFunctionalGroupsSequence: [{
      PlaneOrientationSequence: [{ ImageOrientationPatient: first.ImageOrientationPatient }],
      // PixelSpacing is row spacing (j) then column spacing (i).
      PixelMeasuresSequence: [{ PixelSpacing: [geometry.spacingMm[1], geometry.spacingMm[0]], SliceThickness: first.SliceThickness ?? geometry.spacingMm[2], SpacingBetweenSlices: geometry.spacingMm[2] }],
    }],
    PerFrameFunctionalGroupsSequence: frames.map(({ segment, k }) => ({
      DerivationImageSequence: [{
        SourceImageSequence: [{ ReferencedSOPClassUID: bySlice[k].SOPClassUID, ReferencedSOPInstanceUID: bySlice[k].SOPInstanceUID, PurposeOfReferenceCodeSequence: [purposeCode] }],
        DerivationCodeSequence: [derivationCode],
      }],
      FrameContentSequence: [{ DimensionIndexValues: [segment.number, k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: bySlice[k].ImagePositionPatient }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment.number }],
    })),
    PixelData: pixelData.buffer,
    _vrMap: { PixelData: 'OB' },
    _meta: { TransferSyntaxUID: { Value: [explicitLittleEndian] } },
  };

  const dicomDict = dcmjs.data.datasetToDict(dataset);
  return { bytes: dicomDict.write(), frameCount: frames.length, segments: segmentSummaries };
}
