// Maps the three index axes of a volume (i, j, k on the acquisition grid,
// direction cosines geometry.axes in LPS) to the axial, coronal and sagittal
// views in radiological convention. Patient right is on the image left,
// anterior at the top of the axial view and on the left of the sagittal
// view, and the head at the top of the coronal and sagittal views.
//
// Each index axis is assigned to the patient axis (x = L, y = P, z = S) it is
// closest to, so axial, coronal and sagittal acquisitions and the HFS, FFS and
// HFP positions all display upright. NOTE: voxels are shown on the acquisition
// grid without resampling, so an oblique or gantry-tilted series is shown as
// acquired (tilted by its residual angle, at most 45 degrees).

// Screen direction of each view: the patient axis along screen x (to the
// right) and screen y (downward), each with the sign that increases along it.
const viewLayouts = {
  axial: { normal: 2, horizontal: { dim: 0, sign: 1 }, vertical: { dim: 1, sign: 1 } },
  coronal: { normal: 1, horizontal: { dim: 0, sign: 1 }, vertical: { dim: 2, sign: -1 } },
  sagittal: { normal: 0, horizontal: { dim: 1, sign: 1 }, vertical: { dim: 2, sign: -1 } },
};

// Labels at the left, right, top and bottom edges of each view.
export const edgeLabels = {
  axial: ['R', 'L', 'A', 'P'],
  coronal: ['R', 'L', 'S', 'I'],
  sagittal: ['A', 'P', 'S', 'I'],
};

function dominantComponent(axis) {
  let best = 0;
  for (let c = 1; c < 3; ++c) if (Math.abs(axis[c]) > Math.abs(axis[best])) best = c;
  return { dim: best, sign: Math.sign(axis[best]) || 1 };
}

// Returns, for each patient axis (0 = x, 1 = y, 2 = z), the index axis along
// it and its sign. Falls back to i = x, j = y, k = z when two index axes are
// closest to the same patient axis (a 45-degree oblique).
export function indexAxesOfPatientAxes(axes) {
  const byPatient = [null, null, null];
  for (let a = 0; a < 3; ++a) {
    const { dim, sign } = dominantComponent(axes[a]);
    if (byPatient[dim]) return [0, 1, 2].map((d) => ({ axis: d, sign: 1 }));
    byPatient[dim] = { axis: a, sign };
  }
  return byPatient;
}

// Returns {normalAxis, horizontal: {axis, flip}, vertical: {axis, flip}} for
// a view: which index axis runs along each screen direction and whether the
// index decreases along it (flip).
export function viewMapping(view, axes) {
  const layout = viewLayouts[view];
  const mapping = indexAxesOfPatientAxes(axes);
  const screenAxis = ({ dim, sign }) => ({ axis: mapping[dim].axis, flip: mapping[dim].sign !== sign });
  return {
    normalAxis: mapping[layout.normal].axis,
    horizontal: screenAxis(layout.horizontal),
    vertical: screenAxis(layout.vertical),
  };
}

// Returns the LPS position in mm of voxel index (i, j, k): origin + i * sx *
// axes[0] + j * sy * axes[1] + k * sz * axes[2].
export function voxelPositionMm(geometry, index) {
  const position = [...geometry.originMm];
  for (let a = 0; a < 3; ++a) {
    for (let c = 0; c < 3; ++c) position[c] += index[a] * geometry.spacingMm[a] * geometry.axes[a][c];
  }
  return position;
}
