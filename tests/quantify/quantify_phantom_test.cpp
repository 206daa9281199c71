#include <doctest/doctest.h>

#include "phantom/chest_phantom.h"
#include "quantify/quantify.h"
#include "support/phantom_truth.h"

using namespace lunglens;

using test::segmentation_from_phantom_truth;
using test::small_phantom_options;

TEST_SUITE("quantify") {

TEST_CASE("quantify phantom truth volumes") {
  std::optional<LungQuantification> reference;
  for (const PatientPosition position : {PatientPosition::hfs, PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    const Phantom phantom = generate_chest_phantom(small_phantom_options(position));
    const LungQuantification q = quantify(phantom.volume, segmentation_from_phantom_truth(phantom));
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
