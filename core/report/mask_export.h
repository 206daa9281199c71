// The combined label mask that the command-line tools save as masks.nii: one
// label per voxel on the grid of the analysed series.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "report/nifti_writer.h"
#include "segment/lung_labels.h"

namespace lunglens {

// Label values of masks.nii. Lesions take precedence over their lung.
enum class MaskLabel : std::uint8_t { right_lung = 1, left_lung = 2, airway = 3, ground_glass = 4, consolidation = 5 };

inline constexpr std::string_view kMaskDescription = "lunglens: 1 R lung 2 L lung 3 airway 4 GGO 5 consolidation";

// Returns one MaskLabel value (or 0) per voxel of `segmentation`.
std::vector<std::uint8_t> combined_mask_labels(const LungSegmentation& segmentation);

// Returns masks.nii: the combined labels on segmentation.geometry as NIfTI-1.
NiftiFile write_mask_nifti(const LungSegmentation& segmentation);

}  // namespace lunglens
