#include "support/phantom_truth.h"

#include <array>
#include <cmath>

namespace lunglens::test {

LungSegmentation segmentation_from_phantom_truth(const Phantom& phantom) {
  LungSegmentation segmentation;
  segmentation.geometry = phantom.volume.geometry;
  segmentation.lungs.assign(phantom.labels.size(), 0);
  segmentation.lesions.assign(phantom.labels.size(), 0);
  segmentation.lungs_found = true;

  const auto set = [&](std::size_t index, LungLabel lung, LesionLabel lesion) {
    segmentation.lungs[index] = static_cast<std::uint8_t>(lung);
    segmentation.lesions[index] = static_cast<std::uint8_t>(lesion);
  };
  for (std::size_t index = 0; index < phantom.labels.size(); ++index) {
    switch (static_cast<PhantomLabel>(phantom.labels[index])) {
      case PhantomLabel::right_lung: set(index, LungLabel::right_lung, LesionLabel::none); break;
      case PhantomLabel::left_lung: set(index, LungLabel::left_lung, LesionLabel::none); break;
      case PhantomLabel::airway: set(index, LungLabel::airway, LesionLabel::none); break;
      case PhantomLabel::ggo_right: set(index, LungLabel::right_lung, LesionLabel::ground_glass); break;
      case PhantomLabel::ggo_left: set(index, LungLabel::left_lung, LesionLabel::ground_glass); break;
      case PhantomLabel::consolidation_right: set(index, LungLabel::right_lung, LesionLabel::consolidation); break;
      case PhantomLabel::consolidation_left: set(index, LungLabel::left_lung, LesionLabel::consolidation); break;
      default: break;
    }
  }
  return segmentation;
}

PhantomLabel phantom_label_at(const Phantom& phantom, const Vec3& lps) {
  const Geometry& g = phantom.volume.geometry;
  const Vec3 ijk = g.lps_to_index(lps);
  std::array<std::int64_t, 3> index{};
  for (int a = 0; a < 3; ++a) {
    index[a] = std::llround(ijk[a]);
    if (index[a] < 0 || index[a] >= g.size[a]) return PhantomLabel::outside;
  }
  return static_cast<PhantomLabel>(phantom.labels[g.linear_index(index[0], index[1], index[2])]);
}

PhantomOptions small_phantom_options(PatientPosition position) {
  PhantomOptions options;
  options.matrix = 128;
  options.pixel_spacing_mm = 3.0;
  options.slice_thickness_mm = 5.0;
  options.position = position;
  return options;
}

}  // namespace lunglens::test
