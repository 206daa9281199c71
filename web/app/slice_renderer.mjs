// Renders one slice of a volume into RGBA pixels: HU through a window, then
// the lung and lesion overlays blended on top. Pure computation, no DOM, so it
// runs the same in a test.

// Overlay colours (RGB) of each class.
export const overlayColors = {
  rightLung: [60, 150, 255],
  leftLung: [60, 210, 110],
  groundGlass: [255, 215, 0],
  consolidation: [240, 50, 50],
};

// Label values of core/segment/lung_labels.h.
const rightLungLabel = 1;
const leftLungLabel = 2;
const groundGlassLabel = 1;
const consolidationLabel = 2;

// Fills `pixels` (Uint8ClampedArray, width x height x 4) with the slice of
// `volume` that `mapping` (view_orientation.mjs viewMapping) and `sliceIndex`
// select. window = {center, width} in HU. overlays = {rightLung, leftLung,
// groundGlass, consolidation: booleans, opacity: 0..1}.
export function renderSlice(pixels, volume, mapping, sliceIndex, window, overlays) {
  const size = volume.geometry.size;
  const strides = [1, size[0], size[0] * size[1]];
  const width = size[mapping.horizontal.axis];
  const height = size[mapping.vertical.axis];
  const strideU = mapping.horizontal.flip ? -strides[mapping.horizontal.axis] : strides[mapping.horizontal.axis];
  const strideV = mapping.vertical.flip ? -strides[mapping.vertical.axis] : strides[mapping.vertical.axis];
  const startU = mapping.horizontal.flip ? (width - 1) * strides[mapping.horizontal.axis] : 0;
  const startV = mapping.vertical.flip ? (height - 1) * strides[mapping.vertical.axis] : 0;
  const sliceOffset = sliceIndex * strides[mapping.normalAxis];

  const lower = window.center - window.width / 2;
  const scale = 255 / Math.max(1, window.width);
  const opacity = overlays.opacity;
  const { voxels, lungs, lesions, padding } = volume;

  let out = 0;
  for (let v = 0; v < height; ++v) {
    let index = sliceOffset + startV + v * strideV + startU;
    for (let u = 0; u < width; ++u, index += strideU, out += 4) {
      let gray = padding && padding[index] ? 0 : (voxels[index] - lower) * scale;
      if (gray < 0) gray = 0;
      else if (gray > 255) gray = 255;
      let red = gray;
      let green = gray;
      let blue = gray;

      const color = overlayColor(lungs ? lungs[index] : 0, lesions ? lesions[index] : 0, overlays);
      if (color) {
        red += (color[0] - red) * opacity;
        green += (color[1] - green) * opacity;
        blue += (color[2] - blue) * opacity;
      }
      pixels[out] = red;
      pixels[out + 1] = green;
      pixels[out + 2] = blue;
      pixels[out + 3] = 255;
    }
  }
  return { width, height };
}

// Returns the overlay colour of one voxel (lesions over lungs), or null.
function overlayColor(lungLabel, lesionLabel, overlays) {
  if (lesionLabel === consolidationLabel && overlays.consolidation) return overlayColors.consolidation;
  if (lesionLabel === groundGlassLabel && overlays.groundGlass) return overlayColors.groundGlass;
  if (lungLabel === rightLungLabel && overlays.rightLung) return overlayColors.rightLung;
  if (lungLabel === leftLungLabel && overlays.leftLung) return overlayColors.leftLung;
  return null;
}
