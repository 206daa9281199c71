#include <doctest/doctest.h>

#include "phantom/chest_phantom.h"
#include "quantify/quantify.h"

using namespace lunglens;

namespace {

// Maps the phantom's truth labels onto the segmentation label contract.
LungSegmentation segmentation_from_truth(const Phantom& phantom) {
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

PhantomOptions small_phantom(PatientPosition position) {
  PhantomOptions options;
  options.matrix = 128;
  options.pixel_spacing_mm = 3.0;
  options.slice_thickness_mm = 5.0;
  options.position = position;
  return options;
}

}  // namespace

TEST_SUITE("quantify") {

TEST_CASE("quantify phantom truth volumes") {
  std::optional<LungQuantification> reference;
  for (const PatientPosition position : {PatientPosition::hfs, PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    const Phantom phantom = generate_chest_phantom(small_phantom(position));
    const LungQuantification q = quantify(phantom.volume, segmentation_from_truth(phantom));
    REQUIRE(q.ok);
    const PhantomTruth& truth = phantom.truth;

    // Lesion volumes are count x voxel mL on both sides, so they match bit for bit.
    CHECK(q.right.region.ground_glass.volume_ml == truth.ggo_right_ml);
    CHECK(q.left.region.ground_glass.volume_ml == truth.ggo_left_ml);
    CHECK(q.right.region.consolidation.volume_ml == truth.consolidation_right_ml);
    CHECK(q.left.region.consolidation.volume_ml == truth.consolidation_left_ml);
    CHECK(q.airway_volume_ml == truth.airway_ml);
    // The truth lung volume is a sum of three products, so it may differ in the last bit.
    CHECK(q.right.region.lung_volume_ml == doctest::Approx(truth.right_lung_ml).epsilon(1e-12));
    CHECK(q.left.region.lung_volume_ml == doctest::Approx(truth.left_lung_ml).epsilon(1e-12));
    CHECK(truth.right_lung_ml > 500.0);
    CHECK(truth.ggo_right_ml + truth.ggo_left_ml > 0.0);
    CHECK(q.both.severity_score > 0);

    // The same anatomy in another patient position gives the same zones and score.
    if (!reference) {
      reference = q;
      continue;
    }
    CHECK(q.both.severity_score == reference->both.severity_score);
    for (int zone = 0; zone < kZonesPerLung; ++zone) {
      CHECK(q.right.zones[zone].region.involvement.voxel_count ==
            reference->right.zones[zone].region.involvement.voxel_count);
      CHECK(q.left.zones[zone].region.lung_voxel_count == reference->left.zones[zone].region.lung_voxel_count);
    }
  }
}

}  // TEST_SUITE
