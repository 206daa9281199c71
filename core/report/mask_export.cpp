#include "report/mask_export.h"

#include <algorithm>

#include "parallel/parallel_for.h"

namespace lunglens {

namespace {

std::uint8_t mask_label(std::uint8_t lung) {
  switch (static_cast<LungLabel>(lung)) {
    case LungLabel::right_lung: return static_cast<std::uint8_t>(MaskLabel::right_lung);
    case LungLabel::left_lung: return static_cast<std::uint8_t>(MaskLabel::left_lung);
    case LungLabel::airway: return static_cast<std::uint8_t>(MaskLabel::airway);
    default: return 0;
  }
}

std::uint8_t mask_label(std::uint8_t lung, std::uint8_t lesion) {
  switch (static_cast<LesionLabel>(lesion)) {
    case LesionLabel::ground_glass: return static_cast<std::uint8_t>(MaskLabel::ground_glass);
    case LesionLabel::consolidation: return static_cast<std::uint8_t>(MaskLabel::consolidation);
    default: return mask_label(lung);
  }
}

}  // namespace

std::vector<std::uint8_t> combined_mask_labels(const LungSegmentation& segmentation) {
  std::vector<std::uint8_t> mask(segmentation.lungs.size(), 0);
  const auto size = static_cast<std::int64_t>(mask.size());
  const auto with_lesions = static_cast<std::int64_t>(std::min(mask.size(), segmentation.lesions.size()));
  parallel_for(0, size, [&](std::int64_t begin, std::int64_t end) {
    // Local copies, so that the byte stores force no reloads (see map_voxels).
    const std::uint8_t* const lungs = segmentation.lungs.data();
    const std::uint8_t* const lesions = segmentation.lesions.data();
    std::uint8_t* const out = mask.data();
    const std::int64_t split = std::clamp(with_lesions, begin, end);
    for (std::int64_t v = begin; v < split; ++v) out[v] = mask_label(lungs[v], lesions[v]);
    for (std::int64_t v = split; v < end; ++v) out[v] = mask_label(lungs[v]);
  }, std::int64_t{1} << 16);
  return mask;
}

NiftiFile write_mask_nifti(const LungSegmentation& segmentation) {
  return write_nifti_labels(segmentation.geometry, combined_mask_labels(segmentation), kMaskDescription);
}

}  // namespace lunglens
