// NIfTI-1 single-file (.nii) export of label and HU volumes, so masks open
// aligned with the CT in 3D Slicer, ITK-SNAP or nibabel. The core returns the
// bytes; the caller saves them (and may gzip them to .nii.gz).
//
// Layout: 348-byte header, 4 zero extension bytes, voxels from byte 352, in
// the volume's own order (i fastest), little-endian.
//
// Orientation: NIfTI world coordinates are RAS, DICOM's are LPS, so x and y
// are negated. The sform (sform_code 1, scanner anatomical) is exactly that
// affine, shear included. The qform cannot represent shear: for a sheared
// grid (gantry tilt) it contains the rotation of the image plane (i and j axes
// exact, k replaced by the plane normal on the same side) with pixdim[3] the
// slice step projected on that normal, so slice k keeps its height but loses
// its in-plane shift. Readers that prefer the sform (nibabel, ITK with a
// valid sform) get the exact geometry; readers that use the qform see the
// sheared volume as if resampled onto an orthogonal grid without moving voxels.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "volume/geometry.h"
#include "volume/volume.h"

namespace lunglens {

inline constexpr int kNiftiHeaderBytes = 348;
inline constexpr int kNiftiVoxOffset = 352;

struct NiftiFile {
  bool ok = false;           // False when the input was rejected.
  std::vector<std::uint8_t> bytes;
  Diagnostics diagnostics;   // invalid_argument errors naming the fault.
};

// Writes a uint8 label volume (datatype 2, intent NIFTI_INTENT_LABEL) on
// `geometry`. `description` goes to the 80-byte descrip field (truncated).
NiftiFile write_nifti_labels(const Geometry& geometry, std::span<const std::uint8_t> labels,
                             std::string_view description = "lunglens labels");

// Writes an HU volume as stored: int16 (datatype 4) or float32 (datatype 16),
// scl_slope 1 and scl_inter 0. Padding voxels are written with their stored value.
NiftiFile write_nifti_hu(const HuVolume& volume, std::string_view description = "lunglens HU");

// Returns the 4x4 row-major affine mapping (i, j, k, 1) to RAS mm: the LPS
// affine of `geometry` with its x and y rows negated.
std::array<double, 16> index_to_ras_matrix(const Geometry& geometry);

}  // namespace lunglens
