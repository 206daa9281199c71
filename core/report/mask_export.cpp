#include "report/mask_export.h"

namespace lunglens {

std::vector<std::uint8_t> combined_mask_labels(const LungSegmentation& segmentation) {
  std::vector<std::uint8_t> mask(segmentation.lungs.size(), 0);
  for (std::size_t v = 0; v < mask.size(); ++v) {
    switch (static_cast<LungLabel>(segmentation.lungs[v])) {
      case LungLabel::right_lung: mask[v] = static_cast<std::uint8_t>(MaskLabel::right_lung); break;
      case LungLabel::left_lung: mask[v] = static_cast<std::uint8_t>(MaskLabel::left_lung); break;
      case LungLabel::airway: mask[v] = static_cast<std::uint8_t>(MaskLabel::airway); break;
      default: break;
    }
    if (v < segmentation.lesions.size()) {
      const auto lesion = static_cast<LesionLabel>(segmentation.lesions[v]);
      if (lesion == LesionLabel::ground_glass) mask[v] = static_cast<std::uint8_t>(MaskLabel::ground_glass);
      if (lesion == LesionLabel::consolidation) mask[v] = static_cast<std::uint8_t>(MaskLabel::consolidation);
    }
  }
  return mask;
}

NiftiFile write_mask_nifti(const LungSegmentation& segmentation) {
  return write_nifti_labels(segmentation.geometry, combined_mask_labels(segmentation), kMaskDescription);
}

}  // namespace lunglens
