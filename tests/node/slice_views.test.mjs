// The viewer's pure parts: mapping acquisition grids to radiological views
// (view_orientation.mjs) and rendering a slice with window and overlays
// (slice_renderer.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { indexAxesOfPatientAxes, viewMapping, voxelPositionMm } from '../../web/app/view_orientation.mjs';
import { overlayColors, renderSlice } from '../../web/app/slice_renderer.mjs';

const identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
// Feet first supine: IOP -1\0\0\0\1\0, slices from head to feet.
const feetFirst = [[-1, 0, 0], [0, 1, 0], [0, 0, -1]];
// Coronal acquisition: rows along -z (head at the top), slices towards posterior.
const coronal = [[1, 0, 0], [0, 0, -1], [0, 1, 0]];

test('head-first supine needs no flips in axial', () => {
  const axial = viewMapping('axial', identity);
  assert.equal(axial.normalAxis, 2);
  assert.deepEqual(axial.horizontal, { axis: 0, flip: false });
  assert.deepEqual(axial.vertical, { axis: 1, flip: false });
});

test('coronal and sagittal put the head on top', () => {
  const coronalView = viewMapping('coronal', identity);
  assert.equal(coronalView.normalAxis, 1);
  assert.deepEqual(coronalView.vertical, { axis: 2, flip: true });
  const sagittal = viewMapping('sagittal', identity);
  assert.equal(sagittal.normalAxis, 0);
  assert.deepEqual(sagittal.horizontal, { axis: 1, flip: false });
  assert.deepEqual(sagittal.vertical, { axis: 2, flip: true });
});

test('feet-first series flips to radiological', () => {
  const axial = viewMapping('axial', feetFirst);
  assert.deepEqual(axial.horizontal, { axis: 0, flip: true });
  assert.deepEqual(axial.vertical, { axis: 1, flip: false });
  const coronalView = viewMapping('coronal', feetFirst);
  assert.deepEqual(coronalView.vertical, { axis: 2, flip: false });
});

test('coronal acquisition maps slices to coronal', () => {
  const mapping = indexAxesOfPatientAxes(coronal);
  assert.deepEqual(mapping, [{ axis: 0, sign: 1 }, { axis: 2, sign: 1 }, { axis: 1, sign: -1 }]);
  assert.equal(viewMapping('axial', coronal).normalAxis, 1);
  assert.equal(viewMapping('coronal', coronal).normalAxis, 2);
  assert.deepEqual(viewMapping('coronal', coronal).vertical, { axis: 1, flip: false });
});

test('voxel position follows origin, spacing and axes', () => {
  const geometry = { originMm: [10, 20, 30], spacingMm: [0.5, 0.75, 2.5], axes: feetFirst };
  assert.deepEqual(voxelPositionMm(geometry, [2, 4, 3]), [10 - 1, 20 + 3, 30 - 7.5]);
});

function tinyVolume() {
  // 3 x 2 x 2 voxels, HU = 100 * linear index - 600.
  const size = [3, 2, 2];
  const voxels = Int16Array.from({ length: 12 }, (_, v) => 100 * v - 600);
  const lungs = new Uint8Array(12);
  const lesions = new Uint8Array(12);
  lungs[6] = 1;    // (0, 0, 1) right lung
  lungs[7] = 2;    // (1, 0, 1) left lung
  lungs[8] = 1;    // (2, 0, 1) right lung with GGO
  lesions[8] = 1;
  return { geometry: { size, spacingMm: [1, 1, 1], originMm: [0, 0, 0], axes: identity }, voxels, lungs, lesions, padding: null };
}

const noOverlays = { rightLung: false, leftLung: false, groundGlass: false, consolidation: false, opacity: 0.5 };

test('renderSlice windows HU to gray', () => {
  const volume = tinyVolume();
  const pixels = new Uint8ClampedArray(3 * 2 * 4);
  const { width, height } = renderSlice(pixels, volume, viewMapping('axial', identity), 0, { center: -400, width: 400 }, noOverlays);
  assert.equal(width, 3);
  assert.equal(height, 2);
  // Voxel 0 is -600 HU (the window's lower end), voxel 2 is -400 HU (the centre), voxel 4 is -200 HU (upper end).
  assert.equal(pixels[0], 0);
  assert.ok(Math.abs(pixels[2 * 4] - 127.5) <= 0.5, `centre gray ${pixels[2 * 4]}`);
  assert.equal(pixels[4 * 4], 255);
  assert.equal(pixels[3], 255);
});

test('renderSlice blends overlays with lesions on top', () => {
  const volume = tinyVolume();
  const pixels = new Uint8ClampedArray(3 * 2 * 4);
  const overlays = { rightLung: true, leftLung: true, groundGlass: true, consolidation: true, opacity: 1 };
  renderSlice(pixels, volume, viewMapping('axial', identity), 1, { center: 0, width: 400 }, overlays);
  assert.deepEqual([...pixels.subarray(0, 3)], overlayColors.rightLung);
  assert.deepEqual([...pixels.subarray(4, 7)], overlayColors.leftLung);
  assert.deepEqual([...pixels.subarray(8, 11)], overlayColors.groundGlass);

  renderSlice(pixels, volume, viewMapping('axial', identity), 1, { center: 0, width: 400 }, { ...overlays, groundGlass: false });
  assert.deepEqual([...pixels.subarray(8, 11)], overlayColors.rightLung);
});

test('renderSlice flips feet-first rows', () => {
  const volume = tinyVolume();
  volume.geometry.axes = feetFirst;
  const pixels = new Uint8ClampedArray(3 * 2 * 4);
  renderSlice(pixels, volume, viewMapping('axial', feetFirst), 0, { center: -400, width: 400 }, noOverlays);
  // Column 0 on screen is index i = 2 (patient right), so the first pixel is voxel 2.
  assert.ok(Math.abs(pixels[0] - 127.5) <= 0.5, `first pixel gray ${pixels[0]}`);
  assert.equal(pixels[2 * 4], 0);
});
